#pragma once

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace playdeck {

class JobListModel;
class TemplateListModel;

// Above the jobs list: which jobs it shows (a status, a template, a text in the name, the
// explanation or the id) and which page of them, with "1–200 of 3,412" and buttons to the newer
// and older pages.
class JobFilterBar : public QWidget {
    Q_OBJECT
public:
    JobFilterBar(JobListModel &jobs, TemplateListModel &templates, QWidget *parent = nullptr);

    QLineEdit *searchEdit() const { return m_search; }

private:
    void apply();
    void page(int direction);
    void updatePage();
    void fillTemplates();

    JobListModel &m_jobs;
    TemplateListModel &m_templates;
    QComboBox *m_status = nullptr;
    QComboBox *m_template = nullptr;
    QLineEdit *m_search = nullptr;
    QToolButton *m_newer = nullptr;
    QToolButton *m_older = nullptr;
    QLabel *m_pageLabel = nullptr;
    QTimer m_typing; // a search starts once typing pauses
};

} // namespace playdeck

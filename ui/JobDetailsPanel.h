#pragma once

#include "model/Job.h"

#include <QHash>
#include <QWidget>

class QFormLayout;
class QLabel;
class QPlainTextEdit;

namespace playdeck {

class Controller;

// What a job ran with: its template, project revision, inventory, credentials, limit, verbosity,
// job type, tags, and its variables (the template's, those given at launch, the survey's answers),
// with every secret answer shown as $encrypted$, never its value.
class JobDetailsPanel : public QWidget {
    Q_OBJECT
public:
    explicit JobDetailsPanel(Controller &controller, QWidget *parent = nullptr);

    void setJob(const JobDetail &job);
    // The value shown for a row ("template", "inventory", "revision", ...), for tests.
    QString value(const QString &row) const;
    QString variablesText() const;

private:
    void addRow(const QString &key, const QString &label);
    void set(const QString &key, const QString &text);
    void fillNames();
    QString nameOf(const QString &kind, qint64 id) const;

    Controller &m_controller;
    QFormLayout *m_form = nullptr;
    QHash<QString, QLabel *> m_values;
    QPlainTextEdit *m_variables = nullptr;
    QHash<QString, QHash<qint64, QString>> m_names; // kind → id → name
    JobDetail m_job;
    bool m_namesAsked = false;
};

} // namespace playdeck

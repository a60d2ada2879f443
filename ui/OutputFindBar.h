#pragma once

#include "events/OutputLines.h"

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace playdeck {

// Find and filter over a job's output: text or a regular expression, case, and the conditions
// AWX's job output filters by (host, task, outcome). Typing settles for a moment before the search
// starts again; Enter goes to the next match, Shift+Enter to the one before, Esc closes the bar.
class OutputFindBar : public QWidget {
    Q_OBJECT
public:
    explicit OutputFindBar(QWidget *parent = nullptr);

    OutputFilter filter() const;
    // Show only the matching lines (always, when the filter has event conditions).
    bool onlyMatching() const;
    void setText(const QString &text);
    // Shows only this host's lines (the host filter), at once.
    void setHost(const QString &host);
    void setStatus(const QString &status);
    QString status() const;
    QLineEdit *textEdit() const { return m_text; }
    // Opens the bar with the focus in the text.
    void activate();

Q_SIGNALS:
    void filterChanged();
    void nextRequested(bool backwards);
    void closed();

private:
    void changedSoon();
    void settle();

    QLineEdit *m_text = nullptr;
    QCheckBox *m_case = nullptr;
    QCheckBox *m_regex = nullptr;
    QCheckBox *m_only = nullptr;
    QLineEdit *m_host = nullptr;
    QLineEdit *m_task = nullptr;
    QComboBox *m_outcome = nullptr;
    QLabel *m_status = nullptr;
    QTimer m_settle;
    OutputFilter m_applied;
    bool m_appliedOnly = false;
};

} // namespace playdeck

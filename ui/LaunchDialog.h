#pragma once

#include "launch/LaunchConfig.h"
#include "model/JobTemplate.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace playdeck {

// Asks for what may be set when launching a template: extra variables (checked as they are typed),
// a host limit, the verbosity and check mode. Open it with open(); read request() once accepted.
class LaunchDialog : public QDialog {
    Q_OBJECT
public:
    explicit LaunchDialog(const JobTemplate &jobTemplate, QWidget *parent = nullptr);

    const JobTemplate &jobTemplate() const { return m_template; }
    // Only what differs from the template is set; the rest keeps the template's values.
    LaunchRequest request() const;
    // Whether the extra variables typed last were checked and found valid.
    bool extraVarsValid() const;
    bool extraVarsChecked() const;

public Q_SLOTS:
    // Refused while the extra variables are invalid; waits for a check still under way.
    void accept() override;

private:
    void onChecked(bool valid, const QString &error);

    JobTemplate m_template;
    QPlainTextEdit *m_extraVarsEdit = nullptr;
    QLabel *m_extraVarsError = nullptr;
    QLineEdit *m_limitEdit = nullptr;
    QComboBox *m_verbosityCombo = nullptr;
    QCheckBox *m_checkModeBox = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    class ExtraVarsValidator *m_validator = nullptr;
    bool m_acceptWhenChecked = false;
};

} // namespace playdeck

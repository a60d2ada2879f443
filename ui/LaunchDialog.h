#pragma once

#include "launch/LaunchConfig.h"
#include "model/JobTemplate.h"
#include "services/JobService.h"

#include <QDialog>
#include <QHash>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QSpinBox;

namespace playdeck {

class Controller;
class ExtraVarsValidator;
class SurveyForm;

// Asks for what a launch of a template needs, built from the template itself: the prompts it asks
// for at launch (AWX's ask_*_on_launch: inventory, credentials, limit, tags, verbosity, job type,
// extra variables, diff mode, forks, timeout, branch), its survey, the questions its playbook would
// ask during the run (vars_prompt, asked here instead), and every password the launch needs
// (ask-at-launch credential fields). Everything is checked before the launch; nothing typed here
// is lost when a check fails or the engine refuses the launch. Open it with open(); it launches the
// job itself and is accepted once the job exists (launched()).
class LaunchDialog : public QDialog {
    Q_OBJECT
public:
    LaunchDialog(Controller &controller, const JobTemplate &jobTemplate, QWidget *parent = nullptr);

    const JobTemplate &jobTemplate() const { return m_template; }
    LaunchRequest request() const;
    // Whether the extra variables typed last were checked and found valid.
    bool extraVarsValid() const;
    bool extraVarsChecked() const;
    // Whether what the launch needs (survey, passwords) has been read.
    bool isReady() const { return m_ready; }
    SurveyForm *survey() const { return m_survey; }
    SurveyForm *playbookQuestions() const { return m_playbookQuestions; }
    // The password field of a credential's ask-at-launch input ("<credential id>/<input>").
    QLineEdit *credentialSecret(const QString &key) const { return m_secretEdits.value(key); }
    QString errorText() const;
    // The job launched (once accepted).
    qint64 jobId() const { return m_jobId; }

public Q_SLOTS:
    // Refused while anything is invalid (each problem is shown where it is); waits for a check of
    // the extra variables still under way.
    void accept() override;

Q_SIGNALS:
    // What the launch needs has been read (again, after the inventory or credentials changed).
    void ready();
    // The job was created; the dialog closes (accepted).
    void launched(qint64 jobId);

private:
    void buildPrompts(QFormLayout *form);
    void readNeeds();
    void onNeeds(const LaunchNeeds &needs);
    void onChecked(bool valid, const QString &error);
    void showError(const QString &message);
    LaunchConfig chosenResources() const;

    Controller &m_controller;
    JobTemplate m_template;
    QComboBox *m_inventoryCombo = nullptr;
    QListWidget *m_credentialList = nullptr;
    QPlainTextEdit *m_extraVarsEdit = nullptr;
    QLabel *m_extraVarsError = nullptr;
    QLineEdit *m_limitEdit = nullptr;
    QLineEdit *m_tagsEdit = nullptr;
    QLineEdit *m_skipTagsEdit = nullptr;
    QComboBox *m_verbosityCombo = nullptr;
    QCheckBox *m_checkModeBox = nullptr;
    QCheckBox *m_diffModeBox = nullptr;
    QSpinBox *m_forksSpin = nullptr;
    QSpinBox *m_timeoutSpin = nullptr;
    QLineEdit *m_branchEdit = nullptr;
    QGroupBox *m_surveyBox = nullptr;
    SurveyForm *m_survey = nullptr;
    QGroupBox *m_playbookBox = nullptr;
    SurveyForm *m_playbookQuestions = nullptr;
    QLabel *m_playbookProblem = nullptr;
    QGroupBox *m_secretsBox = nullptr;
    QFormLayout *m_secretsForm = nullptr;
    QHash<QString, QLineEdit *> m_secretEdits;
    QLabel *m_status = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    ExtraVarsValidator *m_validator = nullptr;
    bool m_acceptWhenChecked = false;
    bool m_ready = false;
    bool m_launching = false;
    qint64 m_jobId = 0;
    int m_needsGeneration = 0;
};

} // namespace playdeck

#include "LaunchDialog.h"

#include "Controller.h"
#include "ExtraVarsValidator.h"
#include "FormWidgets.h"
#include "SurveyForm.h"
#include "db/DbPool.h"
#include "resources/ResourceSchema.h"
#include "services/ResourceService.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

namespace playdeck {

namespace {

const QString CheckJobType = QStringLiteral("check");
const QString RunJobType = QStringLiteral("run");

// "become_password" → "Privilege escalation password", as the credential's editor names it.
QString inputLabel(const QString &input) {
    for (const CredentialKindSpec &kind : credentialKinds())
        for (const CredentialInput &i : kind.inputs)
            if (i.id == input)
                return QCoreApplication::translate("Resources", i.label);
    return input;
}

// The survey's questions and the playbook's, apart: they are shown in two groups.
std::pair<QJsonArray, QJsonArray> splitQuestions(const QJsonArray &questions) {
    QJsonArray survey, playbook;
    for (const QJsonValue &q : questions)
        (q.toObject().value(QLatin1String("vars_prompt")).toBool() ? playbook : survey).append(q);
    return {survey, playbook};
}

} // namespace

LaunchDialog::LaunchDialog(Controller &controller, const JobTemplate &jobTemplate, QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
    , m_template(jobTemplate) {
    setObjectName(QStringLiteral("launchDialog"));
    setWindowTitle(tr("Launch %1").arg(m_template.name));

    auto *title = new QLabel(m_template.name);
    QFont titleFont = title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    title->setFont(titleFont);
    title->setTextFormat(Qt::PlainText);

    auto *description = new QLabel(m_template.description);
    description->setTextFormat(Qt::PlainText);
    description->setWordWrap(true);
    description->setVisible(!m_template.description.isEmpty());

    auto *what =
        new QLabel(tr("Runs %1 from project %2 on inventory %3.")
                       .arg(m_template.options.playbook, m_template.projectName,
                            m_template.inventoryName.isEmpty() ? tr("(none)") : m_template.inventoryName));
    what->setObjectName(QStringLiteral("whatLabel"));
    what->setTextFormat(Qt::PlainText);
    what->setWordWrap(true);

    auto *content = new QWidget;
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);

    auto *promptsBox = new QGroupBox(tr("Options"));
    promptsBox->setObjectName(QStringLiteral("promptsBox"));
    auto *form = new QFormLayout(promptsBox);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    buildPrompts(form);
    contentLayout->addWidget(promptsBox);

    m_surveyBox = new QGroupBox(m_template.surveySpec.value(QLatin1String("name")).toString().isEmpty()
                                    ? tr("Survey")
                                    : m_template.surveySpec.value(QLatin1String("name")).toString());
    m_surveyBox->setObjectName(QStringLiteral("surveyBox"));
    m_survey = new SurveyForm;
    m_survey->setObjectName(QStringLiteral("surveyForm"));
    auto *surveyLayout = new QVBoxLayout(m_surveyBox);
    const QString surveyDescription = m_template.surveySpec.value(QLatin1String("description")).toString();
    if (!surveyDescription.isEmpty()) {
        auto *label = new QLabel(surveyDescription);
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
        surveyLayout->addWidget(label);
    }
    surveyLayout->addWidget(m_survey);
    m_surveyBox->hide();
    contentLayout->addWidget(m_surveyBox);

    m_playbookBox = new QGroupBox(tr("Asked by the playbook"));
    m_playbookBox->setObjectName(QStringLiteral("playbookQuestionsBox"));
    m_playbookBox->setToolTip(tr("The playbook's vars_prompt questions, asked now so that the run never "
                                 "stops to wait for an answer."));
    m_playbookQuestions = new SurveyForm;
    m_playbookQuestions->setObjectName(QStringLiteral("playbookQuestions"));
    auto *playbookLayout = new QVBoxLayout(m_playbookBox);
    playbookLayout->addWidget(m_playbookQuestions);
    m_playbookBox->hide();
    contentLayout->addWidget(m_playbookBox);

    m_secretsBox = new QGroupBox(tr("Passwords"));
    m_secretsBox->setObjectName(QStringLiteral("secretsBox"));
    m_secretsForm = new QFormLayout(m_secretsBox);
    m_secretsBox->hide();
    contentLayout->addWidget(m_secretsBox);

    m_playbookProblem = new QLabel;
    m_playbookProblem->setObjectName(QStringLiteral("playbookProblem"));
    m_playbookProblem->setWordWrap(true);
    m_playbookProblem->setTextFormat(Qt::PlainText);
    m_playbookProblem->hide();
    contentLayout->addWidget(m_playbookProblem);
    contentLayout->addStretch(1);

    auto *scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    m_status = new QLabel(tr("Reading what the launch needs…"));
    m_status->setObjectName(QStringLiteral("launchStatus"));
    m_error = errorLabel(QStringLiteral("launchError"));

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Launch"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(description);
    layout->addWidget(what);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    m_validator = new ExtraVarsValidator(this);
    connect(m_validator, &ExtraVarsValidator::settled, this, &LaunchDialog::onChecked);
    connect(m_extraVarsEdit, &QPlainTextEdit::textChanged, this,
            [this] { m_validator->check(m_extraVarsEdit->toPlainText()); });
    m_validator->check(QString(), true);
    readNeeds();
    resize(600, 640);
}

void LaunchDialog::buildPrompts(QFormLayout *form) {
    const LaunchPrompts &ask = m_template.ask;
    const JobOptions &o = m_template.options;
    const auto addRow = [form](const QString &label, QWidget *field, bool asked) {
        form->addRow(label, field);
        if (!label.isEmpty() && field->accessibleName().isEmpty())
            field->setAccessibleName(QString(label).remove(QLatin1Char('&')).remove(QLatin1Char(':')));
        // Only what the template asks for at launch is shown (AWX's ask_*_on_launch).
        form->setRowVisible(field, asked);
    };

    m_inventoryCombo = new QComboBox;
    m_inventoryCombo->setObjectName(QStringLiteral("inventoryCombo"));
    m_inventoryCombo->addItem(m_template.inventoryName.isEmpty() ? tr("(none)") : m_template.inventoryName,
                              o.inventoryId);
    addRow(tr("&Inventory:"), m_inventoryCombo, ask.inventory);

    m_credentialList = new QListWidget;
    m_credentialList->setObjectName(QStringLiteral("credentialList"));
    m_credentialList->setMaximumHeight(m_credentialList->fontMetrics().lineSpacing() * 6);
    addRow(tr("C&redentials:"), m_credentialList, ask.credentials);
    if (ask.inventory || ask.credentials) {
        whenReady(m_controller.resources().list(ResourceKind::Inventory), this,
                  [this](Result<QList<QJsonObject>> all) {
                      if (!all)
                          return;
                      for (const QJsonObject &r : all.value()) {
                          const qint64 id = r.value(QLatin1String("id")).toInteger();
                          if (m_inventoryCombo->findData(id) < 0)
                              m_inventoryCombo->addItem(r.value(QLatin1String("name")).toString(), id);
                      }
                  });
        whenReady(m_controller.resources().list(ResourceKind::Credential), this,
                  [this](Result<QList<QJsonObject>> all) {
                      if (!all)
                          return;
                      const QSignalBlocker quiet(m_credentialList);
                      for (const QJsonObject &r : all.value()) {
                          auto *item = new QListWidgetItem(r.value(QLatin1String("name")).toString(),
                                                           m_credentialList);
                          const qint64 id = r.value(QLatin1String("id")).toInteger();
                          item->setData(Qt::UserRole, id);
                          item->setCheckState(m_template.options.credentialIds.contains(id) ? Qt::Checked
                                                                                            : Qt::Unchecked);
                      }
                  });
    }
    // Other credentials or another inventory may need other passwords and offer other choices.
    connect(m_inventoryCombo, &QComboBox::currentIndexChanged, this, &LaunchDialog::readNeeds);
    connect(m_credentialList, &QListWidget::itemChanged, this, &LaunchDialog::readNeeds);

    m_limitEdit = new QLineEdit;
    m_limitEdit->setObjectName(QStringLiteral("limitEdit"));
    m_limitEdit->setPlaceholderText(o.limit.isEmpty() ? tr("all hosts") : o.limit);
    m_limitEdit->setToolTip(tr("A host pattern that narrows the inventory, such as webservers:!db1. "
                               "Leave empty to keep the template's limit."));
    m_limitEdit->setClearButtonEnabled(true);
    addRow(tr("&Limit:"), m_limitEdit, ask.limit);

    m_tagsEdit = new QLineEdit(o.jobTags);
    m_tagsEdit->setObjectName(QStringLiteral("tagsEdit"));
    m_tagsEdit->setToolTip(tr("Run only the tasks with these tags (comma-separated)."));
    addRow(tr("&Tags:"), m_tagsEdit, ask.tags);
    m_skipTagsEdit = new QLineEdit(o.skipTags);
    m_skipTagsEdit->setObjectName(QStringLiteral("skipTagsEdit"));
    m_skipTagsEdit->setToolTip(tr("Skip the tasks with these tags (comma-separated)."));
    addRow(tr("S&kip tags:"), m_skipTagsEdit, ask.skipTags);

    m_verbosityCombo = new QComboBox;
    m_verbosityCombo->setObjectName(QStringLiteral("verbosityCombo"));
    const QString levels[] = {tr("Normal"), tr("Verbose"),          tr("More Verbose"),
                              tr("Debug"),  tr("Connection Debug"), tr("WinRM Debug")};
    for (int level = 0; level < 6; ++level)
        m_verbosityCombo->addItem(tr("%1 (%2)").arg(level).arg(levels[level]), level);
    m_verbosityCombo->setCurrentIndex(qBound(0, o.verbosity, 5));
    addRow(tr("&Verbosity:"), m_verbosityCombo, ask.verbosity);

    m_checkModeBox = new QCheckBox(tr("Check mode (report what would change, change nothing)"));
    m_checkModeBox->setObjectName(QStringLiteral("checkModeBox"));
    m_checkModeBox->setChecked(o.jobType == CheckJobType);
    addRow(QString(), m_checkModeBox, ask.jobType);
    m_diffModeBox = new QCheckBox(tr("Show the &differences of changed files and templates"));
    m_diffModeBox->setObjectName(QStringLiteral("diffModeBox"));
    m_diffModeBox->setChecked(o.diffMode);
    addRow(QString(), m_diffModeBox, ask.diffMode);

    m_forksSpin = new QSpinBox;
    m_forksSpin->setObjectName(QStringLiteral("forksSpin"));
    m_forksSpin->setRange(0, 200);
    m_forksSpin->setSpecialValueText(tr("ansible's default"));
    m_forksSpin->setValue(o.forks);
    addRow(tr("&Forks:"), m_forksSpin, ask.forks);
    m_timeoutSpin = new QSpinBox;
    m_timeoutSpin->setObjectName(QStringLiteral("timeoutSpin"));
    m_timeoutSpin->setRange(0, 7 * 24 * 3600);
    m_timeoutSpin->setSuffix(tr(" s"));
    m_timeoutSpin->setSpecialValueText(tr("no timeout"));
    m_timeoutSpin->setValue(o.timeout);
    addRow(tr("Ti&meout:"), m_timeoutSpin, ask.timeout);
    m_branchEdit = new QLineEdit(o.scmBranch);
    m_branchEdit->setObjectName(QStringLiteral("branchEdit"));
    m_branchEdit->setPlaceholderText(tr("the project's branch"));
    addRow(tr("&Branch:"), m_branchEdit, ask.scmBranch);

    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    auto *templateVars = new QLabel;
    templateVars->setObjectName(QStringLiteral("templateVarsLabel"));
    templateVars->setTextFormat(Qt::PlainText);
    templateVars->setTextInteractionFlags(Qt::TextSelectableByMouse);
    templateVars->setFont(fixed);
    templateVars->setWordWrap(true);
    templateVars->setText(o.extraVars.trimmed().isEmpty() ? tr("(none)") : o.extraVars.trimmed());
    templateVars->setToolTip(
        tr("The template's own variables. Variables entered below are merged over them."));
    form->addRow(tr("Template variables:"), templateVars);

    m_extraVarsEdit = new QPlainTextEdit;
    m_extraVarsEdit->setObjectName(QStringLiteral("extraVarsEdit"));
    m_extraVarsEdit->setFont(fixed);
    m_extraVarsEdit->setTabChangesFocus(true);
    m_extraVarsEdit->setPlaceholderText(tr("YAML or JSON, for example:\nname: value"));
    m_extraVarsEdit->setMinimumHeight(m_extraVarsEdit->fontMetrics().lineSpacing() * 5);
    m_extraVarsEdit->setAccessibleName(tr("Extra variables"));
    m_extraVarsError = errorLabel(QStringLiteral("extraVarsError"));
    auto *extraVarsField = new QWidget;
    auto *extraVarsColumn = new QVBoxLayout(extraVarsField);
    extraVarsColumn->setContentsMargins(0, 0, 0, 0);
    extraVarsColumn->addWidget(m_extraVarsEdit, 1);
    extraVarsColumn->addWidget(m_extraVarsError);
    extraVarsField->setFocusProxy(m_extraVarsEdit);
    addRow(tr("E&xtra variables:"), extraVarsField, ask.variables);
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(extraVarsField)))
        label->setBuddy(m_extraVarsEdit);
}

LaunchConfig LaunchDialog::chosenResources() const {
    LaunchConfig prompts;
    if (m_template.ask.inventory) {
        const qint64 id = m_inventoryCombo->currentData().toLongLong();
        if (id != m_template.options.inventoryId)
            prompts.inventoryId = id;
    }
    if (m_template.ask.credentials) {
        QList<qint64> ids;
        for (int i = 0; i < m_credentialList->count(); ++i)
            if (m_credentialList->item(i)->checkState() == Qt::Checked)
                ids << m_credentialList->item(i)->data(Qt::UserRole).toLongLong();
        if (m_credentialList->count() > 0 && ids != m_template.options.credentialIds)
            prompts.credentialIds = ids;
    }
    return prompts;
}

void LaunchDialog::readNeeds() {
    m_ready = false;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    const int generation = ++m_needsGeneration;
    whenReady(m_controller.jobs().launchNeeds(m_template.name, chosenResources()), this,
              [this, generation](Result<LaunchNeeds> needs) {
                  if (generation != m_needsGeneration)
                      return; // the inventory or credentials changed again meanwhile
                  if (!needs) {
                      m_status->hide();
                      return showError(needs.error());
                  }
                  onNeeds(needs.value());
              });
}

void LaunchDialog::onNeeds(const LaunchNeeds &needs) {
    const auto [survey, playbook] = splitQuestions(needs.questions);
    m_survey->setQuestions(survey, needs.choices);
    m_surveyBox->setVisible(!survey.isEmpty());
    m_playbookQuestions->setQuestions(playbook, needs.choices);
    m_playbookBox->setVisible(!playbook.isEmpty());
    m_playbookProblem->setText(
        needs.playbookProblem.isEmpty()
            ? QString()
            : tr("The playbook's questions could not be read: %1").arg(needs.playbookProblem));
    m_playbookProblem->setVisible(!needs.playbookProblem.isEmpty());

    QHash<QString, QString> typed;
    for (auto it = m_secretEdits.begin(); it != m_secretEdits.end(); ++it)
        typed.insert(it.key(), it.value()->text());
    while (m_secretsForm->rowCount() > 0)
        m_secretsForm->removeRow(0);
    m_secretEdits.clear();
    for (const LaunchNeeds::CredentialSecret &c : needs.credentialSecrets) {
        auto *edit = new QLineEdit(typed.value(c.key()));
        edit->setObjectName(QStringLiteral("secret_") + c.key());
        edit->setEchoMode(QLineEdit::Password);
        const QString label = tr("%1 of %2:").arg(inputLabel(c.input), c.credentialName);
        edit->setAccessibleName(label);
        edit->setToolTip(
            tr("Asked at each launch; kept in the keychain for a relaunch, never in the database."));
        m_secretsForm->addRow(label, edit);
        m_secretEdits.insert(c.key(), edit);
    }
    m_secretsBox->setVisible(!needs.credentialSecrets.isEmpty());

    m_status->hide();
    m_ready = true;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_validator->isValid() || !m_validator->isSettled());
    // The first thing to answer has the focus.
    if (!survey.isEmpty())
        m_survey->editor(survey.first().toObject().value(QLatin1String("variable")).toString())->setFocus();
    else if (!playbook.isEmpty())
        m_playbookQuestions->editor(playbook.first().toObject().value(QLatin1String("variable")).toString())
            ->setFocus();
    else if (m_template.ask.variables)
        m_extraVarsEdit->setFocus();
    Q_EMIT ready();
}

LaunchRequest LaunchDialog::request() const {
    LaunchRequest request;
    request.templateId = m_template.id;
    request.prompts = chosenResources();
    const JobOptions &o = m_template.options;
    const LaunchPrompts &ask = m_template.ask;
    if (ask.variables) {
        const QString extraVars = m_extraVarsEdit->toPlainText();
        request.prompts.extraVars = extraVars.trimmed().isEmpty() ? QString() : extraVars;
    }
    if (ask.limit && !m_limitEdit->text().trimmed().isEmpty())
        request.prompts.limit = m_limitEdit->text().trimmed();
    if (ask.tags && m_tagsEdit->text().trimmed() != o.jobTags)
        request.prompts.jobTags = m_tagsEdit->text().trimmed();
    if (ask.skipTags && m_skipTagsEdit->text().trimmed() != o.skipTags)
        request.prompts.skipTags = m_skipTagsEdit->text().trimmed();
    if (ask.verbosity && m_verbosityCombo->currentData().toInt() != o.verbosity)
        request.prompts.verbosity = m_verbosityCombo->currentData().toInt();
    const QString jobType = m_checkModeBox->isChecked() ? CheckJobType : RunJobType;
    if (ask.jobType && jobType != o.jobType)
        request.prompts.jobType = jobType;
    if (ask.diffMode && m_diffModeBox->isChecked() != o.diffMode)
        request.prompts.diffMode = m_diffModeBox->isChecked();
    if (ask.forks && m_forksSpin->value() != o.forks)
        request.prompts.forks = m_forksSpin->value();
    if (ask.timeout && m_timeoutSpin->value() != o.timeout)
        request.prompts.timeout = m_timeoutSpin->value();
    if (ask.scmBranch && m_branchEdit->text().trimmed() != o.scmBranch)
        request.prompts.scmBranch = m_branchEdit->text().trimmed();
    request.surveyAnswers = m_survey->answers();
    const QJsonObject asked = m_playbookQuestions->answers();
    for (auto it = asked.begin(); it != asked.end(); ++it)
        request.surveyAnswers.insert(it.key(), it.value());
    for (auto it = m_secretEdits.begin(); it != m_secretEdits.end(); ++it)
        request.secrets.credentialPasswords.insert(it.key(), it.value()->text());
    return request;
}

bool LaunchDialog::extraVarsValid() const {
    return m_validator->isValid();
}

bool LaunchDialog::extraVarsChecked() const {
    return m_validator->isSettled();
}

QString LaunchDialog::errorText() const {
    return m_error->isHidden() ? QString() : m_error->text();
}

void LaunchDialog::showError(const QString &message) {
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void LaunchDialog::accept() {
    if (!m_ready || m_launching)
        return;
    if (!m_validator->isSettled()) {
        // Launch as soon as the text typed last is known to be valid.
        m_acceptWhenChecked = true;
        m_validator->check(m_extraVarsEdit->toPlainText(), true);
        return;
    }
    if (!m_validator->isValid())
        return;
    // Every problem at once, each beside its question.
    const bool surveyOk = m_survey->validate();
    const bool playbookOk = m_playbookQuestions->validate();
    QStringList missing;
    for (auto it = m_secretEdits.begin(); it != m_secretEdits.end(); ++it)
        if (it.value()->text().isEmpty())
            missing << m_secretsForm->labelForField(it.value())->property("text").toString().chopped(1);
    if (!missing.isEmpty())
        showError(tr("This launch needs: %1.").arg(missing.join(QStringLiteral(", "))));
    else if (!surveyOk || !playbookOk)
        showError(tr("Some answers are not right; each says why."));
    else
        showError({});
    if (!surveyOk || !playbookOk || !missing.isEmpty())
        return;
    // The engine checks everything again; what it refuses is shown here, with nothing typed lost.
    m_launching = true;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_status->setText(tr("Launching…"));
    m_status->show();
    whenReady(m_controller.jobs().launch(request()), this, [this](Result<qint64> job) {
        m_launching = false;
        m_status->hide();
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
        if (!job)
            return showError(job.error());
        m_jobId = job.value();
        Q_EMIT launched(m_jobId);
        QDialog::accept();
    });
}

void LaunchDialog::onChecked(bool valid, const QString &error) {
    m_extraVarsError->setText(error);
    m_extraVarsError->setVisible(!valid);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(valid && m_ready);
    if (std::exchange(m_acceptWhenChecked, false) && valid)
        accept();
}

} // namespace playdeck

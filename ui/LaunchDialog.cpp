#include "LaunchDialog.h"

#include "ExtraVarsValidator.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace playdeck {

namespace {
const QString CheckJobType = QStringLiteral("check");
const QString RunJobType = QStringLiteral("run");
} // namespace

LaunchDialog::LaunchDialog(const JobTemplate &jobTemplate, QWidget *parent)
    : QDialog(parent)
    , m_template(jobTemplate) {
    setObjectName(QStringLiteral("launchDialog"));
    setWindowTitle(tr("Launch %1").arg(m_template.name));

    auto *title = new QLabel(m_template.name, this);
    QFont titleFont = title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    title->setFont(titleFont);
    title->setTextFormat(Qt::PlainText);

    auto *description = new QLabel(m_template.description, this);
    description->setTextFormat(Qt::PlainText);
    description->setWordWrap(true);
    description->setVisible(!m_template.description.isEmpty());

    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);

    auto *templateVars = new QLabel(this);
    templateVars->setObjectName(QStringLiteral("templateVarsLabel"));
    templateVars->setTextFormat(Qt::PlainText);
    templateVars->setTextInteractionFlags(Qt::TextSelectableByMouse);
    templateVars->setFont(fixed);
    templateVars->setWordWrap(true);
    templateVars->setText(m_template.options.extraVars.trimmed().isEmpty()
                              ? tr("(none)")
                              : m_template.options.extraVars.trimmed());
    templateVars->setToolTip(
        tr("The template's own variables. Variables entered below are merged over them."));

    m_extraVarsEdit = new QPlainTextEdit(this);
    m_extraVarsEdit->setObjectName(QStringLiteral("extraVarsEdit"));
    m_extraVarsEdit->setFont(fixed);
    m_extraVarsEdit->setTabChangesFocus(true);
    m_extraVarsEdit->setPlaceholderText(tr("YAML or JSON, for example:\nname: value"));
    m_extraVarsEdit->setMinimumHeight(m_extraVarsEdit->fontMetrics().lineSpacing() * 6);

    m_extraVarsError = new QLabel(this);
    m_extraVarsError->setObjectName(QStringLiteral("extraVarsError"));
    m_extraVarsError->setTextFormat(Qt::PlainText);
    m_extraVarsError->setWordWrap(true);
    QPalette errorPalette = m_extraVarsError->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xc0, 0x1c, 0x28));
    m_extraVarsError->setPalette(errorPalette);
    m_extraVarsError->hide();

    m_limitEdit = new QLineEdit(this);
    m_limitEdit->setObjectName(QStringLiteral("limitEdit"));
    m_limitEdit->setPlaceholderText(m_template.options.limit.isEmpty() ? tr("all hosts")
                                                                       : m_template.options.limit);
    m_limitEdit->setToolTip(tr("A host pattern that narrows the inventory, such as webservers:!db1. "
                               "Leave empty to keep the template's limit."));
    m_limitEdit->setClearButtonEnabled(true);

    m_verbosityCombo = new QComboBox(this);
    m_verbosityCombo->setObjectName(QStringLiteral("verbosityCombo"));
    const QString levels[] = {tr("Normal"), tr("Verbose"),          tr("More Verbose"),
                              tr("Debug"),  tr("Connection Debug"), tr("WinRM Debug")};
    for (int level = 0; level < 6; ++level)
        m_verbosityCombo->addItem(tr("%1 (%2)").arg(level).arg(levels[level]), level);
    m_verbosityCombo->setCurrentIndex(qBound(0, m_template.options.verbosity, 5));

    m_checkModeBox = new QCheckBox(tr("Check mode (report what would change, change nothing)"), this);
    m_checkModeBox->setObjectName(QStringLiteral("checkModeBox"));
    m_checkModeBox->setChecked(m_template.options.jobType == CheckJobType);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("Template variables:"), templateVars);
    auto *extraVarsField = new QVBoxLayout;
    extraVarsField->addWidget(m_extraVarsEdit, 1);
    extraVarsField->addWidget(m_extraVarsError);
    form->addRow(tr("E&xtra variables:"), extraVarsField);
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(extraVarsField)))
        label->setBuddy(m_extraVarsEdit);
    form->addRow(tr("&Limit:"), m_limitEdit);
    form->addRow(tr("&Verbosity:"), m_verbosityCombo);
    form->addRow(QString(), m_checkModeBox);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Launch"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(description);
    layout->addLayout(form, 1);
    layout->addWidget(m_buttons);

    // Only what the template asks for at launch can be changed (AWX's ask_*_on_launch).
    const QString notAsked = tr("The template does not ask for this at launch.");
    for (auto [widget, asked] : {std::pair<QWidget *, bool>{m_extraVarsEdit, m_template.ask.variables},
                                 {m_limitEdit, m_template.ask.limit},
                                 {m_verbosityCombo, m_template.ask.verbosity},
                                 {m_checkModeBox, m_template.ask.jobType}})
        if (!asked) {
            widget->setEnabled(false);
            widget->setToolTip(notAsked);
        }

    m_validator = new ExtraVarsValidator(this);
    connect(m_validator, &ExtraVarsValidator::settled, this, &LaunchDialog::onChecked);
    connect(m_extraVarsEdit, &QPlainTextEdit::textChanged, this,
            [this] { m_validator->check(m_extraVarsEdit->toPlainText()); });
    m_validator->check(QString(), true);
    m_extraVarsEdit->setFocus();
    resize(560, sizeHint().height());
}

LaunchRequest LaunchDialog::request() const {
    LaunchRequest request;
    request.templateId = m_template.id;
    const QString extraVars = m_extraVarsEdit->toPlainText();
    request.prompts.extraVars = extraVars.trimmed().isEmpty() ? QString() : extraVars;
    const QString limit = m_limitEdit->text().trimmed();
    if (!limit.isEmpty())
        request.prompts.limit = limit;
    const int verbosity = m_verbosityCombo->currentData().toInt();
    if (verbosity != m_template.options.verbosity)
        request.prompts.verbosity = verbosity;
    const QString jobType = m_checkModeBox->isChecked() ? CheckJobType : RunJobType;
    if (jobType != m_template.options.jobType)
        request.prompts.jobType = jobType;
    return request;
}

bool LaunchDialog::extraVarsValid() const {
    return m_validator->isValid();
}

bool LaunchDialog::extraVarsChecked() const {
    return m_validator->isSettled();
}

void LaunchDialog::accept() {
    if (!m_validator->isSettled()) {
        // Launch as soon as the text typed last is known to be valid.
        m_acceptWhenChecked = true;
        m_validator->check(m_extraVarsEdit->toPlainText(), true);
        return;
    }
    if (m_validator->isValid())
        QDialog::accept();
}

void LaunchDialog::onChecked(bool valid, const QString &error) {
    m_extraVarsError->setText(error);
    m_extraVarsError->setVisible(!valid);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(valid);
    if (std::exchange(m_acceptWhenChecked, false) && valid)
        QDialog::accept();
}

} // namespace playdeck

#include "LaunchDialog.h"

#include "model/ExtraVars.h"

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
    templateVars->setText(m_template.extraVars.trimmed().isEmpty() ? tr("(none)")
                                                                   : m_template.extraVars.trimmed());
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
    m_limitEdit->setPlaceholderText(m_template.limit.isEmpty() ? tr("all hosts") : m_template.limit);
    m_limitEdit->setToolTip(tr("A host pattern that narrows the inventory, such as webservers:!db1. "
                               "Leave empty to keep the template's limit."));
    m_limitEdit->setClearButtonEnabled(true);

    m_verbosityCombo = new QComboBox(this);
    m_verbosityCombo->setObjectName(QStringLiteral("verbosityCombo"));
    const QString levels[] = {tr("Normal"), tr("Verbose"),          tr("More Verbose"),
                              tr("Debug"),  tr("Connection Debug"), tr("WinRM Debug")};
    for (int level = 0; level < 6; ++level)
        m_verbosityCombo->addItem(tr("%1 (%2)").arg(level).arg(levels[level]), level);
    m_verbosityCombo->setCurrentIndex(qBound(0, m_template.verbosity, 5));

    m_checkModeBox = new QCheckBox(tr("Check mode (report what would change, change nothing)"), this);
    m_checkModeBox->setObjectName(QStringLiteral("checkModeBox"));
    m_checkModeBox->setChecked(m_template.jobType == CheckJobType);

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

    connect(m_extraVarsEdit, &QPlainTextEdit::textChanged, this, &LaunchDialog::validateExtraVars);
    validateExtraVars();
    m_extraVarsEdit->setFocus();
    resize(560, sizeHint().height());
}

LaunchRequest LaunchDialog::request() const {
    LaunchRequest request;
    request.templateId = m_template.id;
    const QString extraVars = m_extraVarsEdit->toPlainText();
    request.extraVars = extraVars.trimmed().isEmpty() ? QString() : extraVars;
    const QString limit = m_limitEdit->text().trimmed();
    if (!limit.isEmpty())
        request.limit = limit;
    const int verbosity = m_verbosityCombo->currentData().toInt();
    if (verbosity != m_template.verbosity)
        request.verbosity = verbosity;
    const QString jobType = m_checkModeBox->isChecked() ? CheckJobType : RunJobType;
    if (jobType != m_template.jobType)
        request.jobType = jobType;
    return request;
}

void LaunchDialog::accept() {
    validateExtraVars();
    if (m_extraVarsValid)
        QDialog::accept();
}

void LaunchDialog::validateExtraVars() {
    const Result<QJsonObject> parsed = parseExtraVars(m_extraVarsEdit->toPlainText());
    m_extraVarsValid = parsed.ok();
    m_extraVarsError->setText(m_extraVarsValid ? QString() : parsed.error());
    m_extraVarsError->setVisible(!m_extraVarsValid);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_extraVarsValid);
}

} // namespace playdeck

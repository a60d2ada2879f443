#include "JobDetailsPanel.h"

#include "Controller.h"
#include "JobPresentation.h"
#include "db/DbPool.h"
#include "resources/ResourceSchema.h"
#include "services/ResourceService.h"

#include <QCoreApplication>
#include <QFontDatabase>
#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>

namespace playdeck {

namespace {

const char *const kKinds[] = {"project", "inventory", "credential"};

ResourceKind kindOf(const QString &kind) {
    return kind == QLatin1String("project")     ? ResourceKind::Project
           : kind == QLatin1String("inventory") ? ResourceKind::Inventory
                                                : ResourceKind::Credential;
}

QString verbosityText(int level) {
    static const char *const names[] = {QT_TRANSLATE_NOOP("JobDetailsPanel", "Normal"),
                                        QT_TRANSLATE_NOOP("JobDetailsPanel", "Verbose"),
                                        QT_TRANSLATE_NOOP("JobDetailsPanel", "More Verbose"),
                                        QT_TRANSLATE_NOOP("JobDetailsPanel", "Debug"),
                                        QT_TRANSLATE_NOOP("JobDetailsPanel", "Connection Debug"),
                                        QT_TRANSLATE_NOOP("JobDetailsPanel", "WinRM Debug")};
    return QStringLiteral("%1 (%2)").arg(level).arg(
        QCoreApplication::translate("JobDetailsPanel", names[qBound(0, level, 5)]));
}

} // namespace

JobDetailsPanel::JobDetailsPanel(Controller &controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller) {
    setObjectName(QStringLiteral("jobDetails"));
    m_form = new QFormLayout(this);
    m_form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    addRow(QStringLiteral("template"), tr("Template:"));
    addRow(QStringLiteral("launch"), tr("Launched:"));
    addRow(QStringLiteral("project"), tr("Project:"));
    addRow(QStringLiteral("revision"), tr("Revision:"));
    addRow(QStringLiteral("playbook"), tr("Playbook:"));
    addRow(QStringLiteral("inventory"), tr("Inventory:"));
    addRow(QStringLiteral("credentials"), tr("Credentials:"));
    addRow(QStringLiteral("limit"), tr("Limit:"));
    addRow(QStringLiteral("verbosity"), tr("Verbosity:"));
    addRow(QStringLiteral("jobType"), tr("Job type:"));
    addRow(QStringLiteral("tags"), tr("Tags:"));
    addRow(QStringLiteral("skipTags"), tr("Skip tags:"));
    addRow(QStringLiteral("forks"), tr("Forks:"));
    addRow(QStringLiteral("diff"), tr("Diff mode:"));
    m_variables = new QPlainTextEdit;
    m_variables->setObjectName(QStringLiteral("jobVariables"));
    m_variables->setReadOnly(true);
    m_variables->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_variables->setTabChangesFocus(true);
    m_variables->setAccessibleName(tr("Variables the job ran with"));
    m_form->addRow(tr("Variables:"), m_variables);
}

void JobDetailsPanel::addRow(const QString &key, const QString &label) {
    auto *value = new QLabel;
    value->setObjectName(QStringLiteral("detail_") + key);
    value->setTextFormat(Qt::PlainText);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    value->setWordWrap(true);
    value->setAccessibleName(QString(label).remove(QLatin1Char(':')));
    m_form->addRow(label, value);
    m_values.insert(key, value);
}

void JobDetailsPanel::set(const QString &key, const QString &text) {
    m_values.value(key)->setText(text.isEmpty() ? tr("(none)") : text);
}

QString JobDetailsPanel::value(const QString &row) const {
    QLabel *label = m_values.value(row);
    return label ? label->text() : QString();
}

QString JobDetailsPanel::variablesText() const {
    return m_variables->toPlainText();
}

QString JobDetailsPanel::nameOf(const QString &kind, qint64 id) const {
    if (id == 0)
        return {};
    const QString name = m_names.value(kind).value(id);
    return name.isEmpty() ? tr("#%1").arg(id) : name;
}

void JobDetailsPanel::fillNames() {
    // Ids become names once the lists are read; a deleted resource stays "#id".
    m_namesAsked = true;
    for (const char *kind : kKinds) {
        const QString k = QLatin1String(kind);
        whenReady(m_controller.resources().list(kindOf(k)), this, [this, k](Result<QList<QJsonObject>> all) {
            if (!all)
                return;
            for (const QJsonObject &r : all.value())
                m_names[k].insert(r.value(QLatin1String("id")).toInteger(),
                                  r.value(QLatin1String("name")).toString());
            setJob(m_job);
        });
    }
}

void JobDetailsPanel::setJob(const JobDetail &job) {
    m_job = job;
    if (!m_namesAsked)
        fillNames();
    const JobOptions o = job.effectiveOptions();
    set(QStringLiteral("template"), job.kind == QLatin1String("job") ? job.name : QString());
    QString launch = launchTypeText(job.launchType);
    if (job.replayOf)
        launch = tr("%1: job %2 replayed exactly as it ran").arg(launch).arg(job.replayOf);
    else if (job.relaunchOf)
        launch = tr("%1 of job %2").arg(launch).arg(job.relaunchOf);
    set(QStringLiteral("launch"), launch);
    set(QStringLiteral("project"), nameOf(QStringLiteral("project"), o.projectId));
    set(QStringLiteral("revision"), job.scmRevision);
    set(QStringLiteral("playbook"), o.playbook);
    set(QStringLiteral("inventory"), nameOf(QStringLiteral("inventory"), o.inventoryId));
    QStringList credentials;
    for (qint64 id : o.credentialIds)
        credentials << nameOf(QStringLiteral("credential"), id);
    set(QStringLiteral("credentials"), credentials.join(QStringLiteral(", ")));
    set(QStringLiteral("limit"), o.limit.isEmpty() ? tr("all hosts") : o.limit);
    set(QStringLiteral("verbosity"), verbosityText(o.verbosity));
    set(QStringLiteral("jobType"), o.jobType == QLatin1String("check") ? tr("Check") : tr("Run"));
    set(QStringLiteral("tags"), o.jobTags);
    set(QStringLiteral("skipTags"), o.skipTags);
    set(QStringLiteral("forks"), o.forks == 0 ? tr("ansible's default") : QString::number(o.forks));
    set(QStringLiteral("diff"), o.diffMode ? tr("on") : tr("off"));

    // The variables as they were given, each part under its own heading; secret answers hidden.
    QStringList parts;
    if (!job.options.extraVars.trimmed().isEmpty())
        parts << tr("# The template's variables") << job.options.extraVars.trimmed();
    if (!job.launch.extraVars.trimmed().isEmpty())
        parts << tr("# Given at launch") << job.launch.extraVars.trimmed();
    QJsonObject answers = job.launch.surveyAnswers;
    for (const QString &secret : job.launch.secretSurveyVariables)
        answers.insert(secret, QStringLiteral("$encrypted$"));
    if (!answers.isEmpty())
        parts << tr("# Survey and playbook answers")
              << QString::fromUtf8(QJsonDocument(answers).toJson(QJsonDocument::Indented)).trimmed();
    m_variables->setPlainText(parts.isEmpty() ? tr("(none)") : parts.join(QLatin1Char('\n')));
}

} // namespace playdeck

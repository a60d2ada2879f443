#include "ProjectUpdatePlan.h"

#include "PlanFiles.h"
#include "launch/ExtraVars.h"
#include "store/UnifiedJobStore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>

namespace playdeck {

Result<QByteArray> ProjectUpdatePlan::prepare(const RunInput &input, const QString &dir) {
    const ProjectScm &p = input.project;
    const QString home = ProjectStore::directory(input.dataDir, p.id);
    m_jobId = input.job.id;
    m_projectId = p.id;
    m_revisionsDir = home + QStringLiteral("/revisions");
    if (!QDir().mkpath(m_revisionsDir))
        return Status::failure(QObject::tr("Cannot create the project directory %1.").arg(home));
    QDir().mkpath(dir + QStringLiteral("/project"));
    QDir().mkpath(dir + QStringLiteral("/env"));
    QDir().mkpath(dir + QStringLiteral("/inventory"));
    QFile playbook(QStringLiteral(":/playbooks/project_update.yml"));
    if (!playbook.open(QIODevice::ReadOnly))
        return Status::failure(QObject::tr("The project update playbook is missing from this build."));
    if (Status s = writePrivateFile(dir + QStringLiteral("/project/project_update.yml"), playbook.readAll());
        !s)
        return s;
    const QJsonObject inventory{
        {QStringLiteral("all"),
         QJsonObject{
             {QStringLiteral("hosts"),
              QJsonObject{{QStringLiteral("localhost"),
                           QJsonObject{{QStringLiteral("ansible_connection"), QStringLiteral("local")},
                                       {QStringLiteral("ansible_python_interpreter"),
                                        QStringLiteral("{{ ansible_playbook_python }}")}}}}}}}};
    if (Status s = writePrivateFile(dir + QStringLiteral("/inventory/hosts.json"),
                                    QJsonDocument(inventory).toJson());
        !s)
        return s;
    // The operator's values, so never templated: a URL or branch with "{{" in it stays text.
    const QJsonObject vars{{QStringLiteral("scm_url"), p.url},
                           {QStringLiteral("scm_branch"), p.branch},
                           {QStringLiteral("scm_refspec"), p.refspec},
                           {QStringLiteral("scm_clean"), p.clean},
                           {QStringLiteral("scm_delete_on_update"), p.deleteOnUpdate},
                           {QStringLiteral("scm_track_submodules"), p.trackSubmodules},
                           {QStringLiteral("scm_key_file"), QString()},
                           {QStringLiteral("project_cache"), QString(home + QStringLiteral("/checkout"))},
                           {QStringLiteral("revisions_dir"), m_revisionsDir}};
    if (Status s = writePrivateFile(dir + QStringLiteral("/env/extravars"), extraVarsYaml({}, vars)); !s)
        return s;
    if (Status s = writeRunnerSettings(dir, p.timeout); !s)
        return s;
    // git must never wait for a password nobody will type.
    if (Status s = writeRunnerEnvironment(dir, input.job.id,
                                          {{QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0")},
                                           {QStringLiteral("GIT_ASKPASS"), QStringLiteral("/bin/false")},
                                           {QStringLiteral("SSH_ASKPASS"), QStringLiteral("/bin/false")}});
        !s)
        return s;
    return transmitDirectory(dir, {{QStringLiteral("ident"), QString::number(input.job.id)},
                                   {QStringLiteral("playbook"), QStringLiteral("project_update.yml")},
                                   {QStringLiteral("inventory"), QStringLiteral("inventory/hosts.json")}});
}

void ProjectUpdatePlan::onEvent(const QJsonObject &e) {
    // AWX captures the revision from the scm_version fact the update sets.
    if (e.value(QLatin1String("event")).toString() != QLatin1String("runner_on_ok"))
        return;
    const QString version = e.value(QLatin1String("event_data"))
                                .toObject()
                                .value(QLatin1String("res"))
                                .toObject()
                                .value(QLatin1String("ansible_facts"))
                                .toObject()
                                .value(QLatin1String("scm_version"))
                                .toString();
    static const QRegularExpression sha(QStringLiteral("^[0-9a-f]{40}([0-9a-f]{24})?$"));
    if (sha.match(version).hasMatch())
        m_revision = version;
}

Outcome ProjectUpdatePlan::judge(Outcome outcome) const {
    if (outcome.status == JobStatus::Successful && m_revision.isEmpty())
        return {JobStatus::Error,
                QObject::tr("The update ended without saying which revision it checked out."),
                {}};
    if (outcome.status == JobStatus::Successful &&
        !QFileInfo(m_revisionsDir + QLatin1Char('/') + m_revision).isDir())
        return {JobStatus::Error,
                QObject::tr("The update did not leave the tree of revision %1.").arg(m_revision),
                {}};
    return outcome;
}

std::function<Status(QSqlDatabase &)> ProjectUpdatePlan::finalWrites(const Outcome &outcome) const {
    if (outcome.status != JobStatus::Successful)
        return {};
    const qint64 job = m_jobId, project = m_projectId;
    const QString revision = m_revision, tree = m_revisionsDir + QLatin1Char('/') + m_revision;
    return [job, project, revision, tree](QSqlDatabase &db) -> Status {
        if (Status s = ProjectStore(db).recordUpdate(project, revision, tree); !s)
            return s;
        JobUpdate fields;
        fields.scmRevision = revision;
        return UnifiedJobStore(db).update(job, fields, false);
    };
}

} // namespace playdeck

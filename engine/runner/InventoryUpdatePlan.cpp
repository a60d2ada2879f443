#include "InventoryUpdatePlan.h"

#include "PlanFiles.h"
#include "inventory/InventoryContent.h"
#include "launch/ExtraVars.h"
#include "store/UnifiedJobStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace playdeck {

Result<QByteArray> InventoryUpdatePlan::prepare(const RunInput &input, const QString &dir) {
    m_jobId = input.job.id;
    m_source = input.inventorySource;
    // Outside the private data dir, which the worker may not share: the update writes here, the
    // import reads it once the job has succeeded, and the file goes then.
    const QString outputs = input.dataDir + QStringLiteral("/inventory_updates");
    if (!QDir().mkpath(outputs))
        return Status::failure(QObject::tr("Cannot create %1.").arg(outputs));
    m_outputFile = outputs + QStringLiteral("/job_%1.json").arg(input.job.id);
    QFile::remove(m_outputFile);
    if (Status s = writeLocalPlaybook(dir, QStringLiteral("inventory_update.yml")); !s)
        return s;
    const QFileInfo source(m_source.path);
    // The operator's values, never templated.
    const QJsonObject vars{{QStringLiteral("source_path"), m_source.path},
                           {QStringLiteral("source_dir"), source.isDir() ? source.filePath() : source.path()},
                           {QStringLiteral("output_file"), m_outputFile},
                           {QStringLiteral("inventory_verbosity"), m_source.verbosity}};
    if (Status s = writePrivateFile(dir + QStringLiteral("/env/extravars"), extraVarsYaml({}, vars)); !s)
        return s;
    if (Status s = writeRunnerSettings(dir, m_source.timeout); !s)
        return s;
    if (Status s = writeRunnerEnvironment(dir, input.job.id, {}); !s)
        return s;
    return transmitDirectory(dir, {{QStringLiteral("ident"), QString::number(input.job.id)},
                                   {QStringLiteral("playbook"), QStringLiteral("inventory_update.yml")},
                                   {QStringLiteral("inventory"), QStringLiteral("inventory/hosts.json")}});
}

Outcome InventoryUpdatePlan::judge(Outcome outcome) const {
    if (outcome.status == JobStatus::Successful && !QFileInfo::exists(m_outputFile))
        return {JobStatus::Error, QObject::tr("The update ended without what ansible-inventory read."), {}};
    if (outcome.status != JobStatus::Successful)
        QFile::remove(m_outputFile);
    return outcome;
}

std::function<Status(QSqlDatabase &)> InventoryUpdatePlan::finalWrites(const Outcome &outcome) const {
    if (outcome.status != JobStatus::Successful)
        return {};
    const qint64 job = m_jobId;
    const InventorySourceRun source = m_source;
    const QString file = m_outputFile;
    return [job, source, file](QSqlDatabase &db) -> Status {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return Status::failure(QObject::tr("Cannot read %1: %2").arg(file, f.errorString()));
        auto content = parseAnsibleInventoryJson(f.readAll());
        f.close();
        QFile::remove(file);
        if (!content)
            return Status::failure(QObject::tr("What ansible-inventory read from %1 is not an inventory: %2")
                                       .arg(source.path, content.error()));
        auto imported = InventoryStore(db).importContent(source.inventoryId, source.id, content.value(),
                                                         source.overwrite, source.overwriteVars);
        if (!imported)
            return imported.status();
        const InventoryStore::ImportSummary &n = imported.value();
        JobUpdate fields;
        fields.explanation =
            QObject::tr("Hosts: %1 added, %2 updated, %3 removed. Groups: %4 added, %5 updated, "
                        "%6 removed.")
                .arg(n.hostsAdded)
                .arg(n.hostsUpdated)
                .arg(n.hostsRemoved)
                .arg(n.groupsAdded)
                .arg(n.groupsUpdated)
                .arg(n.groupsRemoved);
        return UnifiedJobStore(db).update(job, fields, false);
    };
}

} // namespace playdeck

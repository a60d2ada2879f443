#include "PlanFiles.h"

#include "TransmitStream.h"
#include "ZipArchive.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QSaveFile>

namespace playdeck {

Status writePrivateFile(const QString &path, const QByteArray &content) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.commit())
        return Status::failure(QObject::tr("Cannot write %1: %2").arg(path, file.errorString()));
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    return {};
}

Status writeRunnerSettings(const QString &dir, int timeoutSeconds) {
    const QJsonObject settings{
        {QStringLiteral("job_timeout"), std::max(timeoutSeconds, 0)},
        {QStringLiteral("suppress_ansible_output"), true},
        {QStringLiteral("suppress_output_file"), false},
        // The runner looks at its cancel flag once per pexpect timeout: keep cancel prompt.
        {QStringLiteral("pexpect_timeout"), 0.1},
    };
    return writePrivateFile(dir + QStringLiteral("/env/settings"), QJsonDocument(settings).toJson());
}

Status writeRunnerEnvironment(const QString &dir, qint64 jobId, const QJsonObject &extra) {
    QJsonObject envvars{
        {QStringLiteral("ANSIBLE_FORCE_COLOR"), QStringLiteral("True")},
        {QStringLiteral("ANSIBLE_HOST_KEY_CHECKING"), QStringLiteral("False")},
        {QStringLiteral("ANSIBLE_INVENTORY_UNPARSED_FAILED"), QStringLiteral("True")},
        {QStringLiteral("ANSIBLE_PARAMIKO_RECORD_HOST_KEYS"), QStringLiteral("False")},
        {QStringLiteral("ANSIBLE_RETRY_FILES_ENABLED"), QStringLiteral("False")},
        {QStringLiteral("JOB_ID"), QString::number(jobId)},
        // The callback's own limit would leave a bare {} nobody can tell from an empty result;
        // Playdeck cuts at AWX's MAX_EVENT_RES_DATA itself and marks it (truncateEventRes).
        {QStringLiteral("MAX_EVENT_RES"), QStringLiteral("2000000000")},
        {QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1")},
    };
    for (auto it = extra.begin(); it != extra.end(); ++it)
        envvars.insert(it.key(), it.value());
    return writePrivateFile(dir + QStringLiteral("/env/envvars"), QJsonDocument(envvars).toJson());
}

Result<QByteArray> transmitDirectory(const QString &dir, const QJsonObject &kwargs) {
    auto zip = zipDirectory(dir);
    if (!zip)
        return Status::failure(QObject::tr("Cannot pack the job's files: %1").arg(zip.error()));
    return transmitStream(kwargs, zip.value());
}

Status writeLocalPlaybook(const QString &dir, const QString &name) {
    for (const char *sub : {"/project", "/env", "/inventory"})
        if (!QDir().mkpath(dir + QLatin1String(sub)))
            return Status::failure(QObject::tr("Cannot create %1.").arg(dir + QLatin1String(sub)));
    QFile playbook(QStringLiteral(":/playbooks/") + name);
    if (!playbook.open(QIODevice::ReadOnly))
        return Status::failure(QObject::tr("The playbook %1 is missing from this build.").arg(name));
    if (Status s = writePrivateFile(dir + QStringLiteral("/project/") + name, playbook.readAll()); !s)
        return s;
    const QJsonObject inventory{
        {QStringLiteral("all"),
         QJsonObject{
             {QStringLiteral("hosts"),
              QJsonObject{{QStringLiteral("localhost"),
                           QJsonObject{{QStringLiteral("ansible_connection"), QStringLiteral("local")},
                                       {QStringLiteral("ansible_python_interpreter"),
                                        QStringLiteral("{{ ansible_playbook_python }}")}}}}}}}};
    return writePrivateFile(dir + QStringLiteral("/inventory/hosts.json"), QJsonDocument(inventory).toJson());
}

} // namespace playdeck

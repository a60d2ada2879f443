#include "PlanFiles.h"

#include "TransmitStream.h"
#include "ZipArchive.h"

#include <QFile>
#include <QJsonDocument>
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
        {QStringLiteral("MAX_EVENT_RES"), QStringLiteral("700000")}, // AWX's MAX_EVENT_RES_DATA
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

} // namespace playdeck

#pragma once

#include "core/Result.h"

#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

namespace playdeck {

// Everything a job run needs from the database, read once when the run starts.
struct RunSpec {
    qint64 jobId = 0;
    QString name;
    QString launchType;
    qint64 templateId = 0;
    QString projectPath;
    QString playbook;
    qint64 inventoryId = 0;
    QString inventoryName;
    QJsonObject inventory;    // in the shape of ansible's YAML inventory plugin
    QJsonObject templateVars; // written as they are
    QJsonObject launchVars;   // written !unsafe
    QString limit;
    int forks = 0;
    int verbosity = 0;
    QString jobType;
    QString jobTags;
    QString skipTags;
    int timeout = 0;
    QString executionNode;
    bool cancelRequested = false;
};

[[nodiscard]] Result<RunSpec> loadRunSpec(QSqlDatabase &db, qint64 jobId);

// Builds ansible-runner's private data dir (seed 000): project/ (a copy without .git), inventory/,
// env/extravars (launch-time values !unsafe, plus AWX's awx_*/tower_* variables), env/cmdline,
// env/settings, env/envvars.
[[nodiscard]] Status buildPrivateDataDir(const RunSpec &spec, const QString &directory);

// The kwargs line of the transmit stream.
QJsonObject runnerKwargs(const RunSpec &spec);

// The whole transmit stream `ansible-runner worker` reads on stdin (ARCHITECTURE.md, platform.md):
// the kwargs line, the zip's size line, the base64 zip with no line break after it, then eof.
QByteArray transmitStream(const QJsonObject &kwargs, const QByteArray &zip);

// ansible-playbook options for env/cmdline, shell-quoted as ansible-runner's shlex.split expects.
QString playbookCmdline(const RunSpec &spec);

} // namespace playdeck

#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace playdeck {

// The files every plan writes into a private data dir, the same way.

// A file only its owner can read (extra vars, inventories and settings may hold secrets).
[[nodiscard]] Status writePrivateFile(const QString &path, const QByteArray &content);
// env/settings: the job timeout (0: none), and the runner's output settings Playdeck relies on.
[[nodiscard]] Status writeRunnerSettings(const QString &dir, int timeoutSeconds);
// env/envvars: AWX's base environment for a run, plus `extra`.
[[nodiscard]] Status writeRunnerEnvironment(const QString &dir, qint64 jobId, const QJsonObject &extra);
// One of Playdeck's own playbooks (resources/playbooks/<name>) as the run's project, with an
// inventory of localhost only: how project and inventory updates run on the instance itself.
[[nodiscard]] Status writeLocalPlaybook(const QString &dir, const QString &name);
// The private data dir zipped into the transmit stream with `kwargs`.
[[nodiscard]] Result<QByteArray> transmitDirectory(const QString &dir, const QJsonObject &kwargs);

} // namespace playdeck

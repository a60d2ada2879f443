#pragma once

#include "core/Result.h"

#include <QSqlDatabase>
#include <QString>

namespace playdeck {

struct InstanceInfo {
    qint64 id = 0;
    QString hostname; // <machine>:<pid>, one per Playdeck process
    int capacity = 0;
};

// This process as an AWX instance: capacity from CPUs and memory as AWX computes it
// (reference/awx-engine.md 1.10), a heartbeat, and the reaper for instances that went away.
namespace instances {

inline constexpr int kHeartbeatSeconds = 10;
inline constexpr int kLostAfterSeconds = 30; // three missed heartbeats

int computeCapacity(int cpus, qint64 memoryBytes);
[[nodiscard]] Result<InstanceInfo> registerSelf(QSqlDatabase &db, const QString &nodeType);
// Whether the instance's row was still there to update.
[[nodiscard]] Result<bool> heartbeat(QSqlDatabase &db, qint64 instanceId);
[[nodiscard]] Status reRegister(QSqlDatabase &db, const InstanceInfo &instance);
[[nodiscard]] Status unregister(QSqlDatabase &db, qint64 instanceId);
// Forgets instances of this machine whose process is gone and instances silent too long, and
// ends their waiting/running jobs as `failed` with an explanation. Returns how many jobs it reaped.
// Without `bySilence` only gone processes count: the caller itself was away (suspended, cut off from
// the database) and cannot tell a silent instance from its own absence yet.
[[nodiscard]] Result<int> reapLost(QSqlDatabase &db, bool bySilence = true);
// Whether any instance that takes work is alive (another Playdeck process, say).
[[nodiscard]] Result<bool> anyLiveWorker(QSqlDatabase &db);

} // namespace instances
} // namespace playdeck

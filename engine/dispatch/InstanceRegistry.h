#pragma once

#include "core/Result.h"
#include "store/InstanceStore.h"

#include <QSqlDatabase>
#include <QString>

namespace playdeck {

// This process as an AWX instance: capacity from CPUs and memory as AWX computes it
// (reference/awx-engine.md 1.10), registration, and the reaper for instances that went away.
namespace instances {

// How often instances beat, and how long a silent one is taken for lost. Every instance of a cluster
// must use the same figures (PLAYDECK_HEARTBEAT_SECONDS, PLAYDECK_LOST_AFTER_SECONDS).
struct Timing {
    int heartbeatSeconds = 10;
    int lostAfterSeconds = 30; // three missed heartbeats
};

int computeCapacity(int cpus, qint64 memoryBytes);
QString machineName();
// What makes a pid mean one process: this machine (/etc/machine-id), this boot and this pid
// namespace. Two machines, or two containers, may share a hostname; only a process of the same
// identity can be checked with kill(pid, 0).
QString machineIdentity();
// Instances of this machine identity whose process is gone are marked lost.
[[nodiscard]] Status markGoneLocalInstances(QSqlDatabase &db);
[[nodiscard]] Result<InstanceRow> registerSelf(QSqlDatabase &db, const QString &nodeType);

// AWX's reaper for lost instances: instances of this machine whose process is gone are lost at once,
// others when silent too long (only with `bySilence`: a caller that was away itself cannot tell a
// silent peer from its own absence yet). Their running jobs fail with an explanation; the jobs they
// were sent but never started go back to pending for another instance. Returns how many jobs it
// touched.
[[nodiscard]] Result<int> reapLost(QSqlDatabase &db, const Timing &timing, bool bySilence = true);

} // namespace instances
} // namespace playdeck

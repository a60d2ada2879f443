#pragma once

#include "core/Result.h"

#include <QSqlDatabase>
#include <QString>

namespace playdeck {

// A Playdeck process that takes work, as AWX's Instance.
struct InstanceRow {
    qint64 id = 0;
    QString hostname; // <machine>:<pid>
    int pid = 0;
    int capacity = 0;
};

// All SQL about instances: registration, heartbeats, the lost ones.
class InstanceStore {
public:
    explicit InstanceStore(QSqlDatabase &db)
        : m_db(db) {}

    [[nodiscard]] Result<qint64> registerInstance(const QString &hostname, const QString &machineId,
                                                  const QString &nodeType, int pid, int cpus, qint64 memory,
                                                  int capacity);
    // Our row back under the same id, after another instance took us for lost; `enabled` as it was
    // (an instance that is draining to quit stays disabled).
    [[nodiscard]] Status reRegister(const InstanceRow &instance, const QString &machineId, bool enabled);
    [[nodiscard]] Status unregister(qint64 id);
    // Whether the row was still there (and ready) to update.
    [[nodiscard]] Result<bool> heartbeat(qint64 id);
    // No task manager sends this instance work any more.
    [[nodiscard]] Status disable(qint64 id);

    // Instances whose pids are this machine's (same machine id, boot and pid namespace).
    [[nodiscard]] Result<QList<InstanceRow>> onMachine(const QString &machineId);
    [[nodiscard]] Status markLost(const QList<qint64> &ids);
    // Forgets lost instances, and with `staleToo` those silent for an hour.
    [[nodiscard]] Status forgetLost(bool staleToo);
    // Instances that take work, are enabled and beat within `seconds`, by hostname.
    [[nodiscard]] Result<QList<InstanceRow>> schedulable(int seconds);
    // Whether any enabled instance that takes work beat within `seconds` (one that is draining to quit
    // does not count: it takes no new work).
    [[nodiscard]] Result<bool> anyLiveWorker(int seconds);

private:
    QSqlDatabase &m_db;
};

} // namespace playdeck

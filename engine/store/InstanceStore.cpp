#include "InstanceStore.h"

#include "db/Connections.h"

#include <QUuid>

namespace playdeck {

namespace {
const QString kRowColumns = QStringLiteral("id, hostname, pid, capacity");

Result<QList<InstanceRow>> rows(Result<QSqlQuery> q) {
    if (!q)
        return q.status();
    QList<InstanceRow> out;
    while (q.value().next())
        out.append({q.value().value(0).toLongLong(), q.value().value(1).toString(),
                    q.value().value(2).toInt(), q.value().value(3).toInt()});
    return out;
}
} // namespace

Result<qint64> InstanceStore::registerInstance(const QString &hostname, const QString &machineId,
                                               const QString &nodeType, int pid, int cpus, qint64 memory,
                                               int capacity) {
    auto q =
        exec(m_db,
             QStringLiteral(
                 "INSERT INTO instance (hostname, machine_id, uuid, node_type, version, pid, cpu, memory,"
                 " capacity) VALUES (?, ?, ?::uuid, ?, ?, ?, ?, ?, ?) ON CONFLICT (hostname) DO UPDATE"
                 " SET machine_id = excluded.machine_id, uuid = excluded.uuid,"
                 " node_type = excluded.node_type, last_seen = now(), node_state = 'ready',"
                 " enabled = true, capacity = excluded.capacity RETURNING id"),
             {hostname, machineId, QUuid::createUuid().toString(QUuid::WithoutBraces), nodeType,
              QStringLiteral(PLAYDECK_VERSION), pid, cpus, memory, capacity});
    if (!q)
        return q.status();
    q.value().next();
    return q.value().value(0).toLongLong();
}

Status InstanceStore::reRegister(const InstanceRow &instance, const QString &machineId, bool enabled) {
    (void)exec(m_db, QStringLiteral("DELETE FROM instance WHERE id = ?"), {instance.id});
    return exec(m_db,
                QStringLiteral(
                    "INSERT INTO instance (id, hostname, machine_id, uuid, version, pid, capacity, enabled)"
                    " VALUES (?, ?, ?, gen_random_uuid(), ?, ?, ?, ?)"),
                {instance.id, instance.hostname, machineId, QStringLiteral(PLAYDECK_VERSION), instance.pid,
                 instance.capacity, enabled})
        .status();
}

Status InstanceStore::unregister(qint64 id) {
    return exec(m_db, QStringLiteral("DELETE FROM instance WHERE id = ?"), {id}).status();
}

Result<bool> InstanceStore::heartbeat(qint64 id) {
    auto q = exec(
        m_db, QStringLiteral("UPDATE instance SET last_seen = now() WHERE id = ? AND node_state = 'ready'"),
        {id});
    if (!q)
        return q.status();
    return q.value().numRowsAffected() > 0;
}

Status InstanceStore::disable(qint64 id) {
    return exec(m_db, QStringLiteral("UPDATE instance SET enabled = false WHERE id = ?"), {id}).status();
}

Result<QList<InstanceRow>> InstanceStore::onMachine(const QString &machineId) {
    return rows(exec(m_db, QStringLiteral("SELECT %1 FROM instance WHERE machine_id = ?").arg(kRowColumns),
                     {machineId}));
}

Status InstanceStore::markLost(const QList<qint64> &ids) {
    for (qint64 id : ids)
        if (auto r = exec(m_db, QStringLiteral("UPDATE instance SET node_state = 'lost' WHERE id = ?"), {id});
            !r)
            return r.status();
    return {};
}

Status InstanceStore::forgetLost(bool staleToo) {
    return exec(m_db,
                QStringLiteral("DELETE FROM instance WHERE node_state = 'lost'"
                               " OR (? AND last_seen < now() - interval '1 hour')"),
                {staleToo})
        .status();
}

Result<QList<InstanceRow>> InstanceStore::schedulable(int seconds) {
    return rows(exec(m_db,
                     QStringLiteral("SELECT %1 FROM instance WHERE enabled AND node_state = 'ready'"
                                    " AND node_type IN ('hybrid', 'execution')"
                                    " AND last_seen > now() - make_interval(secs => ?) ORDER BY hostname")
                         .arg(kRowColumns),
                     {seconds}));
}

Result<bool> InstanceStore::anyLiveWorker(int seconds) {
    auto q = exec(
        m_db,
        QStringLiteral("SELECT count(*) FROM instance WHERE enabled AND node_type IN ('hybrid', 'execution')"
                       " AND node_state = 'ready' AND last_seen > now() - make_interval(secs => ?)"),
        {seconds});
    if (!q)
        return q.status();
    q.value().next();
    return q.value().value(0).toInt() > 0;
}

} // namespace playdeck

#include "InstanceRegistry.h"

#include "core/Logging.h"
#include "db/Connections.h"
#include "db/NotifyBus.h"
#include "model/Repository.h"

#include <QFile>
#include <QSysInfo>
#include <QThread>
#include <QUuid>

#include <cerrno>
#include <csignal>
#include <limits>
#include <unistd.h>

namespace playdeck::instances {

namespace {

qint64 totalMemoryBytes() {
    QFile meminfo(QStringLiteral("/proc/meminfo"));
    if (!meminfo.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray first = meminfo.readLine(); // MemTotal:  24576000 kB
    return first.simplified().split(' ').value(1).toLongLong() * 1024;
}

QString machineName() {
    return QSysInfo::machineHostName();
}

} // namespace

int computeCapacity(int cpus, qint64 memoryBytes) {
    // AWX: 4 forks per CPU; 100 MB per fork after keeping 2 GiB for the system; the instance gets
    // the larger of the two (capacity_adjustment 1.0).
    const int cpuCapacity = std::max(1, cpus * 4);
    const qint64 memCapacity = std::max<qint64>(1, (memoryBytes - 2147483648LL) / (1 << 20) / 100);
    return int(std::max<qint64>(cpuCapacity, memCapacity));
}

Result<InstanceInfo> registerSelf(QSqlDatabase &db, const QString &nodeType) {
    InstanceInfo info;
    info.hostname = QStringLiteral("%1:%2").arg(machineName()).arg(::getpid());
    const int cpus = QThread::idealThreadCount();
    const qint64 memory = totalMemoryBytes();
    info.capacity = computeCapacity(cpus, memory);
    auto q = exec(
        db,
        QStringLiteral("INSERT INTO instance (hostname, uuid, node_type, version, pid, cpu, memory, capacity)"
                       " VALUES (?, ?::uuid, ?, ?, ?, ?, ?, ?) ON CONFLICT (hostname) DO UPDATE SET"
                       " uuid = excluded.uuid, node_type = excluded.node_type, last_seen = now(),"
                       " node_state = 'ready', capacity = excluded.capacity RETURNING id"),
        {info.hostname, QUuid::createUuid().toString(QUuid::WithoutBraces), nodeType,
         QStringLiteral(PLAYDECK_VERSION), int(::getpid()), cpus, memory, info.capacity});
    if (!q)
        return q.status();
    q.value().next();
    info.id = q.value().value(0).toLongLong();
    return info;
}

Result<bool> heartbeat(QSqlDatabase &db, qint64 instanceId) {
    auto q = exec(
        db, QStringLiteral("UPDATE instance SET last_seen = now() WHERE id = ? AND node_state = 'ready'"),
        {instanceId});
    if (!q)
        return q.status();
    return q.value().numRowsAffected() > 0;
}

Status reRegister(QSqlDatabase &db, const InstanceInfo &instance) {
    (void)exec(db, QStringLiteral("DELETE FROM instance WHERE id = ?"), {instance.id});
    return exec(db,
                QStringLiteral("INSERT INTO instance (id, hostname, uuid, version, pid, capacity)"
                               " VALUES (?, ?, gen_random_uuid(), ?, ?, ?)"),
                {instance.id, instance.hostname, QStringLiteral(PLAYDECK_VERSION), int(::getpid()),
                 instance.capacity})
        .status();
}

Status unregister(QSqlDatabase &db, qint64 instanceId) {
    return exec(db, QStringLiteral("DELETE FROM instance WHERE id = ?"), {instanceId}).status();
}

Result<int> reapLost(QSqlDatabase &db, bool bySilence) {
    // Processes of this machine that are gone do not need to miss heartbeats to be known lost.
    auto local = exec(db, QStringLiteral("SELECT id, pid FROM instance WHERE hostname LIKE ? || ':%'"),
                      {machineName()});
    if (!local)
        return local.status();
    QVariantList gone;
    while (local.value().next()) {
        const pid_t pid = pid_t(local.value().value(1).toInt());
        if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH)
            gone << local.value().value(0);
    }
    for (const QVariant &id : gone)
        if (auto r = exec(db, QStringLiteral("UPDATE instance SET node_state = 'lost' WHERE id = ?"), {id});
            !r)
            return r.status();

    auto orphans =
        exec(db,
             QStringLiteral("SELECT j.id, j.execution_node FROM unified_job j"
                            " LEFT JOIN instance i ON i.hostname = j.execution_node"
                            " WHERE j.status IN ('waiting', 'running') AND (i.id IS NULL"
                            " OR i.node_state = 'lost' OR i.last_seen < now() - make_interval(secs => ?))"),
             {bySilence ? kLostAfterSeconds : std::numeric_limits<int>::max()});
    if (!orphans)
        return orphans.status();
    QList<std::pair<qint64, QString>> reaped;
    while (orphans.value().next())
        reaped.append({orphans.value().value(0).toLongLong(), orphans.value().value(1).toString()});
    for (const auto &[jobId, node] : reaped) {
        auto r = repo::setJobStatus(
            db, jobId, QStringLiteral("failed"),
            {{QStringLiteral("job_explanation"),
              QObject::tr(
                  "Job was reaped: its Playdeck instance %1 stopped (it exited or crashed) while the job was "
                  "waiting or running.")
                  .arg(node)}},
            {QStringLiteral("waiting"), QStringLiteral("running")});
        if (!r)
            return r.status();
        qCWarning(lcDispatch) << "reaped job" << jobId << "of lost instance" << node;
    }
    if (!reaped.isEmpty())
        (void)repo::notify(db, Channel::Schedule);
    if (auto r = exec(db,
                      QStringLiteral("DELETE FROM instance WHERE node_state = 'lost'"
                                     " OR (? AND last_seen < now() - interval '1 hour')"),
                      {bySilence});
        !r)
        return r.status();
    return int(reaped.size());
}

Result<bool> anyLiveWorker(QSqlDatabase &db) {
    auto q =
        exec(db,
             QStringLiteral("SELECT count(*) FROM instance WHERE node_type IN ('hybrid', 'execution')"
                            " AND node_state = 'ready' AND last_seen > now() - make_interval(secs => ?)"),
             {kLostAfterSeconds});
    if (!q)
        return q.status();
    q.value().next();
    return q.value().value(0).toInt() > 0;
}

} // namespace playdeck::instances

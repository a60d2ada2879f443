#include "TaskManager.h"

#include "SchedulingRules.h"
#include "core/Logging.h"
#include "db/Connections.h"
#include "db/NotifyBus.h"
#include "model/Repository.h"

#include <QElapsedTimer>
#include <QSqlError>
#include <QUuid>

namespace playdeck {

namespace {
constexpr qint64 kTaskManagerLockKey = 0x7461736b6d677200; // "taskmgr"
constexpr int kLiveInstanceSeconds = 30;
} // namespace

TaskManager::TaskManager(DatabaseConfig config, QString controllerNode)
    : m_config(std::move(config))
    , m_controllerNode(std::move(controllerNode))
    , m_connectionName(QStringLiteral("playdeck-task-manager-%1").arg(quintptr(this), 0, 16)) {}

TaskManager::~TaskManager() {
    closeConnection(m_connectionName);
}

void TaskManager::start() {
    m_periodic = new QTimer(this);
    m_periodic->setInterval(kPeriodicIntervalMs);
    connect(m_periodic, &QTimer::timeout, this, &TaskManager::requestRun);
    m_periodic->start();
    requestRun();
}

void TaskManager::stop() {
    m_stopped = true;
    if (m_periodic)
        m_periodic->stop();
    closeConnection(m_connectionName);
}

void TaskManager::requestRun() {
    if (m_runQueued || m_stopped)
        return;
    m_runQueued = true;
    QMetaObject::invokeMethod(this, &TaskManager::run, Qt::QueuedConnection);
}

void TaskManager::run() {
    m_runQueued = false;
    if (m_stopped)
        return;
    QElapsedTimer timer;
    timer.start();
    int started = 0;
    if (!runOnce(started)) {
        // Another process holds the lock, or the database is away: look again shortly.
        QTimer::singleShot(250, this, &TaskManager::requestRun);
        return;
    }
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    qCDebug(lcTaskManager) << "run started" << started << "jobs in" << ms << "ms";
}

bool TaskManager::runOnce(int &started) {
    auto opened = ensureConnection(m_config, m_connectionName);
    if (!opened) {
        qCWarning(lcTaskManager) << opened.error();
        return false;
    }
    QSqlDatabase db = opened.value();
    if (!db.transaction())
        return false;
    auto rollback = [&db](const QString &why) {
        qCWarning(lcTaskManager) << why;
        db.rollback();
        return false;
    };
    auto lock = exec(db, QStringLiteral("SELECT pg_try_advisory_xact_lock(?)"), {kTaskManagerLockKey});
    if (!lock)
        return rollback(lock.error());
    lock.value().next();
    if (!lock.value().value(0).toBool()) {
        db.rollback();
        return false;
    }

    auto activeQuery =
        exec(db, QStringLiteral("SELECT id, status, coalesce(job_template_id, 0), allow_simultaneous,"
                                " task_impact, execution_node, job_explanation FROM unified_job"
                                " WHERE status IN ('pending', 'waiting', 'running')"
                                " ORDER BY created, id"));
    if (!activeQuery)
        return rollback(activeQuery.error());
    QList<ActiveJob> active;
    QHash<qint64, QString> explanations;
    while (activeQuery.value().next()) {
        const QSqlQuery &q = activeQuery.value();
        active.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toLongLong(),
                       q.value(3).toBool(), q.value(4).toInt(), q.value(5).toString()});
        explanations.insert(q.value(0).toLongLong(), q.value(6).toString());
    }

    auto instanceQuery =
        exec(db,
             QStringLiteral("SELECT id, hostname, capacity FROM instance WHERE enabled"
                            " AND node_state = 'ready' AND node_type IN ('hybrid', 'execution')"
                            " AND last_seen > now() - make_interval(secs => ?)"
                            " ORDER BY hostname"),
             {kLiveInstanceSeconds});
    if (!instanceQuery)
        return rollback(instanceQuery.error());
    QList<InstanceCapacity> instances;
    QHash<QString, qint64> instanceIds;
    while (instanceQuery.value().next()) {
        const QSqlQuery &q = instanceQuery.value();
        instances.append({q.value(1).toString(), q.value(2).toInt()});
        instanceIds.insert(q.value(1).toString(), q.value(0).toLongLong());
    }

    const SchedulingPlan plan = planJobs(active, instances);
    for (const StartDecision &decision : plan.start) {
        const QString uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        auto moved = repo::setJobStatus(db, decision.jobId, QStringLiteral("waiting"),
                                        {{QStringLiteral("execution_node"), decision.instance},
                                         {QStringLiteral("controller_node"), m_controllerNode},
                                         {QStringLiteral("dispatch_uuid"), uuid},
                                         {QStringLiteral("job_explanation"), QString()}},
                                        {QStringLiteral("pending")});
        if (!moved)
            return rollback(moved.error());
        if (!moved.value())
            continue;
        const QString message = QStringLiteral("{\"job\":%1,\"uuid\":\"%2\"}").arg(decision.jobId).arg(uuid);
        if (Status s =
                repo::notify(db, Channel::dispatchQueue(instanceIds.value(decision.instance)), message);
            !s)
            return rollback(s.error());
        ++started;
        qCInfo(lcTaskManager) << "job" << decision.jobId << "sent to" << decision.instance;
    }
    for (const BlockedJob &blocked : plan.blocked) {
        if (explanations.value(blocked.jobId) == blocked.reason)
            continue; // write only what changed
        if (Status s = repo::updateJobFields(db, blocked.jobId,
                                             {{QStringLiteral("job_explanation"), blocked.reason}});
            !s)
            return rollback(s.error());
    }
    if (!db.commit())
        return rollback(db.lastError().text());
    return true;
}

} // namespace playdeck

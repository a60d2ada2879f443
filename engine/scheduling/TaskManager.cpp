#include "TaskManager.h"

#include "SchedulingRules.h"
#include "bus/Publisher.h"
#include "core/Logging.h"
#include "db/Connections.h"
#include "db/DbConnection.h"
#include "store/InstanceStore.h"
#include "store/UnifiedJobStore.h"

#include <QElapsedTimer>
#include <QSqlError>
#include <QUuid>

namespace playdeck {

namespace {
constexpr qint64 kTaskManagerLockKey = 0x7461736b6d677200; // "taskmgr"
} // namespace

TaskManager::TaskManager(DatabaseConfig config, QString controllerNode, int liveInstanceSeconds)
    : m_config(std::move(config))
    , m_controllerNode(std::move(controllerNode))
    , m_liveInstanceSeconds(liveInstanceSeconds) {}

TaskManager::~TaskManager() = default;

void TaskManager::start() {
    m_connection = std::make_unique<DbConnection>(m_config, QStringLiteral("task-manager"));
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
    m_connection.reset();
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
    qCDebug(lcTaskManager) << "run started" << started << "jobs in" << double(timer.nsecsElapsed()) / 1e6
                           << "ms";
}

bool TaskManager::runOnce(int &started) {
    auto opened = m_connection->get();
    if (!opened) {
        qCWarning(lcTaskManager) << opened.error();
        return false;
    }
    QSqlDatabase db = opened.value();
    if (!db.transaction()) {
        m_connection->reset();
        return false;
    }
    auto rollback = [&](const QString &why) {
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

    UnifiedJobStore jobs(db);
    auto activeRows = jobs.activeSet();
    if (!activeRows)
        return rollback(activeRows.error());
    QList<ActiveJob> active;
    QHash<qint64, QString> explanations;
    for (const ActiveJobRow &row : activeRows.value()) {
        active.append({row.id, row.status, row.templateId, row.allowSimultaneous, row.impact,
                       row.executionNode, row.projectUpdateOf, row.inventoryUpdateOf});
        explanations.insert(row.id, row.explanation);
    }
    auto instanceRows = InstanceStore(db).schedulable(m_liveInstanceSeconds);
    if (!instanceRows)
        return rollback(instanceRows.error());
    QList<InstanceCapacity> capacity;
    QHash<QString, qint64> instanceIds;
    for (const InstanceRow &row : instanceRows.value()) {
        capacity.append({row.hostname, row.capacity});
        instanceIds.insert(row.hostname, row.id);
    }

    const SchedulingPlan plan = planJobs(active, capacity);
    for (const StartDecision &decision : plan.start) {
        const QString uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        JobTransition t{JobStatus::Waiting, {JobStatus::Pending}, {}, {}};
        t.fields.executionNode = decision.instance;
        t.fields.controllerNode = m_controllerNode;
        t.fields.dispatchUuid = uuid;
        t.fields.explanation = QString();
        auto moved = jobs.transition(decision.jobId, t);
        if (!moved)
            return rollback(moved.error());
        if (!moved.value())
            continue;
        if (Status s = bus::publish(
                db, bus::DispatchJob{instanceIds.value(decision.instance), decision.jobId, uuid});
            !s)
            return rollback(s.error());
        ++started;
        qCInfo(lcTaskManager) << "job" << decision.jobId << "sent to" << decision.instance;
    }
    for (const BlockedJob &blocked : plan.blocked) {
        if (explanations.value(blocked.jobId) == blocked.reason)
            continue; // write only what changed
        JobUpdate fields;
        fields.explanation = blocked.reason;
        if (Status s = jobs.update(blocked.jobId, fields); !s)
            return rollback(s.error());
    }
    if (!db.commit())
        return rollback(db.lastError().text());
    return true;
}

} // namespace playdeck

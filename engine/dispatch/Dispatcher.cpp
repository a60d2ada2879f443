#include "Dispatcher.h"

#include "InstanceRegistry.h"
#include "core/Logging.h"
#include "db/DbConnection.h"
#include "events/CallbackReceiver.h"
#include "runner/RunJob.h"
#include "store/UnifiedJobStore.h"

#include <QDir>

namespace playdeck {

Dispatcher::Dispatcher(DatabaseConfig database, InstanceRow instance,
                       std::shared_ptr<RunJobContext> runContext, QList<CallbackReceiver *> receivers,
                       int workerThreads, instances::Timing timing)
    : m_config(std::move(database))
    , m_instance(std::move(instance))
    , m_runContext(std::move(runContext))
    , m_timing(timing)
    , m_workers(workerThreads) {
    for (CallbackReceiver *r : receivers)
        m_receivers << r;
}

Dispatcher::~Dispatcher() = default;

Result<QSqlDatabase> Dispatcher::database() {
    auto db = m_connection->get();
    if (!db)
        qCWarning(lcDispatch) << db.error();
    return db;
}

void Dispatcher::start() {
    m_connection = std::make_unique<DbConnection>(m_config, QStringLiteral("dispatcher"));
    m_timer = new QTimer(this);
    m_timer->setInterval(m_timing.heartbeatSeconds * 1000);
    connect(m_timer, &QTimer::timeout, this, &Dispatcher::periodic);
    m_timer->start();
    if (auto db = database(); db && !m_runContext->keepJobDirs) // kept for inspection on request
        cleanLeakedJobDirs(db.value());
    periodic();
}

void Dispatcher::periodic() {
    if (m_stopping)
        return;
    auto db = database();
    if (!db)
        return;
    InstanceStore instanceStore(db.value());
    auto beat = instanceStore.heartbeat(m_instance.id);
    if (!beat) {
        qCWarning(lcDispatch) << "heartbeat failed:" << beat.error();
        return;
    }
    // Back from a gap longer than the lost-instance limit (suspend, database outage): the others
    // were silent for us as we were for them. Judge nobody by silence until they could beat again.
    if (m_lastBeat.isValid() && m_lastBeat.elapsed() > m_timing.lostAfterSeconds * 1000)
        m_judgeSilenceFrom.setRemainingTime(m_timing.lostAfterSeconds * 1000);
    m_lastBeat.start();
    if (!beat.value()) {
        // Our row is gone (another instance took us for lost): come back under the same id.
        if (Status s = instanceStore.reRegister(m_instance, instances::machineIdentity(), !m_drainRequested);
            !s)
            qCWarning(lcDispatch) << "cannot register again:" << s.error();
    }
    if (auto reaped = instances::reapLost(db.value(), m_timing, m_judgeSilenceFrom.hasExpired()); !reaped)
        qCWarning(lcDispatch) << "reaper:" << reaped.error();
    checkRunningJobs(db.value());
    reapOrphans(db.value());
    rescan();
}

void Dispatcher::checkRunningJobs(QSqlDatabase &db) {
    // A job of ours that is no longer running here was finished by someone else (we were taken for
    // lost while suspended or cut off): its processes must stop now, not when the playbook ends.
    UnifiedJobStore jobs(db);
    for (auto it = m_runners.begin(); it != m_runners.end(); ++it) {
        RunJob *runner = it.value();
        if (!runner)
            continue;
        auto status = jobs.status(it.key());
        if (status && status.value() && isFinished(*status.value()))
            QMetaObject::invokeMethod(runner, &RunJob::abandon, Qt::QueuedConnection);
    }
}

void Dispatcher::reapOrphans(QSqlDatabase &db) {
    // AWX's own-node reaper: a job marked running here that no runner of ours holds will never end.
    UnifiedJobStore jobs(db);
    auto running = jobs.onNode(m_instance.hostname, JobStatus::Running);
    if (!running)
        return;
    for (qint64 id : running.value()) {
        if (m_runners.contains(id))
            continue;
        JobTransition t{JobStatus::Failed, {JobStatus::Running}, {}, {}};
        t.fields.explanation =
            tr("Task was marked as running but was not present in the job queue, so it has "
               "been marked as failed.");
        t.fields.eventProcessingFinished = true;
        (void)jobs.transition(id, t);
        qCWarning(lcDispatch) << "reaped orphaned job" << id;
    }
}

void Dispatcher::cleanLeakedJobDirs(QSqlDatabase &db) {
    // Private data dirs of jobs that no instance runs any more: left behind by a Playdeck that was
    // killed. A job another live process on this data dir still runs keeps its directory.
    const QDir jobsDir(m_runContext->dataDir + QStringLiteral("/jobs"));
    UnifiedJobStore jobs(db);
    for (const QString &name : jobsDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool numeric = false;
        const qint64 id = name.toLongLong(&numeric);
        if (!numeric)
            continue;
        auto status = jobs.status(id);
        if (!status)
            return; // the database is away: look next time
        if (!status.value() || !isActive(*status.value())) {
            QDir(jobsDir.filePath(name)).removeRecursively();
            qCInfo(lcDispatch) << "removed the leaked directory of job" << id;
        }
    }
}

void Dispatcher::rescan() {
    if (m_stopping)
        return;
    auto db = database();
    if (!db)
        return;
    UnifiedJobStore jobs(db.value());
    if (auto waiting = jobs.onNode(m_instance.hostname, JobStatus::Waiting))
        for (qint64 id : waiting.value())
            runJob(id);
    // A cancel said while the bus was reconnecting is still in the table.
    if (auto canceled = jobs.cancelRequestedOn(m_instance.hostname))
        for (qint64 id : canceled.value())
            onCancel(id);
}

void Dispatcher::stopTakingWork() {
    m_drainRequested = true;
    if (auto db = database())
        (void)InstanceStore(db.value()).disable(m_instance.id);
    Q_EMIT activeJobsChanged(int(m_runners.size()));
}

void Dispatcher::onDispatch(const bus::DispatchJob &message) {
    if (message.instanceId == m_instance.id)
        runJob(message.jobId);
}

void Dispatcher::onCancel(qint64 jobId) {
    if (RunJob *runner = m_runners.value(jobId))
        QMetaObject::invokeMethod(runner, &RunJob::cancel, Qt::QueuedConnection);
}

void Dispatcher::onJobChanged(const bus::JobChanged &message) {
    if (!message.status || !isFinished(*message.status))
        return;
    // Our own runner's final status comes back here too; it ignores abandon() by then.
    if (RunJob *runner = m_runners.value(message.jobId))
        QMetaObject::invokeMethod(runner, &RunJob::abandon, Qt::QueuedConnection);
}

void Dispatcher::runJob(qint64 jobId) {
    if (jobId <= 0 || m_runners.contains(jobId) || m_stopping)
        return;
    auto *runner = new RunJob(m_runContext, jobId);
    m_runners.insert(jobId, runner);
    if (!m_receivers.isEmpty()) {
        CallbackReceiver *receiver = m_receivers.at(qsizetype(jobId % m_receivers.size()));
        connect(runner, &RunJob::eventsReady, receiver, &CallbackReceiver::addEvents);
        connect(runner, &RunJob::streamEnded, receiver, &CallbackReceiver::streamEnded);
    }
    connect(runner, &RunJob::finished, this, [this, runner](qint64 id, bool ran, JobStatus status) {
        m_runners.remove(id);
        m_workers.release(runner);
        runner->deleteLater(); // delivered in the runner's thread
        if (ran)
            Q_EMIT jobFinished(id, status);
        Q_EMIT activeJobsChanged(int(m_runners.size()));
        if (m_stopping && m_runners.isEmpty())
            finishShutdown();
    });
    m_workers.place(runner);
    QMetaObject::invokeMethod(runner, &RunJob::start, Qt::QueuedConnection);
    Q_EMIT activeJobsChanged(int(m_runners.size()));
}

void Dispatcher::shutdown(bool cancelJobs) {
    if (m_stopping)
        return;
    m_stopping = true;
    if (m_timer)
        m_timer->stop();
    stopTakingWork();
    if (m_runners.isEmpty())
        return finishShutdown();
    for (RunJob *runner : std::as_const(m_runners))
        if (runner)
            QMetaObject::invokeMethod(runner, cancelJobs ? &RunJob::cancel : &RunJob::shutdown,
                                      Qt::QueuedConnection);
    // Each runner escalates to killing its worker's tree; this is the backstop for a runner that
    // somehow never reports.
    const int deadline = m_runContext->cancelGraceMs + 2 * (m_runContext->treeGraceMs + 2000) + 10000;
    QTimer::singleShot(deadline, this, [this] {
        if (!m_runners.isEmpty())
            qCCritical(lcDispatch) << m_runners.size() << "jobs did not stop in time; leaving them";
        finishShutdown();
    });
}

void Dispatcher::finishShutdown() {
    if (m_stopped)
        return;
    m_stopped = true;
    if (auto db = database()) {
        // Jobs sent here that never started go back to pending for another instance.
        (void)UnifiedJobStore(db.value()).requeueWaiting(m_instance.hostname);
        // A job whose runner never reported may still have processes (until this process exits and
        // their guard kills them): the instance stays registered, so that its jobs are reaped only
        // once it has gone silent, never while they might run.
        if (m_runners.isEmpty()) {
            // Its jobs' last events first: once the instance is gone, a finished job whose events are
            // not all stored is taken for one whose events were lost with it.
            for (const QPointer<CallbackReceiver> &receiver : std::as_const(m_receivers))
                if (receiver)
                    QMetaObject::invokeMethod(receiver, &CallbackReceiver::storeEverythingNow,
                                              Qt::BlockingQueuedConnection);
            (void)InstanceStore(db.value()).unregister(m_instance.id);
        }
    }
    m_workers.stop();
    m_connection.reset();
    Q_EMIT stopped();
}

} // namespace playdeck

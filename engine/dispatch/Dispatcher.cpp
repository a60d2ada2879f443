#include "Dispatcher.h"

#include "core/Logging.h"
#include "db/Connections.h"
#include "db/NotifyBus.h"
#include "events/CallbackReceiver.h"
#include "model/Repository.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

namespace playdeck {

Dispatcher::Dispatcher(RunnerSettings settings, InstanceInfo instance, CallbackReceiver *receiver)
    : m_settings(std::move(settings))
    , m_instance(std::move(instance))
    , m_receiver(receiver)
    , m_connectionName(QStringLiteral("playdeck-dispatcher-%1").arg(quintptr(this), 0, 16)) {}

Dispatcher::~Dispatcher() {
    closeConnection(m_connectionName);
}

QSqlDatabase Dispatcher::database() {
    auto opened = ensureConnection(m_settings.database, m_connectionName);
    if (!opened)
        qCWarning(lcDispatch) << opened.error();
    return opened ? opened.value() : QSqlDatabase();
}

void Dispatcher::start() {
    m_timer = new QTimer(this);
    m_timer->setInterval(instances::kHeartbeatSeconds * 1000);
    connect(m_timer, &QTimer::timeout, this, &Dispatcher::periodic);
    m_timer->start();
    periodic();
}

void Dispatcher::periodic() {
    QSqlDatabase db = database();
    auto beat = instances::heartbeat(db, m_instance.id);
    if (!beat) {
        qCWarning(lcDispatch) << "heartbeat failed:" << beat.error();
        return;
    }
    // Back from a gap longer than the lost-instance limit (suspend, database outage): the others
    // were silent for us as we were for them. Judge nobody by silence until they could beat again.
    if (m_lastBeat.isValid() && m_lastBeat.elapsed() > instances::kLostAfterSeconds * 1000)
        m_judgeSilenceFrom.setRemainingTime(instances::kLostAfterSeconds * 1000);
    m_lastBeat.start();
    if (!beat.value()) {
        // Our row is gone (another instance thought us lost): come back under the same id.
        if (Status s = instances::reRegister(db, m_instance); !s)
            qCWarning(lcDispatch) << "cannot register again:" << s.error();
    }
    if (auto reaped = instances::reapLost(db, m_judgeSilenceFrom.hasExpired()); !reaped)
        qCWarning(lcDispatch) << "reaper:" << reaped.error();
    reapOrphans(db);
    rescan();
}

void Dispatcher::reapOrphans(QSqlDatabase &db) {
    // AWX's own-node reaper: a job marked running here that no runner of ours holds will never end.
    auto running =
        exec(db, QStringLiteral("SELECT id FROM unified_job WHERE status = 'running' AND execution_node = ?"),
             {m_instance.hostname});
    if (!running)
        return;
    QList<qint64> orphans;
    while (running.value().next())
        if (!m_runners.contains(running.value().value(0).toLongLong()))
            orphans << running.value().value(0).toLongLong();
    for (qint64 id : orphans) {
        (void)repo::setJobStatus(
            db, id, JobStatus::Failed,
            {{QStringLiteral("job_explanation"),
              tr("Task was marked as running but was not present in the job queue, so it has "
                 "been marked as failed.")}},
            {JobStatus::Running});
        qCWarning(lcDispatch) << "reaped orphaned job" << id;
    }
}

void Dispatcher::rescan() {
    if (m_stopping)
        return;
    QSqlDatabase db = database();
    auto waiting =
        exec(db,
             QStringLiteral("SELECT id FROM unified_job WHERE status = 'waiting' AND execution_node = ?"
                            " ORDER BY created"),
             {m_instance.hostname});
    if (!waiting) {
        qCWarning(lcDispatch) << waiting.error();
        return;
    }
    while (waiting.value().next())
        runJob(waiting.value().value(0).toLongLong());
    // A cancel said while the bus was reconnecting is still in the table.
    auto canceled = exec(db,
                         QStringLiteral("SELECT id FROM unified_job WHERE status = 'running' AND cancel_flag"
                                        " AND execution_node = ?"),
                         {m_instance.hostname});
    if (canceled)
        while (canceled.value().next())
            if (JobRunner *runner = m_runners.value(canceled.value().value(0).toLongLong()))
                QMetaObject::invokeMethod(runner, &JobRunner::cancel, Qt::QueuedConnection);
}

int Dispatcher::stopTakingWork() {
    // No task manager may send this instance a job from now on; what was sent before starts now
    // (unless the dispatcher is stopping, when rescan does nothing).
    {
        QSqlDatabase db = database();
        (void)exec(db, QStringLiteral("UPDATE instance SET enabled = false WHERE id = ?"), {m_instance.id});
    }
    rescan();
    return int(m_runners.size());
}

void Dispatcher::onNotification(const QString &channel, const QString &payload) {
    if (m_stopping)
        return;
    const QJsonObject message = QJsonDocument::fromJson(payload.toUtf8()).object();
    if (channel == Channel::dispatchQueue(m_instance.id)) {
        runJob(message.value(QLatin1String("job")).toInteger());
    } else if (channel == Channel::Control && message.contains(QLatin1String("cancel"))) {
        const qint64 jobId = message.value(QLatin1String("cancel")).toInteger();
        if (JobRunner *runner = m_runners.value(jobId))
            QMetaObject::invokeMethod(runner, &JobRunner::cancel, Qt::QueuedConnection);
    }
}

void Dispatcher::runJob(qint64 jobId) {
    if (jobId <= 0 || m_runners.contains(jobId) || m_stopping)
        return;
    auto *thread = new QThread;
    thread->setObjectName(QStringLiteral("job-%1").arg(jobId));
    auto *runner = new JobRunner(m_settings, jobId);
    runner->moveToThread(thread);
    m_runners.insert(jobId, runner);
    m_threads.insert(jobId, thread);
    if (m_receiver) {
        connect(runner, &JobRunner::eventsReady, m_receiver, &CallbackReceiver::addEvents);
        connect(runner, &JobRunner::streamEnded, m_receiver, &CallbackReceiver::streamEnded);
    }
    connect(thread, &QThread::started, runner, &JobRunner::start);
    connect(runner, &JobRunner::finished, this, [this, jobId](qint64, const QString &status) {
        QThread *t = m_threads.take(jobId);
        JobRunner *r = m_runners.take(jobId);
        if (r)
            r->deleteLater(); // thread-safe; delivered in the runner's thread before it finishes
        if (t) {
            connect(t, &QThread::finished, t, &QObject::deleteLater);
            t->quit();
        }
        if (!status.isEmpty())
            Q_EMIT jobFinished(jobId, status);
        Q_EMIT activeJobsChanged(int(m_runners.size()));
    });
    thread->start();
    Q_EMIT activeJobsChanged(int(m_runners.size()));
}

void Dispatcher::stop() {
    m_stopping = true;
    if (m_timer)
        m_timer->stop();
    stopTakingWork();
    // Each runner's cancel ends its job; the runner's own thread then reports and is joined.
    for (auto it = m_runners.begin(); it != m_runners.end(); ++it)
        if (JobRunner *runner = it.value())
            QMetaObject::invokeMethod(runner, &JobRunner::shutdown, Qt::QueuedConnection);
    // Let the runners end their jobs before we go: their `finished` arrives here as a queued call.
    if (!m_threads.isEmpty()) {
        QEventLoop loop;
        connect(this, &Dispatcher::activeJobsChanged, &loop, [&loop](int count) {
            if (count == 0)
                loop.quit();
        });
        QTimer::singleShot(m_settings.cancelGraceMs * 3, &loop, &QEventLoop::quit);
        loop.exec();
    }
    for (QThread *thread : std::as_const(m_threads)) {
        thread->quit();
        if (!thread->wait(2000))
            qCWarning(lcDispatch) << "job thread" << thread->objectName() << "did not stop";
    }
    {
        // Jobs sent here that never started go back to pending for another instance.
        QSqlDatabase db = database();
        auto requeued =
            exec(db,
                 QStringLiteral("UPDATE unified_job SET status = 'pending', execution_node = '',"
                                " controller_node = '' WHERE status = 'waiting' AND execution_node = ?"),
                 {m_instance.hostname});
        if (requeued && requeued.value().numRowsAffected() > 0)
            (void)repo::notify(db, Channel::Schedule);
        (void)instances::unregister(db, m_instance.id);
    }
    closeConnection(m_connectionName);
}

} // namespace playdeck

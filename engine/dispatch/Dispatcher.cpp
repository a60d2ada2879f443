#include "Dispatcher.h"

#include "core/Logging.h"
#include "db/Connections.h"
#include "db/NotifyBus.h"
#include "events/CallbackReceiver.h"
#include "model/Repository.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
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
    if (Status s = instances::heartbeat(db, m_instance.id); !s) {
        qCWarning(lcDispatch) << "heartbeat failed:" << s.error();
        closeConnection(m_connectionName);
        return;
    }
    if (auto reaped = instances::reapLost(db); !reaped)
        qCWarning(lcDispatch) << "reaper:" << reaped.error();
    rescan();
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
            QMetaObject::invokeMethod(r, &QObject::deleteLater, Qt::QueuedConnection);
        if (t) {
            connect(t, &QThread::finished, t, &QObject::deleteLater);
            t->quit();
        }
        if (!status.isEmpty())
            Q_EMIT jobFinished(jobId, status);
        Q_EMIT activeJobsChanged(int(m_runners.size()));
    });
    thread->start();
    Q_EMIT jobStarted(jobId);
    Q_EMIT activeJobsChanged(int(m_runners.size()));
}

void Dispatcher::stop() {
    m_stopping = true;
    if (m_timer)
        m_timer->stop();
    // Each runner's cancel ends its job; the runner's own thread then reports and is joined.
    for (auto it = m_runners.begin(); it != m_runners.end(); ++it)
        if (JobRunner *runner = it.value())
            QMetaObject::invokeMethod(runner, &JobRunner::shutdown, Qt::QueuedConnection);
    // Let the runners end their jobs before we go: their `finished` arrives here as a queued call.
    const QDeadlineTimer deadline(m_settings.cancelGraceMs * 3);
    while (!m_threads.isEmpty() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    for (QThread *thread : std::as_const(m_threads)) {
        thread->quit();
        if (!thread->wait(2000))
            qCWarning(lcDispatch) << "job thread" << thread->objectName() << "did not stop";
    }
    {
        QSqlDatabase db = database();
        (void)instances::unregister(db, m_instance.id);
    }
    closeConnection(m_connectionName);
}

} // namespace playdeck

#include "Engine.h"

#include "core/Logging.h"
#include "db/Connections.h"
#include "db/DbWorker.h"
#include "db/EmbeddedCluster.h"
#include "db/Migrations.h"
#include "db/NotifyBus.h"
#include "dispatch/Dispatcher.h"
#include "events/CallbackReceiver.h"
#include "model/DemoContent.h"
#include "scheduling/TaskManager.h"

#include <QDir>
#include <QTimer>

namespace playdeck {

Engine::Engine(EngineOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options)) {
    qRegisterMetaType<JobEvent>();
    qRegisterMetaType<QList<JobEvent>>();
}

Engine::~Engine() {
    stop();
}

template <typename T> T *Engine::startInThread(T *worker, QThread &thread, const QString &name) {
    thread.setObjectName(name);
    worker->moveToThread(&thread);
    connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
    thread.start();
    QMetaObject::invokeMethod(worker, "start", Qt::QueuedConnection);
    return worker;
}

Status Engine::start() {
    if (!QDir().mkpath(m_options.dataDir))
        return Status::failure(
            tr("The data directory %1 cannot be created. Choose another one with --data-dir or "
               "PLAYDECK_DATA_DIR.")
                .arg(m_options.dataDir));
    if (m_options.databaseUrl.isEmpty()) {
        m_cluster = std::make_unique<EmbeddedCluster>(m_options.dataDir);
        if (Status s = m_cluster->start(); !s)
            return s;
        m_database = m_cluster->config();
        connect(m_cluster.get(), &EmbeddedCluster::serverDied, this, [this](const QString &message) {
            qCCritical(lcCluster) << message;
            Q_EMIT databaseProblem(message);
            restartCluster();
        });
    } else {
        auto config = DatabaseConfig::fromUrl(m_options.databaseUrl);
        if (!config)
            return config.status();
        m_database = config.value();
    }

    // Set-up runs on a connection of its own, closed before the threads start.
    const QString setupName = QStringLiteral("playdeck-setup");
    {
        auto db = openConnection(m_database, setupName);
        if (!db)
            return db.status();
        if (Status s = Migrations::apply(db.value()); !s)
            return s;
        if (m_options.seedDemo) {
            if (Status s = seedDemoContent(db.value(), m_options.dataDir); !s)
                return s;
        }
        bool runJobs = m_options.runJobs == EngineOptions::RunJobs::Always;
        if (m_options.runJobs == EngineOptions::RunJobs::IfNoOtherWorker) {
            if (auto reaped = instances::reapLost(db.value()); !reaped)
                return reaped.status();
            auto other = instances::anyLiveWorker(db.value());
            if (!other)
                return other.status();
            runJobs = !other.value();
        }
        if (runJobs) {
            if (auto reaped = instances::reapLost(db.value()); !reaped)
                return reaped.status();
            auto registered = instances::registerSelf(db.value(), QStringLiteral("hybrid"));
            if (!registered)
                return registered.status();
            m_instance = registered.value();
        }
    }
    closeConnection(setupName);

    m_queries = std::make_shared<DbWorker>(m_database, QStringLiteral("controller-db"));
    m_controller = std::make_unique<Controller>(m_queries);

    QStringList channels{Channel::Schedule, Channel::JobStatus, Channel::Events, Channel::Control,
                         Channel::Templates};
    const bool runJobs = m_instance.id != 0;
    if (runJobs)
        channels << Channel::dispatchQueue(m_instance.id);
    m_bus = new NotifyBus(m_database, channels);
    m_controller->attachBus(m_bus);

    if (runJobs) {
        m_receiver = startInThread(new CallbackReceiver(m_database), m_receiverThread,
                                   QStringLiteral("callback-receiver"));
        RunnerSettings runner{m_database, m_options.dataDir, m_options.runnerProgram, m_options.keepJobDirs,
                              m_options.cancelGraceMs};
        m_dispatcher = startInThread(new Dispatcher(runner, m_instance, m_receiver), m_dispatcherThread,
                                     QStringLiteral("dispatcher"));
        m_taskManager = startInThread(new TaskManager(m_database, m_instance.hostname), m_taskManagerThread,
                                      QStringLiteral("task-manager"));
        TaskManager *tm = m_taskManager;
        connect(m_bus, &NotifyBus::notification, tm, [tm](const QString &channel, const QString &) {
            if (channel == Channel::Schedule)
                tm->requestRun();
        });
        connect(m_bus, &NotifyBus::notification, m_dispatcher, &Dispatcher::onNotification);
        connect(m_bus, &NotifyBus::reconnected, m_dispatcher, &Dispatcher::rescan);
        connect(m_bus, &NotifyBus::reconnected, tm, &TaskManager::requestRun);
        connect(m_dispatcher, &Dispatcher::jobFinished, this, &Engine::jobFinished);
        connect(m_dispatcher, &Dispatcher::activeJobsChanged, this, [this](int count) {
            if (count == 0 && m_drained)
                std::exchange(m_drained, {})();
        });
    }
    connect(m_bus, &NotifyBus::connectionLost, this, &Engine::databaseProblem);
    startInThread(m_bus, m_busThread, QStringLiteral("bus"));
    m_started = true;
    qCInfo(lcController) << "engine started; database" << m_database.describe() << "instance"
                         << m_instance.hostname;
    return {};
}

void Engine::restartCluster() {
    // Bring the server back; the bus, receiver and workers reconnect on their own. Right after a
    // crash the old server's backends may still hold its shared memory, so keep trying.
    if (!m_started || !m_cluster)
        return;
    if (Status s = m_cluster->start(); !s) {
        qCWarning(lcCluster) << "restarting PostgreSQL failed, trying again in 1 s:" << s.error();
        QTimer::singleShot(1000, this, &Engine::restartCluster);
    }
}

void Engine::drain(std::function<void()> done) {
    if (!m_dispatcher) {
        done();
        return;
    }
    int active = 0;
    QMetaObject::invokeMethod(m_dispatcher, &Dispatcher::stopTakingWork, Qt::BlockingQueuedConnection,
                              &active);
    if (active == 0)
        done();
    else
        m_drained = std::move(done);
}

void Engine::stop() {
    if (!m_started)
        return;
    m_started = false;
    // Reverse order of start: stop taking work, finish running jobs, store the last events.
    if (m_taskManager)
        QMetaObject::invokeMethod(m_taskManager, &TaskManager::stop, Qt::BlockingQueuedConnection);
    if (m_dispatcher)
        QMetaObject::invokeMethod(m_dispatcher, &Dispatcher::stop, Qt::BlockingQueuedConnection);
    if (m_receiver)
        QMetaObject::invokeMethod(m_receiver, &CallbackReceiver::stop, Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(m_bus, &NotifyBus::stop, Qt::BlockingQueuedConnection);
    for (QThread *thread : {&m_taskManagerThread, &m_dispatcherThread, &m_receiverThread, &m_busThread}) {
        thread->quit();
        thread->wait();
    }
    m_taskManager = nullptr;
    m_dispatcher = nullptr;
    m_receiver = nullptr;
    m_bus = nullptr;
    m_controller.reset();
    m_queries.reset();
    if (m_cluster)
        m_cluster->stop();
    qCInfo(lcController) << "engine stopped";
}

} // namespace playdeck

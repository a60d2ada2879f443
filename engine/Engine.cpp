#include "Engine.h"

#include "api/EventSocketServer.h"

#include "bus/NotifyBus.h"
#include "core/Logging.h"
#include "db/ClusterKeeper.h"
#include "db/DbConnection.h"
#include "db/DbPool.h"
#include "db/HelperProgram.h"
#include "db/Migrations.h"
#include "dispatch/Dispatcher.h"
#include "dispatch/InstanceRegistry.h"
#include "events/CallbackReceiver.h"
#include "events/EventBacklog.h"
#include "model/DemoContent.h"
#include "runner/LocalTransport.h"
#include "runner/RunJob.h"
#include "scheduling/TaskManager.h"
#include "secrets/SecretStore.h"
#include "services/AwxService.h"
#include "services/CredentialService.h"
#include "services/DashboardService.h"
#include "services/InventoryService.h"
#include "services/JobService.h"
#include "services/ResourceService.h"
#include "services/TemplateService.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QTimer>

namespace playdeck {

struct Engine::Setup {
    bool runJobs = false;
    InstanceRow instance;
};

namespace {

// The worker's environment: this process's, less Playdeck's own settings (a database URL with its
// password, say): the worker passes it on to ansible-playbook, and facts and job_env show it.
QProcessEnvironment workerEnvironment() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys())
        if (key.startsWith(QLatin1String("PLAYDECK_")) || key.startsWith(QLatin1String("PG")))
            env.remove(key);
    return env;
}

} // namespace

Engine::Engine(EngineOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_queries(std::make_unique<DbPool>(QStringLiteral("queries"), 3))
    , m_jobState(std::make_unique<DbPool>(QStringLiteral("job-state"), 2))
    , m_backlog(std::make_unique<EventBacklog>())
    , m_secrets(new SecretStore)
    , m_jobService(std::make_unique<JobService>(*m_queries, *m_secrets, m_options.timing.lostAfterSeconds))
    , m_templateService(std::make_unique<TemplateService>(*m_queries))
    , m_resourceService(std::make_unique<ResourceService>(*m_queries))
    , m_credentialService(std::make_unique<CredentialService>(*m_queries, *m_secrets))
    , m_inventoryService(std::make_unique<InventoryService>(*m_queries, *m_secrets))
    , m_awxService(std::make_unique<AwxService>(*m_queries))
    , m_dashboardService(std::make_unique<DashboardService>(*m_queries))
    , m_controller(std::make_unique<Controller>(
          Controller::Services{*m_jobService, *m_templateService, *m_resourceService, *m_credentialService,
                               *m_inventoryService, *m_awxService, *m_dashboardService})) {
    // The keychain's D-Bus calls and ansible-inventory wait in their own thread, never in the window's.
    m_servicesThread.setObjectName(QStringLiteral("services"));
    m_secrets->moveToThread(&m_servicesThread);
    connect(&m_servicesThread, &QThread::finished, m_secrets, &QObject::deleteLater);
    m_servicesThread.start();
    qRegisterMetaType<JobEvent>();
    qRegisterMetaType<QList<JobEvent>>();
    qRegisterMetaType<JobStatus>();
    qRegisterMetaType<Status>();
    qRegisterMetaType<ResourceKind>();
}

Engine::~Engine() {
    if (m_state == State::Running || m_state == State::Stopping || m_state == State::Starting) {
        // Only when the owner did not stop the engine first (a test, an early exit): finish it here.
        QEventLoop loop;
        connect(this, &Engine::stopped, &loop, &QEventLoop::quit);
        connect(this, &Engine::started, &loop, [this] { stop(); });
        connect(this, &Engine::started, &loop, [&loop, this] {
            if (m_state == State::Stopped)
                loop.quit();
        });
        if (m_state == State::Running)
            stop();
        if (m_state != State::Stopped)
            loop.exec();
    }
    m_clusterThread.wait(); // a failed start leaves the cluster in the background
    m_servicesThread.quit();
    m_servicesThread.wait();
}

template <typename T> T *Engine::startInThread(T *worker, QThread &thread, const QString &name) {
    thread.setObjectName(name);
    worker->moveToThread(&thread);
    connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
    thread.start();
    QMetaObject::invokeMethod(worker, "start", Qt::QueuedConnection);
    return worker;
}

void Engine::fail(const QString &message) {
    // Said to the user by whoever started the engine (a dialog, the command line); the log keeps it.
    qCInfo(lcController) << "the engine cannot start:" << message;
    m_state = State::Stopped;
    m_controller->setEngineState(Controller::EngineState::Failed, message);
    leaveCluster([] {});
    Q_EMIT started(Status::failure(message));
}

void Engine::leaveCluster(std::function<void()> then) {
    ClusterKeeper *keeper = std::exchange(m_keeper, nullptr); // deleted when its thread has finished
    if (!m_clusterThread.isRunning())
        return then();
    // The keeper may be busy bringing a lost server back (seconds): wait for it in its own thread,
    // never here.
    connect(&m_clusterThread, &QThread::finished, this, std::move(then), Qt::SingleShotConnection);
    auto *context = new QObject;
    context->moveToThread(&m_clusterThread);
    QMetaObject::invokeMethod(context, [context, keeper] {
        if (keeper)
            keeper->leave(); // the supervisor stops the server if this was its last user
        delete context;
        QThread::currentThread()->quit();
    });
}

void Engine::start() {
    if (m_state != State::Idle)
        return;
    m_state = State::Starting;
    m_controller->setEngineState(Controller::EngineState::Starting, tr("Starting the database…"));
    // Private things (the log, job dirs with their secrets) stay the user's own.
    if (!QDir().mkpath(m_options.dataDir)) {
        const QString message =
            tr("The data directory %1 cannot be created. Choose another one with --data-dir or "
               "PLAYDECK_DATA_DIR.")
                .arg(m_options.dataDir);
        QTimer::singleShot(0, this, [this, message] { fail(message); });
        return;
    }
    QFile::setPermissions(m_options.dataDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    m_clusterThread.setObjectName(QStringLiteral("cluster"));
    m_clusterThread.start();
    if (m_options.databaseUrl.isEmpty()) {
        m_keeper = new ClusterKeeper(m_options.dataDir);
        m_keeper->moveToThread(&m_clusterThread);
        connect(&m_clusterThread, &QThread::finished, m_keeper, &QObject::deleteLater);
        connect(m_keeper, &ClusterKeeper::ready, this,
                [this](const DatabaseConfig &config, const QString &clusterDir) {
                    m_clusterDir = clusterDir;
                    onDatabaseReady(config);
                });
        connect(m_keeper, &ClusterKeeper::failed, this, &Engine::fail);
        connect(m_keeper, &ClusterKeeper::serverLost, this, &Engine::databaseProblem);
        connect(m_keeper, &ClusterKeeper::serverBack, this, &Engine::databaseBack);
        QMetaObject::invokeMethod(m_keeper, &ClusterKeeper::start, Qt::QueuedConnection);
        return;
    }
    auto config = DatabaseConfig::fromUrl(m_options.databaseUrl);
    if (!config) {
        QTimer::singleShot(0, this, [this, message = config.error()] { fail(message); });
        return;
    }
    QTimer::singleShot(0, this, [this, c = config.value()] { onDatabaseReady(c); });
}

void Engine::onDatabaseReady(const DatabaseConfig &config) {
    m_database = config;
    const EngineOptions options = m_options;
    // Schema, demo content and registration: blocking work, in the cluster thread.
    auto *context = new QObject;
    context->moveToThread(&m_clusterThread);
    QMetaObject::invokeMethod(context, [this, context, config, options] {
        Result<Setup> result = [&]() -> Result<Setup> {
            DbConnection connection(config, QStringLiteral("setup"));
            auto db = connection.get();
            if (!db)
                return db.status();
            if (Status s = Migrations::apply(db.value()); !s)
                return s;
            if (options.seedDemo)
                if (Status s = seedDemoContent(db.value(), options.dataDir); !s)
                    return s;
            // A Playdeck of this machine that died left its jobs running: any command that looks at
            // the database settles them, not only the next one that takes work.
            if (auto reaped = instances::reapLost(db.value(), options.timing, false); !reaped)
                return reaped.status();
            Setup setup;
            setup.runJobs = options.runJobs == EngineOptions::RunJobs::Always;
            if (options.runJobs == EngineOptions::RunJobs::IfNoOtherWorker) {
                auto other = InstanceStore(db.value()).anyLiveWorker(options.timing.lostAfterSeconds);
                if (!other)
                    return other.status();
                setup.runJobs = !other.value();
            }
            if (setup.runJobs) {
                auto registered = instances::registerSelf(db.value(), QStringLiteral("hybrid"));
                if (!registered)
                    return registered.status();
                setup.instance = registered.value();
            }
            return setup;
        }();
        QMetaObject::invokeMethod(
            this, [this, result] { onSetupDone(result); }, Qt::QueuedConnection);
        context->deleteLater();
    });
}

void Engine::onSetupDone(const Result<Setup> &setup) {
    if (!setup)
        return fail(setup.error());
    m_instance = setup.value().instance;
    m_queries->start(m_database);
    m_jobState->start(m_database);
    startThreads();
    m_state = State::Running;
    m_controller->setInstanceId(m_instance.id);
    m_controller->setEngineState(Controller::EngineState::Ready, {});
    qCInfo(lcController) << "engine started; database" << m_database.describe() << "instance"
                         << m_instance.hostname;
    Q_EMIT started(Status());
}

void Engine::startThreads() {
    QStringList channels = bus::broadcastChannels();
    const bool runJobs = m_instance.id != 0;
    if (runJobs)
        channels << bus::dispatchChannel(m_instance.id);
    m_bus = new NotifyBus(m_database, channels);
    m_controller->attachBus(m_bus);
    connect(m_bus, &NotifyBus::connectionLost, this, &Engine::databaseProblem);

    if (runJobs) {
        for (int i = 0; i < std::max(1, m_options.eventWriters); ++i) {
            m_receiverThreads.push_back(std::make_unique<QThread>());
            CallbackReceiver *receiver =
                startInThread(new CallbackReceiver(m_database, m_backlog.get(), m_options.eventDelayReportMs),
                              *m_receiverThreads.back(), QStringLiteral("callback-receiver-%1").arg(i));
            connect(receiver, &CallbackReceiver::storingDelayed, this, &Engine::databaseProblem);
            connect(receiver, &CallbackReceiver::storingResumed, this, &Engine::databaseBack);
            m_receivers << receiver;
        }
        auto context = std::make_shared<RunJobContext>();
        context->jobState = m_jobState.get();
        context->backlog = m_backlog.get();
        context->dataDir = m_options.dataDir;
        context->instanceHostname = m_instance.hostname;
        context->keepJobDirs = m_options.keepJobDirs;
        context->cancelGraceMs = m_options.cancelGraceMs;
        context->treeGraceMs = m_options.treeGraceMs;
        context->redactor.addSecret(m_database.password);
        context->secrets = m_secrets;
        if (m_options.transport) {
            context->transport = m_options.transport;
        } else {
            LocalTransportSettings local;
            local.helperProgram = helperProgram();
            local.runnerProgram = m_options.runnerProgram;
            local.treeGraceMs = m_options.treeGraceMs;
            context->transport = [local](const RunInput &, const QString &privateDir) {
                LocalTransportSettings s = local;
                s.workingDirectory = privateDir;
                s.environment = workerEnvironment(); // as the process has it now
                return std::unique_ptr<WorkerTransport>(std::make_unique<LocalTransport>(s));
            };
        }
        m_dispatcher = startInThread(new Dispatcher(m_database, m_instance, context, m_receivers,
                                                    m_options.jobWorkerThreads, m_options.timing),
                                     m_dispatcherThread, QStringLiteral("dispatcher"));
        m_taskManager =
            startInThread(new TaskManager(m_database, m_instance.hostname, m_options.timing.lostAfterSeconds),
                          m_taskManagerThread, QStringLiteral("task-manager"));
        connect(m_bus, &NotifyBus::scheduleRequested, m_taskManager, &TaskManager::requestRun);
        connect(m_bus, &NotifyBus::resynced, m_taskManager, &TaskManager::requestRun);
        connect(m_bus, &NotifyBus::dispatchRequested, m_dispatcher, &Dispatcher::onDispatch);
        connect(m_bus, &NotifyBus::cancelRequested, m_dispatcher, &Dispatcher::onCancel);
        connect(m_bus, &NotifyBus::jobChanged, m_dispatcher, &Dispatcher::onJobChanged);
        connect(m_bus, &NotifyBus::resynced, m_dispatcher, &Dispatcher::rescan);
        connect(m_dispatcher, &Dispatcher::jobFinished, this, &Engine::jobFinished);
        connect(m_dispatcher, &Dispatcher::activeJobsChanged, this, [this](int count) {
            m_activeJobs = count;
            m_controller->setActiveJobsHere(count);
            Q_EMIT activeJobsChanged(count);
            if (count == 0 && m_drained)
                std::exchange(m_drained, {})();
        });
        connect(m_dispatcher, &Dispatcher::stopped, this, [this] {
            // Each receiver stores what it holds; the engine stops once the last of them is done.
            auto left = std::make_shared<int>(int(m_receivers.size()));
            if (*left == 0)
                return finishStop();
            for (CallbackReceiver *receiver : std::as_const(m_receivers))
                QMetaObject::invokeMethod(receiver, [this, receiver, left] {
                    receiver->stop();
                    QMetaObject::invokeMethod(
                        this,
                        [this, left] {
                            if (--*left == 0)
                                finishStop();
                        },
                        Qt::QueuedConnection);
                });
        });
    }
    startWebSocket();
    startInThread(m_bus, m_busThread, QStringLiteral("bus"));
}

void Engine::startWebSocket() {
    if (!m_options.webSocket.enabled)
        return;
    m_socketServer = startInThread(new EventSocketServer(m_database, m_options.webSocket), m_apiThread,
                                   QStringLiteral("api"));
    connect(m_bus, &NotifyBus::eventsCommitted, m_socketServer, &EventSocketServer::onEventsCommitted);
    connect(m_bus, &NotifyBus::jobChanged, m_socketServer, &EventSocketServer::onJobChanged);
    connect(m_bus, &NotifyBus::resynced, m_socketServer, &EventSocketServer::onResynced);
    connect(m_socketServer, &EventSocketServer::listening, this, &Engine::webSocketListening);
    connect(m_socketServer, &EventSocketServer::failedToListen, this, &Engine::webSocketFailed);
}

void Engine::setWebSocket(const EventSocketSettings &settings) {
    m_options.webSocket = settings;
    if (m_state != State::Running)
        return; // starting: the threads start with these; stopping: nothing to serve
    if (EventSocketServer *old = std::exchange(m_socketServer, nullptr)) {
        // Its port must be free before the next one binds it.
        QMetaObject::invokeMethod(old, &EventSocketServer::stop, Qt::BlockingQueuedConnection);
        old->deleteLater(); // in its own thread
    }
    startWebSocket();
}

void Engine::drain(std::function<void()> done) {
    if (!m_dispatcher || m_state != State::Running) {
        done();
        return;
    }
    m_drained = std::move(done);
    QMetaObject::invokeMethod(m_dispatcher, &Dispatcher::stopTakingWork, Qt::QueuedConnection);
}

void Engine::stop(bool cancelJobs) {
    switch (m_state) {
    case State::Idle:
    case State::Stopped:
        m_state = State::Stopped;
        QTimer::singleShot(0, this, &Engine::stopped);
        return;
    case State::Starting:
        // Stopped as soon as it has started.
        connect(
            this, &Engine::started, this, [this, cancelJobs] { stop(cancelJobs); }, Qt::SingleShotConnection);
        return;
    case State::Stopping:
        return;
    case State::Running:
        break;
    }
    m_state = State::Stopping;
    m_controller->setEngineState(Controller::EngineState::Stopping, tr("Stopping…"));
    // Reverse order of start: stop taking work, end running jobs, store the last events.
    if (m_taskManager)
        QMetaObject::invokeMethod(m_taskManager, &TaskManager::stop, Qt::QueuedConnection);
    if (m_dispatcher)
        QMetaObject::invokeMethod(
            m_dispatcher, [d = m_dispatcher, cancelJobs] { d->shutdown(cancelJobs); }, Qt::QueuedConnection);
    else
        QTimer::singleShot(0, this, &Engine::finishStop);
}

quint16 Engine::webSocketPort() const {
    return m_socketServer ? m_socketServer->port() : 0;
}

void Engine::finishStop() {
    if (m_state != State::Stopping)
        return;
    if (m_bus) {
        NotifyBus *bus = m_bus;
        QMetaObject::invokeMethod(bus, [bus] {
            bus->stop();
            QThread::currentThread()->quit();
        });
    }
    // Each thread has only its own stop left to run (the workers close their connections in their
    // own threads as they are deleted): joining them is quick.
    if (m_socketServer)
        QMetaObject::invokeMethod(m_socketServer, &EventSocketServer::stop, Qt::BlockingQueuedConnection);
    QList<QThread *> threads{&m_taskManagerThread, &m_dispatcherThread, &m_apiThread};
    for (const auto &thread : m_receiverThreads)
        threads << thread.get();
    for (QThread *thread : threads) {
        thread->quit();
        thread->wait();
    }
    m_busThread.wait();
    m_taskManager = nullptr;
    m_dispatcher = nullptr;
    m_receivers.clear();
    m_socketServer = nullptr;
    m_bus = nullptr;
    m_queries->stop();
    m_jobState->stop();
    leaveCluster([this] {
        m_clusterThread.wait(); // it has finished: returns at once
        m_state = State::Stopped;
        qCInfo(lcController) << "engine stopped";
        Q_EMIT stopped();
    });
}

} // namespace playdeck

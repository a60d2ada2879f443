#pragma once

#include "api/EventSocketSettings.h"

#include "Controller.h"
#include "core/Result.h"
#include "db/DatabaseConfig.h"
#include "dispatch/InstanceRegistry.h"
#include "store/InstanceStore.h"

#include <QObject>
#include <QThread>

#include <functional>
#include <memory>
#include <vector>

namespace playdeck {

class AwxService;
class CallbackReceiver;
class EventSocketServer;
class CredentialService;
class DashboardService;
class ClusterKeeper;
class DbPool;
class Dispatcher;
class EventBacklog;
class InventoryService;
class JobService;
class NotifyBus;
class ResourceService;
class SecretStore;
class TaskManager;
class TemplateService;
class WorkerTransport;
struct RunInput;

struct EngineOptions {
    QString dataDir;
    QString databaseUrl; // empty: the embedded cluster under dataDir
    // Whether this process runs the task manager, dispatcher and callback receiver. A short-lived
    // command-line process runs them only when no other Playdeck process does.
    enum class RunJobs { Always, Never, IfNoOtherWorker };
    RunJobs runJobs = RunJobs::Always;
    bool seedDemo = true;
    QString runnerProgram = QStringLiteral("ansible-runner");
    bool keepJobDirs = false;
    int cancelGraceMs = 5000;
    int treeGraceMs = 3000;
    int jobWorkerThreads = 2;
    int eventDelayReportMs = 10000; // events that wait this long for the database are reported
    // Callback receivers, each with its own thread and connection; a job's events all go through
    // one of them (by job id), so they stay in order. Two keep one writer building its next COPY
    // while the other's is in the server, and let jobs at once use two server backends.
    int eventWriters = 2;
    // AWX's websocket (api/EventSocketServer.h): off unless asked for, on localhost by default.
    EventSocketSettings webSocket;
    instances::Timing timing;
    // Tests inject a scripted transport; everything else runs the worker locally.
    std::function<std::unique_ptr<WorkerTransport>(const RunInput &, const QString &privateDir)> transport;
};

// The engine's services and their threads (ARCHITECTURE.md "Threads"): cluster, bus, task-manager,
// dispatcher (+ the job-worker pool), callback-receiver and the database pools. The composition root
// (app/) creates one, starts it, and hands its Controller to the UI. start() and stop() return at
// once and report through signals: nothing here blocks the thread that calls them.
class Engine : public QObject {
    Q_OBJECT
public:
    explicit Engine(EngineOptions options, QObject *parent = nullptr);
    ~Engine() override;

    // The database (started or attached), schema, demo content, instance registration, then the
    // engine's threads. Emits started() with the outcome.
    void start();
    // Stops taking new work, ends running jobs as AWX's dispatcher does on shutdown (or cancels them,
    // with `cancelJobs`), stores the last events, and leaves the cluster. Emits stopped().
    void stop(bool cancelJobs = false);
    // Stops taking new work; `done` is called (on this thread) once no job runs here any more.
    void drain(std::function<void()> done);

    Controller &controller() { return *m_controller; }
    DatabaseConfig databaseConfig() const { return m_database; }
    const InstanceRow &instance() const { return m_instance; }
    const EngineOptions &options() const { return m_options; }
    bool isStarted() const { return m_state == State::Running; }
    bool runsJobs() const { return m_dispatcher != nullptr; }
    int activeJobs() const { return m_activeJobs; }
    // For tests: where the embedded cluster lives (empty with an external database).
    QString clusterDir() const { return m_clusterDir; }
    QString socketDir() const { return m_database.host; }
    SecretStore &secrets() { return *m_secrets; }

    // The websocket server's port once it listens (0: off, not yet, or it could not).
    quint16 webSocketPort() const;
    // Serve the websocket with these settings from now on: a running server stops (its clients
    // are closed: they come back with the new token) and, when enabled, a new one starts.
    void setWebSocket(const EventSocketSettings &settings);

Q_SIGNALS:
    void started(const playdeck::Status &status);
    void stopped();
    void jobFinished(qint64 jobId, playdeck::JobStatus status);
    void activeJobsChanged(int count);
    void databaseProblem(const QString &message);
    void databaseBack();
    // The websocket server listens (its port, and with TLS its certificate's SHA-256 fingerprint),
    // or cannot (why).
    void webSocketListening(quint16 port, const QString &tlsFingerprint);
    void webSocketFailed(const QString &message);

private:
    enum class State { Idle, Starting, Running, Stopping, Stopped };
    struct Setup;
    void onDatabaseReady(const DatabaseConfig &config);
    void onSetupDone(const Result<Setup> &setup);
    void fail(const QString &message);
    void startThreads();
    void stopThreads();
    void finishStop();
    void leaveCluster(std::function<void()> then);
    template <typename T> T *startInThread(T *worker, QThread &thread, const QString &name);

    EngineOptions m_options;
    State m_state = State::Idle;
    DatabaseConfig m_database;
    InstanceRow m_instance;
    QString m_clusterDir;
    std::unique_ptr<DbPool> m_queries;  // the window, the command line (and later the API)
    std::unique_ptr<DbPool> m_jobState; // running jobs' own writes
    std::unique_ptr<EventBacklog> m_backlog;
    // The services' waits that are not the database's: keychain calls over D-Bus, ansible-inventory.
    QThread m_servicesThread;
    SecretStore *m_secrets = nullptr; // lives in m_servicesThread
    std::unique_ptr<JobService> m_jobService;
    std::unique_ptr<TemplateService> m_templateService;
    std::unique_ptr<ResourceService> m_resourceService;
    std::unique_ptr<CredentialService> m_credentialService;
    std::unique_ptr<InventoryService> m_inventoryService;
    std::unique_ptr<AwxService> m_awxService;
    std::unique_ptr<DashboardService> m_dashboardService;
    std::unique_ptr<Controller> m_controller;
    QThread m_clusterThread;
    QThread m_busThread;
    QThread m_taskManagerThread;
    QThread m_dispatcherThread;
    std::vector<std::unique_ptr<QThread>> m_receiverThreads;
    QThread m_apiThread;
    void startWebSocket();
    EventSocketServer *m_socketServer = nullptr;
    ClusterKeeper *m_keeper = nullptr;
    NotifyBus *m_bus = nullptr;
    TaskManager *m_taskManager = nullptr;
    Dispatcher *m_dispatcher = nullptr;
    QList<CallbackReceiver *> m_receivers;
    int m_activeJobs = 0;
    std::function<void()> m_drained;
};

} // namespace playdeck

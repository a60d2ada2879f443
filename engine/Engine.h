#pragma once

#include "Controller.h"
#include "core/Result.h"
#include "db/DatabaseConfig.h"
#include "dispatch/InstanceRegistry.h"

#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

namespace playdeck {

class CallbackReceiver;
class DbWorker;
class Dispatcher;
class EmbeddedCluster;
class NotifyBus;
class TaskManager;

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
};

// The engine's services and their threads (ARCHITECTURE.md "Threads"): bus, task-manager,
// dispatcher (+ one thread per running job), callback-receiver and the controller's query thread.
// The composition root (app/) creates one, starts it, and hands its Controller to the UI.
class Engine : public QObject {
    Q_OBJECT
public:
    explicit Engine(EngineOptions options, QObject *parent = nullptr);
    ~Engine() override;

    // Blocking set-up (database, schema, demo content, threads): run it before the event loop.
    Status start();
    void stop();
    // Stops taking new work and calls `done` (on this thread) once no job runs here any more, so a
    // short-lived process never takes away a job it was given for someone else.
    void drain(std::function<void()> done);

    Controller &controller() { return *m_controller; }
    DatabaseConfig databaseConfig() const { return m_database; }
    const InstanceInfo &instance() const { return m_instance; }
    const EngineOptions &options() const { return m_options; }
    bool runsJobs() const { return m_dispatcher != nullptr; }
    // The embedded cluster, or nullptr with an external database.
    const EmbeddedCluster *cluster() const { return m_cluster.get(); }

Q_SIGNALS:
    void jobFinished(qint64 jobId, const QString &status);
    void databaseProblem(const QString &message);

private:
    void restartCluster();
    template <typename T> T *startInThread(T *worker, QThread &thread, const QString &name);

    EngineOptions m_options;
    DatabaseConfig m_database;
    InstanceInfo m_instance;
    std::unique_ptr<EmbeddedCluster> m_cluster;
    std::shared_ptr<DbWorker> m_queries;
    std::unique_ptr<Controller> m_controller;
    QThread m_busThread;
    QThread m_taskManagerThread;
    QThread m_dispatcherThread;
    QThread m_receiverThread;
    NotifyBus *m_bus = nullptr;
    TaskManager *m_taskManager = nullptr;
    Dispatcher *m_dispatcher = nullptr;
    CallbackReceiver *m_receiver = nullptr;
    bool m_started = false;
    std::function<void()> m_drained;
};

} // namespace playdeck

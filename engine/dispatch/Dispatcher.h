#pragma once

#include "InstanceRegistry.h"
#include "JobWorkers.h"
#include "bus/Messages.h"
#include "db/DatabaseConfig.h"
#include "store/InstanceStore.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace playdeck {

class CallbackReceiver;
class DbConnection;
class RunJob;
struct RunJobContext;

// AWX's dispatcher for this instance: takes the task manager's messages from this instance's queue
// and gives each job to a RunJob in the bounded job-worker pool. It also beats the instance's
// heartbeat, reaps the jobs of lost instances, forwards cancels, stops the processes of a job that
// someone else finished meanwhile (we were taken for lost), and re-scans the tables for what it may
// have missed while the bus was reconnecting.
class Dispatcher : public QObject {
    Q_OBJECT
public:
    Dispatcher(DatabaseConfig database, InstanceRow instance, std::shared_ptr<RunJobContext> runContext,
               QList<CallbackReceiver *> receivers, int workerThreads, instances::Timing timing);
    ~Dispatcher() override;

    Q_INVOKABLE void start();
    // Disables this instance (no new work is sent to it); what was already sent still runs.
    Q_INVOKABLE void stopTakingWork();
    // Ends running jobs as AWX does on dispatcher shutdown (or cancels them, with `cancelJobs`),
    // hands back what never started, leaves the cluster, and then says stopped().
    void shutdown(bool cancelJobs = false);

public Q_SLOTS:
    void onDispatch(const playdeck::bus::DispatchJob &message);
    void onCancel(qint64 jobId);
    void onJobChanged(const playdeck::bus::JobChanged &message);
    void rescan();

Q_SIGNALS:
    void jobFinished(qint64 jobId, playdeck::JobStatus status);
    void activeJobsChanged(int count);
    void stopped();

private:
    void runJob(qint64 jobId);
    void periodic();
    void reapOrphans(QSqlDatabase &db);
    void checkRunningJobs(QSqlDatabase &db);
    void cleanLeakedJobDirs(QSqlDatabase &db);
    void finishShutdown();
    Result<QSqlDatabase> database();

    DatabaseConfig m_config;
    InstanceRow m_instance;
    std::shared_ptr<RunJobContext> m_runContext;
    instances::Timing m_timing;
    QList<QPointer<CallbackReceiver>> m_receivers; // a job's events go to receivers[id % size]
    std::unique_ptr<DbConnection> m_connection;
    JobWorkers m_workers;
    QHash<qint64, QPointer<RunJob>> m_runners;
    QTimer *m_timer = nullptr;
    QElapsedTimer m_lastBeat;
    QDeadlineTimer m_judgeSilenceFrom{0};
    bool m_stopping = false;
    bool m_drainRequested = false; // no new work, ever, for this instance
    bool m_stopped = false;
};

} // namespace playdeck

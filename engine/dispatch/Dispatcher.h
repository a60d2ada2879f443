#pragma once

#include "dispatch/InstanceRegistry.h"
#include "runner/JobRunner.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace playdeck {

class CallbackReceiver;

// AWX's dispatcher for this instance: takes the task manager's messages from this instance's
// queue channel and gives each job to a JobRunner in a thread of its own. It also beats the
// instance's heartbeat, reaps jobs of lost instances, forwards cancel requests, and re-scans the
// table for waiting jobs it may have missed while the bus was reconnecting.
class Dispatcher : public QObject {
    Q_OBJECT
public:
    Dispatcher(RunnerSettings settings, InstanceInfo instance, CallbackReceiver *receiver);
    ~Dispatcher() override;

    Q_INVOKABLE void start();
    // Ends running jobs (as AWX does on dispatcher shutdown) and waits for their threads.
    Q_INVOKABLE void stop();

public Q_SLOTS:
    void onNotification(const QString &channel, const QString &payload);
    void rescan();
    // Disables this instance, starts what was already sent to it, and says how many jobs run here.
    Q_INVOKABLE int stopTakingWork();

Q_SIGNALS:
    void jobFinished(qint64 jobId, const QString &status);
    // How many jobs this dispatcher is running now.
    void activeJobsChanged(int count);

private:
    void runJob(qint64 jobId);
    void periodic();
    void reapOrphans(QSqlDatabase &db);
    QSqlDatabase database();

    RunnerSettings m_settings;
    InstanceInfo m_instance;
    QPointer<CallbackReceiver> m_receiver;
    QString m_connectionName;
    QHash<qint64, QPointer<JobRunner>> m_runners;
    QHash<qint64, QThread *> m_threads;
    QTimer *m_timer = nullptr;
    QElapsedTimer m_lastBeat;
    QDeadlineTimer m_judgeSilenceFrom{0};
    bool m_stopping = false;
};

} // namespace playdeck

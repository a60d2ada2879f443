#pragma once

#include "FailureFacts.h"
#include "InputWait.h"
#include "JobPlan.h"
#include "OutcomeRules.h"
#include "ResultStream.h"
#include "WorkerTransport.h"
#include "model/JobEvent.h"
#include "secrets/Redactor.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

namespace playdeck {

class DbPool;
class EventBacklog;
class SecretStore;

// What a RunJob needs from the engine around it.
struct RunJobContext {
    DbPool *jobState = nullptr;      // writes of running jobs, one lane per job (no connection per job)
    EventBacklog *backlog = nullptr; // the receiver's backlog, for back-pressure
    QString dataDir;
    QString instanceHostname;
    bool keepJobDirs = false;
    int cancelGraceMs = 5000; // after SIGINT, before the tree is terminated
    int treeGraceMs = 3000;   // after SIGTERM to the tree, before SIGKILL
    Redactor redactor;
    SecretStore *secrets = nullptr; // credentials' secrets and those given at launch
    // The transport for a run; the local one unless a test or a remote node says otherwise.
    std::function<std::unique_ptr<WorkerTransport>(const RunInput &input, const QString &privateDir)>
        transport;
};

// AWX's RunJob for one job, as a state machine in a job-worker thread:
//   Loading    the job is read and moved waiting → running (or canceled, if asked before it ran)
//   Preparing  the private data dir and the transmit stream are written (the job's plan)
//   Running    the transport runs the worker; its result stream is parsed as it comes: events go to
//              the callback receiver, status lines and artifacts are kept, prompts are noticed
//   Stopping   cancel, timeout, shutdown or a broken stream: SIGINT, then the tree is terminated,
//              then killed, each after a grace period
//   Finishing  the worker has exited (and with it every process of the job): the outcome is judged
//              (OutcomeRules) and stored, retrying while the database is away
// A job is never recorded as finished while a process of it still runs.
class RunJob : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Loading, Preparing, Running, Stopping, Finishing, Done };

    RunJob(std::shared_ptr<const RunJobContext> context, qint64 jobId);
    ~RunJob() override;

    qint64 jobId() const { return m_jobId; }
    State state() const { return m_state; }

public Q_SLOTS:
    void start();
    void cancel();
    // The instance is going away (AWX's dispatcher shutdown): stop the job and say why.
    void shutdown();
    // Someone else already finished the job (its instance was taken for lost): stop its processes at
    // once and store nothing.
    void abandon();

Q_SIGNALS:
    void eventsReady(const QList<playdeck::JobEvent> &events);
    // Every event of the job has been handed over in eventsReady (emitted of them).
    void streamEnded(qint64 jobId, int emitted);
    // `ran`: whether this runner ran the job (false: it was not waiting any more, canceled before it
    // started, or the database was away; the dispatcher looks again later).
    void finished(qint64 jobId, bool ran, playdeck::JobStatus status);

private:
    enum class StopReason { None, Cancel, Shutdown, Timeout, BrokenStream, Abandon };

    void onLoaded(int kind, RunInput input, QString message);
    void readSecretsThenStart(RunInput input);
    // Whether a stop asked for while the job was being loaded ended it before it ran (then it has).
    bool stoppedBeforeStart();
    void prepareAndStart(const RunInput &input);
    void onOutput(const QByteArray &chunk);
    void onErrorOutput(const QByteArray &chunk);
    void onExited(const TransportExit &exit);
    void handleItems(QList<StreamItem> items);
    void handleStatus(const QJsonObject &line);
    void unpackArtifacts();
    void updateInputPrompt();
    void stop(StopReason reason);
    void escalate();
    void conclude(const Outcome &outcome);
    void storeOutcome();
    void done(bool ran, JobStatus status);
    std::optional<int> readRc() const;
    QString artifactsDir() const;

    std::shared_ptr<const RunJobContext> m_context;
    qint64 m_jobId;
    State m_state = State::Idle;
    StopReason m_stopReason = StopReason::None;
    bool m_cancelRequested = false;
    QString m_privateDir;
    std::unique_ptr<JobPlan> m_plan;
    Redactor m_redactor; // the engine's secrets and this job's
    std::unique_ptr<WorkerTransport> m_transport;
    std::unique_ptr<ArtifactSink> m_artifactSink;
    std::unique_ptr<ResultStreamParser> m_parser;
    QTimer m_timeoutTimer;
    QTimer m_escalateTimer;
    QTimer m_promptTimer;
    QTimer m_storeTimer;
    int m_escalation = 0;
    bool m_readingPaused = false;
    QElapsedTimer m_clock;

    FailureFacts m_failures;
    InputWaitDetector m_inputWait;
    QString m_prompt;
    RunFacts m_facts;
    QByteArray m_stderrTail;
    int m_emitted = 0;
    Outcome m_outcome;
    int m_storeRetryMs = 50;
};

} // namespace playdeck

#pragma once

#include "ResultStream.h"
#include "db/DatabaseConfig.h"
#include "model/Types.h"

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QTimer>

namespace playdeck {

struct RunnerSettings {
    DatabaseConfig database;
    QString dataDir;
    QString runnerProgram = QStringLiteral("ansible-runner"); // `ansible-runner worker` speaks the stream
    bool keepJobDirs = false;
    int cancelGraceMs = 5000; // after SIGINT, before SIGTERM; as long again before SIGKILL
};

// AWX's RunJob for one job, in its own thread: marks it running, builds the private data dir,
// writes the transmit stream into `ansible-runner worker` and reads the result stream as it comes:
// status lines update the job, events go to the callback receiver, the artifacts are unpacked and
// `eof` ends it. The final status comes from the runner's status lines, never from its exit code.
class JobRunner : public QObject {
    Q_OBJECT
public:
    JobRunner(RunnerSettings settings, qint64 jobId);
    ~JobRunner() override;

    qint64 jobId() const { return m_jobId; }
    // The worker's environment: this process's, less Playdeck's own settings.
    static QProcessEnvironment workerEnvironment();

public Q_SLOTS:
    void start();
    void cancel();
    // The instance is going away: stop the job and record why (AWX's dispatcher shutdown).
    void shutdown();

Q_SIGNALS:
    void eventsReady(const QList<playdeck::JobEvent> &events);
    void streamEnded(qint64 jobId, int emitted);
    void finished(qint64 jobId, const QString &status);

private:
    void onStdout();
    void onStderr();
    void onProcessFinished(int exitCode, QProcess::ExitStatus exitStatus);
    void onProcessError(QProcess::ProcessError error);
    void handleItems(const QList<StreamItem> &items);
    void handleStatus(const QJsonObject &status);
    void stopProcess();
    void finish(const QString &status, const QString &explanation, const QString &traceback = {});
    void storeFinalStatus();
    QString judgeOutcome(QString &explanation, QString &traceback) const;
    QSqlDatabase database();

    RunnerSettings m_settings;
    qint64 m_jobId;
    QString m_connectionName;
    QString m_privateDir;
    QProcess *m_process = nullptr;
    QTimer *m_timeoutTimer = nullptr;
    QTimer *m_escalateTimer = nullptr;
    ResultStreamParser m_parser;
    QByteArray m_stderr;
    QString m_runnerStatus;
    QString m_runnerExplanation;
    QString m_runnerTraceback;
    QString m_streamError;
    int m_emitted = 0;
    bool m_sawPlaybookStart = false;
    bool m_cancelRequested = false;
    bool m_timedOut = false;
    bool m_shuttingDown = false;
    bool m_finished = false;
    int m_escalation = 0;
    QString m_finalStatus;
    QVariantMap m_finalFields;
    int m_storeRetryMs = 50;
};

} // namespace playdeck

#include "JobRunner.h"

#include "RunSpec.h"
#include "ZipArchive.h"
#include "core/Logging.h"
#include "db/Connections.h"
#include "db/NotifyBus.h"
#include "events/RunnerEvent.h"
#include "model/Repository.h"
#include "secrets/Redaction.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

#include <csignal>
#include <unistd.h>

namespace playdeck {

namespace {
constexpr qsizetype kStderrLimit = 64 * 1024;
constexpr int kTimeoutGraceMs = 5000; // the runner enforces job_timeout itself; this is the backstop
} // namespace

QProcessEnvironment JobRunner::workerEnvironment() {
    // The worker passes its environment on to ansible-playbook, and facts and job_env show it:
    // Playdeck's own settings (a database URL with its password, say) stay out of it.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys())
        if (key.startsWith(QLatin1String("PLAYDECK_")) || key.startsWith(QLatin1String("PG")))
            env.remove(key);
    return env;
}

JobRunner::JobRunner(RunnerSettings settings, qint64 jobId)
    : m_settings(std::move(settings))
    , m_jobId(jobId)
    , m_connectionName(QStringLiteral("playdeck-job-%1").arg(jobId)) {}

JobRunner::~JobRunner() {
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
    }
    closeConnection(m_connectionName);
}

QSqlDatabase JobRunner::database() {
    auto opened = ensureConnection(m_settings.database, m_connectionName);
    if (!opened)
        qCWarning(lcRunner) << "job" << m_jobId << opened.error();
    return opened ? opened.value() : QSqlDatabase();
}

void JobRunner::start() {
    QSqlDatabase db = database();
    auto spec = loadRunSpec(db, m_jobId);
    if (!spec) {
        qCWarning(lcRunner) << "job" << m_jobId << spec.error();
        m_finished = true;
        Q_EMIT finished(m_jobId, QString());
        return;
    }
    if (spec.value().cancelRequested) {
        (void)repo::setJobStatus(db, m_jobId, JobStatus::Canceled, {}, {JobStatus::Waiting});
        m_finished = true;
        Q_EMIT finished(m_jobId, JobStatus::Canceled);
        return;
    }
    auto running = repo::setJobStatus(db, m_jobId, JobStatus::Running, {}, {JobStatus::Waiting});
    if (!running || !running.value()) {
        // Canceled meanwhile, or another dispatcher got it: not ours to run.
        qCInfo(lcRunner) << "job" << m_jobId << "is no longer waiting; not running it";
        m_finished = true;
        Q_EMIT finished(m_jobId, QString());
        return;
    }
    qCInfo(lcRunner) << "job" << m_jobId << "running";

    m_privateDir = m_settings.dataDir + QStringLiteral("/jobs/%1").arg(m_jobId);
    QDir(m_privateDir).removeRecursively();
    if (!QDir().mkpath(m_privateDir))
        return finish(JobStatus::Error, tr("Cannot create the job directory %1.").arg(m_privateDir));
    QFile::setPermissions(m_privateDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    if (Status s = buildPrivateDataDir(spec.value(), m_privateDir); !s)
        return finish(JobStatus::Error, s.error());
    auto zip = zipDirectory(m_privateDir);
    if (!zip)
        return finish(JobStatus::Error, tr("Cannot pack the job's files: %1").arg(zip.error()));

    const QString found = QStandardPaths::findExecutable(m_settings.runnerProgram);
    const QString program = found.isEmpty() ? m_settings.runnerProgram : found;
    const QByteArray transmit = transmitStream(runnerKwargs(spec.value()), zip.value());

    m_process = new QProcess(this);
    m_process->setProgram(program);
    m_process->setArguments({QStringLiteral("worker")});
    m_process->setWorkingDirectory(m_privateDir);
    m_process->setProcessEnvironment(workerEnvironment());
    // A session of its own: the terminal's Ctrl-C reaches Playdeck, which cancels the job properly.
    m_process->setChildProcessModifier([] { ::setsid(); });
    connect(m_process, &QProcess::readyReadStandardOutput, this, &JobRunner::onStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &JobRunner::onStderr);
    connect(m_process, &QProcess::finished, this, &JobRunner::onProcessFinished);
    connect(m_process, &QProcess::errorOccurred, this, &JobRunner::onProcessError);
    connect(m_process, &QProcess::started, this, [this, transmit] {
        m_process->write(transmit);
        m_process->closeWriteChannel();
    });
    if (spec.value().timeout > 0) {
        m_timeoutTimer = new QTimer(this);
        m_timeoutTimer->setSingleShot(true);
        connect(m_timeoutTimer, &QTimer::timeout, this, [this] {
            qCWarning(lcRunner) << "job" << m_jobId << "passed its timeout; stopping it";
            m_timedOut = true;
            stopProcess();
        });
        m_timeoutTimer->start(spec.value().timeout * 1000 + kTimeoutGraceMs);
    }
    m_process->start();
}

void JobRunner::cancel() {
    if (m_cancelRequested || m_finished)
        return;
    m_cancelRequested = true;
    qCInfo(lcRunner) << "job" << m_jobId << "cancel requested";
    stopProcess();
}

void JobRunner::shutdown() {
    if (m_finished)
        return;
    m_shuttingDown = true;
    if (!m_process)
        return finish(JobStatus::Failed, tr("Task was canceled due to receiving a shutdown signal."));
    stopProcess();
}

void JobRunner::stopProcess() {
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    // As receptor does: SIGINT first, which ansible-runner turns into a clean cancel; then SIGTERM,
    // then SIGKILL if it does not go.
    ::kill(pid_t(m_process->processId()), SIGINT);
    if (!m_escalateTimer) {
        m_escalateTimer = new QTimer(this);
        m_escalateTimer->setInterval(m_settings.cancelGraceMs);
        connect(m_escalateTimer, &QTimer::timeout, this, [this] {
            if (!m_process || m_process->state() == QProcess::NotRunning)
                return;
            if (m_escalation++ == 0) {
                qCWarning(lcRunner) << "job" << m_jobId << "runner ignored SIGINT; terminating it";
                m_process->terminate();
            } else {
                qCWarning(lcRunner) << "job" << m_jobId << "runner ignored SIGTERM; killing it";
                m_process->kill();
                m_escalateTimer->stop();
            }
        });
        m_escalateTimer->start();
    }
}

void JobRunner::onStdout() {
    handleItems(m_parser.feed(m_process->readAllStandardOutput()));
    if (m_parser.failed() && m_streamError.isEmpty()) {
        m_streamError = m_parser.error();
        qCWarning(lcRunner) << "job" << m_jobId << m_streamError;
        stopProcess();
    }
}

void JobRunner::onStderr() {
    const QByteArray chunk = m_process->readAllStandardError();
    if (m_stderr.size() < kStderrLimit)
        m_stderr += chunk.left(kStderrLimit - m_stderr.size());
}

void JobRunner::handleItems(const QList<StreamItem> &items) {
    QList<JobEvent> batch;
    for (const StreamItem &item : items) {
        switch (item.kind) {
        case StreamItem::Event: {
            JobEvent e = eventFromRunner(m_jobId, item.object);
            if (e.event == QLatin1String("playbook_on_start"))
                m_sawPlaybookStart = true;
            batch.append(std::move(e));
            ++m_emitted;
            break;
        }
        case StreamItem::Status:
            handleStatus(item.object);
            break;
        case StreamItem::Artifacts:
            if (Status s = unzipInto(item.zip, m_privateDir + QStringLiteral("/artifacts/%1").arg(m_jobId));
                !s)
                qCWarning(lcRunner) << "job" << m_jobId << "artifacts:" << s.error();
            break;
        case StreamItem::Eof:
            break;
        }
    }
    if (!batch.isEmpty())
        Q_EMIT eventsReady(batch);
}

void JobRunner::handleStatus(const QJsonObject &line) {
    const QString status = line.value(QLatin1String("status")).toString();
    if (status == QLatin1String("starting")) {
        // The starting line carries the worker's whole environment: redact before it is stored.
        QStringList command;
        for (const QJsonValue &arg : line.value(QLatin1String("command")).toArray())
            command << redactUrlPasswords(arg.toString());
        QSqlDatabase db = database();
        (void)repo::updateJobFields(
            db, m_jobId,
            {{QStringLiteral("job_args"),
              QString::fromUtf8(
                  QJsonDocument(QJsonArray::fromStringList(command)).toJson(QJsonDocument::Compact))},
             {QStringLiteral("job_cwd"), line.value(QLatin1String("cwd")).toString()},
             {QStringLiteral("job_env"),
              QString::fromUtf8(QJsonDocument(redactEnvironment(line.value(QLatin1String("env")).toObject()))
                                    .toJson(QJsonDocument::Compact))}});
        return;
    }
    if (status == QLatin1String("running"))
        return;
    m_runnerStatus = status;
    m_runnerExplanation = line.value(QLatin1String("job_explanation")).toString();
    m_runnerTraceback = line.value(QLatin1String("result_traceback")).toString();
}

void JobRunner::onProcessError(QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart)
        return; // crashes and the like arrive through finished()
    finish(JobStatus::Error,
           tr("Cannot start %1: %2. Install ansible-runner (Debian package python3-ansible-runner).")
               .arg(m_settings.runnerProgram, m_process->errorString()));
}

void JobRunner::onProcessFinished(int exitCode, QProcess::ExitStatus exitStatus) {
    onStdout(); // whatever is left in the pipe
    onStderr();
    QString explanation;
    QString traceback;
    QString status;
    if (!m_streamError.isEmpty()) {
        status = JobStatus::Error;
        explanation = tr("The output of ansible-runner could not be read: %1").arg(m_streamError);
        traceback = QString::fromLocal8Bit(m_stderr);
    } else if (!m_parser.sawEof()) {
        status = JobStatus::Error;
        explanation =
            exitStatus == QProcess::CrashExit
                ? tr("ansible-runner worker was killed before it finished the job.")
                : tr("ansible-runner worker exited with code %1 before the end of its output.").arg(exitCode);
        traceback = QString::fromLocal8Bit(m_stderr);
    } else {
        status = judgeOutcome(explanation, traceback);
    }
    if (m_cancelRequested && status != JobStatus::Successful) {
        status = JobStatus::Canceled;
        explanation.clear();
    } else if (m_shuttingDown && status != JobStatus::Successful) {
        status = JobStatus::Failed;
        explanation = tr("Task was canceled due to receiving a shutdown signal.");
    } else if (m_timedOut && status != JobStatus::Successful) {
        status = JobStatus::Failed;
        explanation = tr("Job terminated due to timeout");
    }
    finish(status, explanation, traceback);
}

QString JobRunner::judgeOutcome(QString &explanation, QString &traceback) const {
    traceback = m_runnerTraceback;
    if (m_runnerStatus == QLatin1String("successful"))
        return JobStatus::Successful;
    if (m_runnerStatus == QLatin1String("failed")) {
        QFile rcFile(m_privateDir + QStringLiteral("/artifacts/%1/rc").arg(m_jobId));
        const QString rc = rcFile.open(QIODevice::ReadOnly) ? QString::fromLatin1(rcFile.readAll().trimmed())
                                                            : QStringLiteral("?");
        explanation =
            m_sawPlaybookStart
                ? tr("ansible-playbook exited with code %1.").arg(rc)
                : tr("The playbook could not be run (ansible-playbook exited with code %1); the output "
                     "says why.")
                      .arg(rc);
        return JobStatus::Failed;
    }
    if (m_runnerStatus == QLatin1String("timeout")) {
        explanation = tr("Job terminated due to timeout");
        return JobStatus::Failed;
    }
    if (m_runnerStatus == QLatin1String("canceled")) {
        explanation = tr("The running ansible process received a shutdown signal.");
        return JobStatus::Failed;
    }
    explanation = m_runnerExplanation.isEmpty() ? tr("Job terminated due to error") : m_runnerExplanation;
    if (m_runnerStatus.isEmpty())
        explanation = tr("ansible-runner ended its output without a final status.");
    return JobStatus::Error;
}

void JobRunner::finish(const QString &status, const QString &explanation, const QString &traceback) {
    if (m_finished)
        return;
    m_finished = true;
    if (m_timeoutTimer)
        m_timeoutTimer->stop();
    if (m_escalateTimer)
        m_escalateTimer->stop();
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->disconnect(this);
        m_process->kill();
    }
    // The receiver gets this after every batch already sent, so it can tell when all are stored.
    Q_EMIT streamEnded(m_jobId, m_emitted);

    m_finalStatus = status;
    m_finalFields = {{QStringLiteral("job_explanation"), explanation},
                     {QStringLiteral("result_traceback"), traceback},
                     {QStringLiteral("emitted_events"), m_emitted}};
    storeFinalStatus();
}

void JobRunner::storeFinalStatus() {
    QSqlDatabase db = database();
    auto done = repo::setJobStatus(db, m_jobId, m_finalStatus, m_finalFields,
                                   {JobStatus::Running, JobStatus::Waiting});
    if (!done) {
        // The database is away: the outcome must not be lost, so keep trying until it is back.
        m_storeRetryMs = std::clamp(m_storeRetryMs * 2, 100, 5000);
        qCWarning(lcRunner) << "job" << m_jobId << "final status not stored yet, retrying in"
                            << m_storeRetryMs << "ms:" << done.error();
        QTimer::singleShot(m_storeRetryMs, this, &JobRunner::storeFinalStatus);
        return;
    }
    (void)repo::notify(db, Channel::Schedule);
    qCInfo(lcRunner) << "job" << m_jobId << "finished:" << m_finalStatus
                     << m_finalFields.value(QStringLiteral("job_explanation")).toString();
    if (!m_settings.keepJobDirs && !m_privateDir.isEmpty())
        QDir(m_privateDir).removeRecursively();
    Q_EMIT finished(m_jobId, m_finalStatus);
}

} // namespace playdeck

#include "RunJob.h"

#include "SafeUnpacker.h"
#include "core/Logging.h"
#include "db/Connections.h"
#include "db/DbPool.h"
#include "events/EventBacklog.h"
#include "events/RunnerEvent.h"
#include "secrets/SecretStore.h"
#include "store/UnifiedJobStore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <climits>
#include <fcntl.h>
#include <unistd.h>

namespace playdeck {

namespace {

constexpr qsizetype kStderrTail = 64 * 1024;
constexpr int kPausedRecheckMs = 1000;
constexpr int kTimeoutGraceMs = 5000; // the runner enforces job_timeout itself; this is the backstop

enum LoadKind { NotOurs, CanceledEarly, Run, Unavailable, Broken };

struct Loaded {
    int kind = Unavailable;
    RunInput input;
    QString message;
};

// In a job-state connection: read what the run needs and move the job waiting → running, or
// settle it without running (canceled before it ran, or its project/inventory are gone).
Loaded beginRun(QSqlDatabase &db, qint64 jobId, const QString &node) {
    UnifiedJobStore jobs(db);
    auto job = jobs.load(jobId);
    if (!job)
        return {Unavailable, {}, job.error()};
    // Waiting for this instance: after a requeue it may be waiting for another one now.
    if (job.value().status != JobStatus::Waiting || job.value().executionNode != node)
        return {NotOurs, {}, {}};
    if (job.value().cancelRequested) {
        JobUpdate fields;
        fields.explanation = QObject::tr("Canceled before it started.");
        fields.eventProcessingFinished = true;
        auto canceled = jobs.transition(jobId, {JobStatus::Canceled, {JobStatus::Waiting}, fields, node});
        if (!canceled)
            return {Unavailable, {}, canceled.error()};
        return {CanceledEarly, {}, {}};
    }
    auto read = readRunInput(db, job.take());
    if (!read && !read.code().isEmpty())
        return {Unavailable, {}, read.error()};
    if (!read) {
        const QString broken = read.error();
        JobUpdate fields;
        fields.explanation = broken;
        fields.eventProcessingFinished = true;
        auto failed = jobs.transition(jobId, {JobStatus::Error, {JobStatus::Waiting}, fields, node});
        if (!failed)
            return {Unavailable, {}, failed.error()};
        return {Broken, {}, broken};
    }
    RunInput input = read.take();
    JobUpdate started;
    if (!input.projectRevision.isEmpty())
        started.scmRevision = input.projectRevision; // the revision a job runs is the one it copies
    if (input.job.kind == QLatin1String("job") && input.job.effectiveOptions().inventoryId)
        started.inventorySnapshot = input.inventory; // what "relaunch exactly as it ran" runs against
    auto running = jobs.transition(jobId, {JobStatus::Running, {JobStatus::Waiting}, started, node});
    if (!running)
        return {Unavailable, {}, running.error()};
    if (!running.value())
        return {NotOurs, {}, {}};
    input.job.status = JobStatus::Running;
    return {Run, std::move(input), {}};
}

} // namespace

RunJob::RunJob(std::shared_ptr<const RunJobContext> context, qint64 jobId)
    : m_context(std::move(context))
    , m_jobId(jobId) {
    // Children, so that they move with the runner to its job-worker thread.
    for (QTimer *timer : {&m_timeoutTimer, &m_escalateTimer, &m_promptTimer, &m_storeTimer})
        timer->setParent(this);
    m_timeoutTimer.setSingleShot(true);
    connect(&m_timeoutTimer, &QTimer::timeout, this, [this] {
        qCWarning(lcRunner) << "job" << m_jobId << "passed its timeout; stopping it";
        stop(StopReason::Timeout);
    });
    m_escalateTimer.setSingleShot(true);
    connect(&m_escalateTimer, &QTimer::timeout, this, &RunJob::escalate);
    m_promptTimer.setSingleShot(true);
    connect(&m_promptTimer, &QTimer::timeout, this, &RunJob::updateInputPrompt);
    m_storeTimer.setSingleShot(true);
    connect(&m_storeTimer, &QTimer::timeout, this, &RunJob::storeOutcome);
    if (m_context->backlog)
        connect(m_context->backlog, &EventBacklog::drained, this, [this] {
            if (m_readingPaused && m_transport) {
                m_readingPaused = false;
                m_transport->setReading(true);
            }
        });
}

RunJob::~RunJob() = default;

void RunJob::start() {
    if (m_state != State::Idle)
        return;
    m_state = State::Loading;
    m_clock.start();
    const qint64 id = m_jobId;
    const QString node = m_context->instanceHostname;
    whenReady(m_context->jobState->run<Loaded>(
                  [id, node](QSqlDatabase &db) { return beginRun(db, id, node); }, quint64(id)),
              this,
              [this](Loaded loaded) { onLoaded(loaded.kind, std::move(loaded.input), loaded.message); });
}

void RunJob::onLoaded(int kind, RunInput input, QString message) {
    switch (kind) {
    case NotOurs:
        qCInfo(lcRunner) << "job" << m_jobId << "is no longer waiting; not running it";
        return done(false, JobStatus::Waiting);
    case CanceledEarly:
        return done(false, JobStatus::Canceled);
    case Unavailable:
        qCWarning(lcRunner) << "job" << m_jobId << "cannot start now:" << message;
        return done(false, JobStatus::Waiting);
    case Broken:
        qCWarning(lcRunner) << "job" << m_jobId << message;
        return done(false, JobStatus::Error);
    default:
        break;
    }
    qCInfo(lcRunner) << "job" << m_jobId << "running";
    if (!stoppedBeforeStart())
        readSecretsThenStart(std::move(input));
}

bool RunJob::stoppedBeforeStart() {
    if (m_stopReason == StopReason::Shutdown || m_stopReason == StopReason::Abandon || m_cancelRequested) {
        // Asked to stop while it was being loaded: it never starts a process.
        m_facts.cancelRequested = m_cancelRequested;
        m_facts.shuttingDown = m_stopReason == StopReason::Shutdown;
        Outcome outcome = judgeOutcome(m_facts);
        if (outcome.status == JobStatus::Error) // no stream at all: say why it did not run
            outcome = {m_cancelRequested ? JobStatus::Canceled : JobStatus::Failed,
                       m_cancelRequested ? QString()
                                         : tr("Task was canceled due to receiving a shutdown signal."),
                       {}};
        conclude(outcome);
        return true;
    }
    return false;
}

void RunJob::readSecretsThenStart(RunInput input) {
    const QStringList entries = input.keychainEntries();
    if (entries.isEmpty())
        return prepareAndStart(input);
    if (!m_context->secrets)
        return conclude(
            {JobStatus::Error, tr("This instance has no keychain to read the job's secrets from."), {}});
    whenReady(m_context->secrets->read(entries), this,
              [this, input](Result<QHash<QString, QString>> found) mutable {
                  if (!found)
                      return conclude({JobStatus::Error, found.error(), {}});
                  if (Status s = input.takeSecrets(found.value()); !s)
                      return conclude({JobStatus::Error, s.error(), {}});
                  if (!stoppedBeforeStart())
                      prepareAndStart(input);
              });
}

void RunJob::prepareAndStart(const RunInput &input) {
    m_state = State::Preparing;
    m_privateDir = m_context->dataDir + QStringLiteral("/jobs/%1").arg(m_jobId);
    QDir(m_privateDir).removeRecursively();
    if (!QDir().mkpath(m_privateDir))
        return conclude({JobStatus::Error, tr("Cannot create the job directory %1.").arg(m_privateDir), {}});
    QFile::setPermissions(m_privateDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    m_plan = planFor(input);
    RunInput withDataDir = input;
    withDataDir.dataDir = m_context->dataDir;
    m_redactor = m_context->redactor;
    for (const QString &secret : m_plan->secrets(input))
        m_redactor.addSecret(secret);
    auto transmit = m_plan->prepare(withDataDir, m_privateDir);
    if (!transmit)
        return conclude({JobStatus::Error, transmit.error(), {}});

    m_artifactSink = std::make_unique<FileArtifactSink>(m_privateDir + QStringLiteral("/artifacts.zip"));
    m_parser = std::make_unique<ResultStreamParser>(m_artifactSink.get());
    m_transport = m_context->transport(input, m_privateDir);
    connect(m_transport.get(), &WorkerTransport::output, this, &RunJob::onOutput);
    connect(m_transport.get(), &WorkerTransport::errorOutput, this, &RunJob::onErrorOutput);
    connect(m_transport.get(), &WorkerTransport::exited, this, &RunJob::onExited);
    const int timeout = input.job.effectiveOptions().timeout;
    if (timeout > 0) // QTimer takes int milliseconds: a timeout past ~24 days waits that long
        m_timeoutTimer.start(int(std::min<qint64>(qint64(timeout) * 1000 + kTimeoutGraceMs, INT_MAX)));
    m_state = State::Running;
    m_transport->start(transmit.value());
}

void RunJob::onOutput(const QByteArray &chunk) {
    if (!m_parser)
        return;
    handleItems(m_parser->feed(chunk));
    if (m_parser->failed() && m_facts.streamError.isEmpty()) {
        m_facts.streamError = m_parser->error();
        qCWarning(lcRunner) << "job" << m_jobId << m_facts.streamError;
        stop(StopReason::BrokenStream);
    }
    if (m_context->backlog && m_context->backlog->full() && !m_readingPaused && m_transport &&
        m_state != State::Finishing) {
        m_readingPaused = true;
        m_transport->setReading(false);
        qCDebug(lcRunner) << "job" << m_jobId << "waits for the callback receiver";
    }
}

void RunJob::onErrorOutput(const QByteArray &chunk) {
    m_stderrTail += chunk;
    if (m_stderrTail.size() > kStderrTail)
        m_stderrTail = m_stderrTail.right(kStderrTail);
}

void RunJob::handleItems(QList<StreamItem> items) {
    QList<JobEvent> batch;
    batch.reserve(items.size());
    const qint64 now = m_clock.elapsed();
    for (StreamItem &item : items) {
        switch (item.kind) {
        case StreamItem::Event: {
            JobEvent e = std::move(item.event);
            e.jobId = m_jobId;
            // Before the redactor: it need not read what is not kept.
            if (truncateEventRes(e))
                qCInfo(lcRunner) << "job" << m_jobId << "event" << e.counter
                                 << "result is bigger than MAX_EVENT_RES; stored without it";
            if (m_redactor.hasSecrets()) {
                e.stdout = m_redactor.text(e.stdout);
                e.eventData = m_redactor.json(e.eventData);
            }
            m_failures.onEvent(e);
            if (m_plan)
                m_plan->onEvent(e);
            m_inputWait.onEvent(e, now);
            batch.append(std::move(e));
            break;
        }
        case StreamItem::Status:
            handleStatus(item.object);
            break;
        case StreamItem::Artifacts:
            unpackArtifacts();
            break;
        case StreamItem::Eof:
            break;
        }
    }
    if (batch.isEmpty())
        return;
    m_emitted += int(batch.size());
    if (m_context->backlog) {
        qint64 bytes = 0;
        for (const JobEvent &e : std::as_const(batch))
            bytes += e.weight();
        m_context->backlog->add(batch.size(), bytes);
    }
    Q_EMIT eventsReady(batch);
    updateInputPrompt();
}

void RunJob::handleStatus(const QJsonObject &line) {
    const QString status = line.value(QLatin1String("status")).toString();
    if (status == QLatin1String("starting")) {
        // The starting line carries the worker's whole environment: redact before it is stored.
        const Redactor &redactor = m_redactor;
        QJsonArray command;
        for (const QJsonValue &arg : line.value(QLatin1String("command")).toArray())
            command.append(redactor.text(arg.toString()));
        JobUpdate fields;
        fields.jobArgs = QString::fromUtf8(QJsonDocument(command).toJson(QJsonDocument::Compact));
        fields.jobCwd = line.value(QLatin1String("cwd")).toString();
        fields.jobEnv = redactor.environment(line.value(QLatin1String("env")).toObject());
        const qint64 id = m_jobId;
        (void)m_context->jobState->run<Status>(
            [id, fields](QSqlDatabase &db) { return UnifiedJobStore(db).update(id, fields, false); },
            quint64(id));
        return;
    }
    if (status == QLatin1String("running"))
        return;
    m_facts.runnerStatus = status;
    m_facts.runnerExplanation = line.value(QLatin1String("job_explanation")).toString();
    m_facts.runnerTraceback = line.value(QLatin1String("result_traceback")).toString();
}

QString RunJob::artifactsDir() const {
    return m_privateDir + QStringLiteral("/artifacts/%1").arg(m_jobId);
}

void RunJob::unpackArtifacts() {
    const QString zip = m_privateDir + QStringLiteral("/artifacts.zip");
    if (Status s = playdeck::unpackArtifacts(zip, artifactsDir()); !s) {
        m_facts.artifactsError = s.error();
        qCWarning(lcRunner) << "job" << m_jobId << "artifacts refused:" << s.error();
    }
    QFile::remove(zip);
}

std::optional<int> RunJob::readRc() const {
    // Never through a symlink: the artifacts come from the worker, which may be on another machine.
    const QByteArray path = QFile::encodeName(artifactsDir() + QStringLiteral("/rc"));
    const int fd = ::open(path.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    char buffer[32] = {};
    const ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
    ::close(fd);
    bool ok = false;
    const int rc = n > 0 ? QByteArray(buffer, int(n)).trimmed().toInt(&ok) : 0;
    return ok ? std::optional<int>(rc) : std::nullopt;
}

void RunJob::updateInputPrompt() {
    if (m_state != State::Running && m_state != State::Stopping)
        return;
    const qint64 now = m_clock.elapsed();
    // While reading is paused (back-pressure) the output is quiet because we do not read it, not
    // because the job waits: look again once reading has resumed.
    const QString prompt = m_readingPaused ? QString() : m_inputWait.waitingAt(now).value_or(QString());
    if (m_readingPaused)
        m_promptTimer.start(kPausedRecheckMs);
    else if (const auto again = m_inputWait.recheckAt(); again && prompt.isEmpty())
        m_promptTimer.start(int(std::max<qint64>(1, *again - now)));
    if (prompt == m_prompt)
        return;
    m_prompt = prompt;
    if (!prompt.isEmpty())
        qCInfo(lcRunner) << "job" << m_jobId << "waits for input at:" << prompt;
    JobUpdate fields;
    fields.inputPrompt = prompt;
    const qint64 id = m_jobId;
    (void)m_context->jobState->run<Status>(
        [id, fields](QSqlDatabase &db) { return UnifiedJobStore(db).update(id, fields); }, quint64(id));
}

void RunJob::cancel() {
    if (m_cancelRequested || m_state == State::Done || m_state == State::Finishing)
        return;
    m_cancelRequested = true;
    qCInfo(lcRunner) << "job" << m_jobId << "cancel requested";
    stop(StopReason::Cancel);
}

void RunJob::shutdown() {
    if (m_state == State::Done || m_state == State::Finishing)
        return;
    stop(StopReason::Shutdown);
}

void RunJob::abandon() {
    if (m_state == State::Done || m_state == State::Finishing)
        return;
    qCWarning(lcRunner) << "job" << m_jobId
                        << "was finished by another instance while it ran here; stopping it";
    stop(StopReason::Abandon);
}

void RunJob::stop(StopReason reason) {
    // The first reason to stop is the one the outcome reports; later ones only hurry it.
    if (m_stopReason == StopReason::None || reason == StopReason::Abandon)
        m_stopReason = reason;
    if (m_state == State::Preparing || m_state == State::Loading || m_state == State::Idle)
        return; // acted on once loaded
    if (m_state != State::Running && m_state != State::Stopping)
        return;
    m_state = State::Stopping;
    if (!m_transport)
        return;
    if (reason == StopReason::Abandon) {
        // Nothing to save: its outcome is already written. Stop everything now.
        m_escalation = 1;
        m_transport->terminate();
        m_escalateTimer.start(m_context->treeGraceMs + 2000);
        return;
    }
    if (!m_escalateTimer.isActive() && m_escalation == 0) {
        // As receptor does: SIGINT first, which ansible-runner turns into a clean cancel.
        m_transport->interrupt();
        m_escalateTimer.start(m_context->cancelGraceMs);
    }
}

void RunJob::escalate() {
    if (!m_transport || m_state == State::Finishing || m_state == State::Done)
        return;
    if (m_escalation++ == 0) {
        qCWarning(lcRunner) << "job" << m_jobId << "runner ignored SIGINT; terminating its processes";
        m_transport->terminate();
        m_escalateTimer.start(m_context->treeGraceMs + 2000);
    } else {
        qCWarning(lcRunner) << "job" << m_jobId << "processes did not end; killing the guard";
        m_transport->kill();
    }
}

void RunJob::onExited(const TransportExit &exit) {
    m_timeoutTimer.stop();
    m_escalateTimer.stop();
    m_promptTimer.stop();
    if (m_parser) {
        if (Status s = m_parser->finish(); !s && m_facts.streamError.isEmpty() && m_parser->sawEof())
            m_facts.streamError = s.error();
        m_facts.sawEof = m_parser->sawEof();
        m_facts.refusedLines = m_parser->problemSummary();
    }
    m_facts.failedToStart = exit.failedToStart;
    if (exit.failedToStart)
        m_facts.startError = tr("Cannot start the job's worker: %1. Is playdeck-helper installed next to "
                                "playdeck, and ansible-runner (Debian package python3-ansible-runner)?")
                                 .arg(exit.error);
    m_facts.crashed = exit.crashed;
    m_facts.exitCode = exit.exitCode;
    m_facts.stderrTail = QString::fromLocal8Bit(m_stderrTail);
    m_facts.rc = readRc();
    m_facts.failures = m_failures;
    m_facts.cancelRequested = m_cancelRequested;
    m_facts.shuttingDown = m_stopReason == StopReason::Shutdown;
    m_facts.timedOut = m_stopReason == StopReason::Timeout;
    if (exit.exitCode == 127 && !m_facts.sawEof && m_facts.runnerStatus.isEmpty())
        m_facts.stderrTail = m_facts.stderrTail.trimmed();
    Outcome outcome = judgeOutcome(m_facts);
    if (m_stopReason == StopReason::Abandon) {
        qCInfo(lcRunner) << "job" << m_jobId << "processes stopped after it was finished elsewhere";
        Q_EMIT streamEnded(m_jobId, m_emitted);
        if (!m_context->keepJobDirs && !m_privateDir.isEmpty())
            QDir(m_privateDir).removeRecursively();
        return done(true, outcome.status);
    }
    conclude(outcome);
}

void RunJob::conclude(const Outcome &outcome) {
    m_state = State::Finishing;
    m_outcome = m_plan ? m_plan->judge(outcome) : outcome;
    // The receiver gets this after every batch already sent, so it can tell when all are stored.
    Q_EMIT streamEnded(m_jobId, m_emitted);
    storeOutcome();
}

void RunJob::storeOutcome() {
    JobTransition t;
    t.to = m_outcome.status;
    t.onlyFrom = {JobStatus::Running};
    t.fields.explanation = m_outcome.explanation;
    t.fields.resultTraceback = m_outcome.traceback;
    t.fields.emittedEvents = m_emitted;
    t.fields.inputPrompt = QString();
    const qint64 id = m_jobId;
    // What this kind of job writes besides (a project's new revision) commits with the status.
    const auto extra = m_plan ? m_plan->finalWrites(m_outcome) : std::function<Status(QSqlDatabase &)>();
    whenReady(m_context->jobState->run<Result<bool>>(
                  [id, t, extra](QSqlDatabase &db) {
                      return inTransaction<bool>(db, [&]() -> Result<bool> {
                          auto moved = UnifiedJobStore(db).transition(id, t);
                          if (moved && moved.value() && extra)
                              if (Status s = extra(db); !s)
                                  return s;
                          return moved;
                      });
                  },
                  quint64(id)),
              this, [this](Result<bool> stored) {
                  if (!stored) {
                      // The database is away: the outcome must not be lost, so keep trying.
                      m_storeRetryMs = std::clamp(m_storeRetryMs * 2, 100, 5000);
                      qCWarning(lcRunner) << "job" << m_jobId << "final status not stored yet, retrying in"
                                          << m_storeRetryMs << "ms:" << stored.error();
                      m_storeTimer.start(m_storeRetryMs);
                      return;
                  }
                  if (!stored.value())
                      qCWarning(lcRunner) << "job" << m_jobId << "was no longer running when it ended here";
                  qCInfo(lcRunner) << "job" << m_jobId << "finished:" << statusName(m_outcome.status)
                                   << m_outcome.explanation;
                  if (!m_context->keepJobDirs && !m_privateDir.isEmpty())
                      QDir(m_privateDir).removeRecursively();
                  done(true, m_outcome.status);
              });
}

void RunJob::done(bool ran, JobStatus status) {
    m_state = State::Done;
    if (m_transport) // this may run inside one of its signals
        m_transport.release()->deleteLater();
    Q_EMIT finished(m_jobId, ran, status);
}

} // namespace playdeck

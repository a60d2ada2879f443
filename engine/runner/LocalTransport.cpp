#include "LocalTransport.h"

#include "core/Logging.h"

#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace playdeck {

LocalTransport::LocalTransport(LocalTransportSettings settings, QObject *parent)
    : WorkerTransport(parent)
    , m_settings(std::move(settings)) {
    qRegisterMetaType<TransportExit>();
    connect(m_process.get(), &QProcess::started, this, &WorkerTransport::started);
    connect(m_process.get(), &QProcess::readyReadStandardError, this,
            [this] { Q_EMIT errorOutput(m_process->readAllStandardError()); });
    connect(m_process.get(), &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || m_exited)
            return; // crashes arrive through finished()
        m_exited = true;
        closePipe();
        Q_EMIT exited({true, m_process->errorString(), false, 0});
    });
    connect(m_process.get(), &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        if (m_exited)
            return;
        m_exited = true;
        // The helper exits only after every process of the job: all writers of the pipe are gone,
        // so what is left in it ends in end-of-file (at most a pipe's capacity, even while paused).
        readOutput(true);
        closePipe();
        Q_EMIT errorOutput(m_process->readAllStandardError());
        // playdeck-helper exits with 128 + the signal that ended the worker, as a shell does.
        const bool killed = status == QProcess::CrashExit || (code > 128 && code < 128 + 65);
        Q_EMIT exited({false, {}, killed, code});
    });
}

LocalTransport::~LocalTransport() {
    if (m_process->state() != QProcess::NotRunning) {
        // Only when the engine is torn down with a job still running: the helper stops the tree. It is
        // never SIGKILLed: that would orphan the job's processes, which only the helper can reach.
        m_process->disconnect(this);
        // Still starting: the helper must be running before it can be told to stop the tree.
        if (m_process->state() == QProcess::Starting)
            m_process->waitForStarted(5000);
        signalHelper(SIGTERM);
        if (!m_process->waitForFinished(m_settings.treeGraceMs + 5000)) {
            // QProcess's destructor would SIGKILL it: leave it be instead. It stops the tree and
            // exits on its own, at the latest when this process exits.
            qCCritical(lcRunner) << "the job's process guard did not stop in time; leaving it to finish";
            (void)m_process.release();
        }
    }
    closePipe();
}

QString LocalTransport::describe() const {
    return QStringLiteral("local");
}

void LocalTransport::start(const QByteArray &transmitStream) {
    int fds[2] = {-1, -1};
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        m_exited = true;
        Q_EMIT exited(
            {true, tr("Cannot create a pipe: %1").arg(QString::fromLocal8Bit(strerror(errno))), false, 0});
        return;
    }
    m_readFd = fds[0];
    const int writeFd = fds[1];
    ::fcntl(m_readFd, F_SETFL, ::fcntl(m_readFd, F_GETFL) | O_NONBLOCK);
    m_notifier = new QSocketNotifier(m_readFd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] { readOutput(false); });

    m_process->setProgram(m_settings.helperProgram);
    m_process->setArguments({QStringLiteral("job"), QStringLiteral("--grace-ms"),
                             QString::number(m_settings.treeGraceMs), QStringLiteral("--"),
                             m_settings.runnerProgram, QStringLiteral("worker")});
    m_process->setWorkingDirectory(m_settings.workingDirectory);
    m_process->setProcessEnvironment(m_settings.environment);
    m_process->setStandardOutputFile(QProcess::nullDevice());
    m_process->setChildProcessModifier([writeFd] {
        // In the child, after QProcess set up its descriptors: a session of its own keeps the
        // terminal's Ctrl-C and hang-up away (Playdeck stops the job itself), and stdout becomes our
        // pipe (the O_CLOEXEC original closes on exec).
        ::setsid();
        ::dup2(writeFd, STDOUT_FILENO);
    });
    connect(m_process.get(), &QProcess::started, this, [this, transmitStream] {
        m_process->write(transmitStream);
        m_process->closeWriteChannel();
    });
    m_process->start();
    ::close(writeFd); // the child has its copy (or failed to start)
}

void LocalTransport::setReading(bool on) {
    m_reading = on;
    if (m_notifier)
        m_notifier->setEnabled(on);
}

void LocalTransport::readOutput(bool toTheEnd) {
    if (m_readFd < 0)
        return;
    // Without `toTheEnd`, at most a few chunks per wake-up, so that other jobs in this thread get
    // their turn and back-pressure can act between them.
    for (int round = 0; toTheEnd || round < 4; ++round) {
        QByteArray chunk(kReadChunk, Qt::Uninitialized);
        const ssize_t n = ::read(m_readFd, chunk.data(), size_t(chunk.size()));
        if (n > 0) {
            chunk.truncate(n);
            Q_EMIT output(chunk);
            if (!toTheEnd && !m_reading)
                return;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || (n < 0 && errno != EAGAIN)) {
            // End of the stream: every writer is gone. The exit arrives through finished().
            if (m_notifier)
                m_notifier->setEnabled(false);
            return;
        }
        return; // EAGAIN: nothing more for now
    }
}

void LocalTransport::closePipe() {
    if (m_notifier) {
        m_notifier->setEnabled(false);
        m_notifier->deleteLater();
        m_notifier = nullptr;
    }
    if (m_readFd >= 0) {
        ::close(m_readFd);
        m_readFd = -1;
    }
}

void LocalTransport::signalHelper(int signal) {
    const qint64 pid = m_process->processId();
    if (pid > 0 && m_process->state() == QProcess::Running)
        ::kill(pid_t(pid), signal);
}

void LocalTransport::interrupt() {
    signalHelper(SIGINT);
}

void LocalTransport::terminate() {
    signalHelper(SIGTERM);
}

void LocalTransport::kill() {
    // Not SIGKILL (see the destructor): the helper escalates to SIGKILL on the tree itself. Ask again,
    // and wake it should it have been stopped.
    qCWarning(lcRunner) << "the job's guard is still running; asking it again to stop the job's processes";
    signalHelper(SIGCONT);
    signalHelper(SIGTERM);
}

} // namespace playdeck

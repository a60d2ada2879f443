#include "InventoryReader.h"

#include <QCoreApplication>

#include <csignal>
#include <unistd.h>

namespace playdeck {

namespace {
constexpr qsizetype kMaxOutput = 256 * 1024 * 1024; // a quarter of a GB of JSON is no inventory
} // namespace

InventoryReader::InventoryReader(QString source, int timeoutMs, QString program, QObject *parent)
    : QObject(parent)
    , m_source(std::move(source))
    , m_timeoutMs(timeoutMs)
    , m_program(std::move(program)) {
    m_timeout.setSingleShot(true);
    m_kill.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        signalGroup(SIGTERM);
        m_kill.start(3000);
    });
    connect(&m_kill, &QTimer::timeout, this, [this] { signalGroup(SIGKILL); });
    connect(&m_process, &QProcess::readyReadStandardOutput, this, [this] {
        m_stdout += m_process.readAllStandardOutput();
        if (m_stdout.size() > kMaxOutput) {
            signalGroup(SIGKILL);
            finish(Status::failure(tr("ansible-inventory printed more than %1 MB for %2; it was stopped.")
                                       .arg(kMaxOutput >> 20)
                                       .arg(m_source)));
        }
    });
    connect(&m_process, &QProcess::readyReadStandardError, this, [this] {
        m_stderr += m_process.readAllStandardError();
        if (m_stderr.size() > 1024 * 1024)
            m_stderr = m_stderr.right(512 * 1024);
    });
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            finish(Status::failure(
                tr("Cannot run %1: %2. Is ansible-core installed?").arg(m_program, m_process.errorString())));
    });
    connect(&m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        m_stdout += m_process.readAllStandardOutput();
        m_stderr += m_process.readAllStandardError();
        signalGroup(SIGKILL); // whatever a script left running goes too
        if (m_timedOut)
            return finish(
                Status::failure(tr("Reading the inventory %1 took longer than %2 s and was stopped.")
                                    .arg(m_source)
                                    .arg(m_timeoutMs / 1000)));
        if (status != QProcess::NormalExit || code != 0) {
            const QString why =
                diagnostics().isEmpty() ? tr("exit code %1").arg(code) : diagnostics().right(2000);
            return finish(Status::failure(tr("ansible-inventory could not read %1: %2").arg(m_source, why)));
        }
        finish(parseAnsibleInventoryJson(m_stdout));
    });
}

InventoryReader::~InventoryReader() {
    if (m_process.state() != QProcess::NotRunning) {
        signalGroup(SIGKILL);
        m_process.waitForFinished(3000);
    }
}

void InventoryReader::start() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ANSIBLE_INVENTORY_UNPARSED_FAILED"), QStringLiteral("True"));
    env.insert(QStringLiteral("ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED"), QStringLiteral("True"));
    env.insert(QStringLiteral("ANSIBLE_NOCOLOR"), QStringLiteral("1"));
    m_process.setProcessEnvironment(env);
    m_process.setChildProcessModifier([] { ::setpgid(0, 0); });
    m_process.start(m_program,
                    {QStringLiteral("-i"), m_source, QStringLiteral("--list"), QStringLiteral("--export")});
    m_pid = m_process.processId();
    m_timeout.start(m_timeoutMs);
}

void InventoryReader::signalGroup(int signalNumber) {
    if (m_pid > 0)
        ::kill(-pid_t(m_pid), signalNumber);
}

void InventoryReader::finish(Result<InventoryContent> result) {
    if (std::exchange(m_done, true))
        return;
    m_timeout.stop();
    Q_EMIT finished(result);
}

} // namespace playdeck

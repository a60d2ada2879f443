#pragma once

#include "WorkerTransport.h"

#include <QProcess>
#include <QProcessEnvironment>

#include <memory>

class QSocketNotifier;

namespace playdeck {

struct LocalTransportSettings {
    QString helperProgram; // playdeck-helper, which guards the worker's process tree
    QString runnerProgram = QStringLiteral("ansible-runner");
    QString workingDirectory;
    QProcessEnvironment environment;
    int treeGraceMs = 3000; // SIGTERM to the tree, then SIGKILL after this long
};

// Runs `playdeck-helper job -- ansible-runner worker` as a child process in a session of its own. The
// helper is a subreaper that kills the worker's whole tree (ansible-playbook included, which pexpect
// puts in a session of its own) when told to, when the worker ends, or when this process dies in any
// way; it exits only once that tree is gone. The result stream comes through a pipe of our own so
// that reading can pause (QProcess always reads everything it can).
class LocalTransport : public WorkerTransport {
    Q_OBJECT
public:
    explicit LocalTransport(LocalTransportSettings settings, QObject *parent = nullptr);
    ~LocalTransport() override;

    void start(const QByteArray &transmitStream) override;
    void setReading(bool on) override;
    void interrupt() override;
    void terminate() override;
    void kill() override;
    QString describe() const override;

    static constexpr qsizetype kReadChunk = 256 * 1024;

private:
    void readOutput(bool toTheEnd);
    void closePipe();
    void signalHelper(int signal);

    LocalTransportSettings m_settings;
    std::unique_ptr<QProcess> m_process = std::make_unique<QProcess>();
    int m_readFd = -1;
    QSocketNotifier *m_notifier = nullptr;
    bool m_reading = true;
    bool m_exited = false;
};

} // namespace playdeck

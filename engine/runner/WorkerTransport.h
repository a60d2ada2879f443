#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

namespace playdeck {

// How the worker of a job ended.
struct TransportExit {
    bool failedToStart = false;
    QString error;        // why it could not start
    bool crashed = false; // ended by a signal
    int exitCode = 0;
};

// Where a job's `ansible-runner worker` runs and how its streams travel: the transmit stream goes in,
// the result stream comes out (seed 004). The local transport runs it as a child process; an SSH or
// receptor transport runs it on an execution node; a scripted one feeds tests. Every transport
// promises: all output is delivered before exited(), and once exited() is emitted nothing the job
// started is still running.
class WorkerTransport : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~WorkerTransport() override = default;

    virtual void start(const QByteArray &transmitStream) = 0;
    // Back-pressure: while off, the transport takes no more output from the worker, which then blocks
    // writing it; the job slows down instead of Playdeck's memory growing.
    virtual void setReading(bool on) = 0;
    // Ask the worker to stop the job cleanly (ansible-runner turns SIGINT into a cancel).
    virtual void interrupt() = 0;
    // Stop the worker and everything it started, now.
    virtual void terminate() = 0;
    // When terminate() did not end it in time: ask harder. A transport never abandons the job's
    // processes (the local one never SIGKILLs the guard that alone can reach them).
    virtual void kill() = 0;
    // For logs and explanations: "local", "ssh node1", ...
    virtual QString describe() const = 0;

Q_SIGNALS:
    void started();
    void output(const QByteArray &chunk);
    void errorOutput(const QByteArray &chunk);
    void exited(const playdeck::TransportExit &exit);
};

} // namespace playdeck

Q_DECLARE_METATYPE(playdeck::TransportExit)

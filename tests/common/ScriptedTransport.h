#pragma once

#include "runner/WorkerTransport.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMutex>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace playdeck {
struct RunInput;
}

namespace playdeck::test {

// A worker transport for fault injection: instead of running ansible-runner it plays back a result
// stream given by the test, a chunk every `intervalMs`, then exits with `exitCode`. It honours
// setReading() (back-pressure) and stops early on interrupt/terminate/kill, as a real worker would
// when canceled. With `holdAtEnd`, it waits after the last chunk until it is stopped.
class ScriptedTransport : public WorkerTransport {
    Q_OBJECT
public:
    struct Script {
        QList<QByteArray> chunks;
        int intervalMs = 0;
        int exitCode = 0;
        bool holdAtEnd = false;
        // After `chunks`: more made on demand, until it returns nothing (a stream too big to hold).
        std::function<std::optional<QByteArray>()> generate;
    };

    explicit ScriptedTransport(Script script, QObject *parent = nullptr);

    void start(const QByteArray &transmitStream) override;
    void setReading(bool on) override;
    void interrupt() override;
    void terminate() override;
    void kill() override;
    QString describe() const override { return QStringLiteral("scripted"); }

    // Bytes of the transmit stream the job sent (kwargs, the zip of the private data dir).
    qsizetype transmitSize() const { return m_transmitSize; }

private:
    void next();
    void end(bool crashed, int code);

    Script m_script;
    QTimer m_timer;
    qsizetype m_next = 0;
    qsizetype m_transmitSize = 0;
    bool m_reading = true;
    bool m_ended = false;
};

// Hands each new job the next queued script, or a real local worker when none is queued: for
// EngineOptions::transport, e.g. `o.transport = queue->transports()`. Keep it as long as the engine.
class ScriptQueue {
public:
    void push(ScriptedTransport::Script script);
    std::function<std::unique_ptr<WorkerTransport>(const RunInput &, const QString &)> transports();

private:
    QMutex m_mutex; // jobs start on the dispatcher's threads
    QList<ScriptedTransport::Script> m_queue;
};

// Helpers to write a result stream as ansible-runner worker does.
QByteArray statusLine(const QString &status);
QByteArray eventLine(int counter, const QString &event, const QString &stdout = {},
                     const QByteArray &eventDataJson = QByteArrayLiteral("{}"));
// The zipfile line and the base64 artifacts block (no line break before the next line).
QByteArray artifactsBlock(const QByteArray &zip);
// One runner_item_on_ok event of about 1 KB as ansible-runner writes it for a debug loop (the shape
// of the benchmarks' streams); `created` defaults to a fixed time.
QByteArray loopEventLine(int counter, const QDateTime &created = {});
// A job of `events` loop events (from its starting line to its end), in chunks of about 64 KB as a
// pipe delivers them, all at once.
ScriptedTransport::Script loopJobScript(int events);
// A job of `events` loop events offered at `perSecond`, each created when it is written (for lag
// measurements): as many as are due by now at each tick, whatever the timer's slack.
ScriptedTransport::Script pacedLoopScript(int events, int perSecond);
// What a successful worker writes after its last event: the status, artifacts with rc 0, the end.
QByteArray successfulEnd();
QByteArray eofLine();
// A zip with the entries given: name → contents; a name ending in " -> target" is a symlink.
QByteArray makeZip(const QList<std::pair<QByteArray, QByteArray>> &entries);

} // namespace playdeck::test

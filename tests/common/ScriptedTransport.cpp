#include "ScriptedTransport.h"

#include "db/HelperProgram.h"
#include "runner/LocalTransport.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

#include <archive.h>
#include <archive_entry.h>

namespace playdeck::test {

ScriptedTransport::ScriptedTransport(Script script, QObject *parent)
    : WorkerTransport(parent)
    , m_script(std::move(script)) {
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ScriptedTransport::next);
}

void ScriptedTransport::start(const QByteArray &transmitStream) {
    m_transmitSize = transmitStream.size();
    Q_EMIT started();
    m_timer.start(0);
}

void ScriptedTransport::setReading(bool on) {
    m_reading = on;
    if (on && !m_ended && !m_timer.isActive())
        m_timer.start(m_script.intervalMs);
}

void ScriptedTransport::next() {
    if (m_ended || !m_reading)
        return;
    if (m_next < m_script.chunks.size()) {
        Q_EMIT output(m_script.chunks.at(m_next++));
        if (m_reading)
            m_timer.start(m_script.intervalMs);
        return;
    }
    if (m_script.generate) {
        if (std::optional<QByteArray> chunk = m_script.generate()) {
            Q_EMIT output(*chunk);
            if (m_reading)
                m_timer.start(m_script.intervalMs);
            return;
        }
        m_script.generate = nullptr;
    }
    if (!m_script.holdAtEnd)
        end(false, m_script.exitCode);
}

void ScriptedTransport::end(bool crashed, int code) {
    if (m_ended)
        return;
    m_ended = true;
    m_timer.stop();
    // As a real worker: what was written before the end is all delivered first.
    QMetaObject::invokeMethod(
        this,
        [this, crashed, code] {
            Q_EMIT exited({false, {}, crashed, code});
        },
        Qt::QueuedConnection);
}

void ScriptedTransport::interrupt() {
    // ansible-runner answers SIGINT with a canceled status line, then its end.
    if (m_ended)
        return;
    Q_EMIT output(statusLine(QStringLiteral("canceled")) + eofLine());
    end(false, 0);
}

void ScriptedTransport::terminate() {
    end(true, 128 + 15);
}

void ScriptedTransport::kill() {
    end(true, 128 + 9);
}

void ScriptQueue::push(ScriptedTransport::Script script) {
    QMutexLocker lock(&m_mutex);
    m_queue << std::move(script);
}

std::function<std::unique_ptr<WorkerTransport>(const RunInput &, const QString &)> ScriptQueue::transports() {
    return [this](const RunInput &, const QString &dir) -> std::unique_ptr<WorkerTransport> {
        QMutexLocker lock(&m_mutex);
        if (!m_queue.isEmpty())
            return std::make_unique<ScriptedTransport>(m_queue.takeFirst());
        LocalTransportSettings local;
        local.helperProgram = helperProgram();
        local.workingDirectory = dir;
        local.environment = QProcessEnvironment::systemEnvironment();
        return std::make_unique<LocalTransport>(local);
    };
}

QByteArray statusLine(const QString &status) {
    return QJsonDocument(QJsonObject{{QStringLiteral("status"), status}}).toJson(QJsonDocument::Compact) +
           '\n';
}

QByteArray eventLine(int counter, const QString &event, const QString &stdout,
                     const QByteArray &eventDataJson) {
    QByteArray line = "{\"uuid\": \"" + QByteArray::number(counter) +
                      "-uuid\", \"counter\": " + QByteArray::number(counter) + ", \"event\": " +
                      QJsonDocument(QJsonObject{{QStringLiteral("e"), event}})
                          .toJson(QJsonDocument::Compact)
                          .mid(5)
                          .chopped(1) +
                      ", \"stdout\": " +
                      QJsonDocument(QJsonObject{{QStringLiteral("s"), stdout}})
                          .toJson(QJsonDocument::Compact)
                          .mid(5)
                          .chopped(1) +
                      ", \"start_line\": " + QByteArray::number(counter - 1) +
                      ", \"end_line\": " + QByteArray::number(counter) +
                      ", \"created\": \"2026-12-01T12:00:00.000000\", \"event_data\": " + eventDataJson +
                      "}\n";
    return line;
}

QByteArray artifactsBlock(const QByteArray &zip) {
    return "{\"zipfile\": " + QByteArray::number(zip.size()) + "}\n" + zip.toBase64();
}

QByteArray loopEventLine(int counter, const QDateTime &created) {
    static const QByteArray padding(560, 'x');
    const QByteArray n = QByteArray::number(counter);
    const QByteArray uuid = "00000000-0000-4000-8000-" + n.rightJustified(12, '0');
    const QByteArray host = "web" + QByteArray::number(counter % 50);
    const QByteArray when =
        created.isValid() ? created.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz000")).toLatin1()
                          : QByteArray("2026-12-01T12:00:00.000000");
    return "{\"uuid\": \"" + uuid + "\", \"counter\": " + n + ", \"stdout\": \"\\u001b[0;32mok: [" + host +
           "] => (item=" + n + ")\\u001b[0m\", \"start_line\": " + n +
           ", \"end_line\": " + QByteArray::number(counter + 1) +
           ", \"runner_ident\": \"1\", \"event\": \"runner_item_on_ok\", \"pid\": 4242, \"created\": \"" +
           when +
           "\", \"parent_uuid\": \"11111111-2222-4333-8444-555555555555\", \"event_data\": {\"playbook\": "
           "\"site.yml\", \"play\": \"Configure\", \"task\": \"Loop over items\", \"task_action\": "
           "\"ansible.builtin.debug\", \"host\": \"" +
           host + "\", \"res\": {\"msg\": \"" + padding + "\", \"changed\": false}, \"uuid\": \"" + uuid +
           "\"}}\n";
}

ScriptedTransport::Script loopJobScript(int events) {
    ScriptedTransport::Script script;
    script.chunks = {statusLine(QStringLiteral("starting")) + statusLine(QStringLiteral("running"))};
    QByteArray chunk;
    for (int c = 1; c <= events; ++c) {
        chunk += loopEventLine(c);
        if (chunk.size() >= 65536)
            script.chunks << std::exchange(chunk, {});
    }
    script.chunks << chunk + successfulEnd();
    return script;
}

ScriptedTransport::Script pacedLoopScript(int events, int perSecond) {
    ScriptedTransport::Script script;
    script.chunks = {statusLine(QStringLiteral("starting")) + statusLine(QStringLiteral("running"))};
    script.intervalMs = 10;
    auto produced = std::make_shared<int>(0);
    auto pacing = std::make_shared<QElapsedTimer>();
    script.generate = [=]() -> std::optional<QByteArray> {
        if (*produced >= events)
            return std::nullopt;
        if (!pacing->isValid())
            pacing->start();
        const int due = int(std::min<qint64>(events, pacing->nsecsElapsed() * perSecond / 1000000000 + 1));
        QByteArray chunk;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        while (*produced < due)
            chunk += loopEventLine(++*produced, now);
        return *produced >= events ? chunk + successfulEnd() : chunk;
    };
    return script;
}

QByteArray successfulEnd() {
    return statusLine(QStringLiteral("successful")) + artifactsBlock(makeZip({{"rc", "0"}})) + eofLine();
}

QByteArray eofLine() {
    return "{\"eof\": true}\n";
}

QByteArray makeZip(const QList<std::pair<QByteArray, QByteArray>> &entries) {
    QByteArray out;
    archive *a = archive_write_new();
    archive_write_set_format_zip(a);
    archive_write_set_bytes_in_last_block(a, 1);
    archive_write_open(
        a, &out, nullptr,
        [](archive *, void *data, const void *buffer, size_t length) -> la_ssize_t {
            static_cast<QByteArray *>(data)->append(static_cast<const char *>(buffer), qsizetype(length));
            return la_ssize_t(length);
        },
        nullptr);
    for (const auto &[name, content] : entries) {
        archive_entry *e = archive_entry_new();
        const qsizetype arrow = name.indexOf(" -> ");
        if (arrow >= 0) {
            archive_entry_set_pathname(e, name.left(arrow).constData());
            archive_entry_set_filetype(e, AE_IFLNK);
            archive_entry_set_symlink(e, name.mid(arrow + 4).constData());
            archive_entry_set_perm(e, 0777);
            archive_entry_set_size(e, 0);
            archive_write_header(a, e);
        } else {
            archive_entry_set_pathname(e, name.constData());
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_perm(e, 0644);
            archive_entry_set_size(e, content.size());
            archive_write_header(a, e);
            archive_write_data(a, content.constData(), size_t(content.size()));
        }
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
    return out;
}

} // namespace playdeck::test

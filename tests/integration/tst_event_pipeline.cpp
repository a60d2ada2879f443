// The event pipeline under faults (issue 5, defects 1, 2, 5 and 10): killed connections, a server
// that refuses an event, text that is not UTF-8, and hostile or broken result streams. The worker
// is a scripted transport playing back a result stream (deterministic), or the real ansible-runner.

#include "ScriptedTransport.h"
#include "TestEngine.h"

#include "db/DbPool.h"
#include "services/JobService.h"
#include "store/EventStore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace playdeck;
using playdeck::test::ScriptedTransport;
using playdeck::test::TestEngine;

namespace {

// The scripts the next jobs play back, in launch order.
struct Scripts {
    QMutex mutex;
    QList<ScriptedTransport::Script> queue;
};

QByteArray okZip() {
    return test::makeZip({{"rc", "0"}, {"status", "successful"}});
}

// A whole, well-formed stream with `events` events whose stdout says "event N".
QList<QByteArray> wellFormed(int events, int perChunk) {
    QList<QByteArray> chunks{test::statusLine(QStringLiteral("starting")) +
                             test::statusLine(QStringLiteral("running"))};
    QByteArray chunk;
    for (int i = 1; i <= events; ++i) {
        chunk +=
            test::eventLine(i, i == 1 ? QStringLiteral("playbook_on_start") : QStringLiteral("runner_on_ok"),
                            QStringLiteral("event %1").arg(i));
        if (i % perChunk == 0 || i == events) {
            chunks << chunk;
            chunk.clear();
        }
    }
    chunks << test::statusLine(QStringLiteral("successful")) + test::artifactsBlock(okZip()) +
                  test::eofLine();
    return chunks;
}

const QString kLoop = QStringLiteral("- hosts: all\n  gather_facts: false\n  tasks:\n"
                                     "    - name: Tick\n      command: sleep 0.02\n"
                                     "      loop: \"{{ range(60) | list }}\"\n");

ScriptedTransport::Script scripted(QList<QByteArray> chunks, int intervalMs = 0) {
    ScriptedTransport::Script s;
    s.chunks = std::move(chunks);
    s.intervalMs = intervalMs;
    return s;
}

} // namespace

class EventPipelineTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { m_engine.reset(); }
    void killedConnectionsLoseNoEventScripted();
    void killedConnectionsLoseNoEventRealJob();
    void aRefusedEventIsCountedAndExplained();
    void aLastingDatabaseErrorIsReportedAndNothingIsLost();
    void surrogatesNulAndInvalidUtf8AreStored();
    void textWithCopyDelimitersIsStoredExactly();
    void latin1OutputOfARealTaskIsStored();
    void aHugeResultIsCutAndMarkedButItsStdoutIsKept();
    void symlinkTraversalInArtifactsIsRefused();
    void badCountersEndTheJobInErrorAndSayWhere();
    void hugeOrOverflowingArtifactSizesAreRefused();

private:
    qint64 launchScripted(ScriptedTransport::Script script);
    int stored(qint64 id) {
        return m_engine->scalar(QStringLiteral("SELECT count(*) FROM job_event WHERE job_id = ?"), {id})
            .toInt();
    }
    QString explanation(qint64 id) {
        return m_engine->scalar(QStringLiteral("SELECT job_explanation FROM unified_job WHERE id = ?"), {id})
            .toString();
    }
    void assertEveryEventOnce(qint64 id, int expected) {
        QCOMPARE(stored(id), expected);
        QCOMPARE(
            m_engine
                ->scalar(QStringLiteral("SELECT count(DISTINCT counter) FROM job_event WHERE job_id = ?"),
                         {id})
                .toInt(),
            expected);
        QCOMPARE(m_engine->scalar(QStringLiteral("SELECT max(counter) FROM job_event WHERE job_id = ?"), {id})
                     .toInt(),
                 expected);
        QCOMPARE(m_engine->scalar(QStringLiteral("SELECT emitted_events FROM unified_job WHERE id = ?"), {id})
                     .toInt(),
                 expected);
    }

    std::shared_ptr<Scripts> m_scripts = std::make_shared<Scripts>();
    std::unique_ptr<TestEngine> m_engine;
    QTemporaryDir m_outside;
};

void EventPipelineTest::initTestCase() {
    auto scripts = m_scripts;
    m_engine = std::make_unique<TestEngine>([scripts](EngineOptions &o) {
        o.eventDelayReportMs = 1000;
        // Each job takes the next script (the real-ansible cases use an engine of their own).
        o.transport = [scripts](const RunInput &, const QString &) -> std::unique_ptr<WorkerTransport> {
            QMutexLocker lock(&scripts->mutex);
            Q_ASSERT(!scripts->queue.isEmpty());
            return std::make_unique<ScriptedTransport>(scripts->queue.takeFirst());
        };
    });
    QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
}

qint64 EventPipelineTest::launchScripted(ScriptedTransport::Script script) {
    {
        QMutexLocker lock(&m_scripts->mutex);
        m_scripts->queue.append(std::move(script));
    }
    return m_engine->launch(QStringLiteral("Demo Job Template"));
}

void EventPipelineTest::killedConnectionsLoseNoEventScripted() {
    // Before the fix the receiver took a new connection for its old one (same libpq address), found no
    // staging table there, treated that as refused events and dropped every event from then on.
    const qint64 id = launchScripted(scripted(wellFormed(600, 10), 10));
    QTRY_VERIFY_WITH_TIMEOUT(stored(id) >= 100, 30000);
    QVERIFY(m_engine->terminateEngineConnections() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(stored(id) >= 300, 30000);
    QVERIFY(m_engine->terminateEngineConnections() > 0);
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Successful);
    assertEveryEventOnce(id, 600);
    QCOMPARE(
        m_engine->scalar(QStringLiteral("SELECT refused_events FROM unified_job WHERE id = ?"), {id}).toInt(),
        0);

    // And the next job after the reconnect stores everything too.
    const qint64 next = launchScripted(scripted(wellFormed(50, 50), 0));
    QCOMPARE(m_engine->waitForFinished(next), JobStatus::Successful);
    assertEveryEventOnce(next, 50);
}

void EventPipelineTest::killedConnectionsLoseNoEventRealJob() {
    TestEngine real;
    QVERIFY2(real.ok(), qPrintable(real.error()));
    QVERIFY(real.addTemplate(QStringLiteral("Loop"), kLoop));
    const qint64 id = real.launch(QStringLiteral("Loop"));
    const auto storedHere = [&] {
        return real.scalar(QStringLiteral("SELECT count(*) FROM job_event WHERE job_id = ?"), {id}).toInt();
    };
    QTRY_VERIFY_WITH_TIMEOUT(storedHere() >= 10, 60000);
    QVERIFY(real.terminateEngineConnections() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(storedHere() >= 40, 60000);
    QVERIFY(real.terminateEngineConnections() > 0);
    QCOMPARE(real.waitForFinished(id, 120000), JobStatus::Successful);
    const int emitted =
        real.scalar(QStringLiteral("SELECT emitted_events FROM unified_job WHERE id = ?"), {id}).toInt();
    QVERIFY(emitted > 60);
    QCOMPARE(storedHere(), emitted);
    QCOMPARE(real.scalar(QStringLiteral("SELECT max(counter) FROM job_event WHERE job_id = ?"), {id}).toInt(),
             emitted);
}

void EventPipelineTest::aRefusedEventIsCountedAndExplained() {
    // A data error (SQLSTATE class 23: a check constraint) of one event: that event alone is not
    // stored, and the job says so.
    (void)m_engine->scalar(QStringLiteral("ALTER TABLE job_event ADD CONSTRAINT test_refuse"
                                          " CHECK (stdout NOT LIKE '%REFUSE-ME%') NOT VALID; SELECT 1"));
    QCOMPARE(m_engine
                 ->scalar(QStringLiteral("SELECT count(*) FROM pg_constraint WHERE conname = 'test_refuse'"
                                         " AND conrelid = 'job_event'::regclass"))
                 .toInt(),
             1);
    QList<QByteArray> chunks{test::statusLine(QStringLiteral("running"))};
    for (int i = 1; i <= 20; ++i)
        chunks << test::eventLine(i, QStringLiteral("runner_on_ok"),
                                  i == 7 ? QStringLiteral("REFUSE-ME please")
                                         : QStringLiteral("fine %1").arg(i));
    chunks << test::statusLine(QStringLiteral("successful")) + test::artifactsBlock(okZip()) +
                  test::eofLine();
    const qint64 id = launchScripted(scripted(chunks, 0));
    const JobStatus status = m_engine->waitForFinished(id);
    (void)m_engine->scalar(QStringLiteral("ALTER TABLE job_event DROP CONSTRAINT test_refuse; SELECT 1"));
    QCOMPARE(status, JobStatus::Successful);
    QCOMPARE(stored(id), 19);
    QCOMPARE(
        m_engine->scalar(QStringLiteral("SELECT refused_events FROM unified_job WHERE id = ?"), {id}).toInt(),
        1);
    const QString reason =
        m_engine->scalar(QStringLiteral("SELECT refused_reason FROM unified_job WHERE id = ?"), {id})
            .toString();
    QVERIFY2(reason.contains(QStringLiteral("test_refuse")), qPrintable(reason));
    auto job = test::await(m_engine->controller().jobs().job(id));
    QVERIFY(job);
    QCOMPARE(job.value().refusedEvents, 1);
    QVERIFY(job.value().eventProcessingFinished);
}

void EventPipelineTest::aLastingDatabaseErrorIsReportedAndNothingIsLost() {
    // An error that is not about the data (here a full disk, SQLSTATE 53100, raised by a trigger) is
    // retried for as long as it lasts, and reported; once it is gone every event is stored.
    (void)m_engine->scalar(
        QStringLiteral("CREATE FUNCTION test_disk_full() RETURNS trigger LANGUAGE plpgsql AS"
                       " $$ BEGIN RAISE EXCEPTION 'no space left (test)' USING ERRCODE = '53100'; END $$;"
                       " CREATE TRIGGER test_disk_full BEFORE INSERT ON job_event FOR EACH ROW"
                       " EXECUTE FUNCTION test_disk_full(); SELECT 1"));
    // Gone however this test ends: the tests after it share the engine.
    const auto dropTrigger = [this] {
        (void)m_engine->scalar(QStringLiteral("DROP TRIGGER IF EXISTS test_disk_full ON job_event;"
                                              " DROP FUNCTION IF EXISTS test_disk_full(); SELECT 1"));
    };
    auto dropAtTheEnd = qScopeGuard(dropTrigger);
    QSignalSpy problems(&m_engine->engine(), &Engine::databaseProblem);
    QSignalSpy back(&m_engine->engine(), &Engine::databaseBack);
    {
        QMutexLocker lock(&m_scripts->mutex);
        m_scripts->queue.append(scripted(wellFormed(20, 20), 0));
    }
    // Launched and followed from the command line; this test's engine runs the job.
    QProcess follower;
    follower.start(QStringLiteral(PLAYDECK_BINARY),
                   {QStringLiteral("--data-dir"), m_engine->dataDir(), QStringLiteral("launch"),
                    QStringLiteral("Demo Job Template"), QStringLiteral("--follow")});
    QVERIFY(follower.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(!problems.isEmpty(), 30000);
    const qint64 id = m_engine->scalar(QStringLiteral("SELECT max(id) FROM unified_job")).toLongLong();
    const QString message = problems.first().first().toString();
    QVERIFY2(message.contains(QStringLiteral("could not be stored")) &&
                 message.contains(QStringLiteral("no space left (test)")),
             qPrintable(message));
    QCOMPARE(stored(id), 0);
    QVERIFY(
        !m_engine
             ->scalar(QStringLiteral("SELECT event_processing_finished FROM unified_job WHERE id = ?"), {id})
             .toBool());

    // The follower's job has ended, but its events are not stored: it says what it waits for.
    QByteArray followerErr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (followerErr += follower.readAllStandardError())
            .contains("has ended (successful); waiting for its last events to be stored"),
        30000);

    dropTrigger(); // the disk has room again
    QTRY_VERIFY_WITH_TIMEOUT(!back.isEmpty(), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(follower.state(), QProcess::NotRunning, 60000);
    QCOMPARE(follower.exitCode(), 0); // it ends once they are stored, as the job went
    QVERIFY(follower.readAllStandardOutput().contains("event 20")); // every event printed
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Successful);
    QTRY_VERIFY(
        m_engine
            ->scalar(QStringLiteral("SELECT event_processing_finished FROM unified_job WHERE id = ?"), {id})
            .toBool());
    assertEveryEventOnce(id, 20);
    QCOMPARE(
        m_engine->scalar(QStringLiteral("SELECT refused_events FROM unified_job WHERE id = ?"), {id}).toInt(),
        0);
}

void EventPipelineTest::surrogatesNulAndInvalidUtf8AreStored() {
    // What ansible's surrogateescape makes of Latin-1 or binary output, a NUL, and raw bytes that are
    // not UTF-8: jsonb refuses all of them, so the whole event used to vanish.
    QByteArray line =
        test::eventLine(2, QStringLiteral("runner_on_ok"), QStringLiteral("placeholder"),
                        QByteArrayLiteral("{\"res\": {\"stdout\": \"caf\\udce9 \\u0000 end\"}}"));
    line.replace("placeholder", "caf\\udce9 \\ud800 ok \\ud83d\\ude00 \xff\xfe raw");
    QList<QByteArray> chunks{test::statusLine(QStringLiteral("running")),
                             test::eventLine(1, QStringLiteral("playbook_on_start")) + line,
                             test::statusLine(QStringLiteral("successful")) + test::artifactsBlock(okZip()) +
                                 test::eofLine()};
    const qint64 id = launchScripted(scripted(chunks, 0));
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Successful);
    QCOMPARE(stored(id), 2);
    const QString stdoutText =
        m_engine
            ->scalar(QStringLiteral("SELECT stdout FROM job_event WHERE job_id = ? AND counter = 2"), {id})
            .toString();
    const QChar fffd(0xFFFD);
    // The rest of the text is exact, the valid surrogate pair (an emoji) included.
    QCOMPARE(stdoutText, QStringLiteral("caf") + fffd + QStringLiteral(" ") + fffd + QStringLiteral(" ok ") +
                             QString::fromUtf8("\xF0\x9F\x98\x80") + QStringLiteral(" ") + fffd + fffd +
                             QStringLiteral(" raw"));
    const QString data =
        m_engine
            ->scalar(
                QStringLiteral(
                    "SELECT event_data->'res'->>'stdout' FROM job_event WHERE job_id = ? AND counter = 2"),
                {id})
            .toString();
    QCOMPARE(data, QStringLiteral("caf") + fffd + QStringLiteral(" ") + fffd + QStringLiteral(" end"));
}

void EventPipelineTest::textWithCopyDelimitersIsStoredExactly() {
    // COPY's text format escapes backslash, tab, newline and carriage return; the writer finds them
    // a word at a time, so put each at every offset of a word, and run it through a whole batch.
    QList<QByteArray> chunks{test::statusLine(QStringLiteral("running"))};
    QStringList expected;
    const QString specials = QStringLiteral("\\\t\n\r");
    for (int i = 1; i <= 40; ++i) {
        QString text = QStringLiteral("x").repeated(i % 9) + specials.at(i % 4) + QStringLiteral("yyyyyyy") +
                       specials.at((i + 1) % 4) + QStringLiteral("é\\n") + QString::number(i);
        expected << text;
        chunks << test::eventLine(
            i, QStringLiteral("verbose"), text,
            QJsonDocument(QJsonObject{{QStringLiteral("task"), text}}).toJson(QJsonDocument::Compact));
    }
    chunks << test::statusLine(QStringLiteral("successful")) + test::artifactsBlock(okZip()) +
                  test::eofLine();
    const qint64 id = launchScripted(scripted(chunks, 0));
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Successful);
    QSqlDatabase db = m_engine->db();
    QSqlQuery q(db);
    QVERIFY(q.exec(QStringLiteral("SELECT stdout, task, event_data->>'task' FROM job_event WHERE job_id = %1"
                                  " ORDER BY counter")
                       .arg(id)));
    QStringList stdouts, tasks, data;
    while (q.next()) {
        stdouts << q.value(0).toString();
        tasks << q.value(1).toString();
        data << q.value(2).toString();
    }
    QCOMPARE(stdouts, expected);
    QCOMPARE(tasks, expected);
    QCOMPARE(data, expected);

    const QString zone = m_engine->scalar(QStringLiteral("SELECT current_setting('TimeZone')")).toString();
    // What the command line streams (a binary COPY) is the same text, byte for byte.
    QByteArray out;
    const auto into = [&out](const char *d, qsizetype n) {
        out.append(d, n);
        return true;
    };
    auto rows = EventStore(db).dump(id, EventStore::Dump::Stdout, into);
    QVERIFY2(rows, qPrintable(rows.error()));
    QCOMPARE(rows.value(), 40);
    QCOMPARE(QString::fromUtf8(out), expected.join(QLatin1Char('\n')) + QLatin1Char('\n'));
    out.clear();
    rows = EventStore(db).dump(id, EventStore::Dump::JsonLines, into);
    QVERIFY2(rows, qPrintable(rows.error()));
    const QList<QByteArray> lines = out.split('\n');
    QCOMPARE(lines.size(), 41); // and the empty rest after the last line break
    for (int i = 0; i < 40; ++i) {
        QJsonParseError error{};
        const QJsonObject o = QJsonDocument::fromJson(lines.at(i), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, lines.at(i).constData());
        QCOMPARE(o.value(QStringLiteral("counter")).toInt(), i + 1);
        QCOMPARE(o.value(QStringLiteral("stdout")).toString(), expected.at(i));
        QCOMPARE(o.value(QStringLiteral("event_data")).toObject().value(QStringLiteral("task")).toString(),
                 expected.at(i));
        QCOMPARE(o.value(QStringLiteral("job")).toInteger(), id);
        QCOMPARE(o.value(QStringLiteral("failed")).toBool(), false);
        QVERIFY2(o.value(QStringLiteral("created")).toString().endsWith(QLatin1Char('Z')), lines.at(i));
        QVERIFY(QDateTime::fromString(o.value(QStringLiteral("created")).toString(), Qt::ISODateWithMs)
                    .isValid());
    }
    // A sink that gives up stops the dump with a failure, and the connection stays usable.
    rows = EventStore(db).dump(id, EventStore::Dump::Stdout, [](const char *, qsizetype) { return false; });
    QVERIFY(!rows);
    QCOMPARE(m_engine->scalar(QStringLiteral("SELECT 1")).toInt(), 1);
    QVERIFY(EventStore(db).dump(id, EventStore::Dump::Stdout, into));
    // The UTC of the JSON was the COPY's own: the session keeps its zone.
    QCOMPARE(m_engine->scalar(QStringLiteral("SELECT current_setting('TimeZone')")).toString(), zone);
}

void EventPipelineTest::latin1OutputOfARealTaskIsStored() {
    TestEngine real;
    QVERIFY2(real.ok(), qPrintable(real.error()));
    QVERIFY(real.addTemplate(QStringLiteral("Latin1"),
                             QStringLiteral("- hosts: all\n  gather_facts: false\n  tasks:\n"
                                            "    - name: Print Latin-1 and binary\n"
                                            "      shell: printf 'caf\\351 \\377\\376 end'\n"
                                            "      register: out\n"
                                            "    - debug: var=out.stdout\n")));
    const qint64 id = real.launch(QStringLiteral("Latin1"));
    QCOMPARE(real.waitForFinished(id), JobStatus::Successful);
    const int emitted =
        real.scalar(QStringLiteral("SELECT emitted_events FROM unified_job WHERE id = ?"), {id}).toInt();
    QCOMPARE(real.scalar(QStringLiteral("SELECT count(*) FROM job_event WHERE job_id = ?"), {id}).toInt(),
             emitted);
    QVERIFY(real.scalar(QStringLiteral(
                            "SELECT count(*) FROM job_event WHERE job_id = ? AND event = 'runner_on_ok'"
                            " AND task = 'Print Latin-1 and binary'"),
                        {id})
                .toInt() == 1);
    // ansible's display prints what it cannot decode as '?': the stdout is exactly what it printed.
    auto text = test::await(real.controller().jobs().stdoutText(id));
    QVERIFY(text);
    QVERIFY2(text.value().contains(QStringLiteral("caf? ?? end")), qPrintable(text.value()));
    // The task result carries the bytes as lone surrogates (surrogateescape), which jsonb refuses:
    // they are stored as U+FFFD, the rest of the text exact.
    const QString result =
        real.scalar(QStringLiteral("SELECT event_data->'res'->>'stdout' FROM job_event WHERE job_id = ?"
                                   " AND event = 'runner_on_ok' AND task = 'Print Latin-1 and binary'"),
                    {id})
            .toString();
    const QChar fffd(0xFFFD);
    QCOMPARE(result,
             QStringLiteral("caf") + fffd + QStringLiteral(" ") + fffd + fffd + QStringLiteral(" end"));
}

void EventPipelineTest::aHugeResultIsCutAndMarkedButItsStdoutIsKept() {
    TestEngine real;
    QVERIFY2(real.ok(), qPrintable(real.error()));
    // 800,000 bytes of output: past AWX's MAX_EVENT_RES (700,000) in the result, and printed whole.
    QVERIFY(real.addTemplate(QStringLiteral("Huge result"),
                             QStringLiteral("- hosts: all\n  gather_facts: false\n  tasks:\n"
                                            "    - name: Make a lot of output\n"
                                            "      shell: head -c 800000 /dev/zero | tr '\\0' x\n"
                                            "      register: out\n"
                                            "    - name: Show it\n"
                                            "      debug: var=out.stdout\n"
                                            "    - name: Count it\n"
                                            "      debug: msg={{ out.stdout | length }}\n")));
    const qint64 id = real.launch(QStringLiteral("Huge result"));
    QCOMPARE(real.waitForFinished(id), JobStatus::Successful);
    const auto field = [&](const QString &task, const QString &path) {
        return real
            .scalar(QStringLiteral("SELECT event_data #>> '%1' FROM job_event WHERE job_id = ?"
                                   " AND event = 'runner_on_ok' AND task = ?")
                        .arg(path),
                    {id, task})
            .toString();
    };
    // The result was cut and says so, with its size; the event keeps everything else.
    QCOMPARE(field(QStringLiteral("Make a lot of output"), QStringLiteral("{res}")), QStringLiteral("{}"));
    QCOMPARE(field(QStringLiteral("Make a lot of output"), QStringLiteral("{res_truncated,limit}")),
             QStringLiteral("700000"));
    QVERIFY(field(QStringLiteral("Make a lot of output"), QStringLiteral("{res_truncated,bytes}")).toInt() >
            800000);
    QCOMPARE(field(QStringLiteral("Make a lot of output"), QStringLiteral("{host}")),
             QStringLiteral("localhost"));
    // The register was whole on the host: the next task counted all of it.
    QCOMPARE(field(QStringLiteral("Count it"), QStringLiteral("{res,msg}")), QStringLiteral("800000"));
    // Stdout is never cut: the debug line that printed it holds every byte.
    const QString shown =
        real.scalar(QStringLiteral("SELECT stdout FROM job_event WHERE job_id = ? AND event = 'runner_on_ok'"
                                   " AND task = 'Show it'"),
                    {id})
            .toString();
    QVERIFY2(shown.contains(QString(800000, QLatin1Char('x'))), qPrintable(shown.left(200)));
    QCOMPARE(field(QStringLiteral("Show it"), QStringLiteral("{res_truncated,limit}")),
             QStringLiteral("700000"));
}

void EventPipelineTest::symlinkTraversalInArtifactsIsRefused() {
    // Artifacts will come from remote nodes: a symlink entry, then a file "through" it, must not
    // write outside the job's directory.
    const QByteArray outside = QFile::encodeName(m_outside.path());
    const QByteArray zip =
        test::makeZip({{"rc", "0"}, {"escape -> " + outside, {}}, {"escape/owned", "gotcha"}});
    QList<QByteArray> chunks{
        test::statusLine(QStringLiteral("running")), test::eventLine(1, QStringLiteral("playbook_on_start")),
        test::statusLine(QStringLiteral("successful")) + test::artifactsBlock(zip) + test::eofLine()};
    const qint64 id = launchScripted(scripted(chunks, 0));
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Error);
    QVERIFY2(explanation(id).contains(QStringLiteral("artifacts")), qPrintable(explanation(id)));
    QVERIFY(!QFile::exists(m_outside.filePath(QStringLiteral("owned"))));
    QCOMPARE(stored(id), 1); // the valid events are kept
}

void EventPipelineTest::badCountersEndTheJobInErrorAndSayWhere() {
    QList<QByteArray> chunks{
        test::statusLine(QStringLiteral("running")),                                     // line 1
        test::eventLine(1, QStringLiteral("playbook_on_start")),                         // 2
        "{\"uuid\": \"x\", \"event\": \"runner_on_ok\", \"stdout\": \"no counter\"}\n",  // 3
        test::eventLine(1, QStringLiteral("runner_on_ok"), QStringLiteral("duplicate")), // 4
        "{\"uuid\": \"y\", \"counter\": \"7\", \"event\": \"runner_on_ok\"}\n",          // 5
        "{\"uuid\": \"z\", \"counter\": 2.5, \"event\": \"runner_on_ok\"}\n",            // 6
        test::eventLine(2, QStringLiteral("runner_on_ok"), QStringLiteral("fine")),      // 7
        test::statusLine(QStringLiteral("successful")) + test::artifactsBlock(okZip()) + test::eofLine()};
    const qint64 id = launchScripted(scripted(chunks, 0));
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Error);
    const QString why = explanation(id);
    for (const char *line : {"line 3", "line 4", "line 5", "line 6"})
        QVERIFY2(why.contains(QLatin1String(line)), qPrintable(why));
    QVERIFY2(!why.contains(QStringLiteral("line 7")), qPrintable(why));
    QCOMPARE(stored(id), 2);
    // A follower ends when its job ends, whatever the counters said.
    QVERIFY(
        m_engine
            ->scalar(QStringLiteral("SELECT event_processing_finished FROM unified_job WHERE id = ?"), {id})
            .toBool());
}

void EventPipelineTest::hugeOrOverflowingArtifactSizesAreRefused() {
    for (const QByteArray &announced :
         {QByteArray("500000000"), QByteArray("9223372036854774784"), QByteArray("-5"), QByteArray("1e9")}) {
        QList<QByteArray> chunks{test::statusLine(QStringLiteral("running")),
                                 test::eventLine(1, QStringLiteral("playbook_on_start")),
                                 test::statusLine(QStringLiteral("successful")) +
                                     "{\"zipfile\": " + announced + "}\n" + QByteArray(1000, 'A')};
        const qint64 id = launchScripted(scripted(chunks, 0));
        QCOMPARE(m_engine->waitForFinished(id), JobStatus::Error);
        QVERIFY2(!explanation(id).isEmpty(), announced.constData());
        QCOMPARE(stored(id), 1);
    }
}

QTEST_GUILESS_MAIN(EventPipelineTest)
#include "tst_event_pipeline.moc"

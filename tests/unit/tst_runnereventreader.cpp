// The fast event reader (simdjson) must make the same job_event row as the QJsonDocument reader
// (eventFromRunner) for every ordinary event, and leave everything else to the stream parser.

#include "events/RunnerEvent.h"
#include "events/RunnerEventReader.h"

#include <QJsonDocument>
#include <QTest>

using namespace playdeck;

// Declared before the test data: moc 6.4 loses its way in some of the raw strings below.
class RunnerEventReaderTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void agreesWithTheQtReader_data();
    void agreesWithTheQtReader();
    void leavesTheRestToTheStreamParser_data();
    void leavesTheRestToTheStreamParser();
    void readsInPlaceAndLargeLines();
    void cutsResultsPastMaxEventRes();
    void keepsEventDataAsItCame();
};

namespace {

QByteArray line(const QByteArray &eventData, const QByteArray &extra = {}) {
    return R"({"uuid": "u-1", "counter": 7, "stdout": "\u001b[0;32mok: [web1] => (item=7)\u001b[0m",)"
           R"( "start_line": 7, "end_line": 8, "runner_ident": "1", "event": "runner_item_on_ok",)"
           R"( "pid": 4242, "created": "2026-12-01T12:00:00.123456", "parent_uuid": "p-1")" +
           extra + (eventData.isNull() ? QByteArray() : ", \"event_data\": " + eventData) + "}";
}

// Every stored field, event_data compared as JSON (the two readers order keys differently).
QString difference(const JobEvent &a, const JobEvent &b) {
    QStringList d;
    const auto field = [&d](const char *name, const auto &x, const auto &y) {
        if (!(x == y))
            d << QString::fromLatin1(name);
    };
    field("counter", a.counter, b.counter);
    field("event", a.event, b.event);
    field("uuid", a.uuid, b.uuid);
    field("parent_uuid", a.parentUuid, b.parentUuid);
    field("stdout", a.stdout, b.stdout);
    field("start_line", a.startLine, b.startLine);
    field("end_line", a.endLine, b.endLine);
    field("verbosity", a.verbosity, b.verbosity);
    field("created", a.created, b.created);
    field("host", a.hostName, b.hostName);
    field("play", a.play, b.play);
    field("task", a.task, b.task);
    field("role", a.role, b.role);
    field("task_action", a.taskAction, b.taskAction);
    field("failed", a.failed, b.failed);
    field("changed", a.changed, b.changed);
    field("event_data", QJsonDocument::fromJson(a.eventData), QJsonDocument::fromJson(b.eventData));
    return d.join(QStringLiteral(", "));
}

} // namespace

void RunnerEventReaderTest::agreesWithTheQtReader_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("loop item") << line(
        R"({"play": "Configure", "task": "Loop", "task_action": "ansible.builtin.debug", "host": "web1",)"
        R"( "res": {"msg": "x", "changed": false}, "role": "common"})");
    QTest::newRow("changed") << line(R"({"host": "h", "res": {"changed": true}})");
    QTest::newRow("changed not a bool") << line(R"({"host": "h", "res": {"changed": 1}})");
    QTest::newRow("failed")
        << line(R"({"host": "h", "res": {"failed": true}})").replace("runner_item_on_ok", "runner_on_failed");
    QTest::newRow("failed, ignored")
        << line(R"({"host": "h", "ignore_errors": true})").replace("runner_item_on_ok", "runner_on_failed");
    QTest::newRow("unreachable")
        << line(R"({"host": "h"})").replace("runner_item_on_ok", "runner_on_unreachable");
    QTest::newRow("stats with failures")
        << line(R"({"changed": {"a": 1}, "failures": {"b": 1}, "dark": {}, "ok": {"a": 2}})")
               .replace("runner_item_on_ok", "playbook_on_stats");
    QTest::newRow("stats, all well") << line(R"({"changed": {}, "failures": {}, "dark": {}, "ok": {"a": 2}})")
                                            .replace("runner_item_on_ok", "playbook_on_stats");
    QTest::newRow("stats unreachable")
        << line(R"({"dark": {"b": 1}})").replace("runner_item_on_ok", "playbook_on_stats");
    QTest::newRow("no event_data") << line(QByteArray());
    QTest::newRow("event_data not an object") << line("\"text\"");
    QTest::newRow("empty event_data") << line("{}");
    QTest::newRow("host not a string") << line(R"({"host": 5, "task": null, "play": ["x"]})");
    QTest::newRow("unicode and escapes")
        << line(R"({"task": "Grüße \"quoted\" \\ back\tslash \u00e9 \ud83d\ude00", "host": "ü"})");
    QTest::newRow("nested arrays") << line(
        R"({"res": {"results": [{"item": 1, "changed": true}, [1, 2.5, -3e5, null, false]]}})");
    // event_data is kept as it came: its text must be found whatever surrounds it.
    QTest::newRow("braces and quotes in strings")
        << line(R"({"res": {"msg": "} { ] [ \" \\\" \\", "k\"}": "{"}, "host": "h"})");
    QTest::newRow("string ends in backslashes") << line(R"({"a": "x\\\\", "b": {"c": "\\"}})");
    QTest::newRow("event_data before other keys")
        << line(QByteArray())
               .replace(R"("uuid": "u-1")", R"("event_data": {"host": "first"}, "uuid": "u-1")");
    QTest::newRow("event_data twice")
        << line(R"({"host": "second"})", R"(, "event_data": {"host": "first"})");
    QTest::newRow("event_data spelled with an escape")
        << line(R"({"host": "plain"})").replace(R"("event_data")", R"("event\u005fdata")");
    QTest::newRow("escaped spelling after a plain one")
        << line(R"({"host": "escaped"})", R"(, "event_data": {"host": "plain"})")
               .replace(R"(, "event_data": {"host": "escaped"})",
                        R"(, "event\u005fdata": {"host": "escaped"})");
    QTest::newRow("no spaces") << QByteArray(
        R"({"uuid":"u","counter":1,"event":"runner_on_ok","event_data":{"host":"h","res":{"changed":true}},"pid":1})");
    QTest::newRow("spaces everywhere")
        << QByteArray("{ \"counter\" :\t1 ,\n \"event\" : \"runner_on_ok\" , \"event_data\" :\r\n { \"host\" "
                      ": \"h\" } , \"pid\" : 1 }");
    QTest::newRow("verbosity") << line("{}", R"(, "verbosity": 3)");
    QTest::newRow("lines as doubles") << line("{}").replace("\"start_line\": 7", "\"start_line\": 7.0");
    QTest::newRow("lines not numbers") << line("{}").replace("\"end_line\": 8", "\"end_line\": \"8\"");
    QTest::newRow("created, milliseconds") << line("{}").replace("12:00:00.123456", "12:00:00.123");
    QTest::newRow("created, rounds up") << line("{}").replace("12:00:00.123456", "12:00:00.123999");
    QTest::newRow("created, last millisecond") << line("{}").replace("12:00:00.123456", "12:00:59.999999");
    QTest::newRow("created, no fraction") << line("{}").replace("12:00:00.123456", "12:00:00");
    QTest::newRow("created, leap day") << line("{}").replace("2026-12-01", "2028-02-29");
    QTest::newRow("created, before 1970") << line("{}").replace("2026-12-01", "1969-07-20");
    QTest::newRow("created with a zone") << line("{}").replace("12:00:00.123456", "12:00:00.123+02:00");
    QTest::newRow("created, Z") << line("{}").replace("12:00:00.123456", "12:00:00.123Z");
}
// Not serialised again: the bytes between the braces are the runner's (PostgreSQL's jsonb reads
// them as it would a compact copy).
void RunnerEventReaderTest::keepsEventDataAsItCame() {
    const QByteArray data = R"({"host": "h",  "n": 1.50, "s": "\u00e9\/"})";
    JobEvent e;
    RunnerEventReader reader;
    QVERIFY(reader.read(line(data), e));
    QCOMPARE(e.eventData, data);
    // Last, as the runner writes it, with space before the line's closing brace; and not last.
    QVERIFY(reader.read(line(data).chopped(1) + " \r\n\t}", e));
    QCOMPARE(e.eventData, data);
    QVERIFY(reader.read(line(data).chopped(1) + R"(, "pid": 1})", e));
    QCOMPARE(e.eventData, data);
    QVERIFY(reader.read(line(data).replace(R"("event_data")", R"("event\u005fdata")"), e));
    QCOMPARE(e.eventData, QByteArray(R"({"host":"h","n":1.5,"s":"é/"})"));
}

void RunnerEventReaderTest::agreesWithTheQtReader() {
    QFETCH(QByteArray, text);
    const QJsonObject object = QJsonDocument::fromJson(text).object();
    QVERIFY2(!object.isEmpty(), text.constData());
    JobEvent fast;
    RunnerEventReader reader;
    QVERIFY(reader.read(text, fast));
    const JobEvent qt = eventFromRunner(0, object);
    QVERIFY2(difference(fast, qt).isEmpty(), qPrintable(difference(fast, qt)));
}

void RunnerEventReaderTest::leavesTheRestToTheStreamParser_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("not JSON") << QByteArray("{\"event\": ");
    QTest::newRow("array") << QByteArray("[1, 2]");
    QTest::newRow("status line") << QByteArray(R"({"status": "running", "event": "x", "counter": 1})");
    QTest::newRow("zipfile") << QByteArray(R"({"zipfile": 10, "event": "x", "counter": 1})");
    QTest::newRow("eof") << QByteArray(R"({"eof": true, "event": "x", "counter": 1})");
    QTest::newRow("no event") << QByteArray(R"({"counter": 1})");
    QTest::newRow("no counter") << QByteArray(R"({"event": "x"})");
    QTest::newRow("counter 3.0") << QByteArray(R"({"event": "x", "counter": 3.0})");
    QTest::newRow("counter as text") << QByteArray(R"({"event": "x", "counter": "7"})");
    QTest::newRow("counter 0") << QByteArray(R"({"event": "x", "counter": 0})");
    QTest::newRow("counter too big") << QByteArray(R"({"event": "x", "counter": 2147483648})");
    QTest::newRow("event not text") << QByteArray(R"({"event": 5, "counter": 1})");
    QTest::newRow("garbage after") << QByteArray(R"({"event": "x", "counter": 1} x)");
}
void RunnerEventReaderTest::leavesTheRestToTheStreamParser() {
    QFETCH(QByteArray, text);
    RunnerEventReader reader;
    JobEvent e;
    QVERIFY(!reader.read(text, e));
}

void RunnerEventReaderTest::readsInPlaceAndLargeLines() {
    RunnerEventReader reader;
    // Padded (as the stream parser reserves), and a line past the parser kept for small ones.
    QByteArray padded = line(R"({"host": "h"})");
    padded.reserve(padded.size() + RunnerEventReader::padding());
    JobEvent e;
    QVERIFY(reader.read(padded, e));
    QCOMPARE(e.hostName, QStringLiteral("h"));
    const QByteArray large = line("{\"res\": {\"stdout\": \"" + QByteArray(6 << 20, 'y') + "\"}}");
    QVERIFY(reader.read(large, e));
    QCOMPARE(QJsonDocument::fromJson(e.eventData)["res"]["stdout"].toString().size(), 6 << 20);
    // The small parser is still fine afterwards.
    QVERIFY(reader.read(padded, e));
    QCOMPARE(e.counter, 7);
}

// AWX's MAX_EVENT_RES: a result past the limit is dropped and the cut is marked; stdout, other
// fields, small results and the recap stay as they came.
void RunnerEventReaderTest::cutsResultsPastMaxEventRes() {
    const qsizetype limit = 1000;
    const QByteArray big = "{\"host\": \"web1\", \"task\": \"slurp\", \"res\": {\"content\": \"" +
                           QByteArray(5000, 'x') + "\", \"changed\": false}}";
    JobEvent e;
    e.event = QStringLiteral("runner_on_ok");
    e.stdout = QStringLiteral("ok: [web1]");
    e.eventData = big;
    QVERIFY(truncateEventRes(e, limit));
    const QJsonObject data = QJsonDocument::fromJson(e.eventData).object();
    QCOMPARE(data[QLatin1String("res")].toObject(), QJsonObject());
    QCOMPARE(data[QLatin1String("res_truncated")][QLatin1String("limit")].toInt(), 1000);
    QVERIFY(data[QLatin1String("res_truncated")][QLatin1String("bytes")].toInt() > 5000);
    QCOMPARE(data[QLatin1String("host")].toString(), QStringLiteral("web1"));
    QCOMPARE(data[QLatin1String("task")].toString(), QStringLiteral("slurp"));
    QCOMPARE(e.stdout, QStringLiteral("ok: [web1]"));

    // A big event whose result itself is small (a long task name, say) is kept whole.
    JobEvent longName;
    longName.event = QStringLiteral("runner_on_ok");
    longName.eventData = "{\"task\": \"" + QByteArray(5000, 't') + "\", \"res\": {\"ok\": true}}";
    const QByteArray before = longName.eventData;
    QVERIFY(!truncateEventRes(longName, limit));
    QCOMPARE(longName.eventData, before);

    // The recap is never cut: host summaries come from it.
    JobEvent stats;
    stats.event = QStringLiteral("playbook_on_stats");
    stats.eventData = big;
    QVERIFY(!truncateEventRes(stats, limit));
    QCOMPARE(stats.eventData, big);

    // The default limit is AWX's.
    JobEvent small;
    small.event = QStringLiteral("runner_on_ok");
    small.eventData = big;
    QVERIFY(!truncateEventRes(small));
    QCOMPARE(MaxEventRes, qsizetype(700000));
}

QTEST_GUILESS_MAIN(RunnerEventReaderTest)
#include "tst_runnereventreader.moc"

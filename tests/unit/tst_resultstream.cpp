#include "runner/ResultStream.h"
#include "runner/ZipArchive.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace playdeck;

namespace {

// Keeps what the parser hands over in memory, and can be told to fail.
class RecordingSink final : public ArtifactSink {
public:
    Status begin(qint64 zipBytes) override {
        ++begins;
        announced = zipBytes;
        return failBegin ? Status::failure(QStringLiteral("disk full")) : Status();
    }
    Status write(const char *data, qsizetype size) override {
        ++writes;
        largestWrite = std::max(largestWrite, size);
        if (failWrite)
            return Status::failure(QStringLiteral("disk full"));
        bytes.append(data, size);
        return {};
    }
    Status finish() override {
        ++finishes;
        return {};
    }

    qint64 announced = -1;
    QByteArray bytes;
    int begins = 0;
    int writes = 0;
    int finishes = 0;
    qsizetype largestWrite = 0;
    bool failBegin = false;
    bool failWrite = false;
};

// moc reads raw strings as ordinary ones and loses its way at a quote followed by a backslash: the
// worker's lines, full of both, are defined after the test class.
QByteArray workerLines();

QByteArray artifactsZip() {
    QTemporaryDir dir;
    const QString ident = dir.filePath(QStringLiteral("artifacts/8e73f281"));
    QDir().mkpath(ident + QStringLiteral("/fact_cache"));
    for (const auto &[name, content] : {std::pair{"rc", QByteArray("0")},
                                        {"status", QByteArray("successful")},
                                        {"stdout", QByteArray("PLAY [localhost] ****\r\n").repeated(40)}}) {
        QFile f(ident + QLatin1Char('/') + QLatin1String(name));
        if (f.open(QIODevice::WriteOnly))
            f.write(content);
    }
    return zipDirectory(dir.path()).value();
}

QByteArray streamWith(const QByteArray &zip) {
    return workerLines() + "{\"zipfile\": " + QByteArray::number(zip.size()) + "}\n" + zip.toBase64() +
           "{\"eof\": true}\n";
}

struct Parsed {
    QList<StreamItem> items;
    QString error;
    QByteArray artifacts;
    int sinkBegins = 0;
    int sinkFinishes = 0;
};

Parsed parseInChunks(const QByteArray &stream, const QList<qsizetype> &cuts, StreamLimits limits = {}) {
    RecordingSink sink;
    ResultStreamParser parser(&sink, limits);
    Parsed out;
    qsizetype from = 0;
    for (qsizetype cut : cuts) {
        out.items += parser.feed(stream.sliced(from, cut - from));
        from = cut;
    }
    out.items += parser.feed(stream.sliced(from));
    if (Status s = parser.finish(); !s)
        out.error = s.error();
    out.artifacts = sink.bytes;
    out.sinkBegins = sink.begins;
    out.sinkFinishes = sink.finishes;
    return out;
}

bool sameItems(const QList<StreamItem> &a, const QList<StreamItem> &b) {
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].kind != b[i].kind || a[i].object != b[i].object || a[i].line != b[i].line ||
            a[i].counter != b[i].counter || a[i].event.eventData != b[i].event.eventData ||
            a[i].event.stdout != b[i].event.stdout)
            return false;
    return true;
}

QList<StreamItem> feedAll(ResultStreamParser &parser, const QByteArray &stream) {
    QList<StreamItem> items = parser.feed(stream);
    (void)parser.finish();
    return items;
}

QList<int> counters(const QList<StreamItem> &items) {
    QList<int> out;
    for (const StreamItem &item : items)
        if (item.kind == StreamItem::Event)
            out << item.counter;
    return out;
}

} // namespace

class ResultStreamTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void realStreamIntoAFile() {
        const QByteArray zip = artifactsZip();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("artifacts.zip"));
        FileArtifactSink sink(path);
        ResultStreamParser parser(&sink);
        const QList<StreamItem> items = parser.feed(streamWith(zip));
        QVERIFY2(parser.finish(), qPrintable(parser.error()));
        QVERIFY(parser.sawEof());
        QCOMPARE(parser.problemCount(), 0);
        QCOMPARE(parser.pendingBytes(), 0);
        const QList<StreamItem::Kind> kinds{StreamItem::Status, StreamItem::Status,    StreamItem::Event,
                                            StreamItem::Event,  StreamItem::Event,     StreamItem::Event,
                                            StreamItem::Status, StreamItem::Artifacts, StreamItem::Eof};
        QCOMPARE(items.size(), kinds.size());
        for (qsizetype i = 0; i < kinds.size(); ++i)
            QCOMPARE(items.at(i).kind, kinds.at(i));
        QCOMPARE(counters(items), (QList<int>{1, 2, 3, 4}));
        QCOMPARE(items.at(6).object.value(QStringLiteral("status")).toString(), QStringLiteral("successful"));
        QCOMPARE(items.at(7).object.value(QStringLiteral("zipfile")).toInteger(), zip.size());

        QFile written(path);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(written.readAll(), zip);
        QCOMPARE(written.permissions() & ~(QFile::ReadUser | QFile::WriteUser),
                 QFile::ReadOwner | QFile::WriteOwner);
    }

    void dirtyEventIsSanitizedBeforeParsing() {
        ResultStreamParser parser;
        const QList<StreamItem> items = feedAll(parser, workerLines());
        QVERIFY2(!parser.failed(), qPrintable(parser.error()));
        const StreamItem &dirty = items.at(4);
        QCOMPARE(dirty.counter, 3);
        QVERIFY(!dirty.line.contains("\\udcff"));
        QVERIFY(!dirty.line.contains("\\u0000"));
        QVERIFY(dirty.line.contains(R"(bad \ufffd\ufffd utf8 and nul \ufffd here)"));
        QVERIFY(dirty.line.contains(R"(nul \\000 here)")); // the escaped backslash is text, kept
        QCOMPARE(dirty.event.counter, 3);
        QCOMPARE(dirty.event.task, QStringLiteral("dirty bytes"));
        const QString stdout = QJsonDocument::fromJson(dirty.event.eventData)
                                   .object()
                                   .value(QStringLiteral("res"))
                                   .toObject()
                                   .value(QStringLiteral("stdout"))
                                   .toString();
        QCOMPARE(stdout, QStringLiteral("bad \uFFFD\uFFFD utf8 and nul \uFFFD here"));
        // The valid pair of the emoji stays as it was.
        QVERIFY(items.at(5).line.contains(R"(\ud83d\ude00)"));
    }

    void everySplitPositionGivesTheSameResult() {
        const QByteArray stream = streamWith(artifactsZip());
        const Parsed whole = parseInChunks(stream, {});
        QVERIFY2(whole.error.isEmpty(), qPrintable(whole.error));
        QCOMPARE(whole.items.size(), 9);
        QCOMPARE(whole.sinkBegins, 1);
        QCOMPARE(whole.sinkFinishes, 1);
        for (qsizetype cut = 1; cut < stream.size(); ++cut) {
            const Parsed split = parseInChunks(stream, {cut});
            QVERIFY2(split.error.isEmpty(),
                     qPrintable(QStringLiteral("cut at %1: %2").arg(cut).arg(split.error)));
            QVERIFY2(sameItems(split.items, whole.items), qPrintable(QStringLiteral("cut at %1").arg(cut)));
            QVERIFY2(split.artifacts == whole.artifacts, qPrintable(QStringLiteral("cut at %1").arg(cut)));
        }
        // Small chunks of every size from 1 to 7 bytes: base64 groups and lines split every way.
        for (qsizetype step = 1; step <= 7; ++step) {
            QList<qsizetype> cuts;
            for (qsizetype at = step; at < stream.size(); at += step)
                cuts << at;
            const Parsed split = parseInChunks(stream, cuts);
            QVERIFY(split.error.isEmpty());
            QVERIFY(sameItems(split.items, whole.items));
            QCOMPARE(split.artifacts, whole.artifacts);
        }
    }

    void artifactsAreStreamedNotBuffered() {
        const QByteArray zip = QByteArray(300 * 1024, 'z') + "tail";
        const QByteArray stream =
            "{\"zipfile\": " + QByteArray::number(zip.size()) + "}\n" + zip.toBase64() + "{\"eof\": true}\n";
        RecordingSink sink;
        ResultStreamParser parser(&sink);
        for (qsizetype at = 0; at < stream.size(); at += 1000) {
            parser.feed(stream.sliced(at, std::min<qsizetype>(1000, stream.size() - at)));
            QVERIFY(parser.pendingBytes() <= 1000);
        }
        QVERIFY(parser.finish());
        QCOMPARE(sink.announced, zip.size());
        QCOMPARE(sink.bytes, zip);
        QVERIFY(sink.writes > 100);              // a write per chunk, not one at the end
        QVERIFY(sink.largestWrite <= 48 * 1024); // in bounded batches
    }

    void artifactsLimitIsEnforcedWithAFileSink() {
        StreamLimits limits;
        limits.maxArtifactsBytes = 1000;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.zip"));
        {
            FileArtifactSink sink(path);
            ResultStreamParser parser(&sink, limits);
            const QByteArray zip(1000, 'k');
            parser.feed("{\"zipfile\": 1000}\n" + zip.toBase64() + "{\"eof\": true}\n");
            QVERIFY2(parser.finish(), qPrintable(parser.error()));
            QCOMPARE(QFileInfo(path).size(), 1000);
        }
        QFile::remove(path);
        FileArtifactSink sink(path);
        ResultStreamParser parser(&sink, limits);
        parser.feed("{\"zipfile\": 1001}\n" + QByteArray(1001, 'k').toBase64() + "{\"eof\": true}\n");
        QVERIFY(parser.failed());
        QVERIFY2(parser.error().contains(QStringLiteral("more than the limit of 1000 bytes")),
                 qPrintable(parser.error()));
        QVERIFY(parser.error().contains(QStringLiteral("Line 1")));
        QVERIFY(!QFile::exists(path)); // refused before anything was written
    }

    void invalidAnnouncedSizes_data() {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("says");
        QTest::newRow("500 MB") << QByteArray("500000000") << QStringLiteral("more than the limit");
        QTest::newRow("INT64 overflow")
            << QByteArray("9223372036854774784") << QStringLiteral("more than the limit");
        QTest::newRow("INT64 max") << QByteArray("9223372036854775807")
                                   << QStringLiteral("more than the limit");
        QTest::newRow("beyond INT64")
            << QByteArray("18446744073709551616") << QStringLiteral("more than the limit");
        QTest::newRow("1e300") << QByteArray("1e300") << QStringLiteral("more than the limit");
        QTest::newRow("negative") << QByteArray("-1") << QStringLiteral("not a whole number");
        QTest::newRow("INT64 min") << QByteArray("-9223372036854775808")
                                   << QStringLiteral("not a whole number");
        QTest::newRow("fraction") << QByteArray("3.5") << QStringLiteral("not a whole number");
        QTest::newRow("string") << QByteArray("\"12\"") << QStringLiteral("not a whole number");
        QTest::newRow("null") << QByteArray("null") << QStringLiteral("not a whole number");
        QTest::newRow("true") << QByteArray("true") << QStringLiteral("not a whole number");
        QTest::newRow("array") << QByteArray("[3]") << QStringLiteral("not a whole number");
    }
    void invalidAnnouncedSizes() {
        QFETCH(QByteArray, value);
        QFETCH(QString, says);
        RecordingSink sink;
        ResultStreamParser parser(&sink);
        parser.feed("{\"status\": \"successful\"}\n{\"zipfile\": " + value + "}\nAAAA{\"eof\": true}\n");
        QVERIFY(parser.failed());
        QVERIFY2(parser.error().contains(says), qPrintable(parser.error()));
        QVERIFY2(parser.error().contains(QStringLiteral("Line 2")), qPrintable(parser.error()));
        QCOMPARE(sink.begins, 0);
        QVERIFY(parser.pendingBytes() == 0);
    }

    void badArtifactBlocks_data() {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QString>("says");
        QTest::newRow("garbage") << QByteArray("{\"zipfile\": 3}\n!!!!{\"eof\": true}\n")
                                 << QStringLiteral("character 1 of 4 is '!'");
        QTest::newRow("padding too early") << QByteArray("{\"zipfile\": 6}\nAA==AAAA{\"eof\": true}\n")
                                           << QStringLiteral("character 3 of 8 is '='");
        QTest::newRow("padding missing")
            << QByteArray("{\"zipfile\": 1}\nAAAA{\"eof\": true}\n") << QStringLiteral("'=' padding belongs");
        QTest::newRow("newline inside")
            << QByteArray("{\"zipfile\": 6}\nAAAA\nAAAA{\"eof\": true}\n") << QStringLiteral("byte 0x0a");
        QTest::newRow("shorter than announced") << QByteArray("{\"zipfile\": 30}\nAAAA{\"eof\": true}\n")
                                                << QStringLiteral("shorter than the 30 bytes announced");
        QTest::newRow("longer than announced") << QByteArray("{\"zipfile\": 3}\nAAAAAAAA{\"eof\": true}\n")
                                               << QStringLiteral("longer than the 3 bytes announced");
        QTest::newRow("second block")
            << QByteArray("{\"zipfile\": 3}\nAAAA{\"zipfile\": 3}\nAAAA{\"eof\": true}\n")
            << QStringLiteral("Line 2 of the runner's output announces a second artifacts block");
    }
    void badArtifactBlocks() {
        QFETCH(QByteArray, stream);
        QFETCH(QString, says);
        for (bool withSink : {false, true}) { // without a sink the block is checked all the same
            RecordingSink sink;
            ResultStreamParser parser(withSink ? &sink : nullptr);
            const QList<StreamItem> items = parser.feed(stream);
            QVERIFY(parser.failed());
            QVERIFY2(parser.error().contains(says), qPrintable(parser.error()));
            QVERIFY(!parser.sawEof());
            QVERIFY(!parser.finish());
            if (QByteArray(QTest::currentDataTag()) != "second block")
                QVERIFY(items.isEmpty() || items.constLast().kind != StreamItem::Eof);
        }
    }

    void emptyArtifacts() {
        RecordingSink sink;
        ResultStreamParser parser(&sink);
        const QList<StreamItem> items = feedAll(parser, "{\"zipfile\": 0}\n{\"eof\": true}\n");
        QVERIFY(!parser.failed());
        QCOMPARE(items.size(), 2);
        QCOMPARE(items.at(0).kind, StreamItem::Artifacts);
        QCOMPARE(sink.begins, 1);
        QCOMPARE(sink.finishes, 1);
        QCOMPARE(sink.announced, 0);
    }

    void sinkFailureStopsTheStream() {
        RecordingSink sink;
        sink.failWrite = true;
        ResultStreamParser parser(&sink);
        const QList<StreamItem> items = parser.feed("{\"zipfile\": 3}\nAAAA{\"eof\": true}\n");
        QVERIFY(parser.failed());
        QVERIFY2(parser.error().contains(QStringLiteral("disk full")), qPrintable(parser.error()));
        QVERIFY(items.isEmpty());
        RecordingSink refusing;
        refusing.failBegin = true;
        ResultStreamParser second(&refusing);
        second.feed("{\"zipfile\": 3}\nAAAA{\"eof\": true}\n");
        QVERIFY(second.failed());
        QCOMPARE(refusing.writes, 0);
    }

    void lineOverTheLimitIsNotBuffered() {
        StreamLimits limits;
        limits.maxLineBytes = 100;
        ResultStreamParser parser(nullptr, limits);
        QVERIFY(parser.feed("{\"status\": \"running\"}\n").size() == 1);
        const QByteArray exact = "{\"status\": \"" + QByteArray(100 - 14, 'x') + "\"}";
        QCOMPARE(exact.size(), 100);
        QCOMPARE(parser.feed(exact + "\n").size(), 1); // exactly the limit is fine
        const QByteArray chunk(10, 'y');
        for (int i = 0; i < 100 && !parser.failed(); ++i) {
            parser.feed(chunk);
            QVERIFY(parser.pendingBytes() <= 100);
        }
        QVERIFY(parser.failed());
        QVERIFY2(parser.error().contains(QStringLiteral("Line 3")), qPrintable(parser.error()));
        QVERIFY(parser.error().contains(QStringLiteral("limit of 100 bytes")));
        QVERIFY(parser.pendingBytes() <= 100);
        // One chunk holding a whole long line is refused the same way.
        ResultStreamParser other(nullptr, limits);
        other.feed("{\"status\": \"" + QByteArray(500, 'x') + "\"}\n");
        QVERIFY(other.failed());
        QVERIFY(other.error().contains(QStringLiteral("Line 1")));
    }

    void badCountersAreProblemsNotSilence() {
        const QByteArray stream = R"({"status": "running"})"
                                  "\n"
                                  R"({"event": "playbook_on_start", "counter": 1})"
                                  "\n"
                                  R"({"event": "verbose", "stdout": "no counter"})"
                                  "\n"
                                  R"({"event": "verbose", "counter": 2})"
                                  "\n"
                                  R"({"event": "verbose", "counter": 2})"
                                  "\n"
                                  R"({"event": "verbose", "counter": "3"})"
                                  "\n"
                                  R"({"event": "verbose", "counter": 1.5})"
                                  "\n"
                                  R"({"event": "verbose", "counter": 0})"
                                  "\n"
                                  R"({"event": "verbose", "counter": -4})"
                                  "\n"
                                  R"({"event": "verbose", "counter": 2147483648})"
                                  "\n"
                                  R"({"event": "verbose", "counter": 9223372036854774784})"
                                  "\n"
                                  R"({"event": "verbose", "counter": null})"
                                  "\n"
                                  R"({"event": "verbose", "counter": 7})"
                                  "\n"
                                  R"({"event": "verbose", "counter": 5})"
                                  "\n"
                                  R"({"event": "verbose", "counter": 6})"
                                  "\n"
                                  R"({"event": "verbose", "counter": 7})"
                                  "\n"
                                  R"({"event": "verbose", "counter": 2147483647})"
                                  "\n"
                                  R"({"newer_runner_message": 1})"
                                  "\n"
                                  R"({"status": "successful"})"
                                  "\n"
                                  R"({"eof": true})"
                                  "\n";
        ResultStreamParser parser;
        const QList<StreamItem> items = feedAll(parser, stream);
        QVERIFY2(!parser.failed(), qPrintable(parser.error()));
        QVERIFY(parser.sawEof());
        QCOMPARE(counters(items), (QList<int>{1, 2, 7, 5, 6, 2147483647}));
        QCOMPARE(parser.problemCount(), 10);
        const QList<qint64> lines{3, 5, 6, 7, 8, 9, 10, 11, 12, 16};
        QCOMPARE(parser.problems().size(), lines.size());
        for (qsizetype i = 0; i < lines.size(); ++i)
            QCOMPARE(parser.problems().at(i).line, lines.at(i));
        QCOMPARE(parser.problems().at(0).what, QStringLiteral("an event without a counter"));
        QCOMPARE(parser.problems().at(1).what, QStringLiteral("duplicate counter 2"));
        QCOMPARE(parser.problems().at(2).what,
                 QStringLiteral("counter \"3\" is not a positive whole number"));
        QCOMPARE(parser.problems().at(9).what, QStringLiteral("duplicate counter 7"));
        QVERIFY2(parser.problemSummary().startsWith(QStringLiteral(
                     "10 lines of the runner's output were refused: line 3 (an event without a "
                     "counter), line 5 (duplicate counter 2), line 6 (counter \"3\" is not")),
                 qPrintable(parser.problemSummary()));
        QVERIFY(parser.problemSummary().endsWith(QStringLiteral("line 16 (duplicate counter 7).")));
    }

    void problemsAreBounded() {
        QByteArray stream;
        for (int i = 0; i < 1000; ++i)
            stream += R"({"event": "verbose"})"
                      "\n";
        stream += R"({"event": "verbose", "counter": 1})"
                  "\n";
        ResultStreamParser parser;
        const QList<StreamItem> items = feedAll(parser, stream);
        QCOMPARE(items.size(), 1);
        QCOMPARE(parser.problemCount(), 1000);
        QCOMPARE(parser.problems().size(), ResultStreamParser::kMaxProblemsKept);
        QVERIFY2(parser.problemSummary().endsWith(QStringLiteral(" and 980 more.")),
                 qPrintable(parser.problemSummary()));
        ResultStreamParser clean;
        feedAll(clean, workerLines());
        QVERIFY(clean.problemSummary().isEmpty());
        ResultStreamParser one;
        feedAll(one, "{\"event\": \"x\"}\n");
        QCOMPARE(one.problemSummary(),
                 QStringLiteral(
                     "1 line of the runner's output was refused: line 1 (an event without a counter)."));
    }

    void scatteredCountersAreBounded() {
        StreamLimits limits;
        limits.maxCounterRuns = 10;
        QByteArray stream;
        for (int i = 0; i < 11; ++i)
            stream += "{\"event\": \"verbose\", \"counter\": " + QByteArray::number(i * 2 + 1) + "}\n";
        ResultStreamParser parser(nullptr, limits);
        const QList<StreamItem> items = parser.feed(stream);
        QCOMPARE(items.size(), 10);
        QVERIFY(parser.failed());
        QVERIFY(parser.error().contains(QStringLiteral("Line 11")));
        // Filling the gaps merges the runs again.
        ResultStreamParser merging(nullptr, limits);
        QByteArray filled = stream.left(stream.lastIndexOf("{\"event\""));
        for (int i = 0; i < 10; ++i)
            filled += "{\"event\": \"verbose\", \"counter\": " + QByteArray::number(i * 2 + 2) + "}\n";
        filled += "{\"event\": \"verbose\", \"counter\": 100}\n{\"event\": \"verbose\", \"counter\": 21}\n";
        QCOMPARE(feedAll(merging, filled).size(), 22);
        QVERIFY2(!merging.failed(), qPrintable(merging.error()));
    }

    void structuralErrorsStopWithTheLine_data() {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<int>("itemsBefore");
        QTest::addColumn<QString>("says");
        QTest::newRow("traceback") << QByteArray(
                                          "{\"status\": \"running\"}\nTraceback (most recent call last):\n")
                                   << 1 << QStringLiteral("Line 2 of the runner's output is not JSON");
        QTest::newRow("array") << QByteArray("{\"status\": \"running\"}\n\n[1, 2]\n") << 1
                               << QStringLiteral("Line 3 of the runner's output is not a JSON object");
        QTest::newRow("NaN from Python") << QByteArray("{\"event\": \"x\", \"counter\": 1, \"v\": NaN}\n")
                                         << 0 << QStringLiteral("Line 1 of the runner's output is not JSON");
        QTest::newRow("raw NUL outside strings")
            << QByteArray("{\"status\": 1}\0\n", 15) << 0
            << QStringLiteral("Line 1 of the runner's output is not JSON");
        QTest::newRow("data after eof") << QByteArray("{\"eof\": true}\n\n{\"status\": \"running\"}\n") << 1
                                        << QStringLiteral("goes on after its end marker, on line 3");
        QTest::newRow("data after eof on its line")
            << QByteArray("{\"eof\": true} x\n") << 0 << QStringLiteral("is not JSON");
    }
    void structuralErrorsStopWithTheLine() {
        QFETCH(QByteArray, stream);
        QFETCH(int, itemsBefore);
        QFETCH(QString, says);
        ResultStreamParser parser;
        const QList<StreamItem> items = parser.feed(stream);
        QVERIFY(parser.failed());
        QVERIFY2(parser.error().contains(says), qPrintable(parser.error()));
        QCOMPARE(items.size(), itemsBefore);
        QVERIFY(parser.feed("{\"status\": \"running\"}\n").isEmpty());
        QVERIFY(!parser.finish());
        QVERIFY(!parser.error().contains(QChar(0)));
    }

    void whitespaceAndCarriageReturnsAreFine() {
        ResultStreamParser parser;
        const QList<StreamItem> items =
            parser.feed("\n  \r\n{\"status\": \"running\"}\r\n{\"eof\": true}\r\n \n\t\n");
        QVERIFY(parser.finish());
        QCOMPARE(items.size(), 2);
        QVERIFY(parser.sawEof());
    }

    void truncatedStreams() {
        {
            ResultStreamParser parser;
            parser.feed("{\"status\": \"running\"}\n{\"status\": \"runn");
            QVERIFY(parser.pendingBytes() > 0);
            QVERIFY(!parser.failed());
            const Status s = parser.finish();
            QVERIFY(!s);
            QVERIFY2(s.error().contains(QStringLiteral("ends in the middle of line 2")),
                     qPrintable(s.error()));
        }
        {
            RecordingSink sink;
            ResultStreamParser parser(&sink);
            parser.feed("{\"zipfile\": 30}\nAAAAAAAA");
            const Status s = parser.finish();
            QVERIFY(!s);
            QVERIFY2(s.error().contains(QStringLiteral("8 of 40 base64 characters")), qPrintable(s.error()));
            QCOMPARE(sink.finishes, 0);
        }
        {
            ResultStreamParser parser; // ends cleanly between lines but without eof: for the caller
            parser.feed("{\"status\": \"running\"}\n");
            QVERIFY(parser.finish());
            QVERIFY(!parser.sawEof());
        }
    }

    void fileSinkInsistsOnTheAnnouncedSize() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.zip"));
        {
            FileArtifactSink sink(path);
            QVERIFY(sink.begin(4));
            QVERIFY(sink.write("abc", 3));
            QVERIFY(!sink.write("de", 2));
            const Status s = sink.finish();
            QVERIFY(!s);
            QVERIFY2(s.error().contains(QStringLiteral("sent 3 bytes")), qPrintable(s.error()));
        }
        {
            // Whatever is at the path, a symlink included, is replaced, never followed.
            const QString outside = dir.filePath(QStringLiteral("outside"));
            QFile f(outside);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("keep");
            f.close();
            QFile::remove(path);
            QVERIFY(QFile::link(outside, path));
            FileArtifactSink sink(path);
            QVERIFY(sink.begin(2));
            QVERIFY(sink.write("ok", 2));
            QVERIFY(sink.finish());
            QVERIFY(!QFileInfo(path).isSymLink());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), QByteArray("keep"));
            QCOMPARE(sink.bytesWritten(), 2);
            QVERIFY(!sink.begin(2)); // one block per sink
        }
    }
};

namespace {

// Lines as `ansible-runner worker` writes them (taken from a real run, shortened), including an
// event with bytes a task printed that are not UTF-8 and a NUL.
QByteArray workerLines() {
    return R"({"status": "starting", "runner_ident": "8e73f281", "command": ["ansible-playbook", "-i", "/tmp/tmp818dv5s8/inventory", "hello.yml"], "env": {"HOME": "/home/u", "LANG": "C.UTF-8"}, "cwd": "/tmp/tmp818dv5s8/project"})"
           "\n"
           R"({"status": "running", "runner_ident": "8e73f281"})"
           "\n"
           R"({"uuid": "d678bad1-a6b1-4bc6-a622-f0669e1683dc", "counter": 1, "stdout": "", "start_line": 0, "end_line": 0, "runner_ident": "8e73f281", "event": "playbook_on_start", "pid": 8558, "created": "2026-12-01T21:56:53.702193", "event_data": {"playbook": "hello.yml", "playbook_uuid": "d678bad1-a6b1-4bc6-a622-f0669e1683dc", "uuid": "d678bad1-a6b1-4bc6-a622-f0669e1683dc"}})"
           "\n"
           R"({"uuid": "02fc0000-0001-a525-3f5c-000000000002", "counter": 2, "stdout": "\r\nPLAY [localhost] ***********", "start_line": 0, "end_line": 2, "runner_ident": "8e73f281", "event": "playbook_on_play_start", "pid": 8558, "created": "2026-12-01T21:56:53.711148", "parent_uuid": "d678bad1-a6b1-4bc6-a622-f0669e1683dc", "event_data": {"play": "localhost", "name": "localhost", "pattern": "localhost", "uuid": "02fc0000-0001-a525-3f5c-000000000002"}})"
           "\n"
           R"({"uuid": "882dc55e-964a-4904-846b-386f64d078b6", "counter": 3, "stdout": "changed: [localhost]", "start_line": 14, "end_line": 15, "runner_ident": "8e73f281", "event": "runner_on_ok", "pid": 8558, "created": "2026-12-01T21:56:54.895034", "event_data": {"task": "dirty bytes", "host": "localhost", "res": {"changed": true, "stdout": "bad \udcff\udcfe utf8 and nul \u0000 here", "rc": 0, "cmd": "printf 'bad \\377\\376 utf8 and nul \\000 here\\n'", "stdout_lines": ["bad \udcff\udcfe utf8 and nul \u0000 here"]}, "uuid": "882dc55e-964a-4904-846b-386f64d078b6"}})"
           "\n"
           R"({"uuid": "66dd2134-aa67-47c0-be10-a09fd35582ce", "counter": 4, "stdout": "ok: [localhost] => {\r\n    \"msg\": \"Gr\u00fc\u00dfe \u2713 \ud83d\ude00\"\r\n}", "start_line": 17, "end_line": 20, "runner_ident": "8e73f281", "event": "runner_on_ok", "event_data": {"task": "unicode", "res": {"msg": "Gr\u00fc\u00dfe \u2713 \ud83d\ude00", "changed": false}}})"
           "\n"
           R"({"status": "successful", "runner_ident": "8e73f281"})"
           "\n";
}

} // namespace

QTEST_GUILESS_MAIN(ResultStreamTest)
#include "tst_resultstream.moc"

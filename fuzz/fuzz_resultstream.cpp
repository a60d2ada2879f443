// libFuzzer target: the worker's result stream, fed whole without a sink and in chunks whose sizes
// the input chooses into a checking sink and a file sink at once. Input: one byte n (taken modulo
// 16), then n chunk sizes (a byte each, size + 1, used in turn), then the stream. Small limits so
// that they are reached. Aborts when more than the limits is held, when an item is malformed, when
// chunking or the sink changes the outcome, or when the file and the checked bytes disagree.

#include "events/JsonText.h"
#include "runner/ResultStream.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstdint>
#include <cstdlib>
#include <set>

using namespace playdeck;

namespace {

StreamLimits smallLimits() {
    StreamLimits limits;
    limits.maxLineBytes = 4096;
    limits.maxArtifactsBytes = 8192;
    limits.maxCounterRuns = 32;
    return limits;
}

void check(bool invariant) {
    if (!invariant)
        std::abort();
}

// Keeps the artifacts in memory and checks the order of calls.
class CheckingSink final : public ArtifactSink {
public:
    Status begin(qint64 zipBytes) override {
        check(begins++ == 0);
        check(zipBytes >= 0 && zipBytes <= smallLimits().maxArtifactsBytes);
        announced = zipBytes;
        return {};
    }
    Status write(const char *data, qsizetype size) override {
        check(begins == 1 && finishes == 0);
        check(size > 0 && bytes.size() + size <= announced);
        bytes.append(data, size);
        return {};
    }
    Status finish() override {
        check(begins == 1 && finishes++ == 0);
        check(bytes.size() == announced);
        return {};
    }

    qint64 announced = -1;
    QByteArray bytes;
    int begins = 0;
    int finishes = 0;
};

// Hands every call to the checking sink and to the file sink, so one parse exercises both.
class TeeSink final : public ArtifactSink {
public:
    TeeSink(ArtifactSink &first, ArtifactSink &second)
        : m_first(first)
        , m_second(second) {}
    Status begin(qint64 zipBytes) override { return both(m_first.begin(zipBytes), m_second.begin(zipBytes)); }
    Status write(const char *data, qsizetype size) override {
        return both(m_first.write(data, size), m_second.write(data, size));
    }
    Status finish() override { return both(m_first.finish(), m_second.finish()); }

private:
    static Status both(Status first, Status second) {
        check(first.ok() && second.ok()); // neither fails on what the parser hands over
        return {};
    }
    ArtifactSink &m_first;
    ArtifactSink &m_second;
};

struct Outcome {
    QList<StreamItem> items;
    QString error;
    QString finishError;
    bool sawEof = false;
    QList<StreamProblem> problems;
    qint64 problemCount = 0;
};

void checkItems(const QList<StreamItem> &items, const CheckingSink *sink) {
    std::set<int> counters;
    int artifacts = 0;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const StreamItem &item = items.at(i);
        switch (item.kind) {
        case StreamItem::Event: {
            check(item.counter >= 1);
            check(counters.insert(item.counter).second);
            check(item.event.counter == item.counter);
            QByteArray again = item.line;
            check(!item.line.isEmpty() && !sanitizeJsonText(again));
            const QJsonObject parsed = QJsonDocument::fromJson(item.line).object();
            check(parsed.value(QLatin1String("counter")).toDouble() == item.counter);
            check(QJsonDocument::fromJson(item.event.eventData).isObject());
            break;
        }
        case StreamItem::Status:
            check(item.object.contains(QLatin1String("status")) && item.line.isEmpty());
            break;
        case StreamItem::Artifacts:
            check(++artifacts == 1);
            check(!sink || sink->finishes == 1);
            break;
        case StreamItem::Eof:
            check(i == items.size() - 1);
            break;
        }
    }
}

Outcome parse(const QByteArray &stream, const QByteArray &sizes, ArtifactSink *sink) {
    const StreamLimits limits = smallLimits();
    ResultStreamParser parser(sink, limits);
    Outcome out;
    qsizetype at = 0;
    for (qsizetype turn = 0; at < stream.size(); ++turn) {
        const qsizetype chunk = sizes.isEmpty()
                                    ? stream.size()
                                    : qsizetype(static_cast<unsigned char>(sizes[turn % sizes.size()])) + 1;
        const qsizetype take = std::min(chunk, stream.size() - at);
        const bool failedBefore = parser.failed();
        const QList<StreamItem> items = parser.feed(QByteArray::fromRawData(stream.constData() + at, take));
        check(!failedBefore || items.isEmpty());
        check(parser.pendingBytes() >= 0 && parser.pendingBytes() <= limits.maxLineBytes + 3);
        out.items += items;
        at += take;
    }
    out.error = parser.error();
    if (Status s = parser.finish(); !s)
        out.finishError = s.error();
    check(out.error.isEmpty() || out.finishError == out.error);
    out.sawEof = parser.sawEof();
    out.problems = parser.problems();
    out.problemCount = parser.problemCount();
    check(out.problems.size() <= ResultStreamParser::kMaxProblemsKept);
    check(out.problemCount >= out.problems.size());
    check(out.problemCount == 0 || !parser.problemSummary().isEmpty());
    return out;
}

bool same(const Outcome &a, const Outcome &b) {
    if (a.items.size() != b.items.size() || a.error != b.error || a.finishError != b.finishError ||
        a.sawEof != b.sawEof || a.problemCount != b.problemCount || a.problems.size() != b.problems.size())
        return false;
    for (qsizetype i = 0; i < a.items.size(); ++i) {
        const StreamItem &x = a.items.at(i);
        const StreamItem &y = b.items.at(i);
        if (x.kind != y.kind || x.counter != y.counter || x.line != y.line || x.object != y.object ||
            x.event.eventData != y.event.eventData || x.event.stdout != y.event.stdout)
            return false;
    }
    for (qsizetype i = 0; i < a.problems.size(); ++i)
        if (a.problems.at(i).line != b.problems.at(i).line || a.problems.at(i).what != b.problems.at(i).what)
            return false;
    return true;
}

bool hasArtifacts(const Outcome &o) {
    for (const StreamItem &item : o.items)
        if (item.kind == StreamItem::Artifacts)
            return true;
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    static QTemporaryDir dir;
    static const QString zipPath = dir.filePath(QStringLiteral("artifacts.zip"));
    if (size == 0)
        return 0;
    const qsizetype sizeCount = std::min<qsizetype>(data[0] % 16, qsizetype(size) - 1);
    const QByteArray sizes = QByteArray::fromRawData(reinterpret_cast<const char *>(data) + 1, sizeCount);
    const QByteArray stream = QByteArray::fromRawData(reinterpret_cast<const char *>(data) + 1 + sizeCount,
                                                      qsizetype(size) - 1 - sizeCount);

    // Whole, without a sink: the reference.
    const Outcome whole = parse(stream, {}, nullptr);
    checkItems(whole.items, nullptr);

    // In the input's chunks, into a sink that checks every call and into a file.
    CheckingSink memory;
    FileArtifactSink file(zipPath);
    TeeSink tee(memory, file);
    const Outcome chunked = parse(stream, sizes, &tee);
    checkItems(chunked.items, &memory);
    check(same(whole, chunked));
    check(file.bytesWritten() == memory.bytes.size());
    if (hasArtifacts(chunked)) {
        QFile written(zipPath);
        check(written.open(QIODevice::ReadOnly) && written.readAll() == memory.bytes);
    }
    return 0;
}

#include "ResultStream.h"

#include "events/JsonText.h"
#include "events/RunnerEvent.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QStringList>

#include <array>
#include <climits>
#include <cmath>
#include <cstring>
#include <utility>

namespace playdeck {

namespace {

// Decoded artifacts go to the sink in batches of at most this many bytes (a multiple of 3).
constexpr qsizetype kDecodeBatch = 48 * 1024;
constexpr qsizetype kExcerptChars = 120;

constexpr std::array<signed char, 256> base64Values() {
    std::array<signed char, 256> values{};
    for (auto &v : values)
        v = -1;
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i)
        values[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
    return values;
}
constexpr std::array<signed char, 256> kBase64 = base64Values();

// The start of a refused line for an error message, which ends up in logs and in the database: no
// control characters (PostgreSQL text refuses NUL) and not too long.
QString excerpt(const QByteArray &line) {
    QString text = QString::fromUtf8(line.left(kExcerptChars * 4));
    const bool cut = text.size() > kExcerptChars || line.size() > kExcerptChars * 4;
    text.truncate(kExcerptChars);
    for (QChar &c : text)
        if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            c = QChar::ReplacementCharacter;
    return cut ? text + QStringLiteral("...") : text;
}

QString describeByte(unsigned char c) {
    if (c >= 0x21 && c < 0x7F)
        return QStringLiteral("'%1'").arg(QLatin1Char(char(c)));
    return QStringLiteral("byte 0x%1").arg(unsigned(c), 2, 16, QLatin1Char('0'));
}

QString describeValue(const QJsonValue &value) {
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return excerpt(json.mid(1, json.size() - 2));
}

} // namespace

ResultStreamParser::ResultStreamParser(ArtifactSink *sink, StreamLimits limits)
    : m_sink(sink)
    , m_limits(limits) {}

QList<StreamItem> ResultStreamParser::feed(const QByteArray &chunk) {
    QList<StreamItem> items;
    const char *data = chunk.constData();
    const qsizetype size = chunk.size();
    qsizetype at = 0;
    while (at < size && !failed()) {
        switch (m_state) {
        case State::Lines:
            at = takeLines(data, size, at, items);
            break;
        case State::Artifacts:
            at = takeArtifacts(data, size, at, items);
            break;
        case State::AfterEof:
            at = takeTrailer(data, size, at);
            break;
        case State::Finished:
            return items;
        }
    }
    return items;
}

Status ResultStreamParser::finish() {
    if (!failed()) {
        if (m_state == State::Artifacts)
            fail(tr("The runner's output ends in the middle of the artifacts block on line %1 (%2 of %3 "
                    "base64 characters arrived).")
                     .arg(lineNumber())
                     .arg(m_base64Total - m_base64Left)
                     .arg(m_base64Total));
        else if (!m_line.trimmed().isEmpty())
            fail(tr("The runner's output ends in the middle of line %1.").arg(lineNumber()));
        else if (m_state != State::AfterEof)
            m_state = State::Finished;
    }
    return failed() ? Status::failure(m_error) : Status();
}

qsizetype ResultStreamParser::takeLines(const char *data, qsizetype size, qsizetype at,
                                        QList<StreamItem> &items) {
    while (at < size && m_state == State::Lines && !failed()) {
        const auto *newline = static_cast<const char *>(std::memchr(data + at, '\n', size_t(size - at)));
        const qsizetype end = newline ? newline - data : size;
        if (end - at > m_limits.maxLineBytes - m_line.size()) {
            fail(tr("Line %1 of the runner's output is longer than the limit of %2 bytes.")
                     .arg(lineNumber())
                     .arg(m_limits.maxLineBytes));
            return end;
        }
        if (!newline) {
            m_line.append(data + at, end - at);
            return size;
        }
        QByteArray line;
        if (m_line.isEmpty()) {
            line.reserve(end - at + RunnerEventReader::padding()); // read in place by the event reader
            line.append(data + at, end - at);
        } else {
            m_line.append(data + at, end - at);
            line = std::exchange(m_line, QByteArray());
        }
        at = end + 1;
        takeLine(std::move(line), items);
        ++m_linesDone;
    }
    return at;
}

void ResultStreamParser::takeLine(QByteArray line, QList<StreamItem> &items) {
    line = std::move(line).trimmed();
    if (line.isEmpty())
        return;
    // Nearly every line is an ordinary event: read it without building a QJsonObject. The reader's
    // parser validates UTF-8 and escapes, so a line it takes needs the sanitizer only for an escape
    // PostgreSQL refuses; any other line is sanitized and read again. What the fast reader does not
    // take is parsed below, where every rule of the stream is checked.
    JobEvent event;
    bool read = m_reader.read(line, event) && !hasUnstorableEscape(line);
    if (!read && sanitizeJsonText(line))
        read = m_reader.read(line, event);
    if (read) {
        m_lineFollowsArtifacts = false;
        return addEvent(std::move(event), std::move(line), items);
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    const bool followsArtifacts = std::exchange(m_lineFollowsArtifacts, false);
    if (parseError.error != QJsonParseError::NoError) {
        if (followsArtifacts)
            return fail(tr("Line %1 of the runner's output goes on after the artifacts block with something "
                           "that is not JSON (%2); is the block longer than the %3 bytes announced? %4")
                            .arg(lineNumber())
                            .arg(parseError.errorString())
                            .arg(m_zipBytes)
                            .arg(excerpt(line)));
        return fail(tr("Line %1 of the runner's output is not JSON (%2): %3")
                        .arg(lineNumber())
                        .arg(parseError.errorString(), excerpt(line)));
    }
    if (!document.isObject())
        return fail(tr("Line %1 of the runner's output is not a JSON object: %2")
                        .arg(lineNumber())
                        .arg(excerpt(line)));

    QJsonObject object = document.object();
    if (object.contains(QLatin1String("zipfile")))
        return startArtifacts(object, items);
    if (object.contains(QLatin1String("eof"))) {
        m_state = State::AfterEof;
        items.append({StreamItem::Eof, std::move(object), {}, 0, {}});
        return;
    }
    if (object.contains(QLatin1String("status"))) {
        items.append({StreamItem::Status, std::move(object), {}, 0, {}});
        return;
    }
    if (object.contains(QLatin1String("event")))
        return takeEvent(object, std::move(line), items);
    // Anything else is a message from a newer runner that we do not know: skip it.
}

void ResultStreamParser::takeEvent(const QJsonObject &object, QByteArray line, QList<StreamItem> &items) {
    const QJsonValue value = object.value(QLatin1String("counter"));
    if (value.isUndefined())
        return addProblem(tr("an event without a counter"));
    // Doubles hold every int exactly, so the range and wholeness tests need no integer overflow.
    const double number = value.isDouble() ? value.toDouble() : 0.0;
    if (!value.isDouble() || !(number >= 1 && number <= INT_MAX) || number != std::floor(number))
        return addProblem(tr("counter %1 is not a positive whole number").arg(describeValue(value)));
    JobEvent event = eventFromRunner(0, object);
    event.counter = int(number);
    addEvent(std::move(event), std::move(line), items);
}

void ResultStreamParser::addEvent(JobEvent event, QByteArray line, QList<StreamItem> &items) {
    if (!rememberCounter(event.counter))
        return;
    const int counter = event.counter;
    items.append({StreamItem::Event, {}, std::move(line), counter, std::move(event)});
}

bool ResultStreamParser::rememberCounter(int counter) {
    const qint64 c = counter; // neighbours of INT_MAX without overflow
    auto next = m_counterRuns.upper_bound(counter);
    auto previous = next == m_counterRuns.begin() ? m_counterRuns.end() : std::prev(next);
    if (previous != m_counterRuns.end() && previous->second >= counter) {
        addProblem(tr("duplicate counter %1").arg(counter));
        return false;
    }
    const bool joinsPrevious = previous != m_counterRuns.end() && previous->second == c - 1;
    const bool joinsNext = next != m_counterRuns.end() && next->first == c + 1;
    if (joinsPrevious && joinsNext) {
        previous->second = next->second;
        m_counterRuns.erase(next);
    } else if (joinsPrevious) {
        previous->second = counter;
    } else if (joinsNext) {
        auto node = m_counterRuns.extract(next);
        node.key() = counter;
        m_counterRuns.insert(std::move(node));
    } else {
        if (qsizetype(m_counterRuns.size()) >= m_limits.maxCounterRuns) {
            fail(tr("Line %1 of the runner's output: the event counters are scattered over more than %2 "
                    "runs.")
                     .arg(lineNumber())
                     .arg(m_limits.maxCounterRuns));
            return false;
        }
        m_counterRuns.emplace(counter, counter);
    }
    return true;
}

void ResultStreamParser::startArtifacts(const QJsonObject &object, QList<StreamItem> &items) {
    const QJsonValue value = object.value(QLatin1String("zipfile"));
    if (m_sawArtifacts)
        return fail(
            tr("Line %1 of the runner's output announces a second artifacts block.").arg(lineNumber()));
    // Checked as a double before any integer arithmetic: 2^63 - 1024 is a valid JSON number.
    const double number = value.isDouble() ? value.toDouble() : -1.0;
    if (!value.isDouble() || number != std::floor(number) || number < 0)
        return fail(tr("Line %1 of the runner's output announces an artifacts size of %2, which is not a "
                       "whole number of bytes.")
                        .arg(lineNumber())
                        .arg(describeValue(value)));
    if (number > double(m_limits.maxArtifactsBytes))
        return fail(tr("Line %1 of the runner's output announces %2 bytes of artifacts, more than the limit "
                       "of %3 bytes.")
                        .arg(lineNumber())
                        .arg(describeValue(value))
                        .arg(m_limits.maxArtifactsBytes));
    m_sawArtifacts = true;
    m_zipLine = object;
    m_zipBytes = qint64(number);
    m_base64Total = 4 * ((m_zipBytes + 2) / 3); // m_zipBytes is at most the limit: no overflow
    m_base64Left = m_base64Total;
    m_padding = int((3 - m_zipBytes % 3) % 3);
    m_group = 0;
    m_groupFill = 0;
    if (m_sink) {
        if (Status s = m_sink->begin(m_zipBytes); !s)
            return fail(tr("Cannot store the job's artifacts (line %1 of the runner's output): %2")
                            .arg(lineNumber() + 1)
                            .arg(s.error()));
    }
    m_state = State::Artifacts;
    if (m_base64Left == 0)
        endArtifacts(items);
}

qsizetype ResultStreamParser::takeArtifacts(const char *data, qsizetype size, qsizetype at,
                                            QList<StreamItem> &items) {
    const qsizetype take = qsizetype(std::min<qint64>(m_base64Left, size - at));
    const auto *p = reinterpret_cast<const unsigned char *>(data + at);
    unsigned group = m_group;
    int fill = m_groupFill;
    for (qsizetype k = 0; k < take; ++k) {
        const qint64 left = m_base64Left - k; // characters left, this one included
        const unsigned char c = p[k];
        int value = kBase64[c];
        if (left <= m_padding) {
            value = c == '=' ? 0 : -2;
        }
        if (value < 0) {
            QString message = tr("The artifacts block on line %1 of the runner's output is not valid base64: "
                                 "character %2 of %3 is %4%5.")
                                  .arg(lineNumber())
                                  .arg(m_base64Total - left + 1)
                                  .arg(m_base64Total)
                                  .arg(describeByte(c))
                                  .arg(value == -2 ? tr(" where '=' padding belongs") : QString());
            if (c == '{')
                message += QLatin1Char(' ') +
                           tr("The block is shorter than the %1 bytes announced.").arg(m_zipBytes);
            fail(message);
            return at + k;
        }
        group = (group << 6) | unsigned(value);
        if (++fill == 4) {
            const int bytes = left == 1 ? 3 - m_padding : 3;
            const char decoded[3] = {char(group >> 16), char(group >> 8), char(group)};
            m_decoded.append(decoded, bytes);
            group = 0;
            fill = 0;
            if (m_decoded.size() >= kDecodeBatch && !flushDecoded())
                return at + k + 1;
        }
    }
    m_group = group;
    m_groupFill = fill;
    m_base64Left -= take;
    if (!flushDecoded())
        return at + take;
    if (m_base64Left == 0)
        endArtifacts(items);
    return at + take;
}

bool ResultStreamParser::flushDecoded() {
    if (m_sink && !m_decoded.isEmpty()) {
        if (Status s = m_sink->write(m_decoded.constData(), m_decoded.size()); !s) {
            fail(tr("Cannot store the job's artifacts (line %1 of the runner's output): %2")
                     .arg(lineNumber())
                     .arg(s.error()));
            return false;
        }
    }
    m_decoded.resize(0); // keeps its capacity, at most one batch
    return true;
}

void ResultStreamParser::endArtifacts(QList<StreamItem> &items) {
    if (m_sink) {
        if (Status s = m_sink->finish(); !s)
            return fail(tr("Cannot store the job's artifacts (line %1 of the runner's output): %2")
                            .arg(lineNumber())
                            .arg(s.error()));
    }
    m_decoded = QByteArray();
    m_state = State::Lines;
    m_lineFollowsArtifacts = true;
    items.append({StreamItem::Artifacts, m_zipLine, {}, 0, {}});
}

qsizetype ResultStreamParser::takeTrailer(const char *data, qsizetype size, qsizetype at) {
    for (; at < size; ++at) {
        const char c = data[at];
        if (c == '\n') {
            ++m_linesDone;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            fail(tr("The runner's output goes on after its end marker, on line %1.").arg(lineNumber()));
            return at;
        }
    }
    return at;
}

void ResultStreamParser::addProblem(QString what) {
    ++m_problemCount;
    if (m_problems.size() < kMaxProblemsKept)
        m_problems.append({lineNumber(), std::move(what)});
}

QString ResultStreamParser::problemSummary() const {
    if (m_problemCount == 0)
        return {};
    QStringList parts;
    for (const StreamProblem &problem : m_problems)
        parts << tr("line %1 (%2)").arg(problem.line).arg(problem.what);
    QString summary =
        m_problemCount == 1
            ? tr("1 line of the runner's output was refused: %1").arg(parts.join(QLatin1String(", ")))
            : tr("%1 lines of the runner's output were refused: %2")
                  .arg(m_problemCount)
                  .arg(parts.join(QLatin1String(", ")));
    if (m_problemCount > m_problems.size())
        summary += tr(" and %1 more").arg(m_problemCount - m_problems.size());
    return summary + QLatin1Char('.');
}

void ResultStreamParser::fail(QString message) {
    if (!failed())
        m_error = std::move(message);
}

} // namespace playdeck

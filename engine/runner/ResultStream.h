#pragma once

#include "ArtifactSink.h"
#include "core/Result.h"
#include "events/RunnerEventReader.h"
#include "model/JobEvent.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <map>

namespace playdeck {

// What one result stream may make Playdeck hold. The stream comes from an execution node, possibly
// another machine, so every size it announces or sends is checked against these first.
struct StreamLimits {
    // One line is held whole until its newline arrives. A loop's summary event carries every
    // item's result (~0.5 MB is ordinary, a task registering a large output makes tens of MB).
    qsizetype maxLineBytes = 64 * 1024 * 1024;
    // The artifacts zip is streamed to the sink, never held, but it lands on disk.
    qint64 maxArtifactsBytes = 256 * 1024 * 1024;
    // Counters are checked for uniqueness by remembering runs of consecutive counters: one run for
    // ansible-runner's 1, 2, 3, ...; a stream scattering them over more runs than this is refused.
    qsizetype maxCounterRuns = 100'000;
};

// One piece of `ansible-runner worker` output.
struct StreamItem {
    enum Kind { Status, Event, Artifacts, Eof };
    Kind kind = Status;
    QJsonObject object; // the parsed line: Status, Artifacts (the zipfile line), Eof
    QByteArray line;    // Event: its JSON text, sanitized (events/JsonText.h) and trimmed
    int counter = 0;    // Event: its counter, positive and unique in the stream
    JobEvent event;     // Event: as a job_event row (its jobId 0)
};

// A line refused without stopping the stream, such as an event without a valid counter.
struct StreamProblem {
    qint64 line = 0;
    QString what;
};

// Parses the worker's result stream as it arrives, in chunks of any size: JSON lines (status lines,
// events), `{"zipfile": N}` followed by the base64 of N zip bytes with no line break, then
// `{"eof": true}`. Every line is sanitized for PostgreSQL before it is parsed. The base64 block is
// decoded as it arrives and handed to the sink (or, without one, checked and dropped).
//
// A line that breaks the stream's structure (not JSON, too long, a bad artifacts block, data after
// the end) stops the parser: failed() and error() say where. An event whose counter is missing, not
// a positive whole number, or repeated is left out and recorded in problems(); the stream goes on,
// and the job should end in error with problemSummary(). Objects with none of the keys the parser
// knows are skipped: they come from a newer runner.
class ResultStreamParser {
    Q_DECLARE_TR_FUNCTIONS(ResultStreamParser)

public:
    explicit ResultStreamParser(ArtifactSink *sink = nullptr, StreamLimits limits = {});

    QList<StreamItem> feed(const QByteArray &chunk);
    // The end of the input: fails when it cuts a line or the artifacts block short. A stream that
    // merely ends before `{"eof": true}` is not an error here; see sawEof().
    Status finish();

    bool failed() const { return !m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    bool sawEof() const { return m_state == State::AfterEof; }
    // Bytes of an incomplete line or base64 group held: at most maxLineBytes + 3.
    qsizetype pendingBytes() const { return m_line.size() + m_groupFill; }
    // The number of the line being read (1-based); the artifacts block shares the line of the
    // `{"eof": true}` that follows it.
    qint64 lineNumber() const { return m_linesDone + 1; }

    // The first kMaxProblemsKept problems, and how many there were in all.
    const QList<StreamProblem> &problems() const { return m_problems; }
    qint64 problemCount() const { return m_problemCount; }
    // For the job's explanation, e.g. "3 lines of the runner's output were refused: line 12 (an
    // event without a counter), line 40 (duplicate counter 7), ..."; empty when there were none.
    QString problemSummary() const;

    static constexpr qsizetype kMaxProblemsKept = 20;

private:
    enum class State { Lines, Artifacts, AfterEof, Finished };

    qsizetype takeLines(const char *data, qsizetype size, qsizetype at, QList<StreamItem> &items);
    qsizetype takeArtifacts(const char *data, qsizetype size, qsizetype at, QList<StreamItem> &items);
    qsizetype takeTrailer(const char *data, qsizetype size, qsizetype at);
    void takeLine(QByteArray line, QList<StreamItem> &items);
    void startArtifacts(const QJsonObject &object, QList<StreamItem> &items);
    void endArtifacts(QList<StreamItem> &items);
    bool flushDecoded();
    void takeEvent(const QJsonObject &object, QByteArray line, QList<StreamItem> &items);
    void addEvent(JobEvent event, QByteArray line, QList<StreamItem> &items);
    bool rememberCounter(int counter);
    void addProblem(QString what);
    void fail(QString message);

    ArtifactSink *m_sink;
    RunnerEventReader m_reader;
    StreamLimits m_limits;
    State m_state = State::Lines;
    QString m_error;

    QByteArray m_line; // an incomplete line, never more than maxLineBytes
    qint64 m_linesDone = 0;
    bool m_lineFollowsArtifacts = false;

    QJsonObject m_zipLine;
    bool m_sawArtifacts = false;
    qint64 m_zipBytes = 0;
    qint64 m_base64Total = 0;
    qint64 m_base64Left = 0;
    int m_padding = 0;
    unsigned m_group = 0; // the bits of an incomplete 4-character group
    int m_groupFill = 0;
    QByteArray m_decoded; // decoded bytes not yet handed to the sink, a bounded batch

    std::map<int, int> m_counterRuns; // first counter -> last counter of each run seen
    QList<StreamProblem> m_problems;
    qint64 m_problemCount = 0;
};

} // namespace playdeck

#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QRegularExpression>
#include <QString>

namespace playdeck {

// A job's output by line, as the job view pages and searches it. ansible-runner numbers the lines
// of the whole stdout from 0: an event's stdout is lines [startLine, endLine), separated by "\r\n".

// What an event says of its host, for colouring a line and filtering by outcome.
enum class LineOutcome : quint8 { None, Ok, Changed, Failed, Unreachable, Skipped };
LineOutcome lineOutcome(const QString &event, bool failed, bool changed);

// The columns of job_event that the output needs (the store reads only these).
struct OutputEvent {
    int counter = 0;
    int startLine = 0;
    int endLine = 0;
    QString event;
    QString stdout;
    bool failed = false;
    bool changed = false;
};

struct OutputLine {
    QString text;    // as printed, ANSI colours included, no line break
    int counter = 0; // the event that printed it (0: a line no stored event covers)
    LineOutcome outcome = LineOutcome::None;
};

// Lines [firstLine, firstLine + lines.size()) of a job's output.
struct OutputPage {
    int firstLine = 0;
    QList<OutputLine> lines;
};

// How far a job's output is: what the view grows to and what its lag gauge shows.
struct OutputExtent {
    int lineCount = 0;       // the end_line of the last event
    int lastCounter = 0;     // the highest committed counter
    QDateTime newestCreated; // when the newest committed event was made (invalid: none yet)
};

// An event's stdout as exactly `count` lines ("\r\n", "\n" or a lone "\r" ends one): a stream that
// numbered its lines differently from its text still fills its own range and no other.
QStringList stdoutLines(QStringView stdout, int count);

// Lines [firstLine, firstLine + count) out of `events` (those with end_line > firstLine, in line
// order), cut at `lineCount`. A line no event covers is empty.
OutputPage outputPage(const QList<OutputEvent> &events, int firstLine, int count, int lineCount);

// Which lines to find or show: text (plain or a regular expression, matched against the line
// without its colours) and conditions on the event that printed the line. Empty fields match all.
struct OutputFilter {
    QString text;
    bool regex = false;
    bool caseSensitive = false;
    QString host; // host_name contains this, case-insensitive
    QString play; // play contains this
    QString task; // task contains this
    // Any of these outcomes (none set: any line, headers included).
    QList<LineOutcome> outcomes;

    bool hasEventConditions() const {
        return !host.isEmpty() || !play.isEmpty() || !task.isEmpty() || !outcomes.isEmpty();
    }
    bool isEmpty() const { return text.isEmpty() && !hasEventConditions(); }
    bool operator==(const OutputFilter &) const = default;
};

struct LineRange {
    int first = 0;
    int count = 0;
    int end() const { return first + count; }
    bool operator==(const LineRange &) const = default;
};

// One step of a search through a job's output, in line order.
struct OutputMatches {
    QList<LineRange> ranges; // matching lines, ascending, adjacent ones merged
    int scannedTo = 0;       // every line before this one was looked at
    bool atEnd = false;      // no committed event after scannedTo (yet, for a running job)
};

// Matches lines against an OutputFilter's text; the event conditions are the store's (SQL).
class OutputMatcher {
public:
    explicit OutputMatcher(const OutputFilter &filter);
    // Why the regular expression is not one ("" when it is fine).
    QString error() const { return m_error; }
    bool matches(QStringView plainLine) const;
    // Appends the matching lines of `events` (in line order) to `into`, merged with its last range.
    void scan(const QList<OutputEvent> &events, QList<LineRange> &into) const;

private:
    QString m_text;
    Qt::CaseSensitivity m_case = Qt::CaseInsensitive;
    QRegularExpression m_regex;
    bool m_useRegex = false;
    QString m_error;
};

// Adds line `line` to ascending, merged ranges.
void appendLine(QList<LineRange> &ranges, int line, int count = 1);

} // namespace playdeck

Q_DECLARE_METATYPE(playdeck::OutputPage)
Q_DECLARE_METATYPE(playdeck::OutputExtent)
Q_DECLARE_METATYPE(playdeck::OutputMatches)

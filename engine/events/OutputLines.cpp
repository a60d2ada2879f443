#include "OutputLines.h"

#include "AnsiEscapes.h"

#include <algorithm>

namespace playdeck {

LineOutcome lineOutcome(const QString &event, bool failed, bool changed) {
    if (event == QLatin1String("runner_on_unreachable"))
        return LineOutcome::Unreachable;
    if (event == QLatin1String("runner_on_skipped") || event == QLatin1String("runner_item_on_skipped"))
        return LineOutcome::Skipped;
    if (failed || event == QLatin1String("runner_on_failed") ||
        event == QLatin1String("runner_item_on_failed"))
        return LineOutcome::Failed;
    if (event == QLatin1String("runner_on_ok") || event == QLatin1String("runner_item_on_ok") ||
        event == QLatin1String("runner_on_async_ok"))
        return changed ? LineOutcome::Changed : LineOutcome::Ok;
    return LineOutcome::None;
}

QStringList stdoutLines(QStringView stdout, int count) {
    QStringList lines;
    if (count <= 0)
        return lines;
    lines.reserve(count);
    qsizetype start = 0;
    const qsizetype n = stdout.size();
    for (qsizetype i = 0; i < n && lines.size() < count - 1; ++i) {
        const QChar c = stdout[i];
        if (c != QLatin1Char('\n') && c != QLatin1Char('\r'))
            continue;
        lines.append(stdout.mid(start, i - start).toString());
        if (c == QLatin1Char('\r') && i + 1 < n && stdout[i + 1] == QLatin1Char('\n'))
            ++i;
        start = i + 1;
    }
    // The last line holds the rest (a stream that printed more lines than it counted loses none).
    QStringView rest = stdout.mid(qMin(start, n));
    while (rest.endsWith(QLatin1Char('\n')) || rest.endsWith(QLatin1Char('\r')))
        rest.chop(1);
    lines.append(rest.toString());
    while (lines.size() < count)
        lines.append(QString());
    return lines;
}

OutputPage outputPage(const QList<OutputEvent> &events, int firstLine, int count, int lineCount) {
    OutputPage page;
    page.firstLine = firstLine;
    const int end = qMin(firstLine + count, lineCount);
    if (end <= firstLine)
        return page;
    page.lines.resize(end - firstLine);
    for (const OutputEvent &e : events) {
        if (e.startLine >= end)
            break;
        if (e.endLine <= firstLine || e.endLine <= e.startLine)
            continue;
        const QStringList lines = stdoutLines(e.stdout, e.endLine - e.startLine);
        const LineOutcome outcome = lineOutcome(e.event, e.failed, e.changed);
        for (int line = qMax(e.startLine, firstLine); line < qMin(e.endLine, end); ++line) {
            OutputLine &out = page.lines[line - firstLine];
            out.text = lines.at(line - e.startLine);
            out.counter = e.counter;
            out.outcome = outcome;
        }
    }
    return page;
}

void appendLine(QList<LineRange> &ranges, int line, int count) {
    if (!ranges.isEmpty() && ranges.last().end() >= line) {
        LineRange &last = ranges.last();
        last.count = qMax(last.end(), line + count) - last.first;
        return;
    }
    ranges.append({line, count});
}

OutputMatcher::OutputMatcher(const OutputFilter &filter)
    : m_text(filter.text)
    , m_case(filter.caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive)
    , m_useRegex(filter.regex && !filter.text.isEmpty()) {
    if (!m_useRegex)
        return;
    m_regex.setPattern(filter.text);
    m_regex.setPatternOptions(filter.caseSensitive ? QRegularExpression::NoPatternOption
                                                   : QRegularExpression::CaseInsensitiveOption);
    if (!m_regex.isValid())
        m_error = m_regex.errorString();
    else
        m_regex.optimize();
}

bool OutputMatcher::matches(QStringView plainLine) const {
    if (m_text.isEmpty())
        return true;
    if (m_useRegex)
        return m_regex.isValid() && m_regex.match(plainLine).hasMatch();
    return plainLine.contains(m_text, m_case);
}

void OutputMatcher::scan(const QList<OutputEvent> &events, QList<LineRange> &into) const {
    for (const OutputEvent &e : events) {
        const int count = e.endLine - e.startLine;
        if (count <= 0)
            continue;
        if (m_text.isEmpty()) {
            appendLine(into, e.startLine, count);
            continue;
        }
        // A cheap look at the whole event first: most events of a big job do not match at all.
        const QString plain = stripAnsi(e.stdout);
        if (!m_useRegex && !plain.contains(m_text, m_case))
            continue;
        const QStringList lines = stdoutLines(plain, count);
        for (int i = 0; i < count; ++i) {
            if (matches(lines.at(i)))
                appendLine(into, e.startLine + i);
        }
    }
}

} // namespace playdeck

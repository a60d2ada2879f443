// The pure rules of the job output by line: splitting an event's stdout into its numbered lines,
// pages, matching, merged ranges, outcomes and ANSI stripping.
#include "events/AnsiEscapes.h"
#include "events/OutputLines.h"

#include <QTest>

using namespace playdeck;

namespace {

OutputFilter textFilter(const QString &text, bool regex = false, bool caseSensitive = false) {
    OutputFilter f;
    f.text = text;
    f.regex = regex;
    f.caseSensitive = caseSensitive;
    return f;
}

OutputEvent outputEvent(int counter, int start, int end, const QString &stdout, const QString &name = {}) {
    OutputEvent e;
    e.counter = counter;
    e.startLine = start;
    e.endLine = end;
    e.stdout = stdout;
    e.event = name.isEmpty() ? QStringLiteral("runner_on_ok") : name;
    return e;
}

} // namespace

class OutputLinesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stdoutSplitsIntoExactlyItsLines() {
        // As ansible-runner counts: "\r\nPLAY [x] ***" is lines 0 and 1.
        QCOMPARE(stdoutLines(u"\r\nPLAY [x] ***", 2),
                 (QStringList{QString(), QStringLiteral("PLAY [x] ***")}));
        QCOMPARE(stdoutLines(u"a\nb\rc\r\nd", 4), (QStringList{"a", "b", "c", "d"}));
        // A stream that counted fewer lines than it printed keeps the rest on its last line; one that
        // counted more gets empty lines. Nothing spills into a neighbour's range.
        QCOMPARE(stdoutLines(u"a\r\nb\r\nc", 2), (QStringList{"a", "b\r\nc"}));
        QCOMPARE(stdoutLines(u"a", 3), (QStringList{"a", QString(), QString()}));
        QCOMPARE(stdoutLines(u"a\r\n", 1), QStringList{"a"});
        QVERIFY(stdoutLines(u"anything", 0).isEmpty());
    }

    void aPageIsCutFromTheEventsThatCoverIt() {
        const QList<OutputEvent> events{
            outputEvent(1, 0, 2, QStringLiteral("\r\nPLAY")),
            outputEvent(3, 2, 5, QStringLiteral("a\r\nb\r\nc"), QStringLiteral("runner_on_failed")),
            outputEvent(4, 6, 7, QStringLiteral("after a gap"))};
        const OutputPage page = outputPage(events, 1, 10, 7);
        QCOMPARE(page.firstLine, 1);
        QCOMPARE(page.lines.size(), 6); // cut at the line count
        QCOMPARE(page.lines.at(0).text, QStringLiteral("PLAY"));
        QCOMPARE(page.lines.at(0).counter, 1);
        QCOMPARE(page.lines.at(2).text, QStringLiteral("b"));
        QCOMPARE(page.lines.at(2).outcome, LineOutcome::Failed);
        QCOMPARE(page.lines.at(4).counter, 0); // line 5: no stored event covers it
        QCOMPARE(page.lines.at(5).text, QStringLiteral("after a gap"));
        QVERIFY(outputPage(events, 7, 10, 7).lines.isEmpty());
    }

    void outcomesAreAnsiblesResults() {
        QCOMPARE(lineOutcome(QStringLiteral("runner_on_ok"), false, true), LineOutcome::Changed);
        QCOMPARE(lineOutcome(QStringLiteral("runner_item_on_ok"), false, false), LineOutcome::Ok);
        QCOMPARE(lineOutcome(QStringLiteral("runner_on_unreachable"), true, false), LineOutcome::Unreachable);
        QCOMPARE(lineOutcome(QStringLiteral("runner_on_skipped"), false, false), LineOutcome::Skipped);
        QCOMPARE(lineOutcome(QStringLiteral("runner_on_failed"), false, false), LineOutcome::Failed);
        QCOMPARE(lineOutcome(QStringLiteral("playbook_on_task_start"), false, false), LineOutcome::None);
    }

    void rangesMerge() {
        QList<LineRange> r;
        appendLine(r, 3);
        appendLine(r, 4);
        appendLine(r, 4);
        appendLine(r, 9, 2);
        appendLine(r, 10, 5);
        QCOMPARE(r, (QList<LineRange>{{3, 2}, {9, 6}}));
    }

    void textMatchesTheLineWithoutItsColours() {
        const QList<OutputEvent> events{
            outputEvent(1, 0, 2, QStringLiteral("\x1b[0;31mfatal: [web1]\x1b[0m\r\nTASK [x]")),
            outputEvent(2, 2, 3, QStringLiteral("\x1b[0;32mok: [web2]\x1b[0m")),
            outputEvent(3, 3, 3, QStringLiteral("prints nothing"))};
        QList<LineRange> found;
        OutputMatcher(textFilter(QStringLiteral("FATAL: [web1]"))).scan(events, found);
        QCOMPARE(found, (QList<LineRange>{{0, 1}}));
        found.clear();
        const OutputFilter cased = textFilter(QStringLiteral("FATAL"), false, true);
        OutputMatcher(cased).scan(events, found);
        QVERIFY(found.isEmpty());
        found.clear();
        OutputMatcher(textFilter(QStringLiteral("^(ok|TASK)"), true)).scan(events, found);
        QCOMPARE(found, (QList<LineRange>{{1, 2}}));
        // No text: every line of the events (the store has applied the event conditions).
        found.clear();
        OutputMatcher(OutputFilter{}).scan(events, found);
        QCOMPARE(found, (QList<LineRange>{{0, 3}}));
        QVERIFY(!OutputMatcher(textFilter(QStringLiteral("(open"), true)).error().isEmpty());
    }

    void stripAnsiDropsEveryEscape() {
        QCOMPARE(stripAnsi(u"\x1b[1;35mwarn\x1b[0m \x1b]0;title\x07x\x1b(By\x1b[2K"),
                 QStringLiteral("warn xy"));
        QCOMPARE(stripAnsi(u"plain"), QStringLiteral("plain"));
        QCOMPARE(stripAnsi(u"cut \x1b["), QStringLiteral("cut "));
    }
};

QTEST_APPLESS_MAIN(OutputLinesTest)
#include "tst_outputlines.moc"

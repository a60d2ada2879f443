#include "AnsiText.h"

#include <QTest>

using namespace playdeck;

namespace {

QString esc(const char *sequence) {
    return QChar(0x1b) + QString::fromLatin1(sequence);
}

// Takes a QString so that concatenations (QStringBuilder) can be passed.
QList<AnsiRun> parse(const QString &text, const QTextCharFormat &base = QTextCharFormat()) {
    return parseAnsi(text, base);
}

QString joined(const QList<AnsiRun> &runs) {
    QString text;
    for (const AnsiRun &run : runs)
        text += run.text;
    return text;
}

} // namespace

class TestAnsiText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyText();
    void plainText();
    void ansibleColours_data();
    void ansibleColours();
    void brightColours();
    void boldAndColour();
    void resetReturnsToBase();
    void defaultForeground();
    void adjacentRunsMerge();
    void emptySgrResets();
    void extendedColours();
    void unknownSequencesStripped_data();
    void unknownSequencesStripped();
    void truncatedSequenceAtEnd();
    void newlinesKept();
};

void TestAnsiText::emptyText() {
    QVERIFY(parse(QString()).isEmpty());
    QVERIFY(parse(esc("[0;32m") + esc("[0m")).isEmpty());
}

void TestAnsiText::plainText() {
    const QList<AnsiRun> runs = parse(QStringLiteral("PLAY [all] ****"));
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs[0].text, QStringLiteral("PLAY [all] ****"));
    QVERIFY(!runs[0].format.hasProperty(QTextFormat::ForegroundBrush));
}

void TestAnsiText::ansibleColours_data() {
    QTest::addColumn<QString>("sequence");
    QTest::addColumn<int>("colour");
    QTest::addRow("green ok") << QStringLiteral("[0;32m") << 2;
    QTest::addRow("yellow changed") << QStringLiteral("[0;33m") << 3;
    QTest::addRow("red failed") << QStringLiteral("[0;31m") << 1;
    QTest::addRow("cyan skipped") << QStringLiteral("[0;36m") << 6;
    QTest::addRow("blue verbose") << QStringLiteral("[0;34m") << 4;
    QTest::addRow("single parameter") << QStringLiteral("[35m") << 5;
}

void TestAnsiText::ansibleColours() {
    QFETCH(QString, sequence);
    QFETCH(int, colour);
    const QString text = QChar(0x1b) + sequence + QStringLiteral("ok: [localhost]") + esc("[0m");
    const QList<AnsiRun> runs = parse(text);
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs[0].text, QStringLiteral("ok: [localhost]"));
    QCOMPARE(runs[0].format.foreground().color(), ansiColor(colour));
    QVERIFY(runs[0].format.fontWeight() != QFont::Bold);
}

void TestAnsiText::brightColours() {
    for (int code = 90; code <= 97; ++code) {
        const QString text =
            esc(QByteArray("[" + QByteArray::number(code) + "m").constData()) + QStringLiteral("x");
        const QList<AnsiRun> runs = parse(text);
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs[0].format.foreground().color(), ansiColor(code - 90 + 8));
    }
}

void TestAnsiText::boldAndColour() {
    const QList<AnsiRun> runs = parse(esc("[1;35m") + QStringLiteral("[WARNING]: deprecated") + esc("[0m"));
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs[0].format.fontWeight(), int(QFont::Bold));
    QCOMPARE(runs[0].format.foreground().color(), ansiColor(5));
}

void TestAnsiText::resetReturnsToBase() {
    QTextCharFormat base;
    base.setFontItalic(true);
    const QList<AnsiRun> runs = parse(
        QStringLiteral("a") + esc("[1;31m") + QStringLiteral("b") + esc("[0m") + QStringLiteral("c"), base);
    QCOMPARE(runs.size(), 3);
    QCOMPARE(joined(runs), QStringLiteral("abc"));
    QCOMPARE(runs[0].format, base);
    QCOMPARE(runs[1].format.foreground().color(), ansiColor(1));
    QVERIFY(runs[1].format.fontItalic());
    QCOMPARE(runs[2].format, base);
}

void TestAnsiText::defaultForeground() {
    const QList<AnsiRun> runs =
        parse(esc("[1;32m") + QStringLiteral("a") + esc("[39m") + QStringLiteral("b"));
    QCOMPARE(runs.size(), 2);
    QVERIFY(!runs[1].format.hasProperty(QTextFormat::ForegroundBrush));
    QCOMPARE(runs[1].format.fontWeight(), int(QFont::Bold));
}

void TestAnsiText::adjacentRunsMerge() {
    // Two sequences that end in the same look produce one run.
    const QList<AnsiRun> runs =
        parse(esc("[0;32m") + QStringLiteral("ok: ") + esc("[0;32m") + QStringLiteral("[host]") + esc("[0m"));
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs[0].text, QStringLiteral("ok: [host]"));
}

void TestAnsiText::emptySgrResets() {
    const QList<AnsiRun> runs = parse(esc("[31m") + QStringLiteral("a") + esc("[m") + QStringLiteral("b"));
    QCOMPARE(runs.size(), 2);
    QVERIFY(!runs[1].format.hasProperty(QTextFormat::ForegroundBrush));
}

void TestAnsiText::extendedColours() {
    const QList<AnsiRun> runs =
        parse(esc("[38;5;196m") + QStringLiteral("a") + esc("[38;2;1;2;3;1m") + QStringLiteral("b"));
    QCOMPARE(runs.size(), 2);
    QCOMPARE(runs[0].format.foreground().color(), QColor(255, 0, 0));
    QCOMPARE(runs[1].format.foreground().color(), QColor(1, 2, 3));
    QCOMPARE(runs[1].format.fontWeight(), int(QFont::Bold)); // the parameter after the colour
}

void TestAnsiText::unknownSequencesStripped_data() {
    QTest::addColumn<QString>("text");
    QTest::addRow("erase line") << esc("[K") + QStringLiteral("abc");
    QTest::addRow("cursor back") << QStringLiteral("ab") + esc("[10D") + QStringLiteral("c");
    QTest::addRow("private mode") << esc("[?25l") + QStringLiteral("abc") + esc("[?25h");
    QTest::addRow("osc title bel") << esc("]0;title\x07") + QStringLiteral("abc");
    QTest::addRow("osc title st") << QStringLiteral("a") + esc("]2;title") + esc("\\") + QStringLiteral("bc");
    QTest::addRow("charset") << esc("(B") + QStringLiteral("abc");
    QTest::addRow("two-character") << QStringLiteral("a") + esc("=") + QStringLiteral("bc");
    QTest::addRow("unsupported sgr") << esc("[5;7m") + QStringLiteral("abc");
}

void TestAnsiText::unknownSequencesStripped() {
    QFETCH(QString, text);
    const QList<AnsiRun> runs = parse(text);
    QCOMPARE(joined(runs), QStringLiteral("abc"));
    for (const AnsiRun &run : runs) {
        QVERIFY(!run.text.isEmpty());
        QVERIFY(!run.format.hasProperty(QTextFormat::ForegroundBrush));
    }
}

void TestAnsiText::truncatedSequenceAtEnd() {
    QCOMPARE(joined(parse(QStringLiteral("abc") + esc("[0;3"))), QStringLiteral("abc"));
    QCOMPARE(joined(parse(QStringLiteral("abc") + QChar(0x1b))), QStringLiteral("abc"));
}

void TestAnsiText::newlinesKept() {
    const QList<AnsiRun> runs =
        parse(esc("[0;32m") + QStringLiteral("ok: [a]\nok: [b]") + esc("[0m") + QStringLiteral("\n"));
    QCOMPARE(runs.size(), 2);
    QCOMPARE(runs[0].text, QStringLiteral("ok: [a]\nok: [b]"));
    QCOMPARE(runs[1].text, QStringLiteral("\n"));
}

QTEST_GUILESS_MAIN(TestAnsiText)
#include "tst_ansitext.moc"

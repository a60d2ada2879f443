#include "runner/ResultStream.h"

#include <QTest>

using namespace playdeck;

namespace {
QByteArray sampleStream(const QByteArray &zip) {
    return QByteArray(
               "{\"status\": \"starting\", \"runner_ident\": \"1\"}\n"
               "{\"status\": \"running\"}\n"
               "{\"uuid\": \"u1\", \"counter\": 1, \"event\": \"playbook_on_start\", \"stdout\": \"\"}\n"
               "{\"uuid\": \"u2\", \"counter\": 2, \"event\": \"verbose\", \"stdout\": \"hi\"}\n"
               "{\"status\": \"successful\"}\n") +
           "{\"zipfile\": " + QByteArray::number(zip.size()) + "}\n" + zip.toBase64() + "{\"eof\": true}\n";
}
} // namespace

class ResultStreamTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void wholeStream() {
        ResultStreamParser parser;
        const auto items = parser.feed(sampleStream("PK-not-really-a-zip"));
        QVERIFY(!parser.failed());
        QVERIFY(parser.sawEof());
        QCOMPARE(items.size(), 7);
        QCOMPARE(items.at(2).kind, StreamItem::Event);
        QCOMPARE(items.at(4).object.value(QStringLiteral("status")).toString(), QStringLiteral("successful"));
        QCOMPARE(items.at(5).kind, StreamItem::Artifacts);
        QCOMPARE(items.at(5).zip, QByteArray("PK-not-really-a-zip"));
        QCOMPARE(items.at(6).kind, StreamItem::Eof);
        QCOMPARE(parser.pendingBytes(), 0);
    }
    void byteByByteGivesTheSameItems() {
        const QByteArray stream = sampleStream(QByteArray(1000, 'z'));
        ResultStreamParser parser;
        QList<StreamItem> items;
        for (char c : stream)
            items += parser.feed(QByteArray(1, c));
        QVERIFY(!parser.failed());
        QCOMPARE(items.size(), 7);
        QCOMPARE(items.at(5).zip, QByteArray(1000, 'z'));
        QVERIFY(parser.sawEof());
    }
    void partialLineWaits() {
        ResultStreamParser parser;
        QVERIFY(parser.feed("{\"status\": \"runn").isEmpty());
        QVERIFY(parser.pendingBytes() > 0);
        QCOMPARE(parser.feed("ing\"}\n").size(), 1);
    }
    void garbageStopsTheParserWithTheLine() {
        ResultStreamParser parser;
        const auto items =
            parser.feed("{\"status\": \"running\"}\nTraceback (most recent call last):\n{\"eof\": true}\n");
        QCOMPARE(items.size(), 1);
        QVERIFY(parser.failed());
        QVERIFY(parser.error().contains(QStringLiteral("line 2")));
        QVERIFY(parser.feed("{\"eof\": true}\n").isEmpty());
        QVERIFY(!parser.sawEof());
    }
    void badBase64IsAnError() {
        ResultStreamParser parser;
        parser.feed("{\"zipfile\": 3}\n!!!!{\"eof\": true}\n");
        QVERIFY(parser.failed());
    }
};

QTEST_GUILESS_MAIN(ResultStreamTest)
#include "tst_resultstream.moc"

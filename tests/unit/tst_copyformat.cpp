#include "store/CopyFormat.h"

#include <QTest>

using namespace playdeck;

namespace {

qint64 bigEndian(QByteArrayView b) {
    quint64 v = 0;
    for (char c : b)
        v = (v << 8) | quint8(c);
    return qint64(v);
}

QList<QList<QByteArray>> readRows(const QByteArray &stream, bool *ended) {
    QList<QList<QByteArray>> rows;
    BinaryCopyReader reader;
    const bool ok = reader.feed(stream.constData(), stream.size(), [&](const BinaryCopyReader::Fields &f) {
        QList<QByteArray> row;
        for (QByteArrayView v : f)
            row << v.toByteArray();
        rows << row;
        return true;
    });
    *ended = ok && reader.ended();
    return rows;
}

} // namespace

class TestCopyFormat : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Every column in its binary form, as PostgreSQL's receive functions read it.
    void rowHasEveryColumnInBinaryForm() {
        JobEvent e;
        e.jobId = 0x0102030405;
        e.counter = 7;
        e.event = QStringLiteral("runner_on_ok");
        e.eventData = R"({"host":"web1"})";
        e.uuid = QStringLiteral("u-1");
        e.hostName = QStringLiteral("wéb1 😀");
        e.stdout = QStringLiteral("\x1b[0;32mok\x1b[0m\tdone\n");
        e.startLine = 3;
        e.endLine = 4;
        e.verbosity = -1;
        e.failed = true;
        e.created = QDateTime(QDate(2000, 1, 1), QTime(0, 0, 1, 250), Qt::UTC);
        QByteArray stream;
        appendBinaryCopyHeader(stream);
        appendBinaryRow(stream, e);
        appendBinaryRow(stream, JobEvent());
        appendBinaryCopyTrailer(stream);

        bool ended = false;
        const auto rows = readRows(stream, &ended);
        QVERIFY(ended);
        QCOMPARE(rows.size(), 2);
        const QList<QByteArray> &r = rows.first();
        QCOMPARE(r.size(), 17);
        QCOMPARE(bigEndian(r[0]), 0x0102030405);
        QCOMPARE(bigEndian(r[1]), 7);
        QCOMPARE(r[2], QByteArray("runner_on_ok"));
        QCOMPARE(r[3], QByteArray("\x01{\"host\":\"web1\"}")); // jsonb: version 1, then the text
        QCOMPARE(r[4], QByteArray("u-1"));
        QCOMPARE(r[5], QByteArray());
        QCOMPARE(QString::fromUtf8(r[6]), e.hostName);
        QCOMPARE(QString::fromUtf8(r[10]), e.stdout); // tabs and line breaks as they are
        QCOMPARE(bigEndian(r[11]), 3);
        QCOMPARE(bigEndian(r[12]), 4);
        QCOMPARE(r[13], QByteArray("\xff\xff\xff\xff", 4));
        QCOMPARE(r[14], QByteArray("\x01", 1));
        QCOMPARE(r[15], QByteArray("\x00", 1));
        QCOMPARE(bigEndian(r[16]), 1250000); // microseconds since 2000-01-01 UTC
        QCOMPARE(rows.at(1)[3], QByteArray("\x01{}"));
    }

    // PostgreSQL refuses a NUL in text: one would cost the whole batch, so it becomes U+FFFD.
    void nulBecomesReplacementCharacter() {
        JobEvent e;
        e.event = QStringLiteral("verbose");
        e.stdout = QStringLiteral("a") + QChar(0) + QStringLiteral("b") + QChar(0);
        e.eventData = QByteArray("{\"x\":1}\0", 8);
        QByteArray stream;
        appendBinaryCopyHeader(stream);
        appendBinaryRow(stream, e);
        appendBinaryCopyTrailer(stream);
        bool ended = false;
        const auto rows = readRows(stream, &ended);
        QVERIFY(ended);
        QCOMPARE(QString::fromUtf8(rows.at(0)[10]), QStringLiteral("a\uFFFDb\uFFFD"));
        QCOMPARE(rows.at(0)[3], QByteArray("\x01{\"x\":1}\xEF\xBF\xBD"));
    }

    // libpq hands a COPY over a row at a time, but the reader does not rely on it: rows split
    // anywhere, several in one piece, or the whole stream at once read the same.
    void rowsReadTheSameInAnyPieces() {
        QByteArray stream;
        appendBinaryCopyHeader(stream);
        for (int i = 0; i < 5; ++i) {
            JobEvent e;
            e.counter = i + 1;
            e.event = QStringLiteral("runner_on_ok");
            e.stdout = QString(i * 40, QLatin1Char('x'));
            appendBinaryRow(stream, e);
        }
        appendBinaryCopyTrailer(stream);
        bool ended = false;
        const auto whole = readRows(stream, &ended);
        QVERIFY(ended);
        QCOMPARE(whole.size(), 5);
        for (const qsizetype piece : {1, 2, 7, 19, 64, 301}) {
            BinaryCopyReader reader;
            QList<QList<QByteArray>> rows;
            for (qsizetype at = 0; at < stream.size(); at += piece) {
                QVERIFY(reader.feed(stream.constData() + at, std::min(piece, stream.size() - at),
                                    [&](const BinaryCopyReader::Fields &f) {
                                        QList<QByteArray> row;
                                        for (QByteArrayView v : f)
                                            row << v.toByteArray();
                                        rows << row;
                                        return true;
                                    }));
            }
            QVERIFY2(reader.ended(), qPrintable(QString::number(piece)));
            QCOMPARE(rows, whole);
        }
    }

    // A stream that is not a binary COPY is refused, not read as rows.
    void refusesWhatIsNotBinaryCopy() {
        BinaryCopyReader reader;
        const QByteArray text("1\trunner_on_ok\n2\trunner_on_ok\n\\.\n");
        int rows = 0;
        QVERIFY(!reader.feed(text.constData(), text.size(), [&](const BinaryCopyReader::Fields &) {
            ++rows;
            return true;
        }));
        QCOMPARE(rows, 0);
        QVERIFY(!reader.ended());
    }
};

QTEST_GUILESS_MAIN(TestCopyFormat)
#include "tst_copyformat.moc"

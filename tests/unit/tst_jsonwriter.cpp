#include "core/JsonWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace playdeck;

namespace {

// What a JSON parser reads back from one string written by the writer.
QString readBack(const QByteArray &json) {
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson("[" + json + "]", &error);
    if (error.error != QJsonParseError::NoError)
        return QStringLiteral("<not JSON: %1>").arg(error.errorString());
    return doc.array().at(0).toString();
}

} // namespace

class TestJsonWriter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrips_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("plain") << QStringLiteral("ok: [web1]");
        QTest::newRow("quotes and backslashes") << QStringLiteral("say \"hi\" C:\\dir\\");
        QTest::newRow("line breaks and tabs") << QStringLiteral("a\r\nb\tc\n");
        QTest::newRow("ANSI colours") << QStringLiteral("\x1b[0;32mok\x1b[0m");
        QTest::newRow("other control characters") << QStringLiteral("\x01\x08\x0c\x1f\x7f");
        QTest::newRow("beyond ASCII") << QStringLiteral("grüße ✓ 😀");
        QTest::newRow("escape at the ends") << QStringLiteral("\"middle\"");
    }
    // The three writers (UTF-8 into QByteArray and std::string, UTF-16 into QString) produce JSON
    // that reads back as the text they were given.
    void roundTrips() {
        QFETCH(QString, text);
        const QByteArray utf8 = text.toUtf8();
        QByteArray bytes("prefix");
        appendJsonString(bytes, utf8);
        QVERIFY(bytes.startsWith("prefix"));
        QCOMPARE(readBack(bytes.mid(6)), text);
        std::string standard = "prefix";
        appendJsonString(standard, utf8);
        QCOMPARE(readBack(QByteArray::fromStdString(standard).mid(6)), text);
        QString wide = QStringLiteral("prefix");
        appendJsonString(wide, text);
        QCOMPARE(readBack(wide.mid(6).toUtf8()), text);
        // All three write the same characters.
        QCOMPARE(QByteArray::fromStdString(standard), bytes);
        QCOMPARE(wide.toUtf8(), bytes);
    }

    // Control characters without a short form are written as \u00XX, lower-case hex.
    void controlCharactersUseUnicodeEscapes() {
        QByteArray out;
        appendJsonString(out, QByteArrayView("\x01\x1f"));
        QCOMPARE(out, QByteArray(R"("\u0001\u001f")"));
    }
};

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "tst_jsonwriter.moc"

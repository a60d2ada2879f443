#include "events/JsonText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace playdeck;

namespace {

// What PostgreSQL refuses in jsonb and text: NUL and lone surrogates (raw control characters in the
// JSON text are checked on the text itself).
bool storable(const QString &s) {
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c.isNull())
            return false;
        if (c.isHighSurrogate()) {
            if (i + 1 >= s.size() || !s.at(i + 1).isLowSurrogate())
                return false;
            ++i;
        } else if (c.isLowSurrogate()) {
            return false;
        }
    }
    return true;
}

bool storable(const QJsonValue &v) {
    if (v.isString())
        return storable(v.toString());
    if (v.isArray()) {
        for (const QJsonValue &item : v.toArray())
            if (!storable(item))
                return false;
    }
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            if (!storable(it.key()) || !storable(it.value()))
                return false;
    }
    return true;
}

// The JSON text as PostgreSQL would take it: valid UTF-8, parsed by Qt, no raw control byte inside
// the text other than whitespace, and nothing refused among the parsed strings.
void verifyStorable(const QByteArray &json) {
    QVERIFY2(QString::fromUtf8(json).toUtf8() == json, json.constData());
    for (char c : json)
        QVERIFY2(static_cast<unsigned char>(c) >= 0x20 || c == ' ' || c == '\t', json.toHex().constData());
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString() + ": " + json));
    QVERIFY(storable(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array())));
}

// moc reads raw strings as ordinary ones and loses its way at a quote followed by a backslash: the
// test data, full of both, is defined after the test class.
QByteArray eventLine();
QByteArray loopSummaryLine();
void addRuleRows();
void addDirtyRows();

} // namespace

class JsonTextTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rules_data() { addRuleRows(); }
    void rules() {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, expected);
        QByteArray text = input;
        QCOMPARE(sanitizeJsonText(text), input != expected);
        QCOMPARE(text, expected);
        QVERIFY2(!sanitizeJsonText(text), "sanitizing twice must change nothing");
        QCOMPARE(text, expected);
    }

    void resultsArePostgresStorable_data() { addDirtyRows(); }
    void resultsArePostgresStorable() {
        QFETCH(QByteArray, input);
        QByteArray text = input;
        QVERIFY(sanitizeJsonText(text));
        verifyStorable(text);
    }

    void cleanEventUnchangedByteForByte() {
        const QByteArray clean = eventLine();
        QByteArray text = clean;
        QVERIFY(!sanitizeJsonText(text));
        QCOMPARE(text, clean);
        QVERIFY(text.isSharedWith(clean)); // no copy was made
        verifyStorable(text);
    }

    void largeCleanLineUnchanged() {
        QByteArray text = loopSummaryLine();
        QVERIFY(text.size() > 400 * 1024);
        const QByteArray before = text;
        QVERIFY(!sanitizeJsonText(text));
        QCOMPARE(text, before);
    }

    // The shortcut for lines a strict parser took agrees with the sanitizer on every such line: it
    // answers yes exactly where sanitizing would change the text.
    void unstorableEscapeAgreesWithSanitizer_data() { addRuleRows(); }
    void unstorableEscapeAgreesWithSanitizer() {
        QFETCH(QByteArray, input);
        QJsonParseError error{};
        QJsonDocument::fromJson(input, &error);
        const bool strictlyValid = error.error == QJsonParseError::NoError && !input.contains('\0') &&
                                   !input.contains("\\q") && !input.contains('\x01') &&
                                   !input.contains('\xFF') && QString::fromUtf8(input).toUtf8() == input;
        if (!strictlyValid)
            QSKIP("not a text a strict parser accepts");
        QByteArray text = input;
        QCOMPARE(hasUnstorableEscape(input), sanitizeJsonText(text));
    }

    void eventLinesHaveNoUnstorableEscape() {
        QVERIFY(!hasUnstorableEscape(eventLine()));
        QVERIFY(!hasUnstorableEscape(loopSummaryLine()));
        QVERIFY(hasUnstorableEscape(R"(["\\\u0000"])"));
        QVERIFY(hasUnstorableEscape(R"(["\udcff"])"));
    }

    void dirtByteAtEveryWordOffset() {
        // The scan goes eight bytes at a time: a bad byte must be found wherever it sits.
        for (int at = 0; at < 24; ++at) {
            QByteArray text = "[\"" + QByteArray(24, 'a') + "\"]";
            text[2 + at] = '\xFF';
            QByteArray expected = text;
            expected.replace(2 + at, 1, "\xEF\xBF\xBD");
            QVERIFY(sanitizeJsonText(text));
            QCOMPARE(text, expected);
            text = "[\"" + QByteArray(24, 'a') + "\"]";
            text[2 + at] = '\0';
            QVERIFY(sanitizeJsonText(text));
            QCOMPARE(text, "[\"" + QByteArray(at, 'a') + "\\ufffd" + QByteArray(23 - at, 'a') + "\"]");
        }
    }
};

namespace {

// An event as ansible-runner writes it, with escapes of every kind and nothing to sanitize.
QByteArray eventLine() {
    return R"({"uuid": "882dc55e-964a-4904-846b-386f64d078b6", "counter": 14, "stdout": "changed: [localhost]", )"
           R"("start_line": 14, "end_line": 15, "runner_ident": "8e73f2812d1f4058ae948788781b3d53", "event": )"
           R"("runner_on_ok", "pid": 4711, "created": "2025-12-01T21:56:40.123456", "parent_uuid": )"
           R"("02fc0000-0001-a525-3f5c-000000000006", "event_data": {"playbook": "hello.yml", "playbook_uuid": )"
           R"("d678bad1-a6b1-4bc6-a622-f0669e1683dc", "play": "localhost", "play_uuid": )"
           R"("02fc0000-0001-a525-3f5c-000000000002", "play_pattern": "localhost", "task": "unicode \u00fc )"
           R"(\u2713 \ud83d\ude00 Gr\u00fc\u00dfe", "task_args": "", "remote_addr": "localhost", "res": )"
           R"({"changed": true, "stdout": "C:\\temp\\u0000 is a path \"quoted\" \/ tab\there", "rc": 0}, )"
           R"("host": "localhost", "uuid": "882dc55e-964a-4904-846b-386f64d078b6"}})";
}

void addRuleRows() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    const auto row = [](const char *name, const QByteArray &in, const QByteArray &out) {
        QTest::newRow(name) << in << out;
    };
    // (a) NUL escapes
    row("nul escape", R"(["a\u0000b"])", R"(["a\ufffdb"])");
    row("nul escape in a key", R"({"\u0000": 1})", R"({"\ufffd": 1})");
    // (b) lone surrogates, case-insensitive
    row("surrogateescape bytes", R"(["bad \udcff\udcfe utf8"])", R"(["bad \ufffd\ufffd utf8"])");
    row("lone high at end", R"(["x\ud800"])", R"(["x\ufffd"])");
    row("lone high before text", R"(["\uD800x"])", R"(["\ufffdx"])");
    row("high then non-surrogate escape", R"(["\ud800\u0041"])", R"(["\ufffd\u0041"])");
    row("high then high-low pair", R"(["\udbff\ud83d\ude00"])", R"(["\ufffd\ud83d\ude00"])");
    row("high then escaped backslash", R"(["\ud800\\udc00"])", R"(["\ufffd\\udc00"])");
    row("low then high", R"(["\ude00\ud83d"])", R"(["\ufffd\ufffd"])");
    row("mixed case lone low", R"(["\uDcFf"])", R"(["\ufffd"])");
    // escaped backslashes are not escapes
    row("escaped backslash then u0000", R"(["\\u0000"])", R"(["\\u0000"])");
    row("three backslashes", R"(["\\\u0000"])", R"(["\\\ufffd"])");
    row("four backslashes", R"(["\\\\u0000"])", R"(["\\\\u0000"])");
    row("escaped quote keeps the string open", R"(["\"\u0000"])", R"(["\"\ufffd"])");
    // only inside strings
    row("escape outside a string", R"([1, \u0000])", R"([1, \u0000])");
    row("raw NUL outside a string", QByteArray("[1,\0 2]", 7), QByteArray("[1,\0 2]", 7));
    // (c) raw bytes that are not UTF-8: one U+FFFD per maximal ill-formed subpart
    row("stray continuation", "[\"a\x80z\"]", "[\"a\xEF\xBF\xBDz\"]");
    row("C0 overlong", "[\"\xC0\x80\"]", "[\"\xEF\xBF\xBD\xEF\xBF\xBD\"]");
    row("E0 overlong", "[\"\xE0\x80\x80\"]", "[\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"]");
    row("F0 overlong", "[\"\xF0\x8F\xBF\xBF\"]", "[\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"]");
    row("UTF-8 surrogate", "[\"\xED\xA0\x80\"]", "[\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"]");
    row("above U+10FFFF", "[\"\xF4\x90\x80\x80\"]", "[\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"]");
    row("F5 lead", "[\"\xF5\x80\"]", "[\"\xEF\xBF\xBD\xEF\xBF\xBD\"]");
    row("FF byte", "[\"\xFF\xFE\"]", "[\"\xEF\xBF\xBD\xEF\xBF\xBD\"]");
    row("truncated before ASCII", "[\"\xE2\x82z\"]", "[\"\xEF\xBF\xBDz\"]");
    row("truncated four-byte", "[\"\xF0\x9F\x98\"]", "[\"\xEF\xBF\xBD\"]");
    row("truncated at the end", "[\"a\xE2\x82", "[\"a\xEF\xBF\xBD");
    row("outside a string too", "[1]\xFF", "[1]\xEF\xBF\xBD");
    row("valid multi-byte kept", "[\"\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF \xEF\xBF\xBD\"]",
        "[\"\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF \xEF\xBF\xBD\"]");
    // (d) raw NUL and other control bytes inside strings
    row("raw NUL", QByteArray("[\"a\0b\"]", 7), R"(["a\ufffdb"])");
    row("raw control bytes", "[\"\x01\t\x1f\x1b[0m\"]", R"(["\u0001\u0009\u001f\u001b[0m"])");
    row("whitespace between tokens kept", "[1,\t2]", "[1,\t2]");
    // escapes JSON does not have (Qt reads `\q` as `q`, PostgreSQL refuses it)
    row("unknown escape", R"(["\q\x41\'"])", R"(["\ufffd\ufffd41\ufffd"])");
    row("backslash before NUL", QByteArray("[\"\\\0\"]", 6), R"(["\ufffd"])");
    row("backslash before a multi-byte character", "[\"\\\xC3\xA9\"]", "[\"\\ufffd\xC3\xA9\"]");
    row("backslash before a bad byte", "[\"\\\xFF\"]", "[\"\\ufffd\xEF\xBF\xBD\"]");
    row("short \\u left for the parser", R"(["\u12"])", R"(["\u12"])");
    // valid escapes and pairs stay
    row("valid pair", R"(["\ud83d\ude00"])", R"(["\ud83d\ude00"])");
    row("valid pair upper case", R"(["\uD83D\uDE00"])", R"(["\uD83D\uDE00"])");
    row("all simple escapes", R"(["\"\\\/\b\f\n\r\t\u00e9"])", R"(["\"\\\/\b\f\n\r\t\u00e9"])");
}

void addDirtyRows() {
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("ansible surrogateescape event")
        << QByteArray(R"({"event": "runner_on_ok", "counter": 14, "event_data": {"res": {"stdout": )"
                      R"("bad \udcff\udcfe utf8 and nul \u0000 here", "stdout_lines": ["bad \udcff"]}}})");
    QTest::newRow("every rule at once") << QByteArray(R"({"k\u0000": "\ud800 \udfff )") +
                                               "\x80 \xED\xA0\x80 \x01 \\q" + QByteArray(1, '\0') + "\"}";
    QTest::newRow("raw invalid UTF-8 in a key") << QByteArray("{\"\xFF\": \"\xC3\"}");
}
// A loop's summary event, some 500 KB of clean JSON.
QByteArray loopSummaryLine() {
    QByteArray items;
    for (int i = 0; i < 2000; ++i)
        items += (i ? ", " : "") + QByteArray(R"({"item": )") + QByteArray::number(i) +
                 R"(, "stdout": "line \u00e9\u2713 \"q\" \\ )" + QByteArray(200, 'x') + "\"}";
    return R"({"event": "runner_on_ok", "results": [)" + items + "]}";
}

} // namespace

QTEST_GUILESS_MAIN(JsonTextTest)
#include "tst_jsontext.moc"

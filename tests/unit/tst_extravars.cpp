#include "launch/ExtraVars.h"

#include <QCborValue>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryFile>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

using namespace playdeck;

namespace {

// Timings are only checked where the code runs at full speed.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// One line per value, types exact (an integer is not a float), strings as UTF-8 hex, keys sorted:
// the same text tests/unit's Python helper prints for what PyYAML or ansible loaded. Iterative.
QByteArray describe(const QJsonValue &root) {
    struct Open {
        QJsonValue value;
        qsizetype next = 0;
        std::vector<std::pair<QByteArray, QByteArray>> parts; // (sort key, text)
    };
    const auto scalar = [](const QJsonValue &v) -> QByteArray {
        switch (v.type()) {
        case QJsonValue::Bool:
            return v.toBool() ? "b1" : "b0";
        case QJsonValue::Double: {
            const QCborValue number = QCborValue::fromJsonValue(v);
            if (number.isInteger())
                return "i" + QByteArray::number(number.toInteger());
            char text[40];
            std::snprintf(text, sizeof text, "%.17g", v.toDouble());
            return "f" + QByteArray(text);
        }
        case QJsonValue::String:
            return "s" + v.toString().toUtf8().toHex();
        default:
            return "n";
        }
    };
    std::vector<Open> stack;
    QByteArray result;
    const auto finish = [&](const QByteArray &key, const QByteArray &text) {
        if (stack.empty())
            result = text;
        else
            stack.back().parts.emplace_back(key, text);
    };
    const auto visit = [&](const QByteArray &key, const QJsonValue &v) {
        if (v.isArray() || v.isObject())
            stack.push_back(Open{v, 0, {{key, {}}}});
        else
            finish(key, scalar(v));
    };
    visit({}, root);
    while (!stack.empty()) {
        Open &open = stack.back();
        const bool object = open.value.isObject();
        const qsizetype size = object ? open.value.toObject().size() : open.value.toArray().size();
        if (open.next < size) {
            const qsizetype i = open.next++;
            if (object) {
                const QJsonObject o = open.value.toObject();
                const auto it = o.constBegin() + i;
                visit("s" + it.key().toUtf8().toHex(), it.value());
            } else {
                visit(QByteArray::number(i).rightJustified(12, '0'), open.value.toArray().at(i));
            }
            continue;
        }
        const QByteArray ownKey = open.parts.front().first;
        std::vector<QByteArray> parts;
        for (auto it = open.parts.begin() + 1; it != open.parts.end(); ++it)
            parts.push_back(object ? it->first + ":" + it->second : it->second);
        if (object)
            std::sort(parts.begin(), parts.end()); // as Python's sorted() of "key:value" texts
        QByteArray text = object ? "{" : "[";
        for (size_t i = 0; i < parts.size(); ++i)
            text += (i ? "," : "") + parts[i];
        text += object ? "}" : "]";
        stack.pop_back();
        finish(ownKey, text);
    }
    return result;
}

// Prints, for the file argv[1], what each loader makes of it (see describe() above).
const char *const kPythonDescribe = R"PY(
import datetime, json, sys, yaml
def describe(v):
    if v is None: return 'n'
    if isinstance(v, bool): return 'b1' if v else 'b0'
    if isinstance(v, int): return 'i%d' % v
    if isinstance(v, float): return 'f' + ('%.17g' % v)
    if isinstance(v, str): return 's' + v.encode('utf-8', 'surrogatepass').hex()
    if isinstance(v, list): return '[' + ','.join(describe(x) for x in v) + ']'
    if isinstance(v, dict):
        return '{' + ','.join(sorted(describe(k) + ':' + describe(x) for k, x in v.items())) + '}'
    raise TypeError(type(v).__name__)
def unsafe_string(loader, node): return loader.construct_scalar(node)
class CLoader(yaml.CSafeLoader): pass
class PyLoader(yaml.SafeLoader): pass
for cls in (CLoader, PyLoader): cls.add_constructor('!unsafe', unsafe_string)
)PY";

struct PythonRun {
    bool ok = false;
    QByteArray out;
    QByteArray err;
};

PythonRun runPython(const QString &script, const QStringList &args) {
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"), QStringList{QStringLiteral("-c"), script} + args);
    PythonRun run;
    run.ok = python.waitForFinished(120000) && python.exitStatus() == QProcess::NormalExit &&
             python.exitCode() == 0;
    run.out = python.readAllStandardOutput();
    run.err = python.readAllStandardError();
    return run;
}

QString errorOf(const QString &text) {
    const auto vars = parseExtraVars(text);
    return vars ? QString() : vars.error();
}

QJsonValue valueOf(const QString &text, const QString &key = QStringLiteral("v")) {
    const auto vars = parseExtraVars(text);
    return vars ? vars.value().value(key) : QJsonValue(QJsonValue::Undefined);
}

QString repeated(const QString &piece, int times) {
    QString text;
    text.reserve(piece.size() * times);
    for (int i = 0; i < times; ++i)
        text += piece;
    return text;
}

// The classic: nine levels of nine aliases each, 9^9 (387 million) strings once expanded.
QString billionLaughs() {
    QString text =
        QStringLiteral("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char level = 'b'; level <= 'i'; ++level) {
        const QChar previous = QLatin1Char(char(level - 1));
        text += QStringLiteral("%1: &%1 [").arg(QLatin1Char(level));
        for (int i = 0; i < 9; ++i)
            text += (i ? QStringLiteral(",*") : QStringLiteral("*")) + previous;
        text += QStringLiteral("]\n");
    }
    return text;
}

// Values that are hard to write as YAML; every string of them must come back from PyYAML unchanged.
QJsonObject trickyValues(bool withNonFinite) {
    const QString lone = QString(QChar(0xD800)) + QStringLiteral("x"); // half a surrogate pair
    QJsonArray strings{QString(),
                       QStringLiteral(" "),
                       QStringLiteral("  leading and trailing  "),
                       QStringLiteral("tab\there"),
                       QStringLiteral("line1\nline2\n"),
                       QStringLiteral("\r\n\r"),
                       QString::fromUtf8("\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f", 9),
                       QStringLiteral("nel \u0085 nbsp \u00a0 end"),
                       QStringLiteral("ls \u2028 ps \u2029"),
                       QStringLiteral("\ufeffbom"),
                       QStringLiteral("nonchars \ufffe \uffff"),
                       QStringLiteral("edges \ud7ff \ue000 \ufffd"),
                       QStringLiteral("astral \U0001F600 \U0010FFFF \U00010000"),
                       QStringLiteral("quotes \" ' and \\ backslash \\n \\x41"),
                       QStringLiteral("{{ lookup('pipe', 'id') }}"),
                       QStringLiteral("{% raw %}{{ x }}{% endraw %}"),
                       QStringLiteral("null"),
                       QStringLiteral("~"),
                       QStringLiteral("yes"),
                       QStringLiteral("No"),
                       QStringLiteral("on"),
                       QStringLiteral("1"),
                       QStringLiteral("0x10"),
                       QStringLiteral("1:30"),
                       QStringLiteral("1.5"),
                       QStringLiteral("1e5"),
                       QStringLiteral(".inf"),
                       QStringLiteral("<<"),
                       QStringLiteral("="),
                       QStringLiteral("- dash"),
                       QStringLiteral(": colon"),
                       QStringLiteral("# hash"),
                       QStringLiteral("&anchor *alias !tag %directive @at `tick"),
                       QStringLiteral("---"),
                       QStringLiteral("..."),
                       QStringLiteral("é ü ß 中文 עברית"),
                       lone,
                       QString(100000, QLatin1Char('x'))};
    QJsonArray numbers{0,
                       -1,
                       std::numeric_limits<qint64>::max(),
                       std::numeric_limits<qint64>::min(),
                       qint64(9007199254740993),
                       0.1,
                       -0.0,
                       1.0 / 3,
                       1.5e300,
                       -1.5e300,
                       5e-324,
                       2.2250738585072014e-308,
                       1.7976931348623157e308,
                       1e16,
                       1e20,
                       -1e20,
                       123456.789e-20,
                       0.0001,
                       0.00001};
    if (withNonFinite) {
        numbers.append(std::numeric_limits<double>::infinity());
        numbers.append(-std::numeric_limits<double>::infinity());
    }
    QJsonObject keys;
    for (const QString &key :
         {QString(), QStringLiteral("key with \"quotes\""), QStringLiteral("{{ key }}"), QStringLiteral("1"),
          QStringLiteral("null"), QStringLiteral("<<"), QStringLiteral("="), QStringLiteral("\u0085"),
          QStringLiteral("\U0001F600"), QStringLiteral("a: b"), QStringLiteral("- x"), QStringLiteral("true"),
          lone, QString(3000, QLatin1Char('k')),
          QString(QString(400, QChar(0x7f)) + QStringLiteral("grows past 1024 characters once escaped"))})
        keys.insert(key, key);
    return QJsonObject{
        {QStringLiteral("strings"), strings},
        {QStringLiteral("numbers"), numbers},
        {QStringLiteral("keys"), keys},
        {QStringLiteral("flags"), QJsonArray{true, false, QJsonValue()}},
        {QStringLiteral("nested"),
         QJsonObject{{QStringLiteral("list"),
                      QJsonArray{1, QStringLiteral("a"), QJsonValue(), true,
                                 QJsonObject{{QStringLiteral("deep"), QJsonArray{QStringLiteral("x")}}}}},
                     {QStringLiteral("empty list"), QJsonArray()},
                     {QStringLiteral("empty map"), QJsonObject()}}},
        {QStringLiteral("{{ top key }}"), QStringLiteral("{{ top value }}")},
        {QString(2000, QLatin1Char('L')), QStringLiteral("a long top-level key")}};
}

QString withoutLoneSurrogates(const QString &text) {
    QString result = text;
    for (qsizetype i = 0; i < result.size(); ++i) {
        if (result[i].isHighSurrogate() && i + 1 < result.size() && result[i + 1].isLowSurrogate())
            ++i;
        else if (result[i].isSurrogate())
            result[i] = QChar::ReplacementCharacter;
    }
    return result;
}

// What a loader must give back: half pairs become U+FFFD. (Fixed, shallow test data: recursion is fine.)
QJsonValue withoutLoneSurrogates(const QJsonValue &value) {
    if (value.isString())
        return withoutLoneSurrogates(value.toString());
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &item : value.toArray())
            array.append(withoutLoneSurrogates(item));
        return array;
    }
    if (value.isObject()) {
        QJsonObject object;
        const QJsonObject original = value.toObject();
        for (auto it = original.begin(); it != original.end(); ++it)
            object.insert(withoutLoneSurrogates(it.key()), withoutLoneSurrogates(it.value()));
        return object;
    }
    return value;
}

} // namespace

class ExtraVarsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyIsNoVariables() {
        for (const QString &text : {QString(), QStringLiteral("  \n"), QStringLiteral("---\n"),
                                    QStringLiteral("# only a comment\n"), QStringLiteral("--- ~\n"),
                                    QStringLiteral("null"), QStringLiteral("---\n...\n")}) {
            const auto vars = parseExtraVars(text);
            QVERIFY2(vars, qPrintable(text + QStringLiteral(": ") + vars.error()));
            QVERIFY(vars.value().isEmpty());
        }
    }

    void jsonAndYamlGiveTheSameValues() {
        const auto json = parseExtraVars(
            QStringLiteral("{\"a\": 1, \"b\": \"x\", \"c\": [true, null, 2.5], \"d\": {\"e\": \"f\"}}"));
        const auto yaml = parseExtraVars(QStringLiteral("a: 1\nb: x\nc: [yes, ~, 2.5]\nd:\n  e: f\n"));
        QVERIFY(json);
        QVERIFY(yaml);
        QCOMPARE(json.value(), yaml.value());
        QCOMPARE(yaml.value().value(QStringLiteral("a")).toInteger(), 1);
        QVERIFY(yaml.value().value(QStringLiteral("c")).toArray().at(0).toBool());
    }

    void jsonIsTriedBeforeYaml() {
        // JSON's 1e5 is a float; YAML 1.1's is a string. AWX reads JSON first, and so do we.
        QCOMPARE(valueOf(QStringLiteral("{\"v\": 1e5}")), QJsonValue(100000));
        QCOMPARE(valueOf(QStringLiteral("v: 1e5")), QJsonValue(QStringLiteral("1e5")));
        // Not JSON as a whole (b is unquoted): all of it is YAML, so 1e400 is a string, not refused.
        QCOMPARE(valueOf(QStringLiteral("{\"v\": 1e400, b: c}")), QJsonValue(QStringLiteral("1e400")));
        QCOMPARE(valueOf(QStringLiteral("{\"v\": \"\\ud83d\\ude00 \\u00e9\"}")),
                 QJsonValue(QStringLiteral("\U0001F600 \u00e9")));
        QCOMPARE(valueOf(QStringLiteral("{\"v\": \"\\ud800\"}")), QJsonValue(QStringLiteral("\ufffd")));
        QCOMPARE(valueOf(QStringLiteral("{\"v\": 1, \"v\": 2}")), QJsonValue(2));
    }

    void quotedScalarsStayStrings() {
        const auto vars = parseExtraVars(QStringLiteral("port: \"8080\"\nflag: 'yes'\n"));
        QVERIFY(vars);
        QCOMPARE(vars.value().value(QStringLiteral("port")).toString(), QStringLiteral("8080"));
        QCOMPARE(vars.value().value(QStringLiteral("flag")).toString(), QStringLiteral("yes"));
    }

    void invalidInputIsRefusedWithAPosition_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("broken json") << QStringLiteral("{\"a\": ")
                                     << QStringLiteral("Extra variables are neither valid YAML nor JSON: ");
        QTest::newRow("unclosed flow") << QStringLiteral("a: [1, 2") << QStringLiteral("(line 2, column 1)");
        QTest::newRow("unclosed quote")
            << QStringLiteral("a: 1\nb: \"x\n\n")
            << QStringLiteral(
                   "Extra variables are neither valid YAML nor JSON: found unexpected end of stream "
                   "(line 4, column 1)");
        QTest::newRow("a list") << QStringLiteral("- a\n- b\n") << QStringLiteral("must be a mapping");
        QTest::newRow("a json list") << QStringLiteral("[1, 2]") << QStringLiteral("must be a mapping");
        QTest::newRow("a scalar") << QStringLiteral("hello") << QStringLiteral("must be a mapping");
        QTest::newRow("bad indentation")
            << QStringLiteral("a: 1\n b: 2\n") << QStringLiteral("(line 2, column");
    }
    void invalidInputIsRefusedWithAPosition() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const QString error = errorOf(text);
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void yaml11Resolution_data() {
        QTest::addColumn<QString>("scalar");
        QTest::addColumn<QByteArray>("expected"); // describe() of the value
        const auto row = [](const char *scalar, const QByteArray &expected) {
            QTest::newRow(scalar) << QString::fromUtf8(scalar) << expected;
        };
        const auto str = [](const char *text) -> QByteArray { return "s" + QByteArray(text).toHex(); };
        for (const char *null : {"~", "null", "Null", "NULL", ""})
            row(null, "n");
        for (const char *yes : {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})
            row(yes, "b1");
        for (const char *no : {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})
            row(no, "b0");
        for (const char *text : {"nULL",
                                 "yEs",
                                 "y",
                                 "n",
                                 "tRUE",
                                 "0o7",
                                 "08",
                                 "1e5",
                                 "-.5",
                                 "+.nan",
                                 "._1",
                                 ".",
                                 "1:60",
                                 "0:30",
                                 "1_000x",
                                 "2001-12-14",
                                 "2001-12-14 21:59:43.10 -5",
                                 "1.2.3",
                                 "0b",
                                 "0x",
                                 "+",
                                 "1:2:x",
                                 "1:2.3.4"})
            row(text, str(text));
        row("0", "i0");
        row("-0", "i0");
        row("+12", "i12");
        row("1_000", "i1000");
        row("0b1010", "i10");
        row("-0b1_0", "i-2");
        row("017", "i15");
        row("0_7", "i7");
        row("0x1F", "i31");
        row("0xff_ff", "i65535");
        row("1:30", "i90");
        row("-1:30:00", "i-5400");
        row("190:20:30", "i685230");
        row("9223372036854775807", "i9223372036854775807");
        row("-9223372036854775808", "i-9223372036854775808");
        row("1.5", "f1.5");
        row("-1.5", "f-1.5");
        row("1.", "i1"); // PyYAML's 1.0: a QJsonValue keeps whole doubles as integers
        row("0.", "i0");
        row(".5", "f0.5");
        row("1.5e+3", "i1500");
        row("1.5E-3", "f0.0015");
        row("1_0.5_5", "f10.550000000000001");
        row("1.e+5", "i100000");
        row("1:30.5", "f90.5");
        row("-0:30.5", "f-30.5");
        row("6.8523015e+5", "f685230.15000000002");
        row("1__:3", "i63");
        row("-1_:3", "i-63");
        row("1:2.3", "f62.299999999999997");
        row("0.1", "f0.10000000000000001");
        row("1.7976931348623157e+308", "f1.7976931348623157e+308");
        row("4.9e-324", "f4.9406564584124654e-324");
        row("1.0e-400", "i0"); // underflows to 0.0, as in Python
    }
    void yaml11Resolution() {
        QFETCH(QString, scalar);
        QFETCH(QByteArray, expected);
        const auto vars = parseExtraVars(QStringLiteral("v: ") + scalar);
        QVERIFY2(vars, qPrintable(vars.error()));
        QCOMPARE(describe(vars.value().value(QStringLiteral("v"))), expected);
    }

    void tags_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("expected"); // describe() of v, or empty: refused
        QTest::addColumn<QString>("message");
        const auto str = [](const char *text) -> QByteArray { return "s" + QByteArray(text).toHex(); };
        QTest::newRow("!!str") << "v: !!str 123" << str("123") << QString();
        QTest::newRow("!!str empty") << "v: !!str" << str("") << QString();
        QTest::newRow("!!int hex") << "v: !!int '0x1F'" << QByteArray("i31") << QString();
        QTest::newRow("!!int spaces") << "v: !!int ' 12 '" << QByteArray("i12") << QString();
        QTest::newRow("!!int bad") << "v: !!int abc" << QByteArray() << "is not a valid integer";
        QTest::newRow("!!int empty") << "v: !!int" << QByteArray() << "is not a valid integer";
        QTest::newRow("0b_") << "v: 0b_" << QByteArray() << "is not a valid integer";
        QTest::newRow("!!float int") << "v: !!float 1" << QByteArray("i1") << QString();
        QTest::newRow("!!float 1e5") << "v: !!float '1e5'" << QByteArray("i100000") << QString();
        QTest::newRow("!!float bad") << "v: !!float '0x10'" << QByteArray() << "is not a valid number";
        QTest::newRow("!!bool") << "v: !!bool tRuE" << QByteArray("b1") << QString();
        QTest::newRow("!!bool bad") << "v: !!bool maybe" << QByteArray() << "is not a valid boolean";
        QTest::newRow("!!null") << "v: !!null whatever" << QByteArray("n") << QString();
        QTest::newRow("!unsafe") << "v: !unsafe '{{ x }}'" << str("{{ x }}") << QString();
        QTest::newRow("!unsafe number") << "v: !unsafe 123" << str("123") << QString();
        QTest::newRow("!unsafe list") << "v: !unsafe [a, 1]" << QByteArray("[s61,i1]") << QString();
        QTest::newRow("non-specific !") << "v: ! 123" << QByteArray("i123") << QString();
        QTest::newRow("non-specific ! quoted") << "v: ! \"123\"" << QByteArray("i123") << QString();
        QTest::newRow("!!timestamp") << "v: !!timestamp 2001-12-14" << str("2001-12-14") << QString();
        QTest::newRow("verbatim") << "v: !<tag:yaml.org,2002:str> 12" << str("12") << QString();
        QTest::newRow("%TAG") << "%TAG !e! tag:yaml.org,2002:\n---\nv: !e!int '7'" << QByteArray("i7")
                              << QString();
        QTest::newRow("!!map") << "v: !!map {a: 1}" << QByteArray("{s61:i1}") << QString();
        QTest::newRow("!!seq") << "v: !!seq [1]" << QByteArray("[i1]") << QString();
        QTest::newRow("!vault") << "v: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n"
                                << QByteArray() << "encrypted with ansible-vault";
        QTest::newRow("!!binary") << "v: !!binary aGk=" << QByteArray() << "the tag !!binary at v";
        QTest::newRow("!!set") << "v: !!set {a}" << QByteArray() << "the tag !!set at v";
        QTest::newRow("!!omap") << "v: !!omap [a: 1]" << QByteArray() << "the tag !!omap at v";
        QTest::newRow("!foo") << "v: !foo x" << QByteArray()
                              << "the tag !foo at v (line 1, column 4) is not supported";
        QTest::newRow("!!str on a list") << "v: !!str [1]" << QByteArray() << "does not go with a list";
        QTest::newRow("!!map on a list") << "v: !!map [1]" << QByteArray() << "does not go with a list";
        QTest::newRow("!!int on a mapping") << "v: !!int {}" << QByteArray() << "does not go with a mapping";
        QTest::newRow("plain =") << "v: =" << QByteArray() << "quote it";
        QTest::newRow("plain <<") << "v: <<" << QByteArray() << "quote it";
        QTest::newRow("= as key") << "=: 1\nv: 2" << QByteArray("i2") << QString();
    }
    void tags() {
        QFETCH(QString, text);
        QFETCH(QByteArray, expected);
        QFETCH(QString, message);
        const auto vars = parseExtraVars(text);
        if (expected.isEmpty()) {
            QVERIFY(!vars);
            QVERIFY2(vars.error().contains(message), qPrintable(vars.error()));
        } else {
            QVERIFY2(vars, qPrintable(vars.error()));
            QCOMPARE(describe(vars.value().value(QStringLiteral("v"))), expected);
        }
    }

    void numbersJsonCannotHoldAreRefused_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("int64 + 1")
            << "a:\n  b: [1, 9223372036854775808]"
            << "the integer 9223372036854775808 at a.b[1] (line 2, column 10) is outside the "
               "64-bit range";
        QTest::newRow("hex") << "v: 0x1_0000_0000_0000_0000"
                             << "is outside the 64-bit range";
        QTest::newRow("sexagesimal") << "v: 1:00:00:00:00:00:00:00:00:00:00:00"
                                     << "is outside the 64-bit range";
        QTest::newRow("huge") << "v: " + QString(5000, QLatin1Char('9')) << "is outside the 64-bit range";
        QTest::newRow(".inf") << "v: .inf"
                              << "infinite or not a number";
        QTest::newRow("-.Inf") << "v: -.Inf"
                               << "infinite or not a number";
        QTest::newRow(".nan") << "v: [.NaN]"
                              << "at v[0]";
        QTest::newRow("1e400") << "v: 1.0e+400"
                               << "infinite or not a number";
        QTest::newRow("key") << "9223372036854775808: 1"
                             << "at a top-level key";
        QTest::newRow("quoted key path") << "\"a.b\": {c d: 1.0e+999}"
                                         << "1.0e+999 at [\"a.b\"][\"c d\"] (line 1";
        QTest::newRow("json int") << "{\"a\": {\"b\": 99999999999999999999}}"
                                  << "the integer 99999999999999999999 at a.b (line 1, column 13)";
        QTest::newRow("json 1e400") << "{\"a\": 1e400}"
                                    << "1e400 at a (line 1, column 7) is infinite";
        QTest::newRow("json NaN") << "{\"a\": [NaN]}"
                                  << "NaN at a[0]";
        QTest::newRow("json -Infinity") << "{\"a\": -Infinity}"
                                        << "-Infinity at a";
    }
    void numbersJsonCannotHoldAreRefused() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const QString error = errorOf(text);
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void integerExtremesAreKept() {
        QCOMPARE(valueOf(QStringLiteral("v: -9223372036854775808")).toInteger(),
                 std::numeric_limits<qint64>::min());
        QCOMPARE(valueOf(QStringLiteral("{\"v\": 9223372036854775807}")).toInteger(),
                 std::numeric_limits<qint64>::max());
        QCOMPARE(valueOf(QStringLiteral("v: 0x7fffffffffffffff")).toInteger(),
                 std::numeric_limits<qint64>::max());
    }

    void keysMustBeSingleValues_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("list key") << QStringLiteral("? [1]\n: 2");
        QTest::newRow("mapping key") << QStringLiteral("? {a: 1}\n: 2");
        QTest::newRow("flow list key") << QStringLiteral("{[1]: 2}");
        QTest::newRow("alias to a mapping") << QStringLiteral("a: &m {x: 1}\n*m : 2");
    }
    void keysMustBeSingleValues() {
        QFETCH(QString, text);
        const QString error = errorOf(text);
        QVERIFY2(error.contains(QStringLiteral("a key must be a single value")), qPrintable(error));
    }

    void keysAreReadAsPythonThenJsonSpellsThem() {
        // PyYAML gives typed keys; AWX stores extra vars as JSON, whose keys are their JSON text. The
        // float 1.0e+20 and the string "1e+20" (no dot: not a float) are spelled alike; the later wins.
        const auto vars = parseExtraVars(QStringLiteral("1.5: a\nyes: b\n~: c\n0x10: d\n1e3: e\n1e+20: f\n"
                                                        "1.0e+20: g\n2.0: h\n"));
        QVERIFY2(vars, qPrintable(vars.error()));
        const QJsonObject expected{
            {QStringLiteral("1.5"), QStringLiteral("a")},  {QStringLiteral("true"), QStringLiteral("b")},
            {QStringLiteral("null"), QStringLiteral("c")}, {QStringLiteral("16"), QStringLiteral("d")},
            {QStringLiteral("1e3"), QStringLiteral("e")},  {QStringLiteral("1e+20"), QStringLiteral("g")},
            {QStringLiteral("2.0"), QStringLiteral("h")}};
        QCOMPARE(vars.value(), expected);
    }

    void duplicateKeysLastWins() {
        QCOMPARE(valueOf(QStringLiteral("v: 1\nv: 2")), QJsonValue(2));
        // Python: 1 == 1.0 == True, one key keeping its first spelling; its last value wins.
        const auto folded = parseExtraVars(QStringLiteral("1: a\ntrue: b\n1.0: c\n"));
        QVERIFY(folded);
        QCOMPARE(folded.value(), (QJsonObject{{QStringLiteral("1"), QStringLiteral("c")}}));
        // 1 and "1" are two Python keys but one JSON key: the later wins, as json.loads keeps it.
        const auto spelled = parseExtraVars(QStringLiteral("'1': a\n1: b\n"));
        QVERIFY(spelled);
        QCOMPARE(spelled.value(), (QJsonObject{{QStringLiteral("1"), QStringLiteral("b")}}));
    }

    void mergeKeys_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("expected"); // describe() of v
        QTest::newRow("one mapping") << "base: &b {x: 1, y: 2}\nv:\n  <<: *b\n  z: 3"
                                     << QByteArray("{s78:i1,s79:i2,s7a:i3}");
        QTest::newRow("explicit keys win")
            << "base: &b {x: 1, y: 2}\nv:\n  x: 9\n  <<: *b" << QByteArray("{s78:i9,s79:i2}");
        QTest::newRow("earlier in the list wins")
            << "a: &a {x: 1}\nb: &b {x: 2, y: 2}\nv: {<<: [*a, *b]}" << QByteArray("{s78:i1,s79:i2}");
        QTest::newRow("nested merges") << "a: &a {x: 1, w: 0}\nb: &b {<<: *a, y: 2, w: 5}\nv: {<<: *b, z: 3}"
                                       << QByteArray("{s77:i5,s78:i1,s79:i2,s7a:i3}");
        QTest::newRow("inline mapping") << "v: {<<: {x: 1}, y: 2}" << QByteArray("{s78:i1,s79:i2}");
        QTest::newRow("inline list") << "v: {<<: [{x: 1}, {x: 2, y: 2}]}" << QByteArray("{s78:i1,s79:i2}");
        QTest::newRow("two merge keys") << "v:\n  <<: {x: 1}\n  <<: {x: 2}" << QByteArray("{s78:i2}");
        QTest::newRow("explicit !!merge") << "v: {!!merge m: {x: 1}}" << QByteArray("{s78:i1}");
        QTest::newRow("quoted is a key") << "v: {'<<': {x: 1}}" << QByteArray("{s3c3c:{s78:i1}}");
        QTest::newRow("anchored list")
            << "l: &l [{x: 1}, {x: 2, y: 3}]\nv: {<<: *l}" << QByteArray("{s78:i1,s79:i3}");
        QTest::newRow("typed keys fold") << "a: &a {1: x}\nv: {<<: *a, true: y}" << QByteArray("{s31:s79}");
        QTest::newRow("merged mapping unchanged")
            << "a: &a {x: 1}\nv: {<<: *a, x: 2}\nw: *a" << QByteArray("{s78:i2}");
    }
    void mergeKeys() {
        QFETCH(QString, text);
        QFETCH(QByteArray, expected);
        const auto vars = parseExtraVars(text);
        QVERIFY2(vars, qPrintable(vars.error()));
        QCOMPARE(describe(vars.value().value(QStringLiteral("v"))), expected);
        if (text.endsWith(QStringLiteral("w: *a")))
            QCOMPARE(describe(vars.value().value(QStringLiteral("w"))), QByteArray("{s78:i1}"));
    }

    void badMergesAreRefused_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("scalar") << "v: {<<: 1}"
                                << "the merge key << at v.<< needs a mapping or a list of mappings, "
                                   "not a single value (line 1, column 9)";
        QTest::newRow("list of scalars") << "v: {<<: [{a: 1}, 1]}"
                                         << "needs mappings in its list, not a single value";
        QTest::newRow("anchored list of lists") << "l: &l [[1]]\nv: {<<: *l}"
                                                << "a list of other values";
        QTest::newRow("null") << "v:\n  <<:\n  a: 1"
                              << "not a single value";
    }
    void badMergesAreRefused() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const QString error = errorOf(text);
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void aliases() {
        QCOMPARE(describe(valueOf(QStringLiteral("a: &x [1, {b: c}]\nv: [*x, *x]"))),
                 QByteArray("[[i1,{s62:s63}],[i1,{s62:s63}]]"));
        QCOMPARE(valueOf(QStringLiteral("&k key: 1\nv: *k")), QJsonValue(QStringLiteral("key")));
        QVERIFY(errorOf(QStringLiteral("v: *nowhere"))
                    .contains(QStringLiteral("the alias *nowhere has no anchor")));
        QVERIFY(
            errorOf(QStringLiteral("a: &x 1\nb: &x 2"))
                .contains(QStringLiteral("the anchor &x is defined twice, at line 1, column 4 and at line 2, "
                                         "column 4")));
    }

    void aliasToTheNodeItselfIsRefused() {
        // The 14 bytes that used to crash the process (SIGSEGV).
        const QString text = QStringLiteral("a: &x [1, *x]\n");
        QCOMPARE(text.toUtf8().size(), 14);
        QCOMPARE(errorOf(text),
                 QStringLiteral("Extra variables cannot be read: the alias *x refers to the node "
                                "that contains it (line 1, column 11)."));
        QVERIFY(errorOf(QStringLiteral("a: &m\n  b:\n    <<: *m\n"))
                    .contains(QStringLiteral("refers to the node")));
        QVERIFY(errorOf(QStringLiteral("&r {a: *r}")).contains(QStringLiteral("refers to the node")));
    }

    void aliasBombsAreRefusedQuickly() {
        const QString bomb = billionLaughs();
        QVERIFY(bomb.size() < 500);
        QElapsedTimer timer;
        timer.start();
        const QString error = errorOf(bomb);
        const qint64 ms = timer.elapsed();
        QVERIFY2(
            error.contains(QStringLiteral("aliases expand to more than 1000000 values (an alias bomb?)")),
            qPrintable(error));
        QVERIFY2(ms < (kSanitized ? 5000 : 1000), qPrintable(QString::number(ms)));
        qInfo("billion laughs (%lld bytes) refused in %lld ms", qint64(bomb.size()), ms);

        // Few aliases of a long text: the count of values is small, the text is not.
        const QString text = QStringLiteral("a: &a \"") + QString(1 << 20, QLatin1Char('x')) +
                             QStringLiteral("\"\nb: [") + repeated(QStringLiteral("*a,"), 20) +
                             QStringLiteral("*a]");
        QVERIFY(errorOf(text).contains(QStringLiteral("bytes of text (an alias bomb?)")));

        // Within the limits, aliases are fine, and cost no copies.
        QVERIFY(parseExtraVars(QStringLiteral("a: &a [1, 2]\nb: [") + repeated(QStringLiteral("*a,"), 1000) +
                               QStringLiteral("*a]")));
    }

    void limitsCanBeTightened() {
        ExtraVarsLimits limits;
        limits.maxDepth = 3;
        limits.maxNodes = 10;
        limits.maxDocumentBytes = 100;
        QVERIFY(parseExtraVars(QStringLiteral("a: {b: [1]}"), limits));
        QVERIFY(parseExtraVars(QStringLiteral("a: {b: [[1]]}"), limits)
                    .error()
                    .contains(QStringLiteral("nested more than 3 levels deep at line 1, column 9")));
        QVERIFY(parseExtraVars(QStringLiteral("{\"a\": [1,2,3,4,5,6,7,8,9]}"), limits)
                    .error()
                    .contains(QStringLiteral("more than 10 keys and values")));
        QVERIFY(parseExtraVars(QString(101, QLatin1Char(' ')), limits)
                    .error()
                    .contains(QStringLiteral("longer than 100 bytes")));
    }

    void oversizedTextIsRefusedBeforeParsing() {
        const QString text = QStringLiteral("a: ") + QString(17 * 1024 * 1024, QLatin1Char('x'));
        QElapsedTimer timer;
        timer.start();
        QVERIFY(errorOf(text).contains(QStringLiteral("longer than 16777216 bytes (16.0 MiB)")));
        QVERIFY(timer.elapsed() < 5000);
        // Non-ASCII text counts in UTF-8 bytes: 6 Mi characters of 3 bytes each.
        QVERIFY(errorOf(QStringLiteral("a: ") + QString(6 * 1024 * 1024, QChar(0x4e2d)))
                    .contains(QStringLiteral("longer than")));
    }

    void deepNestingIsRefusedWithoutCrashing_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        const int deep = 100000;
        QTest::newRow("yaml flow") << QStringLiteral("a: ") + QString(deep, QLatin1Char('['))
                                   << "nested more than 200 levels deep at line 1, column 203";
        QTest::newRow("json") << repeated(QStringLiteral("{\"a\":"), deep) + QStringLiteral("1") +
                                     QString(deep, QLatin1Char('}'))
                              << "nested more than 200 levels deep at line 1, column 1001";
        QTest::newRow("json array") << QStringLiteral("{\"a\": ") + QString(deep, QLatin1Char('[')) +
                                           QString(deep, QLatin1Char(']')) + QStringLiteral("}")
                                    << "nested more than 200 levels deep at line 1, column 206";
        QTest::newRow("top-level list")
            << QString(deep, QLatin1Char('[')) << "nested more than 200 levels deep";
        QTest::newRow("block lists") << QStringLiteral("a:\n") + repeated(QStringLiteral("- "), 5000)
                                     << "nested more than 200 levels deep at line 2, column 399";
        QTest::newRow("flow mappings")
            << repeated(QStringLiteral("{a: "), deep) << "nested more than 200 levels";
    }
    void deepNestingIsRefusedWithoutCrashing() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const QString error = errorOf(text);
        QVERIFY2(error.contains(message), qPrintable(error.left(300)));
    }

    void nestingUpToTheLimitIsAccepted() {
        const QString yaml =
            QStringLiteral("a: ") + QString(199, QLatin1Char('[')) + QString(199, QLatin1Char(']'));
        QVERIFY2(parseExtraVars(yaml), qPrintable(errorOf(yaml)));
        const QString json = QStringLiteral("{\"a\": ") + QString(199, QLatin1Char('[')) +
                             QString(199, QLatin1Char(']')) + QStringLiteral("}");
        QVERIFY2(parseExtraVars(json), qPrintable(errorOf(json)));
        QVERIFY(
            errorOf(QStringLiteral("a: ") + QString(200, QLatin1Char('[')) + QString(200, QLatin1Char(']')))
                .contains(QStringLiteral("nested more than 200 levels deep")));
    }

    void largeDocumentsAreReadQuickly() {
        // An AWX-sized document: 5 MB of YAML, and the same values as JSON.
        QString yaml;
        QString json = QStringLiteral("{");
        int hosts = 0;
        for (; yaml.size() < 5'000'000; ++hosts) {
            const QString n = QString::number(hosts);
            const QString address =
                QString::number(hosts / 256) + QLatin1Char('.') + QString::number(hosts % 256);
            yaml +=
                QStringLiteral("host_") + n + QStringLiteral(":\n  address: 10.0.") + address +
                QStringLiteral("\n  ports: [22, 80, 443]\n  tags: {role: web, weight: 1.5, enabled: yes}\n"
                               "  note: \"some text for host ") +
                n + QStringLiteral("\"\n");
            json +=
                (hosts ? QStringLiteral(",\n\"host_") : QStringLiteral("\"host_")) + n +
                QStringLiteral("\": {\"address\": \"10.0.") + address +
                QStringLiteral("\", \"ports\": [22, 80, 443], \"tags\": {\"role\": \"web\", \"weight\": 1.5, "
                               "\"enabled\": true}, \"note\": \"some text for host ") +
                n + QStringLiteral("\"}");
        }
        json += QStringLiteral("}");
        QElapsedTimer timer;
        timer.start();
        const auto fromYaml = parseExtraVars(yaml);
        const qint64 yamlMs = timer.restart();
        const auto fromJson = parseExtraVars(json);
        const qint64 jsonMs = timer.elapsed();
        QVERIFY2(fromYaml, qPrintable(fromYaml.error()));
        QVERIFY2(fromJson, qPrintable(fromJson.error()));
        QCOMPARE(fromYaml.value().size(), hosts);
        QVERIFY(fromYaml.value() == fromJson.value());
        const QJsonObject last = fromYaml.value().value(QStringLiteral("host_%1").arg(hosts - 1)).toObject();
        QCOMPARE(last.value(QStringLiteral("note")).toString(),
                 QStringLiteral("some text for host %1").arg(hosts - 1));
        QCOMPARE(last.value(QStringLiteral("tags")).toObject().value(QStringLiteral("weight")).toDouble(),
                 1.5);
        qInfo("%d keys: %.1f MB YAML in %lld ms, %.1f MB JSON in %lld ms", hosts, yaml.size() / 1e6, yamlMs,
              json.size() / 1e6, jsonMs);
        if (!kSanitized)
            QVERIFY2(yamlMs < 10000 && jsonMs < 10000, "far slower than expected");
    }

    void oneMappingWithManyKeys() {
        QString yaml;
        for (int i = 0; i < 200000; ++i)
            yaml += QStringLiteral("k%1: %1\n").arg(199999 - i);
        const auto vars = parseExtraVars(yaml);
        QVERIFY(vars);
        QCOMPARE(vars.value().size(), 200000);
        QCOMPARE(vars.value().value(QStringLiteral("k7")).toInteger(), 7);
    }

    void multipleDocumentsAreRefused() {
        QCOMPARE(errorOf(QStringLiteral("a: 1\n---\nb: 2\n")),
                 QStringLiteral(
                     "Extra variables must be one YAML document, but a second document starts at line 2, "
                     "column 1."));
        QVERIFY(errorOf(QStringLiteral("--- a\n--- b\n")).contains(QStringLiteral("second document")));
        QVERIFY(errorOf(QStringLiteral("a: 1\n...\n---\n")).contains(QStringLiteral("second document")));
        QVERIFY(parseExtraVars(QStringLiteral("%YAML 1.1\n---\na: 1\n...\n")));
    }

    void textThatIsNotYamlIsRefused() {
        QString nul = QStringLiteral("a: b");
        nul += QChar(0);
        nul += QStringLiteral("c\n");
        QCOMPARE(errorOf(nul),
                 QStringLiteral("Extra variables are neither valid YAML nor JSON: control characters "
                                "are not allowed (#x0) (line 1, column 5)"));
        QVERIFY(errorOf(QStringLiteral("a: \u0001"))
                    .contains(QStringLiteral("control characters are not allowed")));
        QVERIFY(
            errorOf(QStringLiteral("{\"a\": \"\u0001\"}")).contains(QStringLiteral("control characters")));
        QVERIFY(errorOf(QStringLiteral("a: 1\nb: 2\n\u0085c: \u0007"))
                    .contains(QStringLiteral("(line 4, column")));
    }

    void anyUnicodeTextIsHandled() {
        // Invalid UTF-8 has become U+FFFD before it gets here; half surrogate pairs become U+FFFD too.
        QCOMPARE(valueOf(QString::fromUtf8("v: a\xff\xfe"
                                           "b")),
                 QJsonValue(QStringLiteral("a\ufffd\ufffdb")));
        QCOMPARE(valueOf(QStringLiteral("v: a") + QChar(0xDC00)), QJsonValue(QStringLiteral("a\ufffd")));
        QCOMPARE(valueOf(QStringLiteral("{\"v\": \"a") + QChar(0xD800) + QStringLiteral("\"}")),
                 QJsonValue(QStringLiteral("a\ufffd")));
        QCOMPARE(valueOf(QStringLiteral("\ufeffv: 1")), QJsonValue(1));
        QCOMPARE(valueOf(QStringLiteral("v: \"\\x00\\u2028\\U0001F600\"")),
                 QJsonValue(QString(QChar(0)) + QStringLiteral("\u2028\U0001F600")));
        QCOMPARE(valueOf(QStringLiteral("v: \u00e9\u4e2d\U0001F600")),
                 QJsonValue(QStringLiteral("\u00e9\u4e2d\U0001F600")));
    }

    // Inputs that once failed to read back the same after extraVarsYaml (found by the round-trip tests
    // and fuzz/fuzz_extravars.cpp), and corners the fuzzer's corpus keeps reaching.
    void writtenTextReadsBackTheSame_data() {
        QTest::addColumn<QByteArray>("input");
        // QString::fromUtf8 drops a leading U+FEFF, which in a scalar is text.
        QTest::newRow("bom in a string") << QByteArray("v: \"\\uFEFFx\"\nw: \"\xef\xbb\xbf\"\n");
        QTest::newRow("nel and line separators") << QByteArray("v: \"a\\Nb\\Lc\\Pd\"\n");
        QTest::newRow("nul") << QByteArray("v: \"\\0\"\n");
        QTest::newRow("typed keys") << QByteArray("1: a\ntrue: b\n1.5: c\n~: d\n'1': e\n");
        QTest::newRow("large whole double")
            << QByteArray("v: [1.0e+16, 9007199254740994.0, 1.0e+300, -4.9e-324]\n");
        QTest::newRow("sexagesimal float") << QByteArray("v: 190:20:30.15\n");
        QTest::newRow("merged anchors")
            << QByteArray("a: &a {x: 1}\nb: &b [*a, {y: 2}]\nv: {<<: *b, <<: *a}\n");
        QTest::newRow("unsafe containers") << QByteArray("v: !unsafe {k: [!unsafe x, 1]}\n");
        QTest::newRow("empty keys and values") << QByteArray("\"\": \"\"\n? \n: \n");
        // fuzz/fuzz_extravars.cpp: a key under YAML's 1024-character limit for implicit keys grew past it
        // once written (quotes, "!unsafe ", escapes), and the written file no longer parsed.
        QTest::newRow("key that grows past 1024 characters") << QByteArray(1000, '\\') + QByteArray(": 1\n");
        QTest::newRow("long key in a flow mapping")
            << QByteArray("v: [{? \"") + QByteArray(3000, 'k') + QByteArray("\" : 1, short: 2}]\n");
        QTest::newRow("long top-level key")
            << QByteArray("? \"") + QByteArray(5000, 'y') + QByteArray("\"\n: [1]\n");
    }
    void writtenTextReadsBackTheSame() {
        QFETCH(QByteArray, input);
        const auto first = parseExtraVars(QString::fromUtf8(input));
        QVERIFY2(first, qPrintable(first.error()));
        for (bool unsafe : {false, true}) {
            const QByteArray written =
                unsafe ? extraVarsYaml({}, first.value()) : extraVarsYaml(first.value(), {});
            const auto again = parseExtraVars(QString::fromUtf8(written));
            QVERIFY2(again, qPrintable(again.error()));
            QCOMPARE(describe(again.value()), describe(first.value()));
        }
    }

    void writerOutputReadsBackTheSame() {
        const QJsonObject values = trickyValues(false);
        const QJsonObject expected = withoutLoneSurrogates(values).toObject();
        for (bool unsafe : {false, true}) {
            const QByteArray yaml = unsafe ? extraVarsYaml({}, values) : extraVarsYaml(values, {});
            QVERIFY(yaml.startsWith("---\n"));
            // One line per top-level key; a key too long for YAML's implicit keys takes a second line.
            const QList<QByteArray> lines = yaml.trimmed().split('\n');
            const auto continued = std::count_if(
                lines.begin(), lines.end(), [](const QByteArray &line) { return line.startsWith(": "); });
            QCOMPARE(lines.size() - 1 - continued, values.size());
            QCOMPARE(continued, 1);
            const auto back = parseExtraVars(QString::fromUtf8(yaml));
            QVERIFY2(back, qPrintable(back.error()));
            if (describe(back.value()) != describe(expected)) {
                QFile a(QStringLiteral("/tmp/actual.txt")), b(QStringLiteral("/tmp/expected.txt"));
                a.open(QIODevice::WriteOnly);
                a.write(describe(back.value()));
                b.open(QIODevice::WriteOnly);
                b.write(describe(expected));
            }
            QCOMPARE(describe(back.value()), describe(expected));
        }
        QCOMPARE(extraVarsYaml({}, {}), QByteArray("---\n{}\n"));
    }

    void writerOutputReadsBackTheSameInPyYamlAndAnsible() {
        // Every loader ansible may use: libyaml through PyYAML, pure-Python PyYAML, ansible's own.
        const QJsonObject values = trickyValues(true);
        QJsonObject safe;
        QJsonObject unsafe;
        bool toggle = false;
        for (auto it = values.begin(); it != values.end(); ++it)
            ((toggle = !toggle) ? safe : unsafe).insert(it.key(), it.value());
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write(extraVarsYaml(safe, unsafe));
        file.close();
        const PythonRun run =
            runPython(QString::fromLatin1(kPythonDescribe) +
                          QStringLiteral("from ansible.parsing.yaml.loader import AnsibleLoader\n"
                                         "data = open(sys.argv[1], 'rb').read()\n"
                                         "print(describe(yaml.load(data, Loader=CLoader)))\n"
                                         "print(describe(yaml.load(data, Loader=PyLoader)))\n"
                                         "print(describe(AnsibleLoader(data).get_single_data()))\n"),
                      {file.fileName()});
        QVERIFY2(run.ok, run.err.constData());
        const QList<QByteArray> lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        const QByteArray expected = describe(withoutLoneSurrogates(values));
        for (const QByteArray &line : lines)
            QCOMPARE(line, expected);
    }

    void writerIsNotRecursive() {
        QJsonValue deep = QStringLiteral("bottom");
        for (int i = 0; i < 20000; ++i)
            deep =
                (i % 2) ? QJsonValue(QJsonArray{deep}) : QJsonValue(QJsonObject{{QStringLiteral("k"), deep}});
        const QByteArray yaml = extraVarsYaml({}, QJsonObject{{QStringLiteral("v"), deep}});
        QCOMPARE(yaml.count('['), 10000);
        QVERIFY(
            parseExtraVars(QString::fromUtf8(yaml)).error().contains(QStringLiteral("nested more than 200")));
    }

    void unsafeYamlIsReadByAnsibleAsUnsafe() {
        // The file we write must load in ansible's own YAML loader with !unsafe where we put it.
        const QJsonObject safe{{QStringLiteral("plain"), QStringLiteral("{{ 1 + 1 }}")},
                               {QStringLiteral("n"), 3}};
        const QJsonObject unsafe{
            {QStringLiteral("prompted"), QStringLiteral("{{ lookup('pipe', 'id') }}\n\"quoted\"")},
            {QStringLiteral("nested"),
             QJsonObject{{QStringLiteral("list"), QJsonArray{QStringLiteral("a"), 1}}}}};
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write(extraVarsYaml(safe, unsafe));
        file.close();
        const PythonRun run = runPython(
            QStringLiteral("import sys\nfrom ansible.parsing.yaml.loader import AnsibleLoader\n"
                           "d = AnsibleLoader(open(sys.argv[1]).read()).get_single_data()\n"
                           "print(type(d['prompted']).__name__, type(d['plain']).__name__, d['n'],"
                           " type(d['nested']['list'][0]).__name__, type(list(d['nested'])[0]).__name__,"
                           " repr(d['prompted']))"),
            {file.fileName()});
        const QString out = QString::fromUtf8(run.out).trimmed();
        QVERIFY2(out.startsWith(QStringLiteral("AnsibleUnsafeText AnsibleUnicode 3 AnsibleUnsafeText "
                                               "AnsibleUnsafeText")),
                 qPrintable(out + QString::fromUtf8(run.err)));
        QVERIFY(out.contains(QStringLiteral("\\n\"quoted\"")));
    }

    // Each document as AWX reads it (json.loads, else PyYAML's C SafeLoader; then stored as JSON)
    // must give what parseExtraVars gives, or be refused by both.
    void readsAsAwxAndPyYaml() {
        const QStringList documents{
            QStringLiteral("a: 1\nb: [1.5, 1:30, 0x1f, 017, 0b11, 1_0, -0, +5, 6.8e+5, .5, 1.]\nc: ~\n"),
            QStringLiteral("{\"a\": 1e5, \"b\": [1.0, -0.0, 1E-2], \"c\": \"\\u00e9\"}"),
            QStringLiteral("1: a\ntrue: b\n1.0: c\n'1': d\n"),
            QStringLiteral("yes: 1\nNo: 2\non: 3\n~: 4\n0x10: 5\n2.5: 6\n.5: 7\n1e+3: 8\n"),
            QStringLiteral("base: &b {x: 1, y: 2}\nv:\n  <<: *b\n  x: 3\n"),
            QStringLiteral(
                "a: &a {x: 1, w: 0}\nb: &b {<<: *a, y: 2, w: 5}\nv: {<<: [*b, {z: 1, x: 9}], z: 3}\n"),
            QStringLiteral("l: &l [{x: 1}, {x: 2, y: 3}]\nv: {<<: *l}\n"),
            QStringLiteral("a: &a {1: x}\nv: {<<: *a, true: y, 1.0: z}\n"),
            QStringLiteral("v: {<<: [{x: 1}], <<: {x: 2}}\n"),
            QStringLiteral("v: !!str 1\nw: !!int '0x1f'\nx: !!float 1\ny: !!bool On\nz: !!null q\n"),
            QStringLiteral("v: ! 12\nw: ! '12'\nx: !!float '-1:30'\n"),
            QStringLiteral("v: |\n  line1\n   line2\nw: >-\n  folded\n  text\n\n  para\n"),
            QStringLiteral("v: 'it''s'\nw: \"tab\\tnl\\n\\x41\\u00e9\\U0001F600\\N\\_\\L\\P\"\n"),
            QStringLiteral("? complex key\n: value\n? [not, allowed]\n: x\n"),
            QStringLiteral("a: 1\na: 2\n"),
            QStringLiteral("v: -.inf\n"),
            QStringLiteral("v: 123456789012345678901234567890\n"),
            QStringLiteral("- a\n- b\n"),
            QStringLiteral("v: =\n"),
            QStringLiteral("=: 1\n"),
            QStringLiteral("v: [1, 2, {a: b}, [c]]\nw: {}\nx: []\n"),
            QStringLiteral("v: 1:30.5\nw: 190:20:30.15\nx: 1_000.000_1\n"),
            QStringLiteral("{\"a\": {\"b\": [1, 2, 3]}, \"c\": null, \"d\": true}"),
            QStringLiteral("v: !!binary aGk=\n"),
            QStringLiteral("v: [a, &x b, *x]\n&k k: *k\n"),
            QStringLiteral("\"a.b\": {\"c d\": [1, {\"e\": 0.1}]}\n"),
            QStringLiteral("v: 0.1\nw: 1.7976931348623157e+308\nx: 4.9e-324\ny: 2.5e-10\nz: 1.0e+20\n"),
            QStringLiteral(
                "v: [9007199254740992.0, 9007199254740994.0, 1e+16, 1.0e+16, 9223372036854774.5]\n"),
            QStringLiteral("v: 2001-12-14\nw: 2001-12-14t21:59:43.10-05:00\nx: !!timestamp 2002-01-01\n"),
            QStringLiteral("{\"v\": \"\\ud83d\\/x\", \"\\udc00\": 1}"),
        };
        QJsonArray texts;
        for (const QString &document : documents)
            texts.append(document);
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write(QJsonDocument(texts).toJson());
        file.close();
        const PythonRun run = runPython(QString::fromLatin1(kPythonDescribe) + QStringLiteral(R"PY(
# Where we differ from AWX on purpose: timestamps stay text (AWX refuses the datetime objects PyYAML
# makes of them), and half surrogate pairs become U+FFFD.
class AwxLoader(CLoader): pass
AwxLoader.add_constructor('tag:yaml.org,2002:timestamp', unsafe_string)
def awx(text):
    try:
        data = json.loads(text)
        if not isinstance(data, dict): raise ValueError('not a dict')
    except ValueError:
        data = yaml.load(text, Loader=AwxLoader)
        if data is None: data = {}
        if not isinstance(data, dict): raise TypeError('not a dict')
    return json.loads(json.dumps(data, allow_nan=False))
def fffd(text): return ''.join('\ufffd' if 0xd800 <= ord(c) <= 0xdfff else c for c in text)
def storable(v):
    # What a QJsonValue holds: 64-bit integers; a whole double up to 2**53 becomes an integer.
    if isinstance(v, bool) or v is None: return v
    if isinstance(v, str): return fffd(v)
    if isinstance(v, int):
        if not -2**63 <= v < 2**63: raise OverflowError(v)
        return v
    if isinstance(v, float): return int(v) if v.is_integer() and abs(v) <= 2**53 else v
    if isinstance(v, list): return [storable(x) for x in v]
    return {fffd(k): storable(x) for k, x in v.items()}
for text in json.load(open(sys.argv[1], encoding='utf-8')):
    try: print(describe(storable(awx(text))))
    except Exception: print('REFUSED')
)PY"),
                                        {file.fileName()});
        QVERIFY2(run.ok, run.err.constData());
        const QList<QByteArray> lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.size(), documents.size());
        for (qsizetype i = 0; i < documents.size(); ++i) {
            const auto vars = parseExtraVars(documents[i]);
            const QByteArray ours = vars ? describe(vars.value()) : QByteArray("REFUSED");
            QVERIFY2(ours == lines[i],
                     qPrintable(documents[i] + QStringLiteral("\nours:   ") + QString::fromUtf8(ours) +
                                QStringLiteral("\npython: ") + QString::fromUtf8(lines[i]) +
                                QStringLiteral("\n") + (vars ? QString() : vars.error())));
        }
    }
};

QTEST_GUILESS_MAIN(ExtraVarsTest)
#include "tst_extravars.moc"

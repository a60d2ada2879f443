#include "model/ExtraVars.h"

#include <QJsonArray>
#include <QProcess>
#include <QTemporaryFile>
#include <QTest>

using namespace playdeck;

class ExtraVarsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyIsNoVariables() {
        QVERIFY(parseExtraVars(QString()).value().isEmpty());
        QVERIFY(parseExtraVars(QStringLiteral("  \n")).value().isEmpty());
        QVERIFY(parseExtraVars(QStringLiteral("---\n")).value().isEmpty());
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
    void quotedScalarsStayStrings() {
        const auto vars = parseExtraVars(QStringLiteral("port: \"8080\"\nflag: 'yes'\n"));
        QVERIFY(vars);
        QCOMPARE(vars.value().value(QStringLiteral("port")).toString(), QStringLiteral("8080"));
        QCOMPARE(vars.value().value(QStringLiteral("flag")).toString(), QStringLiteral("yes"));
    }
    void invalidInputIsRefusedWithAPosition_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("broken json") << QStringLiteral("{\"a\": ");
        QTest::newRow("unclosed flow") << QStringLiteral("a: [1, 2");
        QTest::newRow("a list") << QStringLiteral("- a\n- b\n");
        QTest::newRow("a scalar") << QStringLiteral("hello");
        QTest::newRow("bad indentation") << QStringLiteral("a: 1\n b: 2\n");
    }
    void invalidInputIsRefusedWithAPosition() {
        QFETCH(QString, text);
        const auto vars = parseExtraVars(text);
        QVERIFY(!vars);
        QVERIFY(!vars.error().isEmpty());
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
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"),
                     {QStringLiteral("-c"),
                      QStringLiteral("import sys\nfrom ansible.parsing.yaml.loader import AnsibleLoader\n"
                                     "d = AnsibleLoader(open(sys.argv[1]).read()).get_single_data()\n"
                                     "print(type(d['prompted']).__name__, type(d['plain']).__name__, d['n'],"
                                     " type(d['nested']['list'][0]).__name__, repr(d['prompted']))"),
                      file.fileName()});
        QVERIFY(python.waitForFinished(30000));
        const QString out = QString::fromUtf8(python.readAllStandardOutput()).trimmed();
        QVERIFY2(out.startsWith(QStringLiteral("AnsibleUnsafeText AnsibleUnicode 3 AnsibleUnsafeText")),
                 qPrintable(out + QString::fromUtf8(python.readAllStandardError())));
        QVERIFY(out.contains(QStringLiteral("\\n\"quoted\"")));
    }
};

QTEST_GUILESS_MAIN(ExtraVarsTest)
#include "tst_extravars.moc"

// Reading `ansible-inventory --list --export` into hosts and groups.

#include "inventory/InventoryContent.h"

#include <QTest>

using namespace playdeck;

class InventoryContentTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void nestedGroupsHostsAndVariables() {
        const QByteArray json = R"({
            "_meta": {"hostvars": {"web1": {"ansible_host": "10.0.0.1"}}},
            "all": {"children": ["ungrouped", "dc1"], "vars": {"env": "prod"}},
            "db": {"hosts": ["db1"]},
            "dc1": {"children": ["web", "db"], "vars": {"ntp": "pool.ntp.org"}},
            "web": {"hosts": ["web1", "web2"]},
            "ungrouped": {"hosts": ["lonely"]}})";
        auto r = parseAnsibleInventoryJson(json);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        const InventoryContent &c = r.value();
        QCOMPARE(c.vars.value(QStringLiteral("env")).toString(), QStringLiteral("prod"));
        QCOMPARE(c.hosts.keys(), (QStringList{QStringLiteral("db1"), QStringLiteral("lonely"),
                                              QStringLiteral("web1"), QStringLiteral("web2")}));
        QCOMPARE(c.hosts.value(QStringLiteral("web1")).value(QStringLiteral("ansible_host")).toString(),
                 QStringLiteral("10.0.0.1"));
        QCOMPARE(c.groups.size(), 3);
        QCOMPARE(c.groups.at(1).name, QStringLiteral("dc1"));
        QCOMPARE(c.groups.at(1).children, (QStringList{QStringLiteral("web"), QStringLiteral("db")}));
        QCOMPARE(c.groups.at(1).vars.value(QStringLiteral("ntp")).toString(), QStringLiteral("pool.ntp.org"));
        QCOMPARE(c.groups.at(2).hosts, (QStringList{QStringLiteral("web1"), QStringLiteral("web2")}));
    }
    void whatIsNotAnInventoryIsRefused_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("not json") << QByteArray("[WARNING] oops") << "did not print an inventory";
        QTest::newRow("group not a mapping")
            << QByteArray(R"({"web": ["a"]})") << "The group web is not a mapping";
        QTest::newRow("hosts not a list") << QByteArray(R"({"web": {"hosts": "a"}})") << "not a list";
        QTest::newRow("vars not a mapping")
            << QByteArray(R"({"web": {"vars": [1]}})") << "variables of group web";
        QTest::newRow("hostvars") << QByteArray(R"({"_meta": {"hostvars": {"a": 1}}})")
                                  << "variables of host a";
        QTest::newRow("undescribed child")
            << QByteArray(R"({"a": {"children": ["b"]}})") << "b is listed as a child";
        QTest::newRow("cycle") << QByteArray(R"({"a": {"children": ["b"]}, "b": {"children": ["a"]}})")
                               << "its own ancestor";
    }
    void whatIsNotAnInventoryIsRefused() {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        auto r = parseAnsibleInventoryJson(json);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().contains(message), qPrintable(r.error()));
    }
};

QTEST_GUILESS_MAIN(InventoryContentTest)
#include "tst_inventorycontent.moc"

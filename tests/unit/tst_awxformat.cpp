// Reading and writing the format of awxkit's `awx export`.

#include "awx/AwxFormat.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace playdeck;

class AwxFormatTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theSampleExportReadsInDependencyOrder() {
        QFile file(QStringLiteral(PLAYDECK_TEST_DATA "/awx-export.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        auto plan =
            readAwxExport(QJsonDocument::fromJson(file.readAll()).object(), QStringLiteral("/srv/awx"));
        QVERIFY2(plan.ok(), qPrintable(plan.error()));
        QStringList order;
        for (const AwxItem &item : plan.value().items)
            order << item.label();
        QCOMPARE(order.size(), 9);
        QVERIFY(order.indexOf(QStringLiteral("credential \"Git Deploy Key\"")) <
                order.indexOf(QStringLiteral("project \"Web App\"")));
        QVERIFY(order.indexOf(QStringLiteral("project \"Web App\"")) <
                order.indexOf(QStringLiteral("inventory source \"From Git\"")));
        QVERIFY(order.indexOf(QStringLiteral("inventory \"Production\"")) <
                order.indexOf(QStringLiteral("job template \"Deploy Web\"")));
        for (const AwxItem &item : plan.value().items) {
            if (item.kind == ResourceKind::Project &&
                item.fields.value(QStringLiteral("name")).toString() == QLatin1String("Local Playbooks"))
                QCOMPARE(item.fields.value(QStringLiteral("local_path")).toString(),
                         QStringLiteral("/srv/awx/local_playbooks"));
            if (item.kind == ResourceKind::Project &&
                item.fields.value(QStringLiteral("name")).toString() == QLatin1String("Web App")) {
                QVERIFY(!item.fields.contains(QStringLiteral("local_path")));
                QCOMPARE(item.fields.value(QStringLiteral("credential")).toString(),
                         QStringLiteral("Git Deploy Key"));
            }
            if (item.kind == ResourceKind::Credential)
                for (const QJsonValue &v : item.fields.value(QStringLiteral("inputs")).toObject())
                    QVERIFY(v.toString() != kEncrypted);
            if (item.kind == ResourceKind::Inventory) {
                QVERIFY(item.content.has_value());
                QCOMPARE(item.content->disabledHosts, QStringList{QStringLiteral("web2")});
            }
            if (item.kind == ResourceKind::JobTemplate &&
                item.fields.value(QStringLiteral("name")).toString() == QLatin1String("Deploy Web")) {
                QCOMPARE(item.fields.value(QStringLiteral("credentials")).toArray().size(), 2);
                for (const QJsonValue &q : item.fields.value(QStringLiteral("survey_spec"))
                                               .toObject()
                                               .value(QStringLiteral("spec"))
                                               .toArray())
                    QVERIFY(!q.toObject().contains(QStringLiteral("new_question")));
            }
        }
        QVERIFY(plan.value().warnings.join(QLatin1Char('\n')).contains(QLatin1String("Prod SSH")));
    }
    void whatPlaydeckDoesNotHaveIsSaidNotDropped() {
        const QJsonObject doc{
            {QStringLiteral("credentials"),
             QJsonArray{
                 QJsonObject{{QStringLiteral("name"), QStringLiteral("AWS")},
                             {QStringLiteral("credential_type"),
                              QJsonObject{{QStringLiteral("name"), QStringLiteral("Amazon Web Services")},
                                          {QStringLiteral("kind"), QStringLiteral("cloud")}}}}}},
            {QStringLiteral("projects"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Old")},
                                    {QStringLiteral("scm_type"), QStringLiteral("svn")}}}},
            {QStringLiteral("inventory_sources"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("EC2")},
                                    {QStringLiteral("source"), QStringLiteral("ec2")}}}}};
        auto plan = readAwxExport(doc, QStringLiteral("/srv"));
        QVERIFY(plan.ok());
        QVERIFY(plan.value().items.isEmpty());
        QCOMPARE(plan.value().warnings.size(), 3);
    }
    void writtenAsAwxWritesIt() {
        QMap<ResourceKind, QList<QJsonObject>> resources;
        resources[ResourceKind::Inventory] << QJsonObject{{QStringLiteral("name"), QStringLiteral("Lab")},
                                                          {QStringLiteral("variables"), QString()}};
        InventoryContent c;
        c.hosts.insert(QStringLiteral("a"), {});
        c.groups.append({QStringLiteral("g"), {}, {QStringLiteral("a")}, {}});
        const QJsonObject doc = writeAwxExport(resources, {{QStringLiteral("Lab"), c}});
        const QJsonObject inventory = doc.value(QStringLiteral("inventory")).toArray().first().toObject();
        QCOMPARE(inventory.value(QStringLiteral("natural_key"))
                     .toObject()
                     .value(QStringLiteral("organization"))
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString(),
                 QStringLiteral("Default"));
        const QJsonObject host = inventory.value(QStringLiteral("related"))
                                     .toObject()
                                     .value(QStringLiteral("hosts"))
                                     .toArray()
                                     .first()
                                     .toObject();
        QCOMPARE(host.value(QStringLiteral("related"))
                     .toObject()
                     .value(QStringLiteral("groups"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString(),
                 QStringLiteral("g"));
        // And back.
        auto plan = readAwxExport(doc, QStringLiteral("/"));
        QVERIFY(plan.ok());
        QCOMPARE(plan.value().items.first().content->groups.first().hosts, QStringList{QStringLiteral("a")});
    }
};

QTEST_GUILESS_MAIN(AwxFormatTest)
#include "tst_awxformat.moc"

// An AWX setup brought along: a file in the format of awxkit's `awx export` (tests/data) imported
// with the command line, twice, and Playdeck's own export read back.

#include "Processes.h"
#include "TestEngine.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace playdeck;
using playdeck::test::runPlaydeck;
using playdeck::test::TestEngine;

class AwxImportTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        m_engine = std::make_unique<TestEngine>();
        QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
        // The manual project's directory, under the projects root the import is told about.
        m_root = m_engine->dataDir() + QStringLiteral("/awx-projects");
        QDir().mkpath(m_root + QStringLiteral("/local_playbooks"));
        QFile ping(m_root + QStringLiteral("/local_playbooks/ping.yml"));
        QVERIFY(ping.open(QIODevice::WriteOnly));
        ping.write("- hosts: all\n  tasks:\n    - ping:\n");
    }
    void cleanupTestCase() { m_engine.reset(); }

    void anAwxExportCreatesWhatItDescribes() {
        auto r = runPlaydeck(m_engine->dataDir(),
                             {QStringLiteral("import"), QStringLiteral(PLAYDECK_TEST_DATA "/awx-export.json"),
                              QStringLiteral("--projects-root"), m_root, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const QJsonObject report = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(report.value(QStringLiteral("created")).toArray().size(),
                 9); // 3 credentials, 2 projects, 1 inventory, 1 source, 2 templates
        QVERIFY2(r.err.contains(QLatin1String("comes without its secrets")), qPrintable(r.err));

        const auto count = [this](const char *sql) {
            return m_engine->scalar(QString::fromLatin1(sql)).toInt();
        };
        QCOMPARE(
            count(
                "SELECT count(*) FROM credential WHERE name IN ('Prod SSH', 'Git Deploy Key', 'Vault Prod')"),
            3);
        QCOMPARE(m_engine
                     ->scalar(QStringLiteral(
                         "SELECT inputs->>'become_password' FROM credential WHERE name = 'Prod SSH'"))
                     .toString(),
                 kAsk);
        QCOMPARE(
            m_engine
                ->scalar(QStringLiteral("SELECT inputs ? 'password' FROM credential WHERE name = 'Prod SSH'"))
                .toBool(),
            false);
        QCOMPARE(m_engine
                     ->scalar(QStringLiteral(
                         "SELECT c.name FROM project p JOIN credential c ON c.id = p.credential_id"
                         " WHERE p.name = 'Web App'"))
                     .toString(),
                 QStringLiteral("Git Deploy Key"));
        QCOMPARE(
            m_engine->scalar(QStringLiteral("SELECT local_path FROM project WHERE name = 'Local Playbooks'"))
                .toString(),
            QString(m_root + QStringLiteral("/local_playbooks")));
        // Hosts, nested groups, group variables, a disabled host.
        QCOMPARE(count("SELECT count(*) FROM host h JOIN inventory i ON i.id = h.inventory_id WHERE i.name = "
                       "'Production'"),
                 3);
        QCOMPARE(count("SELECT count(*) FROM host WHERE name = 'web2' AND NOT enabled"), 1);
        QCOMPARE(count("SELECT count(*) FROM group_parent p JOIN inventory_group g ON g.id = p.parent_id "
                       "WHERE g.name = 'dc1'"),
                 2);
        QCOMPARE(m_engine
                     ->scalar(QStringLiteral(
                         "SELECT variables->>'http_port' FROM inventory_group WHERE name = 'web'"))
                     .toString(),
                 QStringLiteral("80"));
        QCOMPARE(count("SELECT count(*) FROM inventory_source WHERE name = 'From Git' AND overwrite AND "
                       "update_on_launch"),
                 1);
        // The template with its credentials, prompts and survey.
        QCOMPARE(count("SELECT count(*) FROM job_template_credential l JOIN job_template t ON t.id = "
                       "l.job_template_id"
                       " WHERE t.name = 'Deploy Web'"),
                 2);
        QCOMPARE(
            count(
                "SELECT jsonb_array_length(survey_spec->'spec') FROM job_template WHERE name = 'Deploy Web'"),
            7);
        QVERIFY(m_engine
                    ->scalar(QStringLiteral(
                        "SELECT ask_limit_on_launch AND diff_mode AND survey_enabled FROM job_template"
                        " WHERE name = 'Deploy Web'"))
                    .toBool());
    }

    void importingItTwiceChangesNothing() {
        const int updates =
            m_engine->scalar(QStringLiteral("SELECT count(*) FROM unified_job WHERE kind = 'project_update'"))
                .toInt();
        auto r = runPlaydeck(m_engine->dataDir(),
                             {QStringLiteral("import"), QStringLiteral(PLAYDECK_TEST_DATA "/awx-export.json"),
                              QStringLiteral("--projects-root"), m_root, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject report = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(report.value(QStringLiteral("created")).toArray().size(), 0);
        QCOMPARE(report.value(QStringLiteral("updated")).toArray(), QJsonArray());
        QCOMPARE(report.value(QStringLiteral("unchanged")).toArray().size(), 9);
        // No change, no project update.
        QCOMPARE(
            m_engine->scalar(QStringLiteral("SELECT count(*) FROM unified_job WHERE kind = 'project_update'"))
                .toInt(),
            updates);
    }

    void playdecksExportReadsBackUnchanged() {
        const QString file = m_engine->dataDir() + QStringLiteral("/export.json");
        auto exported = runPlaydeck(m_engine->dataDir(), {QStringLiteral("export"), QStringLiteral("--all"),
                                                          QStringLiteral("-o"), file});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
        for (const char *key : {"credentials", "projects", "inventory", "inventory_sources", "job_templates"})
            QVERIFY2(doc.value(QLatin1String(key)).isArray(), key);
        const QJsonObject web = [&] {
            for (const QJsonValue &t : doc.value(QStringLiteral("job_templates")).toArray())
                if (t.toObject().value(QStringLiteral("name")).toString() == QLatin1String("Deploy Web"))
                    return t.toObject();
            return QJsonObject();
        }();
        QCOMPARE(web.value(QStringLiteral("natural_key")).toObject().value(QStringLiteral("type")).toString(),
                 QStringLiteral("job_template"));
        QCOMPARE(web.value(QStringLiteral("related"))
                     .toObject()
                     .value(QStringLiteral("credentials"))
                     .toArray()
                     .size(),
                 2);
        QVERIFY(!QString::fromUtf8(QJsonDocument(doc).toJson()).contains(QLatin1String("\"password\": \"")) ||
                !QString::fromUtf8(QJsonDocument(doc).toJson()).contains(QLatin1String("PRIVATE KEY")));
        auto again =
            runPlaydeck(m_engine->dataDir(), {QStringLiteral("import"), file, QStringLiteral("--json")});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        const QJsonObject report = QJsonDocument::fromJson(again.out.toUtf8()).object();
        QCOMPARE(report.value(QStringLiteral("created")).toArray(), QJsonArray());
        QCOMPARE(report.value(QStringLiteral("updated")).toArray(), QJsonArray());

        auto one = runPlaydeck(m_engine->dataDir(), {QStringLiteral("export"), QStringLiteral("Ping")});
        QVERIFY2(one.exitCode == 0, qPrintable(one.err));
        QCOMPARE(QJsonDocument::fromJson(one.out.toUtf8())
                     .object()
                     .value(QStringLiteral("job_templates"))
                     .toArray()
                     .size(),
                 1);
        auto none = runPlaydeck(m_engine->dataDir(), {QStringLiteral("export"), QStringLiteral("Nope")});
        QCOMPARE(none.exitCode, 1);
    }

private:
    std::unique_ptr<TestEngine> m_engine;
    QString m_root;
};

QTEST_GUILESS_MAIN(AwxImportTest)
#include "tst_awx_import.moc"

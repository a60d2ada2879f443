// Inventory sources as an operator uses them: a file on this machine and a script in a project, read
// by an inventory update (a unified job with events and stdout) with the real ansible-inventory; with
// overwrite, what vanished from the source goes, and what came from elsewhere stays.

#include "Processes.h"
#include "TestEngine.h"

#include "services/JobService.h"
#include "services/ResourceService.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace playdeck;
using playdeck::test::await;
using playdeck::test::runPlaydeck;
using playdeck::test::TestEngine;

namespace {

void writeFile(const QString &path, const QByteArray &text, bool executable = false) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
    f.close();
    if (executable)
        f.setPermissions(f.permissions() | QFile::ExeOwner | QFile::ExeUser);
}

} // namespace

class InventoryUpdatesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        m_engine = std::make_unique<TestEngine>();
        QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
        QVERIFY(await(m_engine->controller().resources().create(
                          ResourceKind::Inventory, {{QStringLiteral("name"), QStringLiteral("Fleet")}}))
                    .ok());
    }
    void cleanupTestCase() { m_engine.reset(); }

    void aFileSourceIsReadByAnUpdateJob() {
        m_ini = m_engine->dataDir() + QStringLiteral("/fleet.ini");
        writeFile(m_ini, "[web]\nweb1 http_port=80\nweb2\n[web:vars]\nntp=pool.example.org\n");
        auto source = await(m_engine->controller().resources().create(
            ResourceKind::InventorySource, {{QStringLiteral("name"), QStringLiteral("hosts file")},
                                            {QStringLiteral("inventory"), QStringLiteral("Fleet")},
                                            {QStringLiteral("source"), QStringLiteral("file")},
                                            {QStringLiteral("source_path"), m_ini},
                                            {QStringLiteral("overwrite"), true}}));
        QVERIFY2(source.ok(), qPrintable(source.error()));
        const qint64 job = update(QStringLiteral("hosts file"));
        QCOMPARE(m_engine->waitForFinished(job), JobStatus::Successful);
        QCOMPARE(explanation(job),
                 QStringLiteral("Hosts: 2 added, 0 updated, 0 removed. Groups: 1 added, 0 updated, "
                                "0 removed."));
        QCOMPARE(hosts(), QStringLiteral("web1,web2"));
        QCOMPARE(
            m_engine->scalar(QStringLiteral("SELECT variables->>'http_port' FROM host WHERE name = 'web1'"))
                .toString(),
            QStringLiteral("80"));
        // A job like any other: its kind, its events and its output.
        QCOMPARE(
            m_engine->scalar(QStringLiteral("SELECT kind FROM unified_job WHERE id = ?"), {job}).toString(),
            QStringLiteral("inventory_update"));
        const QString out =
            m_engine
                ->scalar(QStringLiteral("SELECT string_agg(stdout, '') FROM job_event WHERE job_id = ?"),
                         {job})
                .toString();
        QVERIFY2(out.contains(QLatin1String("fleet.ini read; Playdeck imports it")), qPrintable(out));
        // The file of what was read is gone once imported.
        QVERIFY(QDir(m_engine->dataDir() + QStringLiteral("/inventory_updates")).isEmpty());
    }

    void withOverwriteWhatVanishedGoesAndWhatCameFromElsewhereStays() {
        // A host added by hand (no source) is not the source's to remove.
        QCOMPARE(m_engine
                     ->scalar(QStringLiteral(
                         "INSERT INTO host (inventory_id, name) SELECT id, 'manual' FROM inventory "
                         "WHERE name = 'Fleet' RETURNING 1"))
                     .toInt(),
                 1);
        writeFile(m_ini, "[web]\nweb1 http_port=8080\n");
        const qint64 job = update(QStringLiteral("hosts file"));
        QCOMPARE(m_engine->waitForFinished(job), JobStatus::Successful);
        QVERIFY2(explanation(job).contains(QLatin1String("1 removed")), qPrintable(explanation(job)));
        QCOMPARE(hosts(), QStringLiteral("manual,web1"));
        QCOMPARE(
            m_engine->scalar(QStringLiteral("SELECT variables->>'http_port' FROM host WHERE name = 'web1'"))
                .toString(),
            QStringLiteral("8080"));
    }

    void aScriptInAProjectIsASource() {
        const QString dir = m_engine->dataDir() + QStringLiteral("/scripts");
        QDir().mkpath(dir + QStringLiteral("/inventory"));
        writeFile(
            dir + QStringLiteral("/inventory/cloud.sh"),
            "#!/bin/sh\n"
            "echo '{\"db\": {\"hosts\": [\"db1\", \"db2\"]}, \"_meta\": {\"hostvars\": {\"db1\": {\"role\": "
            "\"primary\"}}}}'\n",
            true);
        QVERIFY(await(m_engine->controller().resources().create(
                          ResourceKind::Project, {{QStringLiteral("name"), QStringLiteral("Scripts")},
                                                  {QStringLiteral("local_path"), dir}}))
                    .ok());
        auto source = await(m_engine->controller().resources().create(
            ResourceKind::InventorySource,
            {{QStringLiteral("name"), QStringLiteral("cloud")},
             {QStringLiteral("inventory"), QStringLiteral("Fleet")},
             {QStringLiteral("source"), QStringLiteral("scm")},
             {QStringLiteral("source_project"), QStringLiteral("Scripts")},
             {QStringLiteral("source_path"), QStringLiteral("inventory/cloud.sh")}}));
        QVERIFY2(source.ok(), qPrintable(source.error()));
        const qint64 job = update(QStringLiteral("cloud"));
        QCOMPARE(m_engine->waitForFinished(job), JobStatus::Successful);
        QCOMPARE(hosts(), QStringLiteral("db1,db2,manual,web1"));
        QCOMPARE(m_engine->scalar(QStringLiteral("SELECT variables->>'role' FROM host WHERE name = 'db1'"))
                     .toString(),
                 QStringLiteral("primary"));
        // Another source's overwrite leaves them alone.
        const qint64 again = update(QStringLiteral("hosts file"));
        QCOMPARE(m_engine->waitForFinished(again), JobStatus::Successful);
        QCOMPARE(hosts(), QStringLiteral("db1,db2,manual,web1"));
    }

    void aBrokenSourceFailsAndChangesNothing() {
        writeFile(m_ini, "[web\nthis is not an inventory\n");
        const qint64 job = update(QStringLiteral("hosts file"));
        QCOMPARE(m_engine->waitForFinished(job), JobStatus::Failed);
        QVERIFY2(explanation(job).contains(QLatin1String("Read the inventory source")),
                 qPrintable(explanation(job)));
        QCOMPARE(hosts(), QStringLiteral("db1,db2,manual,web1"));
        // A path that leaves its project is refused before anything runs.
        auto outside = await(m_engine->controller().resources().create(
            ResourceKind::InventorySource,
            {{QStringLiteral("name"), QStringLiteral("escape")},
             {QStringLiteral("inventory"), QStringLiteral("Fleet")},
             {QStringLiteral("source"), QStringLiteral("scm")},
             {QStringLiteral("source_project"), QStringLiteral("Scripts")},
             {QStringLiteral("source_path"), QStringLiteral("../fleet.ini")}}));
        QVERIFY(!outside.ok());
        QVERIFY2(outside.error().contains(QLatin1String("inside the project")), qPrintable(outside.error()));
        // ...and so is a symbolic link that leads out of it, when the update would read it.
        QVERIFY(QFile::link(m_ini, m_engine->dataDir() + QStringLiteral("/scripts/inventory/link.ini")));
        auto linked = await(m_engine->controller().resources().create(
            ResourceKind::InventorySource,
            {{QStringLiteral("name"), QStringLiteral("link")},
             {QStringLiteral("inventory"), QStringLiteral("Fleet")},
             {QStringLiteral("source"), QStringLiteral("scm")},
             {QStringLiteral("source_project"), QStringLiteral("Scripts")},
             {QStringLiteral("source_path"), QStringLiteral("inventory/link.ini")}}));
        QVERIFY2(linked.ok(), qPrintable(linked.error()));
        auto refused = await(m_engine->controller().jobs().updateInventorySource(QStringLiteral("Fleet"),
                                                                                 QStringLiteral("link")));
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().contains(QLatin1String("outside its project")), qPrintable(refused.error()));
    }

    void theCommandLineSyncsASource() {
        writeFile(m_ini, "[web]\nweb1\nweb9\n");
        auto sync =
            runPlaydeck(m_engine->dataDir(), {QStringLiteral("inventory_source"), QStringLiteral("sync"),
                                              QStringLiteral("Fleet"), QStringLiteral("hosts file")});
        QVERIFY2(sync.exitCode == 0, qPrintable(sync.err));
        QTRY_VERIFY_WITH_TIMEOUT(hosts().contains(QLatin1String("web9")), 30000);
        auto missing =
            runPlaydeck(m_engine->dataDir(), {QStringLiteral("inventory_source"), QStringLiteral("sync"),
                                              QStringLiteral("Fleet"), QStringLiteral("nope")});
        QVERIFY(missing.exitCode != 0);
        QVERIFY2(missing.err.contains(QLatin1String("has no source named \"nope\"")),
                 qPrintable(missing.err));
    }

    void anUpdateIsRelaunchedAsItIs() {
        writeFile(m_ini, "[web]\nweb1\n");
        const qint64 first = update(QStringLiteral("hosts file"));
        QCOMPARE(m_engine->waitForFinished(first), JobStatus::Successful);
        auto again = await(m_engine->controller().jobs().relaunch(first));
        QVERIFY2(again.ok(), qPrintable(again.error()));
        QCOMPARE(m_engine->waitForFinished(again.value()), JobStatus::Successful);
        QCOMPARE(
            m_engine
                ->scalar(QStringLiteral("SELECT inventory_source_id FROM unified_job WHERE id = ?"),
                         {again.value()})
                .toLongLong(),
            m_engine
                ->scalar(QStringLiteral("SELECT inventory_source_id FROM unified_job WHERE id = ?"), {first})
                .toLongLong());
    }

private:
    qint64 update(const QString &source) {
        auto job =
            await(m_engine->controller().jobs().updateInventorySource(QStringLiteral("Fleet"), source));
        if (!job)
            qWarning() << job.error();
        return job ? job.value() : 0;
    }
    QString explanation(qint64 job) {
        return m_engine->scalar(QStringLiteral("SELECT job_explanation FROM unified_job WHERE id = ?"), {job})
            .toString();
    }
    QString hosts() {
        return m_engine
            ->scalar(QStringLiteral(
                "SELECT string_agg(h.name, ',' ORDER BY h.name) FROM host h JOIN inventory i ON "
                "i.id = h.inventory_id WHERE i.name = 'Fleet'"))
            .toString();
    }

    std::unique_ptr<TestEngine> m_engine;
    QString m_ini;
};

QTEST_GUILESS_MAIN(InventoryUpdatesTest)
#include "tst_inventory_updates.moc"

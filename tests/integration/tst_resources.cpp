// Projects, inventories, credentials and templates as an operator makes them: through the services
// the window uses and through the command line, against the real database and a real Secret Service
// (the test session's unlocked gnome-keyring).

#include "Processes.h"
#include "TestEngine.h"

#include "secrets/SecretStore.h"
#include "services/CredentialService.h"
#include "services/InventoryService.h"
#include "services/ResourceService.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace playdeck;
using playdeck::test::await;
using playdeck::test::runPlaydeck;
using playdeck::test::TestEngine;

namespace {

const QString kPassword = QStringLiteral("s3cret-Passw0rd-%1").arg(QCoreApplication::applicationPid());
const QString kBecome = QStringLiteral("b3come-%1").arg(QCoreApplication::applicationPid());
const QString kKey = QStringLiteral("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA%1\n"
                                    "-----END OPENSSH PRIVATE KEY-----\n")
                         .arg(QCoreApplication::applicationPid());

QString writePlaybookDir(const QString &dir) {
    QDir().mkpath(dir);
    QFile f(dir + QStringLiteral("/site.yml"));
    (void)f.open(QIODevice::WriteOnly);
    f.write("- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n");
    return dir;
}

} // namespace

class ResourcesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        m_engine = std::make_unique<TestEngine>();
        QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
        m_projectDir = writePlaybookDir(m_engine->dataDir() + QStringLiteral("/mine"));
    }
    void cleanupTestCase() { m_engine.reset(); }

    void secretsGoToTheKeychainAndNowhereElse() {
        auto created = await(m_engine->controller().credentials().create(
            {{QStringLiteral("name"), QStringLiteral("Prod SSH")},
             {QStringLiteral("kind"), QStringLiteral("ssh")},
             {QStringLiteral("inputs"),
              QJsonObject{{QStringLiteral("username"), QStringLiteral("deploy")},
                          {QStringLiteral("become_method"), QStringLiteral("sudo")}}}},
            {{QStringLiteral("password"), kPassword},
             {QStringLiteral("ssh_key_data"), kKey},
             {QStringLiteral("become_password"), kBecome},
             {QStringLiteral("ssh_key_unlock"), kAsk}}));
        QVERIFY2(created.ok(), qPrintable(created.error()));
        const QJsonObject inputs = created.value().value(QStringLiteral("inputs")).toObject();
        QCOMPARE(inputs.value(QStringLiteral("password")).toString(), kEncrypted);
        QCOMPARE(inputs.value(QStringLiteral("ssh_key_data")).toString(), kEncrypted);
        QCOMPARE(inputs.value(QStringLiteral("ssh_key_unlock")).toString(), kAsk);
        QCOMPARE(inputs.value(QStringLiteral("username")).toString(), QStringLiteral("deploy"));

        // In the keychain, under the credential's key...
        const qint64 id = created.value().value(QStringLiteral("id")).toInteger();
        const QString key =
            m_engine->scalar(QStringLiteral("SELECT keychain_key::text FROM credential WHERE id = ?"), {id})
                .toString();
        auto stored = await(m_engine->engine().secrets().read(
            {CredentialService::keychainEntry(key, QStringLiteral("password")),
             CredentialService::keychainEntry(key, QStringLiteral("ssh_key_data"))}));
        QVERIFY2(stored.ok(), qPrintable(stored.error()));
        QCOMPARE(stored.value().value(CredentialService::keychainEntry(key, QStringLiteral("password"))),
                 kPassword);
        QCOMPARE(stored.value().value(CredentialService::keychainEntry(key, QStringLiteral("ssh_key_data"))),
                 kKey);
        auto forRun = await(m_engine->controller().credentials().secrets(id));
        QVERIFY2(forRun.ok(), qPrintable(forRun.error()));
        QCOMPARE(forRun.value().value(QStringLiteral("become_password")), kBecome);
        QVERIFY(!forRun.value().contains(QStringLiteral("ssh_key_unlock"))); // asked at launch

        // ...and in no row of the database.
        const QByteArray dump = m_engine->databaseDump();
        QVERIFY(dump.contains("Prod SSH"));
        QVERIFY(!dump.contains(kPassword.toUtf8()));
        QVERIFY(!dump.contains(kBecome.toUtf8()));
        QVERIFY(!dump.contains("b3BlbnNzaC1rZXktdjEAAAAA"));
    }

    void aSecretCannotBeSmuggledPastTheKeychain() {
        auto r = await(m_engine->controller().resources().create(
            ResourceKind::Credential,
            {{QStringLiteral("name"), QStringLiteral("Sneaky")},
             {QStringLiteral("kind"), QStringLiteral("vault")},
             {QStringLiteral("inputs"), QJsonObject{{QStringLiteral("vault_password"), kPassword}}}}));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().contains(QLatin1String("keychain")), qPrintable(r.error()));
        QVERIFY(!m_engine->databaseDump().contains(kPassword.toUtf8()));
    }

    void updatingAndCopyingKeepSecretsInTheKeychain() {
        auto updated = await(m_engine->controller().credentials().update(
            QStringLiteral("Prod SSH"), {},
            {{QStringLiteral("password"), kAsk},
             {QStringLiteral("become_password"), QStringLiteral("new-b3come")}}));
        QVERIFY2(updated.ok(), qPrintable(updated.error()));
        QCOMPARE(updated.value()
                     .value(QStringLiteral("inputs"))
                     .toObject()
                     .value(QStringLiteral("password"))
                     .toString(),
                 kAsk);
        auto copy = await(m_engine->controller().credentials().copy(QStringLiteral("Prod SSH")));
        QVERIFY2(copy.ok(), qPrintable(copy.error()));
        QCOMPARE(copy.value().value(QStringLiteral("name")).toString(), QStringLiteral("Prod SSH (copy)"));
        auto secrets = await(m_engine->controller().credentials().secrets(
            copy.value().value(QStringLiteral("id")).toInteger()));
        QVERIFY2(secrets.ok(), qPrintable(secrets.error()));
        QCOMPARE(secrets.value().value(QStringLiteral("become_password")), QStringLiteral("new-b3come"));
        QVERIFY(!secrets.value().contains(QStringLiteral("password")));
        auto removed = await(m_engine->controller().credentials().remove(QStringLiteral("Prod SSH (copy)")));
        QVERIFY2(removed.ok(), qPrintable(removed.error()));
        const QString key = CredentialService::keychainEntry(
            m_engine
                ->scalar(QStringLiteral("SELECT keychain_key::text FROM credential WHERE name = 'Prod SSH'"))
                .toString(),
            QStringLiteral("become_password"));
        auto original = await(m_engine->engine().secrets().read({key}));
        QVERIFY(original.ok() && original.value().value(key) == QStringLiteral("new-b3come"));
    }

    void templatesCheckWhatTheyReferTo() {
        ResourceService &resources = m_engine->controller().resources();
        auto missingDir = await(resources.create(
            ResourceKind::Project, {{QStringLiteral("name"), QStringLiteral("Nowhere")},
                                    {QStringLiteral("local_path"), QStringLiteral("/nonexistent/dir")}}));
        QVERIFY(missingDir.error().contains(QLatin1String("/nonexistent/dir does not exist")));
        auto project =
            await(resources.create(ResourceKind::Project, {{QStringLiteral("name"), QStringLiteral("Mine")},
                                                           {QStringLiteral("local_path"), m_projectDir}}));
        QVERIFY2(project.ok(), qPrintable(project.error()));

        QJsonObject t{{QStringLiteral("name"), QStringLiteral("Site")},
                      {QStringLiteral("project"), QStringLiteral("Mine")},
                      {QStringLiteral("playbook"), QStringLiteral("missing.yml")},
                      {QStringLiteral("inventory"), QStringLiteral("Demo Inventory")},
                      {QStringLiteral("credentials"), QStringLiteral("Prod SSH")}};
        auto wrongPlaybook = await(resources.create(ResourceKind::JobTemplate, t));
        QVERIFY2(wrongPlaybook.error().contains(QLatin1String("Its playbooks: site.yml")),
                 qPrintable(wrongPlaybook.error()));
        t.insert(QStringLiteral("playbook"), QStringLiteral("site.yml"));
        t.insert(QStringLiteral("inventory"), QStringLiteral("Nope"));
        QVERIFY(await(resources.create(ResourceKind::JobTemplate, t))
                    .error()
                    .contains(QLatin1String("no inventory named \"Nope\"")));
        t.insert(QStringLiteral("inventory"), QStringLiteral("Demo Inventory"));
        auto created = await(resources.create(ResourceKind::JobTemplate, t));
        QVERIFY2(created.ok(), qPrintable(created.error()));
        QCOMPARE(created.value().value(QStringLiteral("credentials")).toArray(),
                 QJsonArray{QStringLiteral("Prod SSH")});
        QVERIFY(await(resources.create(ResourceKind::JobTemplate, t))
                    .error()
                    .contains(QLatin1String("already a job template named \"Site\"")));

        // Deleting what is in use says what uses it; the template goes first, then the project can.
        auto inUse = await(resources.remove(ResourceKind::Project, QStringLiteral("Mine")));
        QVERIFY2(inUse.error().contains(QLatin1String("in use by job template \"Site\"")),
                 qPrintable(inUse.error()));
        auto credentialInUse = await(m_engine->controller().credentials().remove(QStringLiteral("Prod SSH")));
        QVERIFY(credentialInUse.error().contains(QLatin1String("job template \"Site\"")));
        auto copied = await(resources.copy(ResourceKind::JobTemplate, QStringLiteral("Site")));
        QVERIFY2(copied.ok(), qPrintable(copied.error()));
        QCOMPARE(copied.value().value(QStringLiteral("name")).toString(), QStringLiteral("Site (copy)"));
        QVERIFY(await(resources.remove(ResourceKind::JobTemplate, QStringLiteral("Site (copy)"))).ok());
    }

    void theCommandLineSpeaksAwxsFieldNamesAndJson() {
        const QString dir = m_engine->dataDir();
        auto made = runPlaydeck(dir, {QStringLiteral("inventory"), QStringLiteral("create"),
                                      QStringLiteral("Lab"), QStringLiteral("--variables"),
                                      QStringLiteral("ntp: pool.ntp.org"), QStringLiteral("--json")});
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        const QJsonObject inventory = QJsonDocument::fromJson(made.out.toUtf8()).object();
        QCOMPARE(inventory.value(QStringLiteral("type")).toString(), QStringLiteral("inventory"));
        QVERIFY(
            inventory.value(QStringLiteral("variables")).toString().contains(QLatin1String("pool.ntp.org")));

        auto changed =
            runPlaydeck(dir, {QStringLiteral("template"), QStringLiteral("update"), QStringLiteral("Site"),
                              QStringLiteral("--ask-limit-on-launch"), QStringLiteral("true"),
                              QStringLiteral("--verbosity"), QStringLiteral("2")});
        QVERIFY2(changed.exitCode == 0, qPrintable(changed.err));
        auto shown = runPlaydeck(dir, {QStringLiteral("template"), QStringLiteral("show"),
                                       QStringLiteral("Site"), QStringLiteral("--json")});
        const QJsonObject t = QJsonDocument::fromJson(shown.out.toUtf8()).object();
        QCOMPARE(t.value(QStringLiteral("ask_limit_on_launch")).toBool(), true);
        QCOMPARE(t.value(QStringLiteral("verbosity")).toInteger(), 2);

        auto bad =
            runPlaydeck(dir, {QStringLiteral("template"), QStringLiteral("update"), QStringLiteral("Site"),
                              QStringLiteral("--forks"), QStringLiteral("many")});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains(QLatin1String("forks must be a whole number")), qPrintable(bad.err));

        auto list =
            runPlaydeck(dir, {QStringLiteral("project"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY2(list.exitCode == 0, qPrintable(list.err));
        QStringList names;
        for (const QJsonValue &p : QJsonDocument::fromJson(list.out.toUtf8()).array())
            names << p.toObject().value(QStringLiteral("name")).toString();
        QCOMPARE(names, (QStringList{QStringLiteral("Demo Project"), QStringLiteral("Mine")}));

        // A secret is read from a file; on the command line there is no place for one.
        QFile pw(dir + QStringLiteral("/vault-pass"));
        QVERIFY(pw.open(QIODevice::WriteOnly));
        pw.write(kPassword.toUtf8() + "\n");
        pw.close();
        auto vault = runPlaydeck(
            dir, {QStringLiteral("credential"), QStringLiteral("create"), QStringLiteral("Vault Prod"),
                  QStringLiteral("--kind"), QStringLiteral("vault"), QStringLiteral("--vault_id"),
                  QStringLiteral("prod"), QStringLiteral("--vault_password_file"), pw.fileName()});
        QVERIFY2(vault.exitCode == 0, qPrintable(vault.err));
        const qint64 id =
            m_engine->scalar(QStringLiteral("SELECT id FROM credential WHERE name = 'Vault Prod'"))
                .toLongLong();
        auto secrets = await(m_engine->controller().credentials().secrets(id));
        QVERIFY2(secrets.ok(), qPrintable(secrets.error()));
        QCOMPARE(secrets.value().value(QStringLiteral("vault_password")), kPassword); // without the newline
        auto inline_ =
            runPlaydeck(dir, {QStringLiteral("credential"), QStringLiteral("create"), QStringLiteral("X"),
                              QStringLiteral("--kind"), QStringLiteral("vault"),
                              QStringLiteral("--vault_password"), QStringLiteral("hunter2")});
        QCOMPARE(inline_.exitCode, 2);
        QVERIFY(!m_engine->databaseDump().contains("hunter2"));
    }

    void withoutASecretServiceNothingIsStoredAndTheOperatorIsTold() {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/bus"));
        env.remove(QStringLiteral("DISPLAY"));
        QFile pw(m_engine->dataDir() + QStringLiteral("/pw2"));
        QVERIFY(pw.open(QIODevice::WriteOnly));
        pw.write("no-keychain-pass\n");
        pw.close();
        auto r = runPlaydeck(m_engine->dataDir(),
                             {QStringLiteral("credential"), QStringLiteral("create"),
                              QStringLiteral("Homeless"), QStringLiteral("--kind"), QStringLiteral("ssh"),
                              QStringLiteral("--password_file"), pw.fileName()},
                             60000, env);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("desktop keychain")) &&
                     r.err.contains(QLatin1String("gnome-keyring")) &&
                     r.err.contains(QLatin1String("Nothing was stored")),
                 qPrintable(r.err));
        QCOMPARE(m_engine->scalar(QStringLiteral("SELECT count(*) FROM credential WHERE name = 'Homeless'"))
                     .toInt(),
                 0);
        QVERIFY(!m_engine->databaseDump().contains("no-keychain-pass"));
        // Nothing to keep in a keychain: fine without one.
        auto ask =
            runPlaydeck(m_engine->dataDir(),
                        {QStringLiteral("credential"), QStringLiteral("create"), QStringLiteral("Asks"),
                         QStringLiteral("--kind"), QStringLiteral("ssh"), QStringLiteral("--username"),
                         QStringLiteral("me"), QStringLiteral("--password_ask")},
                        60000, env);
        QVERIFY2(ask.exitCode == 0, qPrintable(ask.err));
    }

    void importedGroupsNestAndJobsSeeTheirVariables() {
        QFile ini(m_engine->dataDir() + QStringLiteral("/lab.ini"));
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write("[web]\nweb1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"
                  "[dc1:children]\nweb\n[dc1:vars]\nntp=pool.example.org\n[all:vars]\nenv=lab\n");
        ini.close();
        auto imported = await(m_engine->controller().inventories().importFile(QStringLiteral("Lab"),
                                                                              ini.fileName(), false, false));
        QVERIFY2(imported.ok(), qPrintable(imported.error()));
        QCOMPARE(imported.value().hostsAdded, 1);
        QCOMPARE(imported.value().groupsAdded, 2);
        // A second host by hand, next to the imported one.
        QCOMPARE(m_engine
                     ->scalar(QStringLiteral(
                         "INSERT INTO host (inventory_id, name, variables) SELECT id, 'local2',"
                         " '{\"ansible_connection\": \"local\", \"ansible_python_interpreter\":"
                         " \"/usr/bin/python3\"}' FROM inventory WHERE name = 'Lab' RETURNING 1"))
                     .toInt(),
                 1);
        QFile playbook(m_projectDir + QStringLiteral("/ntp.yml"));
        QVERIFY(playbook.open(QIODevice::WriteOnly));
        playbook.write("- hosts: dc1\n  gather_facts: false\n  tasks:\n    - debug:\n        msg: \"ntp={{ "
                       "ntp }} env={{ env }}\"\n");
        playbook.close();
        auto t = await(m_engine->controller().resources().create(
            ResourceKind::JobTemplate, {{QStringLiteral("name"), QStringLiteral("NTP")},
                                        {QStringLiteral("project"), QStringLiteral("Mine")},
                                        {QStringLiteral("playbook"), QStringLiteral("ntp.yml")},
                                        {QStringLiteral("inventory"), QStringLiteral("Lab")}}));
        QVERIFY2(t.ok(), qPrintable(t.error()));
        const qint64 job = m_engine->launch(QStringLiteral("NTP"));
        QVERIFY(job > 0);
        QCOMPARE(m_engine->waitForFinished(job), JobStatus::Successful);
        const QString out =
            m_engine
                ->scalar(QStringLiteral("SELECT string_agg(stdout, '') FROM job_event WHERE job_id = ?"),
                         {job})
                .toString();
        QVERIFY2(out.contains(QLatin1String("ntp=pool.example.org env=lab")), qPrintable(out));
        QVERIFY(!out.contains(QLatin1String("local2"))); // not in dc1

        // A broken file changes nothing and says why.
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write("[web\nfoo");
        ini.close();
        auto broken = await(m_engine->controller().inventories().importFile(QStringLiteral("Lab"),
                                                                            ini.fileName(), true, false));
        QVERIFY(!broken.ok());
        QVERIFY2(broken.error().contains(QLatin1String("failed to parse")), qPrintable(broken.error()));
        QCOMPARE(m_engine
                     ->scalar(QStringLiteral(
                         "SELECT count(*) FROM host h JOIN inventory i ON i.id = h.inventory_id"
                         " WHERE i.name = 'Lab'"))
                     .toInt(),
                 2);
    }

    void listsHearOfChangesMadeByAnotherProcess() {
        QSignalSpy changed(&m_engine->controller(), &Controller::resourcesChanged);
        auto r = runPlaydeck(m_engine->dataDir(),
                             {QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("Other"),
                              QStringLiteral("--local_path"), m_projectDir});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QTRY_VERIFY(std::any_of(changed.begin(), changed.end(), [](const QList<QVariant> &signal) {
            return signal.constFirst().value<ResourceKind>() == ResourceKind::Project;
        }));
    }

private:
    std::unique_ptr<TestEngine> m_engine;
    QString m_projectDir;
};

QTEST_GUILESS_MAIN(ResourcesTest)
#include "tst_resources.moc"

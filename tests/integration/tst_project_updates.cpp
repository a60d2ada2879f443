// A git project as an operator uses one: a repository (a bare one made here), updates that are jobs
// of their own, revisions that jobs record, and a failed update that leaves the last good tree.

#include "Processes.h"
#include "TestEngine.h"

#include "services/CredentialService.h"
#include "services/JobService.h"
#include "services/ResourceService.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTest>
#include <QUrl>

using namespace playdeck;
using playdeck::test::await;
using playdeck::test::git;
using playdeck::test::runPlaydeck;
using playdeck::test::TestEngine;

namespace {

void writeFile(const QString &path, const QByteArray &text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

} // namespace

class ProjectUpdatesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        m_engine = std::make_unique<TestEngine>();
        QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
        m_work = m_engine->dataDir() + QStringLiteral("/work");
        m_bare = m_engine->dataDir() + QStringLiteral("/repo.git");
        QDir().mkpath(m_work);
        git(m_work,
            {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("main")});
        writeFile(m_work + QStringLiteral("/site.yml"),
                  "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug:\n        msg: version one\n");
        git(m_work, {QStringLiteral("add"), QStringLiteral(".")});
        git(m_work, {QStringLiteral("commit"), QStringLiteral("-qm"), QStringLiteral("one")});
        git(m_engine->dataDir(),
            {QStringLiteral("clone"), QStringLiteral("-q"), QStringLiteral("--bare"), m_work, m_bare});
        git(m_work, {QStringLiteral("remote"), QStringLiteral("add"), QStringLiteral("origin"), m_bare});
    }
    void cleanupTestCase() { m_engine.reset(); }

    void aNewGitProjectIsFetchedAndItsJobsRecordTheRevision() {
        auto created = await(m_engine->controller().resources().create(
            ResourceKind::Project, {{QStringLiteral("name"), QStringLiteral("Web")},
                                    {QStringLiteral("scm_type"), QStringLiteral("git")},
                                    {QStringLiteral("scm_url"), m_bare}}));
        QVERIFY2(created.ok(), qPrintable(created.error()));
        const qint64 update =
            m_engine->scalar(QStringLiteral("SELECT max(id) FROM unified_job WHERE kind = 'project_update'"))
                .toLongLong();
        QVERIFY(update > 0);
        QCOMPARE(m_engine->waitForFinished(update), JobStatus::Successful);
        const QString revision = git(m_work, {QStringLiteral("rev-parse"), QStringLiteral("HEAD")});
        QCOMPARE(m_engine->scalar(QStringLiteral("SELECT scm_revision FROM project WHERE name = 'Web'"))
                     .toString(),
                 revision);
        QCOMPARE(
            m_engine->scalar(QStringLiteral("SELECT scm_revision FROM unified_job WHERE id = ?"), {update})
                .toString(),
            revision);
        const QString tree =
            m_engine->scalar(QStringLiteral("SELECT checkout_path FROM project WHERE name = 'Web'"))
                .toString();
        QVERIFY2(tree.endsWith(revision), qPrintable(tree));
        QVERIFY(QFile::exists(tree + QStringLiteral("/site.yml")));
        QVERIFY(!QFile::exists(tree + QStringLiteral("/.git")));
        // Its output is a job's: events and stdout.
        QVERIFY(m_engine
                    ->scalar(QStringLiteral("SELECT count(*) FROM job_event WHERE job_id = ? AND task = "
                                            "'Update the git checkout'"),
                             {update})
                    .toInt() > 0);

        auto t = await(m_engine->controller().resources().create(
            ResourceKind::JobTemplate, {{QStringLiteral("name"), QStringLiteral("Site")},
                                        {QStringLiteral("project"), QStringLiteral("Web")},
                                        {QStringLiteral("playbook"), QStringLiteral("site.yml")},
                                        {QStringLiteral("inventory"), QStringLiteral("Demo Inventory")}}));
        QVERIFY2(t.ok(), qPrintable(t.error()));
        const qint64 job = m_engine->launch(QStringLiteral("Site"));
        QCOMPARE(m_engine->waitForFinished(job), JobStatus::Successful);
        QCOMPARE(m_engine->scalar(QStringLiteral("SELECT scm_revision FROM unified_job WHERE id = ?"), {job})
                     .toString(),
                 revision);
        m_firstRevision = revision;
        m_firstJob = job;
    }

    void aNewCommitGetsATreeOfItsOwnAndTheOldOneStays() {
        writeFile(m_work + QStringLiteral("/site.yml"),
                  "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug:\n        msg: version two\n");
        git(m_work, {QStringLiteral("commit"), QStringLiteral("-qam"), QStringLiteral("two")});
        git(m_work,
            {QStringLiteral("push"), QStringLiteral("-q"), QStringLiteral("origin"), QStringLiteral("main")});
        // The command line, as an operator would.
        auto sync = runPlaydeck(m_engine->dataDir(),
                                {QStringLiteral("project"), QStringLiteral("sync"), QStringLiteral("Web")});
        QVERIFY2(sync.exitCode == 0, qPrintable(sync.err));
        const QString revision = git(m_work, {QStringLiteral("rev-parse"), QStringLiteral("HEAD")});
        QTRY_COMPARE_WITH_TIMEOUT(
            m_engine->scalar(QStringLiteral("SELECT scm_revision FROM project WHERE name = 'Web'"))
                .toString(),
            revision, 30000);
        const QString revisions =
            m_engine->dataDir() +
            QStringLiteral("/projects/_%1/revisions")
                .arg(m_engine->scalar(QStringLiteral("SELECT id FROM project WHERE name = 'Web'"))
                         .toLongLong());
        QVERIFY(QFile::exists(revisions + QLatin1Char('/') + m_firstRevision + QStringLiteral("/site.yml")));
        QVERIFY(QFile::exists(revisions + QLatin1Char('/') + revision + QStringLiteral("/site.yml")));
        const qint64 job = m_engine->launch(QStringLiteral("Site"));
        QCOMPARE(m_engine->waitForFinished(job), JobStatus::Successful);
        QVERIFY(m_engine
                    ->scalar(QStringLiteral("SELECT string_agg(stdout, '') FROM job_event WHERE job_id = ?"),
                             {job})
                    .toString()
                    .contains(QLatin1String("version two")));
        m_secondRevision = revision;
    }

    void anExactReplayRunsTheRevisionTheJobRan() {
        // The project has moved on to version two; the first job's replay still runs version one.
        auto replay = await(m_engine->controller().jobs().relaunch(m_firstJob, RelaunchMode::Exact));
        QVERIFY2(replay.ok(), qPrintable(replay.error()));
        QCOMPARE(m_engine->waitForFinished(replay.value()), JobStatus::Successful);
        QCOMPARE(m_engine
                     ->scalar(QStringLiteral("SELECT scm_revision FROM unified_job WHERE id = ?"),
                              {replay.value()})
                     .toString(),
                 m_firstRevision);
        const QString out =
            m_engine
                ->scalar(QStringLiteral("SELECT string_agg(stdout, '') FROM job_event WHERE job_id = ?"),
                         {replay.value()})
                .toString();
        QVERIFY2(out.contains(QLatin1String("version one")), qPrintable(out));
        // A relaunch with the same prompts takes the project as it is now.
        auto same = await(m_engine->controller().jobs().relaunch(m_firstJob));
        QVERIFY2(same.ok(), qPrintable(same.error()));
        QCOMPARE(m_engine->waitForFinished(same.value()), JobStatus::Successful);
        QCOMPARE(
            m_engine
                ->scalar(QStringLiteral("SELECT scm_revision FROM unified_job WHERE id = ?"), {same.value()})
                .toString(),
            m_secondRevision);
    }

    void aFailedUpdateSaysWhyAndJobsKeepTheLastGoodRevision() {
        auto changed = await(m_engine->controller().resources().update(
            ResourceKind::Project, QStringLiteral("Web"),
            {{QStringLiteral("scm_url"), QString(m_bare + QStringLiteral("-gone"))}}));
        QVERIFY2(changed.ok(), qPrintable(changed.error()));
        const qint64 update =
            m_engine->scalar(QStringLiteral("SELECT max(id) FROM unified_job WHERE kind = 'project_update'"))
                .toLongLong();
        QCOMPARE(m_engine->waitForFinished(update), JobStatus::Failed);
        QVERIFY2(
            m_engine->scalar(QStringLiteral("SELECT job_explanation FROM unified_job WHERE id = ?"), {update})
                .toString()
                .contains(QLatin1String("Update the git checkout")),
            qPrintable(
                m_engine
                    ->scalar(QStringLiteral("SELECT job_explanation FROM unified_job WHERE id = ?"), {update})
                    .toString()));
        QCOMPARE(m_engine->scalar(QStringLiteral("SELECT scm_revision FROM project WHERE name = 'Web'"))
                     .toString(),
                 m_secondRevision);
        const qint64 job = m_engine->launch(QStringLiteral("Site"));
        QCOMPARE(m_engine->waitForFinished(job), JobStatus::Successful);
        QCOMPARE(m_engine->scalar(QStringLiteral("SELECT scm_revision FROM unified_job WHERE id = ?"), {job})
                     .toString(),
                 m_secondRevision);
    }

    void aSourceControlCredentialsSecretsNeverShow() {
        // No network here: an https URL that cannot resolve fails, and says so without the password.
        const QString password = QStringLiteral("scm-Pass-%1@x").arg(QCoreApplication::applicationPid());
        auto credential = await(m_engine->controller().credentials().create(
            {{QStringLiteral("name"), QStringLiteral("Git account")},
             {QStringLiteral("kind"), QStringLiteral("scm")},
             {QStringLiteral("inputs"), QJsonObject{{QStringLiteral("username"), QStringLiteral("robot")}}}},
            {{QStringLiteral("password"), password}}));
        QVERIFY2(credential.ok(), qPrintable(credential.error()));
        auto created = await(m_engine->controller().resources().create(
            ResourceKind::Project,
            {{QStringLiteral("name"), QStringLiteral("Private")},
             {QStringLiteral("scm_type"), QStringLiteral("git")},
             {QStringLiteral("scm_url"), QStringLiteral("https://git.invalid/org/private.git")},
             {QStringLiteral("credential"), QStringLiteral("Git account")}}));
        QVERIFY2(created.ok(), qPrintable(created.error()));
        const qint64 update =
            m_engine->scalar(QStringLiteral("SELECT max(id) FROM unified_job WHERE kind = 'project_update'"))
                .toLongLong();
        QCOMPARE(m_engine->waitForFinished(update, 120000), JobStatus::Failed);
        const QByteArray dump = m_engine->databaseDump();
        QVERIFY(!dump.contains(password.toUtf8()));
        QVERIFY(!dump.contains(QUrl::toPercentEncoding(password)));
        // The account went along: git was asked for robot's repository.
        const QString out =
            m_engine
                ->scalar(QStringLiteral("SELECT string_agg(stdout, '') FROM job_event WHERE job_id = ?"),
                         {update})
                .toString();
        QVERIFY2(out.contains(QLatin1String("git.invalid")), qPrintable(out));

        // With a file URL the account is not used, and the update works as before.
        auto local = await(m_engine->controller().resources().update(
            ResourceKind::Project, QStringLiteral("Private"), {{QStringLiteral("scm_url"), m_bare}}));
        QVERIFY2(local.ok(), qPrintable(local.error()));
        const qint64 second =
            m_engine->scalar(QStringLiteral("SELECT max(id) FROM unified_job WHERE kind = 'project_update'"))
                .toLongLong();
        QVERIFY(second > update);
        QCOMPARE(m_engine->waitForFinished(second), JobStatus::Successful);
    }

    void aSourceControlKeyGoesToTheAgentAndNowhereElse() {
        // A real key with a passphrase: the runner's ssh-agent takes it (the passphrase answered from
        // env/passwords), git's ssh would use it, and neither is in the database or the output.
        const QString keyFile = m_engine->dataDir() + QStringLiteral("/scm_key");
        const QString passphrase = QStringLiteral("key-Phrase-%1").arg(QCoreApplication::applicationPid());
        QProcess keygen;
        keygen.start(QStringLiteral("ssh-keygen"),
                     {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                      QStringLiteral("-N"), passphrase, QStringLiteral("-f"), keyFile});
        QVERIFY(keygen.waitForFinished(30000) && keygen.exitCode() == 0);
        QFile key(keyFile);
        QVERIFY(key.open(QIODevice::ReadOnly));
        const QByteArray keyText = key.readAll();
        auto credential = await(m_engine->controller().credentials().create(
            {{QStringLiteral("name"), QStringLiteral("Git key")},
             {QStringLiteral("kind"), QStringLiteral("scm")}},
            {{QStringLiteral("ssh_key_data"), QString::fromUtf8(keyText)},
             {QStringLiteral("ssh_key_unlock"), passphrase}}));
        QVERIFY2(credential.ok(), qPrintable(credential.error()));
        auto changed = await(m_engine->controller().resources().update(
            ResourceKind::Project, QStringLiteral("Private"),
            {{QStringLiteral("credential"), QStringLiteral("Git key")}}));
        QVERIFY2(changed.ok(), qPrintable(changed.error()));
        auto update = await(m_engine->controller().jobs().updateProject(QStringLiteral("Private")));
        QVERIFY2(update.ok(), qPrintable(update.error()));
        QCOMPARE(m_engine->waitForFinished(update.value()), JobStatus::Successful);
        const QByteArray dump = m_engine->databaseDump();
        QVERIFY(!dump.contains(passphrase.toUtf8()));
        // The key's body, without its armour lines: no line of it anywhere.
        for (const QByteArray &line : keyText.split('\n'))
            if (line.size() > 20 && !line.startsWith("-----"))
                QVERIFY2(!dump.contains(line), line.constData());
    }

    void aLocalProjectHasNothingToUpdate() {
        auto r = await(m_engine->controller().jobs().updateProject(QStringLiteral("Demo Project")));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().contains(QLatin1String("nothing to update")), qPrintable(r.error()));
    }

private:
    std::unique_ptr<TestEngine> m_engine;
    QString m_work, m_bare, m_firstRevision, m_secondRevision;
    qint64 m_firstJob = 0;
};

QTEST_GUILESS_MAIN(ProjectUpdatesTest)
#include "tst_project_updates.moc"

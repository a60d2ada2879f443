// Nothing outlives its job, and nothing outlives Playdeck (issue 5, defects 3, 4, 11, 12): the
// process that runs a job dies in any way (terminal closed, SIGKILL, SIGSTOP for longer than the
// grace period) and the job's whole process tree goes with it; the embedded server goes with the last
// Playdeck process; whoever is left takes over the server; a follower always ends.

#include "Processes.h"
#include "TestEngine.h"

#include "db/DbPool.h"
#include "db/EmbeddedCluster.h"
#include "services/JobService.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/stat.h>

using namespace playdeck;
using playdeck::test::TestEngine;

namespace {

// A sleep no other test uses, so that its processes can be found in /proc.
const QByteArray kToken = "sleep 3141";
const QString kLong = QStringLiteral("- hosts: all\n  gather_facts: false\n  tasks:\n"
                                     "    - name: Sleep\n      command: sleep 3141\n");
const QString kNap = QStringLiteral("- hosts: all\n  gather_facts: false\n  tasks:\n"
                                    "    - name: Nap\n      command: sleep 4\n");

QProcessEnvironment fastCluster(int heartbeat = 0, int lostAfter = 0) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PLAYDECK_CLUSTER_FAST"), QStringLiteral("1"));
    if (heartbeat)
        env.insert(QStringLiteral("PLAYDECK_HEARTBEAT_SECONDS"), QString::number(heartbeat));
    if (lostAfter)
        env.insert(QStringLiteral("PLAYDECK_LOST_AFTER_SECONDS"), QString::number(lostAfter));
    return env;
}

void startPlaydeck(QProcess &p, const QString &dataDir, const QStringList &args,
                   const QProcessEnvironment &env = fastCluster()) {
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(PLAYDECK_BINARY), QStringList{QStringLiteral("--data-dir"), dataDir} + args);
}

qint64 pidIn(const QString &file) {
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readLine().trimmed().toLongLong() : 0;
}

int instanceCount(TestEngine &engine) {
    return engine.scalar(QStringLiteral("SELECT count(*) FROM instance")).toInt();
}

QString explanationOf(TestEngine &engine, qint64 id) {
    return engine.scalar(QStringLiteral("SELECT job_explanation FROM unified_job WHERE id = ?"), {id})
        .toString();
}

} // namespace

class ProcessTreeTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cleanup() {
        // A failed test must not leave its playbook behind for the next.
        for (qint64 pid : test::processesWith(kToken))
            ::kill(pid_t(pid), SIGKILL);
    }
    void closingTheTerminalOfLaunchEndsTheJobTreeAndTheServer();
    void sigkillOfTheProcessRunningAJobKillsItsTree();
    void anInstanceThatWakesStopsTheJobsReapedMeanwhile();
    void whenTheSupervisorIsKilledAnAttachedProcessTakesOver();
    void aFollowerEndsAfterItsConnectionsWereKilled();
    void aSingleSigtermEndsAFollower();
    void aSignalWhileTheDatabaseStartsEndsLaunch();
    void theDataDirAndTheLogAreTheUsersOwn();
};

void ProcessTreeTest::closingTheTerminalOfLaunchEndsTheJobTreeAndTheServer() {
    QTemporaryDir dir;
    QString clusterDir;
    {
        TestEngine setup([&](EngineOptions &o) {
            o.dataDir = dir.path();
            o.runJobs = EngineOptions::RunJobs::Never;
        });
        QVERIFY2(setup.ok(), qPrintable(setup.error()));
        QVERIFY(setup.addTemplate(QStringLiteral("Long"), kLong));
        clusterDir = setup.engine().clusterDir();
    }
    const QString pidFile = clusterDir + QStringLiteral("/data/postmaster.pid");
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(pidFile), 20000); // nobody uses it: the supervisor stopped it

    // The only Playdeck process: it starts the server and runs the job itself.
    QProcess launch;
    startPlaydeck(launch, dir.path(),
                  {QStringLiteral("launch"), QStringLiteral("Long"), QStringLiteral("--follow")});
    QVERIFY(launch.waitForStarted());
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += launch.readAllStandardOutput()).contains("TASK [Sleep]"), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!test::processesWith(kToken).isEmpty(), 30000);

    ::kill(pid_t(launch.processId()), SIGHUP); // the terminal was closed
    QVERIFY(launch.waitForFinished(30000));
    QCOMPARE(launch.exitCode(), 128 + SIGHUP);
    // It ended only once the playbook had: nothing of the job runs on.
    QVERIFY(test::processesWith(kToken).isEmpty());
    // ...and the server did not outlive the last Playdeck process.
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(pidFile), 20000);

    TestEngine check([&](EngineOptions &o) {
        o.dataDir = dir.path();
        o.runJobs = EngineOptions::RunJobs::Never;
    });
    QVERIFY2(check.ok(), qPrintable(check.error()));
    const qint64 id = check.scalar(QStringLiteral("SELECT max(id) FROM unified_job")).toLongLong();
    QCOMPARE(check.status(id), JobStatus::Failed);
    QVERIFY2(explanationOf(check, id).contains(QStringLiteral("shutdown")),
             qPrintable(explanationOf(check, id)));
    check.stopEngine();
    test::removeClusterWhenStopped(clusterDir);
}

void ProcessTreeTest::sigkillOfTheProcessRunningAJobKillsItsTree() {
    TestEngine observer([](EngineOptions &o) { o.runJobs = EngineOptions::RunJobs::Never; });
    QVERIFY2(observer.ok(), qPrintable(observer.error()));
    QVERIFY(observer.addTemplate(QStringLiteral("Long"), kLong));
    QProcess serve;
    startPlaydeck(serve, observer.dataDir(), {QStringLiteral("serve")});
    QVERIFY(serve.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(instanceCount(observer), 1, 30000);
    const qint64 id = observer.launch(QStringLiteral("Long"));
    QTRY_VERIFY_WITH_TIMEOUT(!test::processesWith(kToken).isEmpty(), 60000);

    serve.kill(); // SIGKILL: no chance to clean up
    QVERIFY(serve.waitForFinished());
    // Its guard noticed at once and took the playbook with it.
    QTRY_VERIFY_WITH_TIMEOUT(test::processesWith(kToken).isEmpty(), 15000);
    QCOMPARE(observer.status(id), JobStatus::Running);
    QVERIFY(QFileInfo::exists(observer.dataDir() + QStringLiteral("/jobs/%1").arg(id)));

    // Any command that looks at the database settles the dead process's job, not only the next
    // instance that takes work.
    const test::CliRun jobs =
        test::runPlaydeck(observer.dataDir(), {QStringLiteral("jobs")}, 60000, fastCluster());
    QCOMPARE(jobs.exitCode, 0);
    QCOMPARE(observer.status(id), JobStatus::Failed);
    QVERIFY2(explanationOf(observer, id).contains(QStringLiteral("reaped")),
             qPrintable(explanationOf(observer, id)));

    // The next engine that takes work removes the job's leaked private data dir.
    QProcess next;
    startPlaydeck(next, observer.dataDir(), {QStringLiteral("serve")});
    QVERIFY(next.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(observer.dataDir() + QStringLiteral("/jobs/%1").arg(id)),
                             30000);
    next.terminate();
    QVERIFY(next.waitForFinished(30000));
}

void ProcessTreeTest::anInstanceThatWakesStopsTheJobsReapedMeanwhile() {
    // Short heartbeats so that an instance is taken for lost within seconds.
    TestEngine observer([](EngineOptions &o) {
        o.runJobs = EngineOptions::RunJobs::Never;
        o.timing = {1, 3};
    });
    QVERIFY2(observer.ok(), qPrintable(observer.error()));
    QVERIFY(observer.addTemplate(QStringLiteral("Long"), kLong));
    QProcess sleeper;
    startPlaydeck(sleeper, observer.dataDir(), {QStringLiteral("serve")}, fastCluster(1, 3));
    QVERIFY(sleeper.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(instanceCount(observer), 1, 30000);
    const qint64 id = observer.launch(QStringLiteral("Long"));
    QTRY_VERIFY_WITH_TIMEOUT(!test::processesWith(kToken).isEmpty(), 60000);

    QProcess watcher;
    startPlaydeck(watcher, observer.dataDir(), {QStringLiteral("serve")}, fastCluster(1, 3));
    QVERIFY(watcher.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(instanceCount(observer), 2, 30000);

    ::kill(pid_t(sleeper.processId()), SIGSTOP); // a suspended laptop, a frozen process
    QTRY_COMPARE_WITH_TIMEOUT(observer.status(id), JobStatus::Failed, 30000);
    QVERIFY(!test::processesWith(kToken).isEmpty()); // frozen with it, but not gone

    ::kill(pid_t(sleeper.processId()), SIGCONT);
    // Awake, it finds its job reaped and stops the playbook at once.
    QTRY_VERIFY_WITH_TIMEOUT(test::processesWith(kToken).isEmpty(), 20000);
    QCOMPARE(observer.status(id), JobStatus::Failed);

    for (QProcess *p : {&sleeper, &watcher}) {
        p->terminate();
        QVERIFY(p->waitForFinished(30000));
    }
}

void ProcessTreeTest::whenTheSupervisorIsKilledAnAttachedProcessTakesOver() {
    TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    const qint64 supervisor = pidIn(engine.dataDir() + QStringLiteral("/cluster.supervisor.lock"));
    const qint64 server = pidIn(engine.engine().clusterDir() + QStringLiteral("/data/postmaster.pid"));
    QVERIFY(supervisor > 0);
    QVERIFY(server > 0);
    QCOMPARE(::kill(pid_t(supervisor), SIGKILL), 0);
    // The server follows its supervisor (parent-death signal: a fast shutdown)...
    QTRY_VERIFY_WITH_TIMEOUT(!test::isAlive(server), 20000);
    // ...and this process, which only attached to it, has a new one started and carries on.
    QTRY_VERIFY_WITH_TIMEOUT(pidIn(engine.dataDir() + QStringLiteral("/cluster.supervisor.lock")) !=
                                     supervisor &&
                                 engine.scalar(QStringLiteral("SELECT 1")).toInt() == 1,
                             30000);
    QString error;
    qint64 id = 0;
    QTRY_VERIFY_WITH_TIMEOUT((id = engine.launch(QStringLiteral("Demo Job Template"), {}, &error)) > 0,
                             30000);
    QCOMPARE(engine.waitForFinished(id), JobStatus::Successful);
}

void ProcessTreeTest::aFollowerEndsAfterItsConnectionsWereKilled() {
    TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    QVERIFY(engine.addTemplate(QStringLiteral("Nap"), kNap));
    QProcess launch;
    startPlaydeck(launch, engine.dataDir(),
                  {QStringLiteral("launch"), QStringLiteral("Nap"), QStringLiteral("--follow")});
    QVERIFY(launch.waitForStarted());
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += launch.readAllStandardOutput()).contains("TASK [Nap]"), 60000);
    QVERIFY(engine.terminateEngineConnections() > 0); // the follower's own connections too
    QVERIFY(launch.waitForFinished(60000));
    out += launch.readAllStandardOutput();
    QCOMPARE(launch.exitCode(), 0);
    QVERIFY2(out.contains("PLAY RECAP"), out.constData());
}

void ProcessTreeTest::aSingleSigtermEndsAFollower() {
    TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    QVERIFY(engine.addTemplate(QStringLiteral("Long"), kLong));
    QProcess launch;
    startPlaydeck(launch, engine.dataDir(),
                  {QStringLiteral("launch"), QStringLiteral("Long"), QStringLiteral("--follow")});
    QVERIFY(launch.waitForStarted());
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += launch.readAllStandardOutput()).contains("TASK [Sleep]"), 60000);
    const qint64 id = engine.scalar(QStringLiteral("SELECT max(id) FROM unified_job")).toLongLong();
    ::kill(pid_t(launch.processId()), SIGTERM);
    QVERIFY(launch.waitForFinished(20000));
    QCOMPARE(launch.exitCode(), 128 + SIGTERM);
    // The job runs in the engine, not in the follower: it goes on there.
    QCOMPARE(engine.status(id), JobStatus::Running);
    (void)engine.controller().jobs().cancel(id);
    QCOMPARE(engine.waitForFinished(id), JobStatus::Canceled);
}

// A signal that comes while the database is still being created must not be lost: launch ends
// (128 + signal) without launching, instead of running the job once the database is up.
void ProcessTreeTest::aSignalWhileTheDatabaseStartsEndsLaunch() {
    QTemporaryDir dir;
    const QString clusterDir = EmbeddedCluster::clusterDirFor(dir.path());
    QProcess launch;
    startPlaydeck(
        launch, dir.path(),
        {QStringLiteral("launch"), QStringLiteral("Demo Job Template"), QStringLiteral("--follow")});
    QVERIFY(launch.waitForStarted());
    // The cluster directory appears as initdb begins, long before the engine has started.
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(clusterDir), 30000);
    ::kill(pid_t(launch.processId()), SIGTERM);
    QVERIFY(launch.waitForFinished(60000));
    QCOMPARE(launch.exitStatus(), QProcess::NormalExit);
    QCOMPARE(launch.exitCode(), 128 + SIGTERM);

    TestEngine check([&](EngineOptions &o) {
        o.dataDir = dir.path();
        o.runJobs = EngineOptions::RunJobs::Never;
    });
    QVERIFY2(check.ok(), qPrintable(check.error()));
    QCOMPARE(check.scalar(QStringLiteral("SELECT count(*) FROM unified_job")).toInt(), 0); // never launched
    check.stopEngine();
    test::removeClusterWhenStopped(clusterDir);
}

void ProcessTreeTest::theDataDirAndTheLogAreTheUsersOwn() {
    QTemporaryDir dir;
    QFile log(dir.filePath(QStringLiteral("playdeck.log")));
    QVERIFY(log.open(QIODevice::WriteOnly)); // as an earlier version left it: 0644
    log.close();
    QVERIFY(::chmod(QFile::encodeName(log.fileName()).constData(), 0644) == 0);
    QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0);
    const test::CliRun jobs = test::runPlaydeck(dir.path(), {QStringLiteral("jobs")}, 60000, fastCluster());
    QCOMPARE(jobs.exitCode, 0);
    struct stat st {};
    QCOMPARE(::stat(QFile::encodeName(dir.path()).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0700));
    QCOMPARE(::stat(QFile::encodeName(log.fileName()).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0600));
    test::removeClusterWhenStopped(EmbeddedCluster::clusterDirFor(dir.path()));
}

QTEST_GUILESS_MAIN(ProcessTreeTest)
#include "tst_process_tree.moc"

// Bad things that happen to a running job: the database server dies, the Playdeck process running
// the job is killed. Nothing is lost or left hanging.

#include "TestEngine.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <QRegularExpression>
#include <QScopeGuard>

#include <csignal>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace playdeck;
using playdeck::test::TestEngine;

namespace {
const QString kSleep = QStringLiteral("- hosts: all\n  gather_facts: false\n  tasks:\n"
                                      "    - name: Before\n      debug:\n        msg: before\n"
                                      "    - name: Sleep\n      command: sleep {{ seconds }}\n"
                                      "    - name: After\n      debug:\n        msg: after\n");

bool hasEvent(TestEngine &engine, qint64 id, const QString &task) {
    return engine
               .scalar(QStringLiteral(
                           "SELECT count(*) FROM job_event WHERE job_id = ? AND event = 'runner_on_start'"
                           " AND task = ?"),
                       {id, task})
               .toInt() == 1;
}
Status startAndWait(Engine &engine) {
    QSignalSpy startedSpy(&engine, &Engine::started);
    engine.start();
    if (!startedSpy.wait(60000))
        return Status::failure(QStringLiteral("the engine did not report its start within 60 s"));
    return startedSpy.first().first().value<Status>();
}
} // namespace

class ResilienceTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void databaseServerDiesMidJob();
    void processRunningTheJobIsKilled();
    void databaseNewerThanTheBinaryIsRefused();
    void supervisorLeavingAsWeArriveIsReplaced();
};

void ResilienceTest::databaseNewerThanTheBinaryIsRefused() {
    TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    QVERIFY(engine
                .scalar(QStringLiteral(
                    "INSERT INTO schema_migration (version, name) VALUES (9999, 'from the future')"
                    " RETURNING version"))
                .isValid());
    engine.stopEngine();
    EngineOptions options;
    options.dataDir = engine.dataDir();
    Engine second(options);
    const Status started = startAndWait(second);
    QVERIFY(!started);
    QVERIFY2(started.error().contains(QStringLiteral("9999")), qPrintable(started.error()));
    QVERIFY(started.error().contains(QStringLiteral("newer Playdeck")));
}

void ResilienceTest::databaseServerDiesMidJob() {
    TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    QVERIFY(engine.addTemplate(QStringLiteral("Sleepy"), kSleep, QStringLiteral("extra_vars"),
                               {QStringLiteral("seconds: 3")}));
    const qint64 id = engine.launch(QStringLiteral("Sleepy"));
    QTRY_VERIFY_WITH_TIMEOUT(hasEvent(engine, id, QStringLiteral("Sleep")), 30000);

    QFile pidFile(engine.engine().clusterDir() + QStringLiteral("/data/postmaster.pid"));
    QVERIFY(pidFile.open(QIODevice::ReadOnly));
    const pid_t serverPid = pid_t(pidFile.readLine().trimmed().toLongLong());
    QVERIFY(serverPid > 0);
    QCOMPARE(::kill(serverPid, SIGKILL), 0);

    // The engine restarts its server; the job finishes, and every event arrives exactly once.
    QCOMPARE(engine.waitForFinished(id, 60000), JobStatus::Successful);
    const int emitted =
        engine.scalar(QStringLiteral("SELECT emitted_events FROM unified_job WHERE id = ?"), {id}).toInt();
    QVERIFY(emitted > 5);
    QCOMPARE(engine.scalar(QStringLiteral("SELECT count(*) FROM job_event WHERE job_id = ?"), {id}).toInt(),
             emitted);
    QCOMPARE(
        engine.scalar(QStringLiteral("SELECT max(counter) FROM job_event WHERE job_id = ?"), {id}).toInt(),
        emitted);
    QVERIFY(hasEvent(engine, id, QStringLiteral("After")));

    // And it goes on launching.
    const qint64 next = engine.launch(QStringLiteral("Demo Job Template"));
    QCOMPARE(engine.waitForFinished(next), JobStatus::Successful);
}

void ResilienceTest::processRunningTheJobIsKilled() {
    TestEngine engine([](EngineOptions &o) { o.runJobs = EngineOptions::RunJobs::Never; });
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    QVERIFY(engine.addTemplate(QStringLiteral("Sleepy"), kSleep, QStringLiteral("extra_vars"),
                               {QStringLiteral("seconds: 5")}));

    QProcess serve;
    serve.start(QStringLiteral(PLAYDECK_BINARY),
                {QStringLiteral("--data-dir"), engine.dataDir(), QStringLiteral("serve")});
    QVERIFY(serve.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(engine.scalar(QStringLiteral("SELECT count(*) FROM instance")).toInt(), 1,
                              20000);

    const qint64 id = engine.launch(QStringLiteral("Sleepy"));
    QTRY_VERIFY_WITH_TIMEOUT(hasEvent(engine, id, QStringLiteral("Sleep")), 30000);
    serve.kill(); // SIGKILL: no chance to clean up
    QVERIFY(serve.waitForFinished());
    QCOMPARE(engine.status(id), JobStatus::Running);

    // The next Playdeck that takes work sees the dead instance and ends its job with the reason.
    QProcess next;
    next.start(QStringLiteral(PLAYDECK_BINARY),
               {QStringLiteral("--data-dir"), engine.dataDir(), QStringLiteral("serve")});
    QVERIFY(next.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(engine.status(id), JobStatus::Failed, 20000); // as AWX's reaper
    const QString explanation =
        engine.scalar(QStringLiteral("SELECT job_explanation FROM unified_job WHERE id = ?"), {id})
            .toString();
    QVERIFY2(explanation.contains(QStringLiteral("reaped")), qPrintable(explanation));
    // The events stored before the kill are still there.
    QVERIFY(hasEvent(engine, id, QStringLiteral("Before")));

    // The new instance runs new work.
    const qint64 after = engine.launch(QStringLiteral("Demo Job Template"));
    QTRY_COMPARE_WITH_TIMEOUT(engine.status(after), JobStatus::Successful, 60000);
    next.terminate();
    QVERIFY(next.waitForFinished(30000));
}

// A Playdeck process that arrives while the last one's supervisor stops the server finds that
// supervisor still holding its lock, and no server. Once that supervisor has gone, it must start its
// own rather than report that the server did not start (seen in CI: the kernel may release the
// exiting supervisor's users lock before its supervisor lock).
void ResilienceTest::supervisorLeavingAsWeArriveIsReplaced() {
    TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    const QString clusterDir = engine.engine().clusterDir();
    engine.stopEngine();
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(clusterDir + QStringLiteral("/data/postmaster.pid")), 20000);

    // Play the leaving supervisor: hold its lock, with no server.
    const QByteArray lockPath =
        QFile::encodeName(engine.dataDir() + QStringLiteral("/cluster.supervisor.lock"));
    const int lock = ::open(lockPath.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    QVERIFY(lock >= 0);
    auto closeLock = qScopeGuard([lock] { ::close(lock); });
    QTRY_COMPARE_WITH_TIMEOUT(::flock(lock, LOCK_EX | LOCK_NB), 0, 20000); // the real one has gone

    QTest::ignoreMessage(QtInfoMsg,
                         QRegularExpression(QStringLiteral("gone without a server; starting one")));
    EngineOptions options;
    options.dataDir = engine.dataDir();
    Engine second(options);
    QSignalSpy startedSpy(&second, &Engine::started);
    second.start();
    // The engine holds the start lock while it waits on our "supervisor": seen in two polls in a row,
    // it is past its look at the supervisor lock. Now the supervisor goes, without a server.
    const QByteArray startLockPath =
        QFile::encodeName(engine.dataDir() + QStringLiteral("/cluster.start.lock"));
    const auto startLockHeld = [&] {
        const int fd = ::open(startLockPath.constData(), O_RDWR | O_CLOEXEC);
        const bool held = fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) != 0;
        if (fd >= 0)
            ::close(fd);
        return held;
    };
    int heldPolls = 0;
    QTRY_VERIFY_WITH_TIMEOUT((heldPolls = startLockHeld() ? heldPolls + 1 : 0) >= 2, 20000);
    closeLock.dismiss();
    ::close(lock);

    QTRY_VERIFY_WITH_TIMEOUT(!startedSpy.isEmpty(), 60000);
    const Status started = startedSpy.first().first().value<Status>();
    QVERIFY2(started, qPrintable(started.error()));
    QSignalSpy stoppedSpy(&second, &Engine::stopped);
    second.stop();
    QVERIFY(stoppedSpy.wait(60000));
}

QTEST_GUILESS_MAIN(ResilienceTest)
#include "tst_resilience.moc"

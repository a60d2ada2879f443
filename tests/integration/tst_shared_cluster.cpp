// Several Playdeck processes on one data directory share one embedded PostgreSQL: the command line
// works next to a running engine, a job launched from the command line runs on the engine that
// takes work, and the server outlives its starter while others still use it.

#include "Processes.h"
#include "TestEngine.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryFile>
#include <QTest>

#include <libpq-fe.h>

#include <csignal>

using namespace playdeck;
using playdeck::test::TestEngine;

namespace {

using test::runPlaydeck;
using Run = test::CliRun;

} // namespace

class SharedClusterTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void commandLineNextToARunningEngine();
    void ctrlCOnFollowCancelsTheJob();
    void serverOutlivesItsStarter();

private:
    std::unique_ptr<TestEngine> m_engine;
};

void SharedClusterTest::commandLineNextToARunningEngine() {
    m_engine = std::make_unique<TestEngine>();
    QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
    const QString dir = m_engine->dataDir();

    const Run launched = runPlaydeck(
        dir, {QStringLiteral("launch"), QStringLiteral("Demo Job Template"), QStringLiteral("--follow")});
    QVERIFY2(launched.exitCode == 0, qPrintable(launched.err));
    QVERIFY(launched.out.contains(QStringLiteral("Hello World!")));
    // The window/serve process takes work, so the job ran there, not in the command-line process.
    const qint64 id = m_engine->scalar(QStringLiteral("SELECT max(id) FROM unified_job")).toLongLong();
    QCOMPARE(m_engine->scalar(QStringLiteral("SELECT execution_node FROM unified_job WHERE id = ?"), {id})
                 .toString(),
             m_engine->engine().instance().hostname);

    const Run jobs = runPlaydeck(dir, {QStringLiteral("jobs")});
    QCOMPARE(jobs.exitCode, 0);
    QVERIFY2(jobs.out.startsWith(QString::number(id) + QLatin1Char('\t')), qPrintable(jobs.out));
    QVERIFY(jobs.out.contains(QStringLiteral("successful")));

    const Run stdoutRun = runPlaydeck(dir, {QStringLiteral("stdout"), QString::number(id)});
    QCOMPARE(stdoutRun.exitCode, 0);
    QVERIFY(stdoutRun.out.contains(QStringLiteral("Hello World!")));

    const Run events =
        runPlaydeck(dir, {QStringLiteral("events"), QString::number(id), QStringLiteral("--json")});
    QCOMPARE(events.exitCode, 0);
    const QStringList lines = events.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY(lines.size() >= 5);
    QVERIFY(lines.first().contains(QStringLiteral("\"event\":\"playbook_on_start\"")));
    QVERIFY(lines.last().contains(QStringLiteral("\"event\":\"playbook_on_stats\"")));

    const Run refused = runPlaydeck(dir, {QStringLiteral("launch"), QStringLiteral("Demo Job Template"),
                                          QStringLiteral("--extra-vars"), QStringLiteral("{not: [valid")});
    QCOMPARE(refused.exitCode, 2);
    // 14 bytes that used to crash the process (a self-referencing alias) are refused in words.
    QTemporaryFile bomb;
    QVERIFY(bomb.open());
    bomb.write("a: &x [1, *x]\n");
    bomb.close();
    const Run recursive =
        runPlaydeck(dir, {QStringLiteral("launch"), QStringLiteral("Demo Job Template"),
                          QStringLiteral("--extra-vars"), QLatin1Char('@') + bomb.fileName()});
    QCOMPARE(recursive.exitCode, 2);
    QVERIFY2(recursive.err.contains(QStringLiteral("alias")), qPrintable(recursive.err));
    QVERIFY(refused.err.contains(QStringLiteral("xtra variables")));
    QCOMPARE(m_engine->scalar(QStringLiteral("SELECT max(id) FROM unified_job")).toLongLong(), id);
}

void SharedClusterTest::ctrlCOnFollowCancelsTheJob() {
    QVERIFY(m_engine);
    QVERIFY(m_engine->addTemplate(QStringLiteral("Long Sleep"),
                                  QStringLiteral("- hosts: all\n  gather_facts: false\n  tasks:\n"
                                                 "    - name: Sleep\n      command: sleep 60\n")));
    QProcess launch;
    launch.start(QStringLiteral(PLAYDECK_BINARY),
                 {QStringLiteral("--data-dir"), m_engine->dataDir(), QStringLiteral("launch"),
                  QStringLiteral("Long Sleep"), QStringLiteral("--follow")});
    QVERIFY(launch.waitForStarted());
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += launch.readAllStandardOutput()).contains("TASK [Sleep]"), 30000);
    const qint64 id = m_engine->scalar(QStringLiteral("SELECT max(id) FROM unified_job")).toLongLong();
    ::kill(pid_t(launch.processId()), SIGINT);
    QVERIFY(launch.waitForFinished(15000));
    QCOMPARE(launch.exitCode(), 1);
    QCOMPARE(m_engine->status(id), JobStatus::Canceled);
}

void SharedClusterTest::serverOutlivesItsStarter() {
    QVERIFY(m_engine);
    const QString dir = m_engine->dataDir();
    const QString socketDir = m_engine->engine().socketDir();
    const QString pidFile = m_engine->engine().clusterDir() + QStringLiteral("/data/postmaster.pid");

    QProcess serve;
    serve.start(QStringLiteral(PLAYDECK_BINARY),
                {QStringLiteral("--data-dir"), dir, QStringLiteral("serve")});
    QVERIFY(serve.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(m_engine->scalar(QStringLiteral("SELECT count(*) FROM instance")).toInt(), 2,
                              20000);

    // The process that started the server leaves first.
    m_engine->stopEngine();
    QVERIFY(QFile::exists(pidFile));

    const Run launched = runPlaydeck(
        dir, {QStringLiteral("launch"), QStringLiteral("Demo Job Template"), QStringLiteral("--follow")});
    QVERIFY2(launched.exitCode == 0, qPrintable(launched.err));
    QVERIFY(launched.out.contains(QStringLiteral("Hello World!")));

    // The last user stops the server.
    serve.terminate();
    QVERIFY(serve.waitForFinished(30000));
    QCOMPARE(serve.exitCode(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(pidFile), 15000);
    const QByteArray conninfo = "host=" + QFile::encodeName(socketDir) + " dbname=postgres user=playdeck";
    QCOMPARE(PQping(conninfo.constData()), PQPING_NO_RESPONSE);
    m_engine.reset();
}

QTEST_GUILESS_MAIN(SharedClusterTest)
#include "tst_shared_cluster.moc"

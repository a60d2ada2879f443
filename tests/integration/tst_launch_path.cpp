// The critical path end to end: launch → task manager → dispatcher → ansible-runner worker →
// events in PostgreSQL. Real PostgreSQL (Playdeck's embedded cluster), real ansible-runner.

#include "TestEngine.h"

#include "db/Connections.h"
#include "db/DbPool.h"
#include "services/JobService.h"
#include "store/EventStore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace playdeck;
using playdeck::test::TestEngine;

namespace {

const QString kFailing = QStringLiteral("- hosts: all\n  gather_facts: false\n  tasks:\n"
                                        "    - name: Fail on purpose\n      fail:\n        msg: boom\n");
const QString kSyntaxError =
    QStringLiteral("- hosts: all\n  tasks:\n    - name: broken\n      debug: [unclosed\n");
const QString kSleep =
    QStringLiteral("- hosts: all\n  gather_facts: false\n  tasks:\n"
                   "    - name: Sleep\n      command: sleep {{ seconds | default(60) }}\n");
const QString kPrompt =
    QStringLiteral("- hosts: all\n  gather_facts: false\n  vars_prompt:\n"
                   "    - name: username\n      prompt: What is your name?\n      private: false\n"
                   "  tasks:\n    - debug:\n        msg: \"hi {{ username }}\"\n");
const QString kPause =
    QStringLiteral("- hosts: all\n  gather_facts: false\n  tasks:\n"
                   "    - name: Ask\n      pause:\n        prompt: Press enter to continue\n");
const QString kEcho =
    QStringLiteral("- hosts: all\n  gather_facts: false\n  tasks:\n"
                   "    - name: Echo\n      debug:\n        msg: \"value={{ greeting }}\"\n");

qint64 parentOf(qint64 pid) {
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = stat.readAll();
    return text.mid(text.lastIndexOf(')') + 2).split(' ').value(1).toLongLong();
}

// The `ansible-runner worker` processes under this test process (behind their playdeck-helper).
QList<qint64> runnerPids() {
    QList<qint64> pids;
    const qint64 self = QCoreApplication::applicationPid();
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(entry));
        if (!cmdline.open(QIODevice::ReadOnly))
            continue;
        const QByteArray command = cmdline.readAll();
        if (!command.contains("ansible-runner") || !command.contains("worker") ||
            command.contains("playdeck-helper"))
            continue;
        for (qint64 p = entry.toLongLong(); p > 1; p = parentOf(p))
            if (p == self) {
                pids << entry.toLongLong();
                break;
            }
    }
    return pids;
}

} // namespace

class LaunchPathTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void helloWorldSucceeds();
    void secretsAreRedacted();
    void launchTimeVarsAreUnsafe();
    void failingTaskFails();
    void syntaxErrorFailsWithExplanation();
    void invalidExtraVarsCreateNoJob();
    void unknownTemplateCreatesNoJob();
    void cancelEndsWithinTwoSeconds();
    void timeoutFailsWithExplanation();
    void killedRunnerEndsInErrorAndEngineSurvives();
    void secondLaunchWaitsForTheFirst();
    void promptsReachAnsible();
    void relaunchRepeatsThePrompts();
    void pendingJobCancelsAtOnce();
    void outputWithNulBytesIsStored();
    void varsPromptIsAnsweredBeforeTheRun();
    void pausePromptSaysWhatItWaitsFor();
    void aGivenVariableSkipsThePrompt();

private:
    std::unique_ptr<TestEngine> m_engine;
};

void LaunchPathTest::initTestCase() {
    qputenv("DEPLOY_SECRET_PASSWORD", "hunter2-not-for-the-db");
    qputenv("PLAYDECK_DATABASE_URL", "postgresql://playdeck:db-password-not-for-jobs@localhost/playdeck");
    m_engine = std::make_unique<TestEngine>([](EngineOptions &o) { o.keepJobDirs = true; });
    QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
    QVERIFY(m_engine->addTemplate(QStringLiteral("Failing"), kFailing));
    QVERIFY(m_engine->addTemplate(QStringLiteral("Syntax Error"), kSyntaxError));
    QVERIFY(m_engine->addTemplate(QStringLiteral("Sleep"), kSleep));
    QVERIFY(m_engine->addTemplate(QStringLiteral("Echo"), kEcho, QStringLiteral("extra_vars"),
                                  {QStringLiteral("greeting: hello")}));
    QVERIFY(m_engine->addTemplate(QStringLiteral("Short Timeout"), kSleep, QStringLiteral("timeout"), {2}));
    QVERIFY(m_engine->addTemplate(QStringLiteral("Serial Sleep"), kSleep, QStringLiteral("extra_vars"),
                                  {QStringLiteral("seconds: 2")}));
    QVERIFY(m_engine->addTemplate(QStringLiteral("Prompt"), kPrompt));
    QVERIFY(m_engine->addTemplate(QStringLiteral("Pause"), kPause));
}

void LaunchPathTest::cleanupTestCase() {
    m_engine.reset();
}

void LaunchPathTest::helloWorldSucceeds() {
    const qint64 id = m_engine->launch(QStringLiteral("Demo Job Template"));
    QVERIFY(id > 0);
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Successful);

    QSqlDatabase db = m_engine->db();
    auto events = EventStore(db).load(id, 0, 10000);
    QVERIFY2(events, qPrintable(events.error()));
    const QList<JobEvent> &list = events.value();
    QVERIFY(list.size() >= 5);
    QCOMPARE(list.first().event, QStringLiteral("playbook_on_start"));
    QCOMPARE(list.last().event, QStringLiteral("playbook_on_stats"));
    for (qsizetype i = 0; i < list.size(); ++i)
        QCOMPARE(list.at(i).counter, int(i + 1));
    QCOMPARE(
        m_engine->scalar(QStringLiteral("SELECT emitted_events FROM unified_job WHERE id = ?"), {id}).toInt(),
        int(list.size()));
    QCOMPARE(m_engine
                 ->scalar(QStringLiteral(
                              "SELECT ok FROM job_host_summary WHERE job_id = ? AND host_name = 'localhost'"),
                          {id})
                 .toInt(),
             2); // Gathering Facts and Hello Message

    // The stored stdout is exactly what ansible printed (the runner's own stdout artifact).
    auto stdoutText = EventStore(db).stdoutText(id);
    QVERIFY(stdoutText);
    QVERIFY(stdoutText.value().contains(QStringLiteral("Hello World!")));
    QFile artifact(m_engine->dataDir() + QStringLiteral("/jobs/%1/artifacts/%1/stdout").arg(id));
    QVERIFY2(artifact.open(QIODevice::ReadOnly), qPrintable(artifact.fileName()));
    // Both come from a pty, so line ends are \r\n in places; compare the text.
    QString printed = QString::fromUtf8(artifact.readAll());
    printed.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    QString stored = stdoutText.value();
    stored.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    QCOMPARE(stored.trimmed(), printed.trimmed());
}

void LaunchPathTest::secretsAreRedacted() {
    const qint64 id = m_engine->launch(QStringLiteral("Demo Job Template"));
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Successful);
    const QString env =
        m_engine->scalar(QStringLiteral("SELECT job_env::text FROM unified_job WHERE id = ?"), {id})
            .toString();
    QVERIFY(env.contains(QStringLiteral("DEPLOY_SECRET_PASSWORD")));
    QVERIFY(!env.contains(QStringLiteral("hunter2")));
    // Playdeck's own settings never reach the job at all.
    QVERIFY(!env.contains(QStringLiteral("PLAYDECK_DATABASE_URL")));
    QVERIFY(!env.contains(QStringLiteral("db-password-not-for-jobs")));
    QVERIFY(!m_engine->scalar(QStringLiteral("SELECT job_args FROM unified_job WHERE id = ?"), {id})
                 .toString()
                 .isEmpty());
    QCOMPARE(m_engine
                 ->scalar(QStringLiteral(
                              "SELECT count(*) FROM job_event WHERE job_id = ? AND event_data::text LIKE"
                              " '%hunter2%'"),
                          {id})
                 .toInt(),
             0);
}

void LaunchPathTest::launchTimeVarsAreUnsafe() {
    const qint64 id =
        m_engine->launch(QStringLiteral("Echo"), QStringLiteral("{\"greeting\": \"{{ 6 * 7 }}\"}"));
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Successful);
    QSqlDatabase db = m_engine->db();
    const QString out = EventStore(db).stdoutText(id).value();
    QVERIFY2(out.contains(QStringLiteral("value={{ 6 * 7 }}")), qPrintable(out));
    QVERIFY(!out.contains(QStringLiteral("value=42")));

    // The template's own vars are templated as usual.
    const qint64 plain = m_engine->launch(QStringLiteral("Echo"));
    QCOMPARE(m_engine->waitForFinished(plain), JobStatus::Successful);
    QVERIFY(EventStore(db).stdoutText(plain).value().contains(QStringLiteral("value=hello")));
}

void LaunchPathTest::failingTaskFails() {
    const qint64 id = m_engine->launch(QStringLiteral("Failing"));
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Failed);
    // It says what failed where, not only an exit code.
    QCOMPARE(m_engine->scalar(QStringLiteral("SELECT job_explanation FROM unified_job WHERE id = ?"), {id})
                 .toString(),
             QStringLiteral("Task 'Fail on purpose' failed on 1 host: localhost."));
    // Each host counted once, by its worst outcome.
    QCOMPARE(
        m_engine
            ->scalar(QStringLiteral("SELECT host_status_counts::text FROM unified_job WHERE id = ?"), {id})
            .toString(),
        QStringLiteral("{\"failures\": 1}"));
    QVERIFY(m_engine
                ->scalar(QStringLiteral(
                             "SELECT count(*) FROM job_event WHERE job_id = ? AND event = 'runner_on_failed'"
                             " AND failed"),
                         {id})
                .toInt() == 1);
}

void LaunchPathTest::syntaxErrorFailsWithExplanation() {
    const qint64 id = m_engine->launch(QStringLiteral("Syntax Error"));
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Failed);
    const QString explanation =
        m_engine->scalar(QStringLiteral("SELECT job_explanation FROM unified_job WHERE id = ?"), {id})
            .toString();
    QVERIFY2(explanation.contains(QStringLiteral("could not be run")), qPrintable(explanation));
    QSqlDatabase db = m_engine->db();
    QVERIFY(EventStore(db).stdoutText(id).value().contains(QStringLiteral("ERROR")));
}

void LaunchPathTest::invalidExtraVarsCreateNoJob() {
    const int before = m_engine->scalar(QStringLiteral("SELECT count(*) FROM unified_job")).toInt();
    for (const QString &bad :
         {QStringLiteral("{\"a\": "), QStringLiteral("- just\n- a list\n"), QStringLiteral("a: [1, 2")}) {
        QString error;
        QCOMPARE(m_engine->launch(QStringLiteral("Demo Job Template"), bad, &error), 0);
        QVERIFY2(error.contains(QStringLiteral("xtra variables")), qPrintable(error));
    }
    QCOMPARE(m_engine->scalar(QStringLiteral("SELECT count(*) FROM unified_job")).toInt(), before);
}

void LaunchPathTest::unknownTemplateCreatesNoJob() {
    const int before = m_engine->scalar(QStringLiteral("SELECT count(*) FROM unified_job")).toInt();
    QString error;
    QCOMPARE(m_engine->launch(QStringLiteral("No Such Template"), {}, &error), 0);
    QVERIFY2(error.contains(QStringLiteral("No Such Template")), qPrintable(error));
    QCOMPARE(m_engine->scalar(QStringLiteral("SELECT count(*) FROM unified_job")).toInt(), before);
}

void LaunchPathTest::cancelEndsWithinTwoSeconds() {
    const qint64 id = m_engine->launch(QStringLiteral("Sleep"));
    QTRY_VERIFY_WITH_TIMEOUT(
        m_engine->scalar(QStringLiteral("SELECT count(*) FROM job_event WHERE job_id = ? AND event ="
                                        " 'runner_on_start'"),
                         {id})
                .toInt() == 1,
        30000);
    QElapsedTimer timer;
    timer.start();
    (void)m_engine->controller().jobs().cancel(id);
    QTRY_COMPARE_WITH_TIMEOUT(m_engine->status(id), JobStatus::Canceled, 2000);
    qInfo("canceled after %lld ms", timer.elapsed());
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Canceled);
}

void LaunchPathTest::timeoutFailsWithExplanation() {
    const qint64 id = m_engine->launch(QStringLiteral("Short Timeout"));
    QCOMPARE(m_engine->waitForFinished(id, 30000), JobStatus::Failed);
    const QString explanation =
        m_engine->scalar(QStringLiteral("SELECT job_explanation FROM unified_job WHERE id = ?"), {id})
            .toString();
    QVERIFY2(explanation.contains(QStringLiteral("timeout")), qPrintable(explanation));
}

void LaunchPathTest::killedRunnerEndsInErrorAndEngineSurvives() {
    const qint64 id = m_engine->launch(QStringLiteral("Sleep"));
    QTRY_VERIFY_WITH_TIMEOUT(
        m_engine->scalar(QStringLiteral(
                             "SELECT count(*) FROM job_event WHERE job_id = ? AND event = 'runner_on_start'"),
                         {id})
                .toInt() == 1,
        30000);
    const QList<qint64> pids = runnerPids();
    QCOMPARE(pids.size(), 1);
    ::kill(pid_t(pids.first()), SIGKILL);
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Error);
    const QString explanation =
        m_engine->scalar(QStringLiteral("SELECT job_explanation FROM unified_job WHERE id = ?"), {id})
            .toString();
    QVERIFY2(explanation.contains(QStringLiteral("killed")), qPrintable(explanation));

    const qint64 next = m_engine->launch(QStringLiteral("Demo Job Template"));
    QCOMPARE(m_engine->waitForFinished(next), JobStatus::Successful);
}

void LaunchPathTest::secondLaunchWaitsForTheFirst() {
    const qint64 first = m_engine->launch(QStringLiteral("Serial Sleep"));
    const qint64 second = m_engine->launch(QStringLiteral("Serial Sleep"));
    QTRY_COMPARE_WITH_TIMEOUT(m_engine->status(first), JobStatus::Running, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_engine->scalar(QStringLiteral("SELECT job_explanation FROM unified_job WHERE id = ?"), {second})
            .toString()
            .contains(QStringLiteral("job-%1").arg(first)),
        5000);
    QCOMPARE(m_engine->status(second), JobStatus::Pending);
    QCOMPARE(m_engine->waitForFinished(first), JobStatus::Successful);
    QCOMPARE(m_engine->waitForFinished(second), JobStatus::Successful);
    QVERIFY(m_engine
                ->scalar(QStringLiteral("SELECT (SELECT started FROM unified_job WHERE id = ?) >="
                                        " (SELECT finished FROM unified_job WHERE id = ?)"),
                         {second, first})
                .toBool());
}

void LaunchPathTest::promptsReachAnsible() {
    LaunchRequest request;
    request.templateName = QStringLiteral("Demo Job Template");
    request.prompts.limit = QStringLiteral("localhost");
    request.prompts.verbosity = 2;
    request.prompts.jobType = QStringLiteral("check");
    const qint64 id = m_engine->launch(request);
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Successful);
    const QString args =
        m_engine->scalar(QStringLiteral("SELECT job_args FROM unified_job WHERE id = ?"), {id}).toString();
    QVERIFY2(args.contains(QStringLiteral("\"--limit\",\"localhost\"")), qPrintable(args));
    QVERIFY(args.contains(QStringLiteral("\"-vv\"")));
    QVERIFY(args.contains(QStringLiteral("\"--check\"")));
    // Stored once, as given; applied only when the data dir was written.
    QCOMPARE(
        m_engine
            ->scalar(QStringLiteral("SELECT launch_config->>'job_type' FROM unified_job WHERE id = ?"), {id})
            .toString(),
        QStringLiteral("check"));
    QCOMPARE(
        m_engine->scalar(QStringLiteral("SELECT job_type FROM unified_job WHERE id = ?"), {id}).toString(),
        QStringLiteral("run"));
}

void LaunchPathTest::relaunchRepeatsThePrompts() {
    const qint64 first = m_engine->launch(QStringLiteral("Echo"), QStringLiteral("greeting: again"));
    QCOMPARE(m_engine->waitForFinished(first), JobStatus::Successful);
    auto relaunched = test::await(m_engine->controller().jobs().relaunch(first));
    QVERIFY2(relaunched, qPrintable(relaunched.error()));
    const qint64 second = relaunched.value();
    QVERIFY(second > first);
    QCOMPARE(m_engine->waitForFinished(second), JobStatus::Successful);
    QCOMPARE(m_engine->scalar(QStringLiteral("SELECT launch_type FROM unified_job WHERE id = ?"), {second})
                 .toString(),
             QStringLiteral("relaunch"));
    QSqlDatabase db = m_engine->db();
    QVERIFY(EventStore(db).stdoutText(second).value().contains(QStringLiteral("value=again")));
}

void LaunchPathTest::pendingJobCancelsAtOnce() {
    // The second job of a non-simultaneous template waits; canceling it needs no runner.
    const qint64 first = m_engine->launch(QStringLiteral("Serial Sleep"));
    const qint64 second = m_engine->launch(QStringLiteral("Serial Sleep"));
    QTRY_COMPARE_WITH_TIMEOUT(m_engine->status(first), JobStatus::Running, 10000);
    QCOMPARE(m_engine->status(second), JobStatus::Pending);
    QSignalSpy changed(&m_engine->controller(), &Controller::jobChanged);
    (void)m_engine->controller().jobs().cancel(second);
    QTRY_COMPARE_WITH_TIMEOUT(m_engine->status(second), JobStatus::Canceled, 2000);
    QTRY_VERIFY(std::any_of(changed.cbegin(), changed.cend(), [&](const QList<QVariant> &args) {
        const auto change = args.at(0).value<bus::JobChanged>();
        return change.jobId == second && change.status == JobStatus::Canceled;
    }));
    QCOMPARE(m_engine->waitForFinished(first), JobStatus::Successful);
}

void LaunchPathTest::outputWithNulBytesIsStored() {
    // PostgreSQL text cannot hold U+0000; such output is stored with U+FFFD in its place, and must
    // neither be refused nor block other events.
    QVERIFY(m_engine->addTemplate(
        QStringLiteral("Nul Bytes"),
        QStringLiteral("- hosts: all\n  gather_facts: false\n  tasks:\n"
                       "    - name: Print a NUL\n      shell: printf 'before\\0after'\n")));
    const qint64 id = m_engine->launch(QStringLiteral("Nul Bytes"));
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Successful);
    const int emitted =
        m_engine->scalar(QStringLiteral("SELECT emitted_events FROM unified_job WHERE id = ?"), {id}).toInt();
    QCOMPARE(
        m_engine->scalar(QStringLiteral("SELECT count(*) FROM job_event WHERE job_id = ?"), {id}).toInt(),
        emitted);
    QVERIFY(m_engine
                ->scalar(QStringLiteral(
                             "SELECT count(*) FROM job_event WHERE job_id = ? AND event = 'runner_on_ok'"
                             " AND event_data::text LIKE '%before' || chr(65533) || 'after%'"),
                         {id})
                .toInt() == 1);
}

void LaunchPathTest::varsPromptIsAnsweredBeforeTheRun() {
    // Launched from the command line with no terminal to ask at: the playbook's vars_prompt gets its
    // answer (the empty one ansible's Enter gives) before the run, which never stops to wait. The
    // window asks it in the launch dialog (gui/tst_own_automation.cpp).
    QProcess follow;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("PLAYDECK_DATABASE_URL")); // set for secretsAreRedacted
    follow.setProcessEnvironment(env);
    follow.start(QStringLiteral(PLAYDECK_BINARY),
                 {QStringLiteral("--data-dir"), m_engine->dataDir(), QStringLiteral("launch"),
                  QStringLiteral("Prompt"), QStringLiteral("--follow")});
    QVERIFY(follow.waitForStarted());
    QVERIFY(follow.waitForFinished(60000));
    const QByteArray out = follow.readAllStandardOutput();
    QVERIFY2(follow.exitCode() == 0, follow.readAllStandardError().constData());
    QVERIFY2(out.contains("hi "), out.constData());
    const qint64 id = m_engine->scalar(QStringLiteral("SELECT max(id) FROM unified_job")).toLongLong();
    QCOMPARE(m_engine->status(id), JobStatus::Successful);
    QCOMPARE(m_engine
                 ->scalar(QStringLiteral("SELECT count(*) FROM job_event WHERE job_id = ?"
                                         " AND event = 'playbook_on_vars_prompt'"),
                          {id})
                 .toInt(),
             0);
}

void LaunchPathTest::pausePromptSaysWhatItWaitsFor() {
    const qint64 id = m_engine->launch(QStringLiteral("Pause"));
    QTRY_COMPARE_WITH_TIMEOUT(
        m_engine->scalar(QStringLiteral("SELECT input_prompt FROM unified_job WHERE id = ?"), {id})
            .toString(),
        QStringLiteral("Press enter to continue:"), 30000);
    (void)m_engine->controller().jobs().cancel(id);
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Canceled);
}

void LaunchPathTest::aGivenVariableSkipsThePrompt() {
    const qint64 id = m_engine->launch(QStringLiteral("Prompt"), QStringLiteral("username: ada"));
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Successful);
    QSqlDatabase db = m_engine->db();
    QVERIFY(EventStore(db).stdoutText(id).value().contains(QStringLiteral("hi ada")));
    QCOMPARE(m_engine
                 ->scalar(QStringLiteral("SELECT count(*) FROM job_event WHERE job_id = ?"
                                         " AND event = 'playbook_on_vars_prompt'"),
                          {id})
                 .toInt(),
             0);
}

QTEST_GUILESS_MAIN(LaunchPathTest)
#include "tst_launch_path.moc"

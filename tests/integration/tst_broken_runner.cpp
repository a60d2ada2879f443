// A runner that dies or writes a stream that cannot be parsed ends the job as `error` with an
// explanation, and the engine goes on running jobs. The runner here is the real ansible-runner
// behind a small wrapper that breaks its output the way a crash or a bug would.

#include "TestEngine.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace playdeck;
using playdeck::test::TestEngine;

class BrokenRunnerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { m_engine.reset(); }
    void malformedStreamEndsInError();
    void runnerExitingEarlyEndsInError();
    void engineStillRunsJobs();

private:
    QString explanation(qint64 id) {
        return m_engine->scalar(QStringLiteral("SELECT job_explanation FROM unified_job WHERE id = ?"), {id})
            .toString();
    }
    QTemporaryDir m_dir;
    std::unique_ptr<TestEngine> m_engine;
};

void BrokenRunnerTest::initTestCase() {
    const QString wrapper = m_dir.filePath(QStringLiteral("broken-runner"));
    QFile script(wrapper);
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write(
        "#!/bin/sh\n"
        "case \"$BROKEN_RUNNER_MODE\" in\n"
        "  garble) ansible-runner \"$@\" | sed '3s/^/this is not json /' ;;\n"
        "  die) cat >/dev/null; echo '{\"status\": \"starting\"}'; echo 'worker crashed' >&2; exit 3 ;;\n"
        "  *) exec ansible-runner \"$@\" ;;\n"
        "esac\n");
    script.close();
    QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    m_engine = std::make_unique<TestEngine>([wrapper](EngineOptions &o) { o.runnerProgram = wrapper; });
    QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
}

void BrokenRunnerTest::malformedStreamEndsInError() {
    qputenv("BROKEN_RUNNER_MODE", "garble");
    const qint64 id = m_engine->launch(QStringLiteral("Demo Job Template"));
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Error);
    QVERIFY2(explanation(id).contains(QStringLiteral("could not be read")), qPrintable(explanation(id)));
    QVERIFY(explanation(id).contains(QStringLiteral("line 3"), Qt::CaseInsensitive));
}

void BrokenRunnerTest::runnerExitingEarlyEndsInError() {
    qputenv("BROKEN_RUNNER_MODE", "die");
    const qint64 id = m_engine->launch(QStringLiteral("Demo Job Template"));
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Error);
    QVERIFY2(explanation(id).contains(QStringLiteral("code 3")), qPrintable(explanation(id)));
    QVERIFY(m_engine->scalar(QStringLiteral("SELECT result_traceback FROM unified_job WHERE id = ?"), {id})
                .toString()
                .contains(QStringLiteral("worker crashed")));
}

void BrokenRunnerTest::engineStillRunsJobs() {
    qputenv("BROKEN_RUNNER_MODE", "ok");
    const qint64 id = m_engine->launch(QStringLiteral("Demo Job Template"));
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Successful);
}

QTEST_GUILESS_MAIN(BrokenRunnerTest)
#include "tst_broken_runner.moc"

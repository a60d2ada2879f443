// The final-status rules and failure explanations, as pure functions: no ansible, no database.

#include "events/HostSummary.h"
#include "runner/OutcomeRules.h"

#include <QJsonDocument>
#include <QTest>

using namespace playdeck;

namespace QTest {
template <> inline char *toString(const playdeck::JobStatus &status) {
    return qstrdup(qPrintable(playdeck::statusName(status)));
}
} // namespace QTest

namespace {

JobEvent makeEvent(const char *name, const char *host = "", const char *task = "", bool failed = false) {
    JobEvent e;
    e.event = QString::fromLatin1(name);
    e.hostName = QString::fromLatin1(host);
    e.task = QString::fromLatin1(task);
    e.failed = failed;
    return e;
}

RunFacts finished(const char *runnerStatus) {
    RunFacts f;
    f.sawEof = true;
    f.runnerStatus = QString::fromLatin1(runnerStatus);
    f.failures.onEvent(makeEvent("playbook_on_start"));
    return f;
}

} // namespace

class OutcomeRulesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void successIsSuccess() {
        const Outcome o = judgeOutcome(finished("successful"));
        QCOMPARE(o.status, JobStatus::Successful);
        QVERIFY(o.explanation.isEmpty());
    }
    void aFailedTaskIsNamedWithItsHosts() {
        RunFacts f = finished("failed");
        f.rc = 2;
        f.failures.onEvent(makeEvent("runner_on_failed", "web1", "Install nginx", true));
        f.failures.onEvent(makeEvent("runner_on_failed", "web2", "Install nginx", true));
        f.failures.onEvent(makeEvent("runner_on_failed", "web2", "Install nginx", true)); // once per host
        const Outcome o = judgeOutcome(f);
        QCOMPARE(o.status, JobStatus::Failed);
        QCOMPARE(o.explanation, QStringLiteral("Task 'Install nginx' failed on 2 hosts: web1, web2."));
    }
    void unreachableHostsComeFirst() {
        RunFacts f = finished("failed");
        f.failures.onEvent(makeEvent("runner_on_unreachable", "db1", "Gathering Facts", true));
        f.failures.onEvent(makeEvent("runner_on_failed", "web1", "Deploy", true));
        QCOMPARE(judgeOutcome(f).explanation,
                 QStringLiteral("1 host unreachable: db1. Task 'Deploy' failed on 1 host: web1."));
    }
    void ignoredFailuresAreNotNamed() {
        RunFacts f = finished("failed");
        f.rc = 4;
        f.failures.onEvent(makeEvent("runner_on_failed", "web1", "Optional", false)); // ignore_errors
        QCOMPARE(judgeOutcome(f).explanation, QStringLiteral("ansible-playbook exited with code 4."));
    }
    void manyHostsAreCut() {
        RunFacts f = finished("failed");
        for (int i = 1; i <= 8; ++i)
            f.failures.onEvent(
                makeEvent("runner_on_failed", qPrintable(QStringLiteral("h%1").arg(i)), "T", true));
        QCOMPARE(judgeOutcome(f).explanation,
                 QStringLiteral("Task 'T' failed on 8 hosts: h1, h2, h3, h4, h5 and 3 more."));
    }
    void aPlaybookThatNeverStartedSaysSo() {
        RunFacts f;
        f.sawEof = true;
        f.runnerStatus = QStringLiteral("failed");
        f.rc = 4;
        QVERIFY(judgeOutcome(f).explanation.contains(QStringLiteral("could not be run")));
    }
    void timeoutAndErrorAsAwx() {
        QCOMPARE(judgeOutcome(finished("timeout")).explanation,
                 QStringLiteral("Job terminated due to timeout"));
        QCOMPARE(judgeOutcome(finished("timeout")).status, JobStatus::Failed);
        QCOMPARE(judgeOutcome(finished("error")).status, JobStatus::Error);
        RunFacts unexpectedCancel = finished("canceled");
        QCOMPARE(judgeOutcome(unexpectedCancel).status, JobStatus::Failed);
    }
    void whyPlaydeckStoppedItWins() {
        RunFacts f = finished("canceled");
        f.cancelRequested = true;
        QCOMPARE(judgeOutcome(f).status, JobStatus::Canceled);
        f.cancelRequested = false;
        f.shuttingDown = true;
        QCOMPARE(judgeOutcome(f).explanation,
                 QStringLiteral("Task was canceled due to receiving a shutdown signal."));
        f.shuttingDown = false;
        f.timedOut = true;
        QCOMPARE(judgeOutcome(f).explanation, QStringLiteral("Job terminated due to timeout"));
        // ...but a run that succeeded before the cancel arrived stays successful.
        RunFacts done = finished("successful");
        done.cancelRequested = true;
        QCOMPARE(judgeOutcome(done).status, JobStatus::Successful);
    }
    void theStreamDecidesNotTheExitCode() {
        RunFacts f;
        f.exitCode = 0; // the worker exits 0 on protocol errors
        f.sawEof = false;
        QCOMPARE(judgeOutcome(f).status, JobStatus::Error);
        QVERIFY(judgeOutcome(f).explanation.contains(QStringLiteral("code 0")));
        f.crashed = true;
        QVERIFY(judgeOutcome(f).explanation.contains(QStringLiteral("killed")));
        RunFacts broken = finished("successful");
        broken.streamError = QStringLiteral("line 3 is not JSON");
        QCOMPARE(judgeOutcome(broken).status, JobStatus::Error);
        QVERIFY(judgeOutcome(broken).explanation.contains(QStringLiteral("line 3")));
    }
    void refusedLinesOrArtifactsMakeItAnError() {
        RunFacts f = finished("successful");
        f.refusedLines =
            QStringLiteral("1 line of the runner's output was refused: line 9 (duplicate counter 4)");
        QCOMPARE(judgeOutcome(f).status, JobStatus::Error);
        QVERIFY(judgeOutcome(f).explanation.startsWith(f.refusedLines));
        RunFacts a = finished("successful");
        a.artifactsError = QStringLiteral("entry x/../../y leaves the directory");
        QCOMPARE(judgeOutcome(a).status, JobStatus::Error);
        QVERIFY(judgeOutcome(a).explanation.contains(QStringLiteral("leaves the directory")));
    }
    void aWorkerThatCannotStartIsAnError() {
        RunFacts f;
        f.failedToStart = true;
        f.startError = QStringLiteral("no such program");
        f.cancelRequested = true;
        QCOMPARE(judgeOutcome(f).status, JobStatus::Error);
        QCOMPARE(judgeOutcome(f).explanation, QStringLiteral("no such program"));
    }
    void hostStatusCountsEachHostOnceByItsWorstOutcome() {
        // web1 ok+changed → changed; web2 ok+failures → failures; db1 dark → dark; lb ok; x skipped.
        const QJsonObject stats = QJsonDocument::fromJson(R"({
            "ok": {"web1": 3, "web2": 1, "lb": 2},
            "changed": {"web1": 1},
            "failures": {"web2": 1},
            "dark": {"db1": 1},
            "skipped": {"x": 2, "lb": 1},
            "processed": {"web1": 1, "web2": 1, "db1": 1, "lb": 1, "x": 1}
        })")
                                      .object();
        const QList<HostSummary> summaries = hostSummaries(stats);
        QCOMPARE(summaries.size(), 5);
        const QJsonObject counts = hostStatusCounts(summaries);
        QCOMPARE(
            counts,
            QJsonDocument::fromJson(R"({"changed":1,"failures":1,"dark":1,"ok":1,"skipped":1})").object());
        int total = 0;
        for (const QJsonValue &v : counts)
            total += v.toInt();
        QCOMPARE(total, 5); // never more than the hosts there are
        const auto web2 = std::find_if(summaries.begin(), summaries.end(),
                                       [](const HostSummary &s) { return s.host == QLatin1String("web2"); });
        QVERIFY(web2->failed());
    }
};

QTEST_GUILESS_MAIN(OutcomeRulesTest)
#include "tst_outcomerules.moc"

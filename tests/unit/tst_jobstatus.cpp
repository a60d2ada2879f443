#include "core/JobStatus.h"

#include <QTest>

using namespace playdeck;

class JobStatusTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void wordsRoundTrip() {
        for (int i = 0; i <= int(JobStatus::Canceled); ++i) {
            const auto s = JobStatus(i);
            QVERIFY(statusFromName(statusName(s)) == std::optional<JobStatus>(s));
        }
        QVERIFY(!statusFromName(u"bogus"));
        QVERIFY(!statusFromName(u"Running"));
    }
    void theLifecycle_data() {
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("to");
        QTest::addColumn<bool>("allowed");
        using S = JobStatus;
        const auto row = [](const char *name, S from, S to, bool ok) {
            QTest::newRow(name) << int(from) << int(to) << ok;
        };
        row("signal_start", S::New, S::Pending, true);
        row("task manager", S::Pending, S::Waiting, true);
        row("runner starts", S::Waiting, S::Running, true);
        row("success", S::Running, S::Successful, true);
        row("failure", S::Running, S::Failed, true);
        row("error", S::Running, S::Error, true);
        row("cancel running", S::Running, S::Canceled, true);
        row("cancel new", S::New, S::Canceled, true);
        row("cancel pending", S::Pending, S::Canceled, true);
        row("reaped waiting", S::Waiting, S::Failed, true);
        row("requeued", S::Waiting, S::Pending, true);
        row("pre-start failure", S::Pending, S::Failed, true);
        row("no success without running", S::Waiting, S::Successful, false);
        row("no skipping the task manager", S::Pending, S::Running, false);
        row("no going back", S::Running, S::Waiting, false);
        row("no leaving a final status", S::Failed, S::Running, false);
        row("canceled stays", S::Canceled, S::Successful, false);
        row("successful stays", S::Successful, S::Failed, false);
        row("no self move", S::Running, S::Running, false);
        row("never back to new", S::Pending, S::New, false);
    }
    void theLifecycle() {
        QFETCH(int, from);
        QFETCH(int, to);
        QFETCH(bool, allowed);
        QCOMPARE(isAllowedMove(JobStatus(from), JobStatus(to)), allowed);
        QCOMPARE(allowedSources(JobStatus(to)).contains(JobStatus(from)), allowed);
    }
    void finishedAndActive() {
        QVERIFY(isFinished(JobStatus::Canceled));
        QVERIFY(!isFinished(JobStatus::Running));
        QVERIFY(isActive(JobStatus::Waiting));
        QVERIFY(!isActive(JobStatus::New));
    }
};

QTEST_GUILESS_MAIN(JobStatusTest)
#include "tst_jobstatus.moc"

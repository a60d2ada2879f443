// The dashboard's pure figures: day windows on the operator's calendar, zero-filled days, templates
// grouped with their days in order, success rates, and when the first-start hint shows.

#include "model/DashboardFigures.h"

#include <QTest>

using namespace playdeck;

class DashboardFiguresTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aWindowEndsOnTheOperatorsDay();
    void aWindowHasAtLeastOneDay();
    void missingDaysAreZeroAndOutsideDaysDropped();
    void templatesAreGroupedByNameWithDaysInOrder();
    void successPercentRoundsDownAndSaysWhenThereIsNoRun();
    void statusCountsAddUp();
    void theHintStaysUntilATemplateOfOnesOwn();
};

void DashboardFiguresTest::aWindowEndsOnTheOperatorsDay() {
    // 23:30 UTC on 1 March is already 2 March at UTC+2: the last day is the operator's.
    const QDateTime now(QDate(2024, 3, 1), QTime(23, 30), Qt::OffsetFromUTC, 2 * 3600);
    const DayWindow w = DayWindow::endingAt(now, 7);
    QCOMPARE(w.lastDay, QDate(2024, 3, 1));
    QCOMPARE(w.firstDay, QDate(2024, 2, 24));
    QCOMPARE(w.utcOffsetSeconds, 7200);
    QCOMPARE(w.dayCount(), 7);
    QCOMPARE(w.days().size(), 7);
    QCOMPARE(w.days().constFirst(), QDate(2024, 2, 24));
    QCOMPARE(w.days().constLast(), QDate(2024, 3, 1));
    // The first day began at 00:00 local, 22:00 UTC the day before.
    QCOMPARE(w.startEpochSeconds(), QDateTime(QDate(2024, 2, 23), QTime(22, 0), Qt::UTC).toSecsSinceEpoch());

    const QDateTime utc = now.toUTC(); // the same moment, another time spec: the same calendar
    const DayWindow fromUtc = DayWindow::endingAt(utc.toOffsetFromUtc(7200), 7);
    QCOMPARE(fromUtc.lastDay, w.lastDay);
}

void DashboardFiguresTest::aWindowHasAtLeastOneDay() {
    const QDateTime now(QDate(2024, 1, 10), QTime(12, 0), Qt::UTC);
    QCOMPARE(DayWindow::endingAt(now, 0).dayCount(), 1);
    QCOMPARE(DayWindow::endingAt(now, -3).dayCount(), 1);
    QCOMPARE(DayWindow::endingAt(now, 1).firstDay, QDate(2024, 1, 10));
    QCOMPARE(DayWindow().dayCount(), 0);
    QVERIFY(DayWindow().days().isEmpty());
}

void DashboardFiguresTest::missingDaysAreZeroAndOutsideDaysDropped() {
    DayWindow w;
    w.firstDay = QDate(2024, 5, 1);
    w.lastDay = QDate(2024, 5, 4);
    DayStatusCounts a{QDate(2024, 5, 2), {}};
    a.counts[JobStatus::Successful] = 3;
    DayStatusCounts b{QDate(2024, 5, 2), {}};
    b.counts[JobStatus::Failed] = 1;
    DayStatusCounts outside{QDate(2024, 5, 9), {}};
    outside.counts[JobStatus::Error] = 5;
    DayStatusCounts last{QDate(2024, 5, 4), {}};
    last.counts[JobStatus::Canceled] = 2;

    const QList<DayStatusCounts> days = fillDays(w, {outside, b, last, a});
    QCOMPARE(days.size(), 4);
    QCOMPARE(days[0].day, QDate(2024, 5, 1));
    QCOMPARE(days[0].counts.total(), 0);
    QCOMPARE(days[1].counts.of(JobStatus::Successful), 3);
    QCOMPARE(days[1].counts.of(JobStatus::Failed), 1);
    QCOMPARE(days[2].counts.total(), 0);
    QCOMPARE(days[3].counts.of(JobStatus::Canceled), 2);
    int all = 0;
    for (const DayStatusCounts &d : days)
        all += d.counts.total();
    QCOMPARE(all, 6); // the day outside the window is not counted
}

void DashboardFiguresTest::templatesAreGroupedByNameWithDaysInOrder() {
    const QList<TemplateDay> rows{
        {2, QStringLiteral("Deploy"), QDate(2024, 5, 3), 1, 0},
        {1, QStringLiteral("Backup"), QDate(2024, 5, 2), 2, 2},
        {2, QStringLiteral("Deploy"), QDate(2024, 5, 1), 0, 1},
        {1, QStringLiteral("Backup"), QDate(2024, 5, 1), 1, 0},
    };
    const QList<TemplateSuccess> t = groupByTemplate(rows);
    QCOMPARE(t.size(), 2);
    QCOMPARE(t[0].templateName, QStringLiteral("Backup"));
    QCOMPARE(t[0].templateId, qint64(1));
    QCOMPARE(t[0].days.size(), 2);
    QCOMPARE(t[0].days[0].day, QDate(2024, 5, 1));
    QCOMPARE(t[0].successful(), 3);
    QCOMPARE(t[0].failed(), 2);
    QCOMPARE(t[1].templateName, QStringLiteral("Deploy"));
    QCOMPARE(t[1].days[0].day, QDate(2024, 5, 1));
    QCOMPARE(t[1].days[1].day, QDate(2024, 5, 3));
    QVERIFY(groupByTemplate({}).isEmpty());
}

void DashboardFiguresTest::successPercentRoundsDownAndSaysWhenThereIsNoRun() {
    TemplateSuccess t;
    QCOMPARE(t.successPercent(), -1);
    t.days = {{1, QStringLiteral("x"), QDate(2024, 1, 1), 0, 0}};
    QCOMPARE(t.successPercent(), -1);
    t.days = {{1, QStringLiteral("x"), QDate(2024, 1, 1), 2, 1}};
    QCOMPARE(t.successPercent(), 66);
    t.days = {{1, QStringLiteral("x"), QDate(2024, 1, 1), 249, 1}};
    QCOMPARE(t.successPercent(), 99); // never 100 % while a run failed
    t.days = {{1, QStringLiteral("x"), QDate(2024, 1, 1), 4, 0}};
    QCOMPARE(t.successPercent(), 100);
    t.days = {{1, QStringLiteral("x"), QDate(2024, 1, 1), 0, 3}};
    QCOMPARE(t.successPercent(), 0);
}

void DashboardFiguresTest::statusCountsAddUp() {
    StatusCounts c;
    QCOMPARE(c.total(), 0);
    c[JobStatus::New] = 1;
    c[JobStatus::Pending] = 2;
    c[JobStatus::Waiting] = 3;
    c[JobStatus::Running] = 4;
    c[JobStatus::Successful] = 5;
    c[JobStatus::Canceled] = 6;
    QCOMPARE(c.total(), 21);
    QCOMPARE(c.active(), 9); // new is not a run yet
    QCOMPARE(c.of(JobStatus::Successful), 5);
    QCOMPARE(c.of(JobStatus::Error), 0);
}

void DashboardFiguresTest::theHintStaysUntilATemplateOfOnesOwn() {
    ResourceCounts demoOnly{1, 1, 1, 0, 0, 0, 12};
    FirstStartSteps s = firstStartSteps(demoOnly);
    QVERIFY(s.showHint());
    QVERIFY(!s.projectDone && !s.inventoryDone && !s.templateDone);

    ResourceCounts empty; // no demo content either
    QVERIFY(firstStartSteps(empty).showHint());

    ResourceCounts halfway{2, 1, 1, 1, 0, 0, 0};
    s = firstStartSteps(halfway);
    QVERIFY(s.showHint());
    QVERIFY(s.projectDone);
    QVERIFY(!s.inventoryDone);

    ResourceCounts done{2, 2, 2, 1, 1, 1, 0};
    QVERIFY(!firstStartSteps(done).showHint());
    // A template of one's own on the demo project and inventory is enough to have started.
    ResourceCounts ownTemplate{1, 1, 2, 0, 0, 1, 0};
    QVERIFY(!firstStartSteps(ownTemplate).showHint());
}

QTEST_GUILESS_MAIN(DashboardFiguresTest)
#include "tst_dashboardfigures.moc"

// The dashboard's figures (JobStatsStore, DashboardService) against the real database: jobs are
// written straight into unified_job and job_host_summary with chosen statuses and moments, and every
// figure must count exactly those, on the right day of the operator's calendar.

#include "TestEngine.h"

#include "db/Connections.h"
#include "services/DashboardService.h"
#include "store/JobStatsStore.h"

#include <QTest>

using namespace playdeck;
using playdeck::test::await;
using playdeck::test::TestEngine;

namespace {
constexpr qint64 kHour = 3600;
constexpr qint64 kDay = 24 * kHour;
} // namespace

class JobStatsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void runsAreCountedByStatusInTheWindow();
    void runsFallOnTheOperatorsDay();
    void runsFallOnTheOperatorsDay_data();
    void templatesSucceedPerDay();
    void failedHostsOfTheLastDay();
    void resourcesBesidesTheDemoAreCounted();
    void theServiceAnswersOneSnapshot();

private:
    // A unified job in `status` that finished at `finished` (seconds since the epoch; 0: not
    // finished, created `created` seconds ago).
    qint64 job(const QString &status, qint64 finished, qint64 templateId = 0, qint64 createdAgo = 60,
               const QString &kind = QStringLiteral("job"));
    qint64 nowSeconds() const { return QDateTime::currentSecsSinceEpoch(); }
    std::unique_ptr<TestEngine> m_engine;
    qint64 m_demoTemplate = 0;
};

void JobStatsTest::initTestCase() {
    // Runs no jobs: nothing but the test writes unified jobs.
    m_engine =
        std::make_unique<TestEngine>([](EngineOptions &o) { o.runJobs = EngineOptions::RunJobs::Never; });
    QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
    m_demoTemplate =
        m_engine->scalar(QStringLiteral("SELECT id FROM job_template WHERE name = 'Demo Job Template'"))
            .toLongLong();
    QVERIFY(m_demoTemplate > 0);
}

void JobStatsTest::cleanupTestCase() {
    m_engine.reset();
}

void JobStatsTest::init() {
    // Each test counts only its own jobs (host summaries go with them).
    QSqlDatabase db = m_engine->db();
    QVERIFY(exec(db, QStringLiteral("DELETE FROM unified_job")).ok());
}

qint64 JobStatsTest::job(const QString &status, qint64 finished, qint64 templateId, qint64 createdAgo,
                         const QString &kind) {
    const QString sql =
        finished
            ? QStringLiteral("INSERT INTO unified_job (name, status, kind, job_template_id, created,"
                             " finished) VALUES ('stats job', ?, ?, nullif(?, 0), to_timestamp(?) -"
                             " interval '1 minute', to_timestamp(?)) RETURNING id")
            : QStringLiteral("INSERT INTO unified_job (name, status, kind, job_template_id, created)"
                             " VALUES ('stats job', ?, ?, nullif(?, 0), now() - make_interval(secs => ?))"
                             " RETURNING id");
    const QVariantList binds = finished ? QVariantList{status, kind, templateId, finished, finished}
                                        : QVariantList{status, kind, templateId, createdAgo};
    return m_engine->scalar(sql, binds).toLongLong();
}

void JobStatsTest::runsAreCountedByStatusInTheWindow() {
    const DayWindow w = DayWindow::endingAt(QDateTime::currentDateTime(), 7);
    const qint64 start = w.startEpochSeconds();
    QVERIFY(job(QStringLiteral("successful"), start + kHour));
    QVERIFY(job(QStringLiteral("successful"), nowSeconds() - 10));
    QVERIFY(job(QStringLiteral("successful"), start + kHour, 0, 0, QStringLiteral("project_update")));
    QVERIFY(job(QStringLiteral("failed"), start + 2 * kDay));
    QVERIFY(job(QStringLiteral("error"), start + 3 * kDay));
    QVERIFY(job(QStringLiteral("canceled"), start + 4 * kDay));
    QVERIFY(job(QStringLiteral("running"), 0, 0, 30));
    QVERIFY(job(QStringLiteral("pending"), 0, 0, 5));
    // Before the window: not counted, whatever its status.
    QVERIFY(job(QStringLiteral("failed"), start - 60));
    QVERIFY(job(QStringLiteral("successful"), start - 10 * kDay));

    QSqlDatabase db = m_engine->db();
    auto counts = JobStatsStore(db).statusCounts(w);
    QVERIFY2(counts, qPrintable(counts.error()));
    const StatusCounts &c = counts.value();
    QCOMPARE(c.of(JobStatus::Successful), 3); // project updates are runs too
    QCOMPARE(c.of(JobStatus::Failed), 1);
    QCOMPARE(c.of(JobStatus::Error), 1);
    QCOMPARE(c.of(JobStatus::Canceled), 1);
    QCOMPARE(c.of(JobStatus::Running), 1);
    QCOMPARE(c.of(JobStatus::Pending), 1);
    QCOMPARE(c.active(), 2);
    QCOMPARE(c.total(), 8);
}

void JobStatsTest::runsFallOnTheOperatorsDay_data() {
    QTest::addColumn<int>("offset");
    QTest::newRow("local") << QDateTime::currentDateTime().offsetFromUtc();
    QTest::newRow("UTC+05:30") << int(5 * kHour + 30 * 60);
    QTest::newRow("UTC-09:00") << int(-9 * kHour);
}

void JobStatsTest::runsFallOnTheOperatorsDay() {
    QFETCH(int, offset);
    const DayWindow w = DayWindow::endingAt(QDateTime::currentDateTimeUtc().toOffsetFromUtc(offset), 7);
    QCOMPARE(w.utcOffsetSeconds, offset);
    const qint64 start = w.startEpochSeconds();
    // Just after the first day began and just before it ended, on the operator's clock.
    QVERIFY(job(QStringLiteral("successful"), start + 1));
    QVERIFY(job(QStringLiteral("failed"), start + kDay - 1));
    // Day 3 (index 2) twice, day 6 once.
    QVERIFY(job(QStringLiteral("error"), start + 2 * kDay + 12 * kHour));
    QVERIFY(job(QStringLiteral("error"), start + 2 * kDay + 13 * kHour));
    QVERIFY(job(QStringLiteral("canceled"), start + 5 * kDay + kHour));
    // Today, and one that has not finished (not in the chart: it shows how runs ended).
    QVERIFY(job(QStringLiteral("successful"), nowSeconds() - 1));
    QVERIFY(job(QStringLiteral("running"), 0));
    // One second before the window: left out.
    QVERIFY(job(QStringLiteral("failed"), start - 1));

    QSqlDatabase db = m_engine->db();
    auto perDay = JobStatsStore(db).statusPerDay(w);
    QVERIFY2(perDay, qPrintable(perDay.error()));
    const QList<DayStatusCounts> &days = perDay.value();
    QCOMPARE(days.size(), 7);
    for (int i = 0; i < 7; ++i)
        QCOMPARE(days[i].day, w.firstDay.addDays(i));
    QCOMPARE(days[0].counts.of(JobStatus::Successful), 1);
    QCOMPARE(days[0].counts.of(JobStatus::Failed), 1);
    QCOMPARE(days[0].counts.total(), 2);
    QCOMPARE(days[1].counts.total(), 0);
    QCOMPARE(days[2].counts.of(JobStatus::Error), 2);
    QCOMPARE(days[5].counts.of(JobStatus::Canceled), 1);
    QCOMPARE(days[6].counts.of(JobStatus::Successful), 1);
    int all = 0;
    for (const DayStatusCounts &d : days)
        all += d.counts.total();
    QCOMPARE(all, 6);
}

void JobStatsTest::templatesSucceedPerDay() {
    const qint64 other =
        m_engine
            ->scalar(QStringLiteral("INSERT INTO job_template (name, project_id, playbook)"
                                    " SELECT 'Another Template', id, 'hello_world.yml'"
                                    " FROM project WHERE name = 'Demo Project' RETURNING id"))
            .toLongLong();
    QVERIFY(other > 0);
    const DayWindow w = DayWindow::endingAt(QDateTime::currentDateTime(), 14);
    const qint64 start = w.startEpochSeconds();
    QVERIFY(job(QStringLiteral("successful"), start + kHour, m_demoTemplate));
    QVERIFY(job(QStringLiteral("successful"), start + 2 * kHour, m_demoTemplate));
    QVERIFY(job(QStringLiteral("failed"), start + 3 * kHour, m_demoTemplate));
    QVERIFY(job(QStringLiteral("error"), start + 5 * kDay, m_demoTemplate));
    // Canceled runs, runs still going and runs before the window say nothing about success.
    QVERIFY(job(QStringLiteral("canceled"), start + 5 * kDay, m_demoTemplate));
    QVERIFY(job(QStringLiteral("running"), 0, m_demoTemplate));
    QVERIFY(job(QStringLiteral("failed"), start - kHour, m_demoTemplate));
    QVERIFY(job(QStringLiteral("successful"), nowSeconds() - 5, other));
    // A job whose template is gone (and a project update) belongs to no template.
    QVERIFY(job(QStringLiteral("failed"), nowSeconds() - 5, 0));
    QVERIFY(job(QStringLiteral("failed"), nowSeconds() - 5, 0, 0, QStringLiteral("project_update")));

    QSqlDatabase db = m_engine->db();
    auto rows = JobStatsStore(db).templateSuccessPerDay(w);
    QVERIFY2(rows, qPrintable(rows.error()));
    const QList<TemplateSuccess> templates = groupByTemplate(rows.value());
    QCOMPARE(templates.size(), 2);
    QCOMPARE(templates[0].templateName, QStringLiteral("Another Template"));
    QCOMPARE(templates[0].days.size(), 1);
    QCOMPARE(templates[0].days[0].day, w.lastDay);
    QCOMPARE(templates[0].successPercent(), 100);
    const TemplateSuccess &demo = templates[1];
    QCOMPARE(demo.templateId, m_demoTemplate);
    QCOMPARE(demo.days.size(), 2);
    QCOMPARE(demo.days[0].day, w.firstDay);
    QCOMPARE(demo.days[0].successful, 2);
    QCOMPARE(demo.days[0].failed, 1);
    QCOMPARE(demo.days[1].day, w.firstDay.addDays(5));
    QCOMPARE(demo.days[1].successful, 0);
    QCOMPARE(demo.days[1].failed, 1); // error counts as failed
    QCOMPARE(demo.successPercent(), 50);

    QVERIFY(exec(db, QStringLiteral("DELETE FROM job_template WHERE id = ?"), {other}).ok());
}

void JobStatsTest::failedHostsOfTheLastDay() {
    const qint64 recent = job(QStringLiteral("failed"), nowSeconds() - 2 * kHour, m_demoTemplate);
    const qint64 newest = job(QStringLiteral("successful"), nowSeconds() - 60, 0);
    const qint64 old = job(QStringLiteral("failed"), nowSeconds() - 25 * kHour, m_demoTemplate);
    QVERIFY(recent && newest && old);
    QSqlDatabase db = m_engine->db();
    QVERIFY(exec(db, QStringLiteral("UPDATE unified_job SET name = 'Adhoc' WHERE id = ?"), {newest}).ok());
    const QString insert = QStringLiteral("INSERT INTO job_host_summary (job_id, host_name, ok, failures, "
                                          "dark, failed) VALUES (?, ?, ?, ?, ?, ?)");
    for (const QVariantList &row : {
             QVariantList{recent, QStringLiteral("web1"), 3, 1, 0, true},
             QVariantList{recent, QStringLiteral("web2"), 4, 0, 0, false},   // fine
             QVariantList{recent, QStringLiteral("db1"), 0, 0, 1, true},     // unreachable
             QVariantList{newest, QStringLiteral("cache1"), 2, 0, 1, false}, // unreachable, job "ok"
             QVariantList{old, QStringLiteral("web1"), 0, 2, 0, true},       // too long ago
         })
        QVERIFY(exec(db, insert, row).ok());

    auto hosts = JobStatsStore(db).failedHosts(24);
    QVERIFY2(hosts, qPrintable(hosts.error()));
    const QList<FailedHost> &h = hosts.value();
    QCOMPARE(h.size(), 3);
    QCOMPARE(h[0].hostName, QStringLiteral("cache1")); // newest job first
    QCOMPARE(h[0].jobId, newest);
    QCOMPARE(h[0].templateName, QStringLiteral("Adhoc")); // no template: the job's name
    QCOMPARE(h[0].unreachable, 1);
    QCOMPARE(h[1].hostName, QStringLiteral("db1")); // then by host name
    QCOMPARE(h[1].jobId, recent);
    QCOMPARE(h[1].templateName, QStringLiteral("Demo Job Template"));
    QCOMPARE(h[2].hostName, QStringLiteral("web1"));
    QCOMPARE(h[2].failures, 1);
    QVERIFY(h[2].finished.isValid());
    QVERIFY(qAbs(h[2].finished.toSecsSinceEpoch() - (nowSeconds() - 2 * kHour)) < 60);

    auto lastHours = JobStatsStore(db).failedHosts(1);
    QVERIFY(lastHours);
    QCOMPARE(lastHours.value().size(), 1);
    auto limited = JobStatsStore(db).failedHosts(48, 2);
    QVERIFY(limited);
    QCOMPARE(limited.value().size(), 2);
}

void JobStatsTest::resourcesBesidesTheDemoAreCounted() {
    QSqlDatabase db = m_engine->db();
    auto before = JobStatsStore(db).resourceCounts();
    QVERIFY2(before, qPrintable(before.error()));
    QCOMPARE(before.value().projects, 1);
    QCOMPARE(before.value().inventories, 1);
    QCOMPARE(before.value().jobTemplates, 1);
    QCOMPARE(before.value().ownProjects, 0);
    QCOMPARE(before.value().ownInventories, 0);
    QCOMPARE(before.value().ownJobTemplates, 0);
    QCOMPARE(before.value().jobs, 0);
    QVERIFY(firstStartSteps(before.value()).showHint());

    QVERIFY(exec(db, QStringLiteral("INSERT INTO inventory (name) VALUES ('Mine')")).ok());
    QVERIFY(job(QStringLiteral("successful"), nowSeconds() - 3 * 30 * kDay)); // ever, not just lately
    QVERIFY(job(QStringLiteral("pending"), 0));
    auto after = JobStatsStore(db).resourceCounts();
    QVERIFY(after);
    QCOMPARE(after.value().inventories, 2);
    QCOMPARE(after.value().ownInventories, 1);
    QCOMPARE(after.value().ownProjects, 0);
    QCOMPARE(after.value().jobs, 2);
    const FirstStartSteps steps = firstStartSteps(after.value());
    QVERIFY(steps.inventoryDone && !steps.projectDone && steps.showHint());
    QVERIFY(exec(db, QStringLiteral("DELETE FROM inventory WHERE name = 'Mine'")).ok());
}

void JobStatsTest::theServiceAnswersOneSnapshot() {
    const DayWindow w = DayWindow::endingAt(QDateTime::currentDateTime(), 7);
    const qint64 failed = job(QStringLiteral("failed"), nowSeconds() - 30, m_demoTemplate);
    QVERIFY(job(QStringLiteral("successful"), w.startEpochSeconds() + kHour, m_demoTemplate));
    QSqlDatabase db = m_engine->db();
    QVERIFY(exec(db,
                 QStringLiteral("INSERT INTO job_host_summary (job_id, host_name, failures, failed)"
                                " VALUES (?, 'localhost', 1, true)"),
                 {failed})
                .ok());

    auto figures = await(m_engine->controller().dashboard().figures(7));
    QVERIFY2(figures, qPrintable(figures.error()));
    const DashboardFigures &f = figures.value();
    QCOMPARE(f.window.dayCount(), 7);
    QCOMPARE(f.window.lastDay, QDate::currentDate());
    QCOMPARE(f.templateWindow.dayCount(), DashboardService::TemplateDays);
    QCOMPARE(f.failedHostsHours, DashboardService::FailedHostsHours);
    QCOMPARE(f.recent.of(JobStatus::Failed), 1);
    QCOMPARE(f.recent.of(JobStatus::Successful), 1);
    QCOMPARE(f.perDay.size(), 7);
    QCOMPARE(f.perDay.constFirst().counts.of(JobStatus::Successful), 1);
    QCOMPARE(f.perDay.constLast().counts.of(JobStatus::Failed), 1);
    QCOMPARE(f.templates.size(), 1);
    QCOMPARE(f.templates[0].successPercent(), 50);
    QCOMPARE(f.failedHosts.size(), 1);
    QCOMPARE(f.failedHosts[0].jobId, failed);
    QCOMPARE(f.resources.jobs, 2);

    // Out-of-range periods are clamped, never refused.
    auto one = await(m_engine->controller().dashboard().figures(0));
    QVERIFY(one);
    QCOMPARE(one.value().perDay.size(), 1);
    auto many = await(m_engine->controller().dashboard().figures(100000));
    QVERIFY(many);
    QCOMPARE(many.value().perDay.size(), 366);
}

QTEST_GUILESS_MAIN(JobStatsTest)
#include "tst_jobstats.moc"

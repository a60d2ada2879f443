// The dashboard against a real engine (embedded PostgreSQL, demo content, real ansible-runner): on a
// fresh setup it shows the first-start hint; after real runs its counts, chart, per-template success
// and failed hosts show what the database holds, and they follow changes without being asked.

#include "DashboardModels.h"
#include "DashboardView.h"
#include "JobPresentation.h"

#include "Controller.h"
#include "TestEngine.h"
#include "services/ResourceService.h"

#include <QAbstractItemModelTester>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QLabel>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QTableView>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace playdeck;
using playdeck::test::await;

namespace {

const QString FailingTemplate = QStringLiteral("GUI Fail");

int shownCount(const DashboardView &view, JobStatus status) {
    auto *button = view.findChild<QToolButton *>(QStringLiteral("statusCount_") + statusName(status));
    return button ? button->property("count").toInt() : -1;
}

QStackedBarSeries *runsSeries(const DashboardView &view) {
    auto *chartView = view.findChild<QChartView *>(QStringLiteral("runsChart"));
    if (!chartView || chartView->chart()->series().isEmpty())
        return nullptr;
    return qobject_cast<QStackedBarSeries *>(chartView->chart()->series().constFirst());
}

// The chart's bar of `status` on the last day (today), or -1.
int todaysBar(const DashboardView &view, JobStatus status) {
    QStackedBarSeries *series = runsSeries(view);
    if (!series)
        return -1;
    const QString label = statusText(status);
    for (QBarSet *set : series->barSets())
        if (set->label() == label && set->count() > 0)
            return int(set->at(set->count() - 1));
    return -1;
}

int rowOf(const QAbstractItemModel &model, int column, const QString &text) {
    for (int row = 0; row < model.rowCount(); ++row)
        if (model.index(row, column).data().toString() == text)
            return row;
    return -1;
}

} // namespace

class TestDashboard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void aFreshSetupShowsTheFirstStartHint();
    void runsAndFailedHostsShowWhatTheDatabaseHolds();
    void cleanupTestCase();

private:
    int dbCount(const QString &where);
    std::unique_ptr<test::TestEngine> m_engine;
};

void TestDashboard::initTestCase() {
    m_engine = std::make_unique<test::TestEngine>();
    QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
}

void TestDashboard::cleanupTestCase() {
    m_engine.reset();
}

int TestDashboard::dbCount(const QString &where) {
    return m_engine->scalar(QStringLiteral("SELECT count(*) FROM unified_job WHERE ") + where).toInt();
}

void TestDashboard::aFreshSetupShowsTheFirstStartHint() {
    DashboardView view(m_engine->controller());
    QCOMPARE(view.objectName(), QStringLiteral("dashboardView"));
    auto *hint = view.findChild<QLabel *>(QStringLiteral("firstStartHint"));
    auto *hosts = view.findChild<QTableView *>(QStringLiteral("failedHostsTable"));
    auto *templates = view.findChild<QTableView *>(QStringLiteral("templateSuccess"));
    QVERIFY(hint && hosts && templates && runsSeries(view));
    QAbstractItemModelTester hostsTester(hosts->model(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester templatesTester(templates->model(),
                                             QAbstractItemModelTester::FailureReportingMode::QtTest);

    // Only the demo content: the hint says what to do, and nothing has run.
    QSignalSpy refreshed(&view, &DashboardView::refreshed);
    QVERIFY(refreshed.wait(30000));
    QVERIFY(!hint->isHidden());
    QVERIFY(!hint->accessibleName().isEmpty());
    for (const char *link : {"href=\"project\"", "href=\"inventory\"", "href=\"template\""})
        QVERIFY2(hint->text().contains(QLatin1String(link)), link);
    for (JobStatus status : DashboardView::countedStatuses())
        QCOMPARE(shownCount(view, status), 0);
    QStackedBarSeries *series = runsSeries(view);
    QCOMPARE(series->barSets().size(), 4);
    for (QBarSet *set : series->barSets()) {
        QCOMPARE(set->count(), view.days());
        QCOMPARE(set->sum(), 0.0);
    }
    QCOMPARE(hosts->model()->rowCount(), 0);
    QCOMPARE(templates->model()->rowCount(), 0);
    QVERIFY(!view.findChild<QLabel *>(QStringLiteral("noFailedHosts"))->isHidden());
    if (qEnvironmentVariableIsSet("PLAYDECK_SCREENSHOTS")) {
        const QString dir = qEnvironmentVariable("PLAYDECK_SCREENSHOTS");
        QVERIFY(QDir().mkpath(dir));
        view.resize(1100, 720);
        QVERIFY(view.grab().save(QDir(dir).filePath(QStringLiteral("dashboard-first-start.png"))));
    }

    // Its links ask the window for a new resource of their kind.
    QSignalSpy start(&view, &DashboardView::startRequested);
    Q_EMIT hint->linkActivated(QStringLiteral("inventory"));
    Q_EMIT hint->linkActivated(QStringLiteral("template"));
    QCOMPARE(start.count(), 2);
    QCOMPARE(start.at(0).at(0).value<ResourceKind>(), ResourceKind::Inventory);
    QCOMPARE(start.at(1).at(0).value<ResourceKind>(), ResourceKind::JobTemplate);

    // A resource made anywhere ticks its step off (the view hears resourcesChanged by itself).
    auto created = await(m_engine->controller().resources().create(
        ResourceKind::Inventory, {{QStringLiteral("name"), QStringLiteral("GUI Inventory")}}));
    QVERIFY2(created, qPrintable(created.error()));
    QTRY_VERIFY_WITH_TIMEOUT(!hint->text().contains(QLatin1String("href=\"inventory\"")), 10000);
    QVERIFY(hint->text().contains(QLatin1String("href=\"project\"")));
    QVERIFY(!hint->isHidden()); // no template of one's own yet
}

void TestDashboard::runsAndFailedHostsShowWhatTheDatabaseHolds() {
    DashboardView view(m_engine->controller());
    // Listening from the start: the first read may be done before the window is even exposed.
    QSignalSpy refreshed(&view, &DashboardView::refreshed);
    view.resize(1100, 720);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *hint = view.findChild<QLabel *>(QStringLiteral("firstStartHint"));
    auto *hosts = view.findChild<QTableView *>(QStringLiteral("failedHostsTable"));
    auto *templates = view.findChild<QTableView *>(QStringLiteral("templateSuccess"));
    QVERIFY(hint && hosts && templates);
    QAbstractItemModelTester hostsTester(hosts->model(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester templatesTester(templates->model(),
                                             QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() > 0, 30000);

    // A real successful run of the demo and a real failing run of a template of one's own.
    QVERIFY(m_engine->addTemplate(FailingTemplate, QStringLiteral("- hosts: all\n  gather_facts: false\n"
                                                                  "  tasks:\n    - name: Break\n"
                                                                  "      fail:\n        msg: on purpose\n")));
    const qint64 good = m_engine->launch(QStringLiteral("Demo Job Template"));
    QVERIFY(good > 0);
    QCOMPARE(m_engine->waitForFinished(good), JobStatus::Successful);
    const qint64 bad = m_engine->launch(FailingTemplate);
    QVERIFY(bad > 0);
    QCOMPARE(m_engine->waitForFinished(bad), JobStatus::Failed);

    // The view follows the jobs by itself (jobChanged), and shows what the database holds.
    const int successful = dbCount(QStringLiteral("status = 'successful'"));
    const int failed = dbCount(QStringLiteral("status = 'failed'"));
    QVERIFY(successful >= 1 && failed >= 1);
    QTRY_COMPARE_WITH_TIMEOUT(shownCount(view, JobStatus::Failed), failed, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(shownCount(view, JobStatus::Successful), successful, 10000);
    QCOMPARE(shownCount(view, JobStatus::Error), dbCount(QStringLiteral("status = 'error'")));
    QCOMPARE(shownCount(view, JobStatus::Running),
             dbCount(QStringLiteral("status IN ('pending', 'waiting', 'running')")));
    QTRY_COMPARE_WITH_TIMEOUT(todaysBar(view, JobStatus::Successful), successful, 10000);
    QCOMPARE(todaysBar(view, JobStatus::Failed), failed);
    QCOMPARE(todaysBar(view, JobStatus::Canceled), 0);

    // The failing host of the failed job, with its template.
    const int failedHosts = m_engine
                                ->scalar(QStringLiteral("SELECT count(*) FROM job_host_summary"
                                                        " WHERE failed OR failures > 0 OR dark > 0"))
                                .toInt();
    QCOMPARE(failedHosts, 1);
    QTRY_COMPARE_WITH_TIMEOUT(hosts->model()->rowCount(), failedHosts, 10000);
    const QModelIndex host = hosts->model()->index(0, FailedHostsModel::HostColumn);
    QCOMPARE(host.data().toString(), QStringLiteral("localhost"));
    QCOMPARE(host.data(FailedHostsModel::JobIdRole).toLongLong(), bad);
    QCOMPARE(hosts->model()->index(0, FailedHostsModel::TemplateColumn).data().toString(), FailingTemplate);
    QCOMPARE(hosts->model()->index(0, FailedHostsModel::FailuresColumn).data().toInt(), 1);
    QVERIFY(view.findChild<QLabel *>(QStringLiteral("noFailedHosts"))->isHidden());

    // Per template: the demo always succeeded, the failing one never did.
    QAbstractItemModel *perTemplate = templates->model();
    QTRY_COMPARE_WITH_TIMEOUT(perTemplate->rowCount(), 2, 10000);
    const int demoRow =
        rowOf(*perTemplate, TemplateSuccessModel::TemplateColumn, QStringLiteral("Demo Job Template"));
    const int failRow = rowOf(*perTemplate, TemplateSuccessModel::TemplateColumn, FailingTemplate);
    QVERIFY(demoRow >= 0 && failRow >= 0);
    QCOMPARE(perTemplate->index(demoRow, 0).data(TemplateSuccessModel::PercentRole).toInt(), 100);
    QCOMPARE(perTemplate->index(failRow, 0).data(TemplateSuccessModel::PercentRole).toInt(), 0);
    QCOMPARE(perTemplate->index(failRow, TemplateSuccessModel::FailedColumn).data().toInt(), failed);
    const QVariantList trend = perTemplate->index(demoRow, TemplateSuccessModel::TrendColumn)
                                   .data(TemplateSuccessModel::TrendRole)
                                   .toList();
    QCOMPARE(trend.size(), 14);
    QCOMPARE(trend.constLast().toPoint(), QPoint(successful, 0));

    // With a template of one's own the hint has done its work.
    QTRY_VERIFY_WITH_TIMEOUT(hint->isHidden(), 10000);

    // Activating a failed host opens its job.
    QSignalSpy open(&view, &DashboardView::openJobRequested);
    hosts->setFocus();
    hosts->setCurrentIndex(host);
    QTest::keyClick(hosts, Qt::Key_Return);
    QCOMPARE(open.count(), 1);
    QCOMPARE(open.first().first().toLongLong(), bad);

    // For people and docs: PLAYDECK_SCREENSHOTS=dir saves what the dashboard shows now.
    if (qEnvironmentVariableIsSet("PLAYDECK_SCREENSHOTS")) {
        const QString dir = qEnvironmentVariable("PLAYDECK_SCREENSHOTS");
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(view.grab().save(QDir(dir).filePath(QStringLiteral("dashboard.png"))));
    }
}

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"

// The job view's output at scale: a model paged from PostgreSQL, search and filters on the engine's
// threads, downloads, and a million-line job that opens at once.
#include "JobOutputPane.h"
#include "JobView.h"
#include "OutputFindBar.h"
#include "OutputLineModel.h"
#include "OutputLinesView.h"
#include "OutputSearch.h"
#include "OutputText.h"

#include "Controller.h"
#include "ScriptedTransport.h"
#include "TestEngine.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace playdeck;
using playdeck::test::ScriptedTransport;
using playdeck::test::TestEngine;

namespace {

// The process's resident memory in MiB.
double residentMiB() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return 0;
}

// Whether every row on the view's screen has its text.
bool screenLoaded(JobView *view) {
    const OutputLinesView *lines = view->outputPane()->view();
    const OutputLineModel *model = view->outputPane()->model();
    if (model->rowCount() == 0)
        return false;
    const int last = qMin(model->rowCount(), lines->topRow() + lines->pageRows());
    for (int row = lines->topRow(); row < last; ++row) {
        if (!model->index(row, 0).data(OutputLineModel::LoadedRole).toBool())
            return false;
    }
    return true;
}

ScriptedTransport::Script loopJob(int events, int intervalMs) {
    ScriptedTransport::Script s = test::loopJobScript(events);
    s.intervalMs = intervalMs;
    return s;
}

} // namespace

class OutputTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        m_engine =
            std::make_unique<TestEngine>([this](EngineOptions &o) { o.transport = m_scripts.transports(); });
        QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
        QVERIFY(m_engine->addTemplate(QStringLiteral("Scripted"),
                                      QStringLiteral("- hosts: all\n  tasks: []\n"),
                                      QStringLiteral("allow_simultaneous"), {true}) > 0);
    }
    void cleanupTestCase() { m_engine.reset(); }

    void theModelPagesFiltersAndDownloads() {
        m_scripts.push(loopJob(600, 0));
        const qint64 job = m_engine->launch(QStringLiteral("Scripted"));
        QCOMPARE(m_engine->waitForFinished(job), JobStatus::Successful);
        JobView view(m_engine->controller(), job);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        OutputLineModel *model = view.outputPane()->model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);

        // Line n of the loop is event n's (ansible-runner numbers lines from 0; line 0 is empty here).
        QTRY_COMPARE(model->rowCount(), 601);
        QTRY_VERIFY(model->index(5, 0).data(OutputLineModel::LoadedRole).toBool());
        QCOMPARE(model->index(5, 0).data().toString(), QStringLiteral("ok: [web5] => (item=5)"));
        QVERIFY(model->index(5, 0).data(OutputLineModel::AnsiTextRole).toString().startsWith(QChar(0x1b)));
        QCOMPARE(model->index(5, 0).data(OutputLineModel::LineNumberRole).toInt(), 6);
        QCOMPARE(model->index(5, 0).data(OutputLineModel::CounterRole).toInt(), 5);
        QCOMPARE(LineOutcome(model->index(5, 0).data(OutputLineModel::OutcomeRole).toInt()), LineOutcome::Ok);
        // Following, the view sits on the last screen.
        QVERIFY(view.isFollowing());
        QTRY_VERIFY(screenLoaded(&view));
        QCOMPARE(view.outputPane()->view()->topRow(),
                 model->rowCount() - view.outputPane()->view()->pageRows());

        // A host filter shows only that host's lines, numbered as in the whole output.
        view.showFind();
        OutputFindBar *bar = view.outputPane()->findBar();
        auto *host = bar->findChild<QLineEdit *>(QStringLiteral("filterHostEdit"));
        QVERIFY(host);
        host->setText(QStringLiteral("web7"));
        QTRY_COMPARE(model->rowCount(), 12); // 7, 57, ..., 557
        QVERIFY(model->isFiltered());
        QCOMPARE(model->index(1, 0).data(OutputLineModel::LineNumberRole).toInt(), 58);
        QTRY_COMPARE(model->index(1, 0).data().toString(), QStringLiteral("ok: [web7] => (item=57)"));
        host->clear();
        QTRY_COMPARE(model->rowCount(), 601);
        QVERIFY(!model->isFiltered());

        // Only the lines matching a regular expression, and the outcome filter.
        auto *regex = bar->findChild<QCheckBox *>(QStringLiteral("findRegexBox"));
        auto *only = bar->findChild<QCheckBox *>(QStringLiteral("findOnlyBox"));
        regex->setChecked(true);
        only->setChecked(true);
        bar->setText(QStringLiteral("item=4[0-9]\\)"));
        QTRY_COMPARE(model->rowCount(), 10);
        QTRY_COMPARE(model->index(0, 0).data().toString(), QStringLiteral("ok: [web40] => (item=40)"));
        bar->setText(QStringLiteral("(unclosed"));
        QTRY_VERIFY(bar->status().contains(QStringLiteral("not valid")));
        bar->setText(QString());
        only->setChecked(false);
        auto *outcome = bar->findChild<QComboBox *>(QStringLiteral("filterOutcomeBox"));
        outcome->setCurrentIndex(outcome->findData(int(LineOutcome::Failed)));
        QTRY_COMPARE(model->rowCount(), 0);
        QTRY_COMPARE(bar->status(), QStringLiteral("Not found"));
        outcome->setCurrentIndex(outcome->findData(int(LineOutcome::Ok)));
        QTRY_COMPARE(model->rowCount(), 600);
        outcome->setCurrentIndex(0);
        QTRY_COMPARE(model->rowCount(), 601);

        // A line's event, its data as JSON.
        OutputLinesView *lines = view.outputPane()->view();
        lines->setCurrentRow(5);
        QTRY_VERIFY(model->index(5, 0).data(OutputLineModel::LoadedRole).toBool());
        view.outputPane()->showEventOf(5);
        auto *data = view.findChild<QPlainTextEdit *>(QStringLiteral("eventDataView"));
        QVERIFY(data);
        QTRY_VERIFY(data->toPlainText().contains(QStringLiteral("Loop over items")));
        QVERIFY(
            view.findChild<QLabel *>(QStringLiteral("eventTitle"))->text().contains(QStringLiteral("web5")));

        // Copy the selected lines.
        QSignalSpy copied(lines, &OutputLinesView::copied);
        lines->setCurrentRow(2);
        lines->setCurrentRow(4, true);
        lines->copy();
        QTRY_COMPARE(copied.count(), 1);
        QCOMPARE(QGuiApplication::clipboard()->text(),
                 QStringLiteral("ok: [web2] => (item=2)\nok: [web3] => (item=3)\nok: [web4] => (item=4)"));

        // Go to a line; following stops there.
        view.outputPane()->goToLine(301);
        QVERIFY(!view.isFollowing());
        QTRY_COMPARE(test::currentLine(&view), QStringLiteral("ok: [web0] => (item=300)"));

        // Downloads: plain, with colours, JSON lines with timestamps.
        QTemporaryDir dir;
        QSignalSpy saved(view.outputPane(), &JobOutputPane::saved);
        const QString plain = dir.filePath(QStringLiteral("out.txt"));
        const QString ansi = dir.filePath(QStringLiteral("out.ansi"));
        const QString json = dir.filePath(QStringLiteral("out.jsonl"));
        view.outputPane()->saveOutput(JobService::OutputFormat::Plain, plain);
        view.outputPane()->saveOutput(JobService::OutputFormat::Ansi, ansi);
        view.outputPane()->saveOutput(JobService::OutputFormat::JsonLines, json);
        QTRY_COMPARE(saved.count(), 3);
        QFile p(plain), a(ansi), j(json);
        QVERIFY(p.open(QIODevice::ReadOnly) && a.open(QIODevice::ReadOnly) && j.open(QIODevice::ReadOnly));
        const QList<QByteArray> plainLines = p.readAll().split('\n');
        QCOMPARE(plainLines.size(), 601); // 600 lines and the end
        QCOMPARE(plainLines.at(4), QByteArray("ok: [web5] => (item=5)"));
        QVERIFY(!plainLines.join().contains('\x1b'));
        QVERIFY(a.readAll().contains("\x1b[0;32mok: [web5] => (item=5)\x1b[0m\n"));
        const QList<QByteArray> jsonLines = j.readAll().trimmed().split('\n');
        QCOMPARE(jsonLines.size(), 600);
        const QJsonObject fifth = QJsonDocument::fromJson(jsonLines.at(4)).object();
        QCOMPARE(fifth.value(QStringLiteral("counter")).toInt(), 5);
        QVERIFY(fifth.value(QStringLiteral("created")).toString().endsWith(QLatin1Char('Z')));
        // A path that cannot be written is an error, and nothing is left behind.
        QSignalSpy failed(view.outputPane(), &JobOutputPane::saveFailed);
        view.outputPane()->saveOutput(JobService::OutputFormat::Plain,
                                      dir.filePath(QStringLiteral("no/such/dir")));
        QTRY_COMPARE(failed.count(), 1);
    }

    void searchFindsALineThatArrivesAfterItStarted() {
        // 200 lines at once, then for seconds a line every 200 ms, then the one searched for.
        ScriptedTransport::Script s;
        s.intervalMs = 200;
        s.chunks << test::statusLine(QStringLiteral("starting")) +
                        test::statusLine(QStringLiteral("running"));
        QByteArray first;
        for (int c = 1; c <= 200; ++c)
            first += test::loopEventLine(c, QDateTime::currentDateTimeUtc());
        s.chunks << first;
        constexpr int needle = 226;
        for (int c = 201; c < needle; ++c)
            s.chunks << test::loopEventLine(c, QDateTime::currentDateTimeUtc());
        s.chunks << test::loopEventLine(needle).replace("(item=226)", "(item=needle)");
        s.chunks << test::successfulEnd();
        m_scripts.push(s);
        const qint64 job = m_engine->launch(QStringLiteral("Scripted"));
        QVERIFY(job > 0);
        JobView view(m_engine->controller(), job);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        OutputLineModel *model = view.outputPane()->model();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() >= 200, 20000);

        view.showFind();
        view.outputPane()->findBar()->setText(QStringLiteral("needle"));
        OutputSearch *search = view.outputPane()->search();
        QTRY_VERIFY(search->isCaughtUp());
        QVERIFY2(model->lineCount() < needle, "the needle came before the search started");
        QCOMPARE(search->matchCount(), 0);
        // Asked for the next match before it exists: the view goes there when it arrives.
        view.outputPane()->findNext();
        // While the job runs the view tells how far behind it is.
        QTRY_VERIFY_WITH_TIMEOUT(view.outputPane()->lagText().contains(QStringLiteral("events/s")), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(search->matchCount(), 1, 20000);
        QCOMPARE(search->matches().first().first, needle);
        QTRY_COMPARE(test::currentLine(&view), QStringLiteral("ok: [web26] => (item=needle)"));
        QCOMPARE(m_engine->waitForFinished(job), JobStatus::Successful);
        QTRY_VERIFY(view.outputPane()->lagText().isEmpty());
    }

    void aMillionLineJobOpensAtOnceAndStaysSmall() {
        constexpr int events = 250000; // four lines each
        constexpr int lines = 4 * events;
        const qint64 job =
            m_engine
                ->scalar(QStringLiteral("INSERT INTO unified_job (name, status, playbook,"
                                        " event_processing_finished) VALUES ('Big', 'successful',"
                                        " 'big.yml', true) RETURNING id"))
                .toLongLong();
        QVERIFY(job > 0);
        QElapsedTimer generating;
        generating.start();
        QCOMPARE(
            m_engine
                ->scalar(QStringLiteral(
                             "WITH made AS (INSERT INTO job_event (job_id, counter, event, host_name, stdout,"
                             " start_line, end_line, failed, created) SELECT ?, g,"
                             " CASE WHEN g % 1000 = 0 THEN 'runner_on_failed' ELSE 'runner_on_ok' END,"
                             " 'host' || (g % 100), concat_ws(E'\\r\\n', 'line ' || (4 * g - 4),"
                             " 'line ' || (4 * g - 3), 'line ' || (4 * g - 2), 'line ' || (4 * g - 1)),"
                             " 4 * g - 4, 4 * g, g % 1000 = 0, now() FROM generate_series(1, ?) g"
                             " RETURNING 1) SELECT count(*) FROM made"),
                         {job, events})
                .toInt(),
            events);
        qInfo("generated %d lines in %lld ms", lines, generating.elapsed());
        const double before = residentMiB();

        // Opening it: the last screen (following), without reading the job.
        QElapsedTimer opening;
        opening.start();
        JobView view(m_engine->controller(), job);
        view.resize(1000, 700);
        view.show();
        QTRY_VERIFY(screenLoaded(&view));
        const qint64 openMs = opening.elapsed();
        OutputLineModel *model = view.outputPane()->model();
        QCOMPARE(model->rowCount(), lines);
        const int last = model->rowCount() - 1;
        QCOMPARE(model->index(last, 0).data().toString(), QStringLiteral("line %1").arg(lines - 1));

        // Jumping anywhere reads one page.
        QElapsedTimer jumping;
        jumping.start();
        view.outputPane()->goToLine(500001);
        QTRY_COMPARE(test::currentLine(&view), QStringLiteral("line 500000"));
        const qint64 jumpMs = jumping.elapsed();

        // Scrolling all over it keeps a bounded number of pages.
        QScrollBar *bar = view.outputPane()->view()->verticalScrollBar();
        for (int i = 0; i < 200; ++i) {
            bar->setValue(QRandomGenerator::global()->bounded(bar->maximum()));
            QTRY_VERIFY(screenLoaded(&view));
        }
        QVERIFY(model->pagesHeld() <= OutputLineModel::MaxPages);
        const double grown = residentMiB() - before;
        qInfo("1M lines: first screen %lld ms, jump %lld ms, memory +%.1f MiB", openMs, jumpMs, grown);
        QVERIFY2(grown < 100, qPrintable(QStringLiteral("the view grew by %1 MiB").arg(grown)));

        // A search through all of it never stalls the window; the failed lines are found.
        QElapsedTimer loop;
        qint64 worstGap = 0;
        QTimer tick;
        tick.setInterval(5);
        loop.start();
        connect(&tick, &QTimer::timeout, this, [&] { worstGap = qMax(worstGap, loop.restart()); });
        tick.start();
        view.showFind();
        auto *outcome =
            view.outputPane()->findBar()->findChild<QComboBox *>(QStringLiteral("filterOutcomeBox"));
        outcome->setCurrentIndex(outcome->findData(int(LineOutcome::Failed)));
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 4 * (events / 1000), 30000);
        view.outputPane()->findBar()->setText(QStringLiteral("line 999999"));
        QTRY_VERIFY_WITH_TIMEOUT(view.outputPane()->search()->isCaughtUp(), 60000);
        QCOMPARE(view.outputPane()->search()->matchCount(), 1);
        QCOMPARE(model->rowCount(), 1);
        tick.stop();
        qInfo("search through 1M lines: the window's longest pause %lld ms", worstGap);
        QVERIFY2(worstGap < 500, qPrintable(QStringLiteral("the window paused for %1 ms").arg(worstGap)));
    }

private:
    test::ScriptQueue m_scripts;
    std::unique_ptr<TestEngine> m_engine;
};

QTEST_MAIN(OutputTest)
#include "tst_output.moc"

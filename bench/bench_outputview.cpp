// The job view's output (issue 7): a generated job of N lines (default 1,000,000, and 10,000,000
// with `bench_outputview 10000000`) opened in a real JobView, offscreen. Prints one JSON object:
//  - first screen: construction to the last screen painted with text (the view follows), and to
//    the first screen after Home;
//  - jumps to random lines until their screen has text (median, p95, worst);
//  - the resident memory the view added after all that (the output itself is never held);
//  - a search for a line near the end: time to the match, and the window's longest pause meanwhile;
// next to the same-run baseline: the raw page query (the view's one SQL statement) timed directly.
//
//   bench_outputview [lines [jumps]]      (defaults 1000000, 50)

#include "JobOutputPane.h"
#include "JobView.h"
#include "OutputFindBar.h"
#include "OutputLineModel.h"
#include "OutputLinesView.h"
#include "OutputSearch.h"

#include "TestEngine.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSqlQuery>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace playdeck;

namespace {

double residentMiB() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    return 0;
}

bool screenLoaded(JobView &view) {
    const OutputLinesView *lines = view.outputPane()->view();
    const OutputLineModel *model = view.outputPane()->model();
    if (model->rowCount() == 0)
        return false;
    const int last = qMin(model->rowCount(), lines->topRow() + lines->pageRows());
    for (int row = lines->topRow(); row < last; ++row)
        if (!model->index(row, 0).data(OutputLineModel::LoadedRole).toBool())
            return false;
    return true;
}

// Milliseconds until `done`, serving events without sleeping (QTest's waits nap 10-50 ms).
template <typename F> double until(F done, int timeoutMs = 60000) {
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
        if (clock.elapsed() > timeoutMs)
            return -1;
    }
    return double(clock.nsecsElapsed()) / 1e6;
}

double percentile(QList<double> v, double p) {
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    return v.at(qMin(v.size() - 1, qsizetype(p * double(v.size()))));
}

} // namespace

int main(int argc, char **argv) {
    qputenv("PLAYDECK_CLUSTER_FAST", "1"); // reading only
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int lines = argc > 1 ? std::max(1000, atoi(argv[1])) : 1000000;
    const int jumps = argc > 2 ? std::max(1, atoi(argv[2])) : 50;
    const int events = lines / 4;
    QLoggingCategory::setFilterRules(QStringLiteral("playdeck.*.info=false\nplaydeck.*.warning=false"));
    test::TestEngine engine([](EngineOptions &o) { o.runJobs = EngineOptions::RunJobs::Never; });
    if (!engine.ok()) {
        std::fprintf(stderr, "bench_outputview: %s\n", qPrintable(engine.error()));
        return 1;
    }
    const qint64 job =
        engine
            .scalar(QStringLiteral("INSERT INTO unified_job (name, status, event_processing_finished)"
                                   " VALUES ('generated', 'successful', true) RETURNING id"))
            .toLongLong();
    // Four coloured lines an event, as a task header and results print them.
    QElapsedTimer fill;
    fill.start();
    (void)engine.scalar(
        QStringLiteral(
            "INSERT INTO job_event (job_id, counter, event, host_name, stdout, start_line, end_line,"
            " failed, created) SELECT ?, g, 'runner_on_ok', 'web' || g % 50, concat_ws(E'\\r\\n',"
            " E'\\u001b[0;32mok: [web' || g % 50 || '] line ' || (4 * g - 4) || E'\\u001b[0m',"
            " 'line ' || (4 * g - 3), 'line ' || (4 * g - 2), 'line ' || (4 * g - 1)), 4 * g - 4,"
            " 4 * g, false, now() FROM generate_series(1, ?) g"),
        {job, events});
    const double fillSeconds = double(fill.nsecsElapsed()) / 1e9;
    (void)engine.scalar(QStringLiteral("VACUUM ANALYZE job_event"));

    // The baseline: the page query itself, from this process, at random lines.
    QSqlDatabase db = engine.db();
    QList<double> pageQuery;
    for (int i = 0; i < jumps; ++i) {
        const int line = QRandomGenerator::global()->bounded(lines);
        QElapsedTimer t;
        t.start();
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT counter, start_line, end_line, event, stdout, failed, changed FROM"
                                 " job_event WHERE job_id = ? AND end_line > ? AND end_line > start_line"
                                 " ORDER BY end_line LIMIT ?"));
        q.addBindValue(job);
        q.addBindValue(line);
        q.addBindValue(OutputLineModel::PageLines);
        q.exec();
        while (q.next())
            (void)q.value(4).toString();
        pageQuery << double(t.nsecsElapsed()) / 1e6;
    }

    const double before = residentMiB();
    QElapsedTimer opening;
    opening.start();
    JobView view(engine.controller(), job);
    view.resize(1200, 800);
    view.show();
    const double lastScreenMs = until([&] { return screenLoaded(view); });
    (void)opening;
    OutputLinesView *lineView = view.outputPane()->view();
    OutputLineModel *model = view.outputPane()->model();
    const double rows = model->rowCount();

    QElapsedTimer home;
    home.start();
    lineView->setCurrentRow(0);
    const double firstScreenMs = until([&] { return lineView->topRow() == 0 && screenLoaded(view); });

    QList<double> jumpMs;
    for (int i = 0; i < jumps; ++i) {
        const int line = QRandomGenerator::global()->bounded(lines) + 1;
        QElapsedTimer t;
        t.start();
        view.outputPane()->goToLine(line);
        const double ms = until([&] {
            const int row = lineView->currentRow();
            return row >= 0 && model->lineOfRow(row) == line - 1 && screenLoaded(view);
        });
        jumpMs << ms;
    }
    // And a fast scroll: a thousand scroll-bar positions, one event-loop pass each.
    QScrollBar *bar = lineView->verticalScrollBar();
    for (int i = 0; i < 1000; ++i) {
        bar->setValue(QRandomGenerator::global()->bounded(bar->maximum()));
        QCoreApplication::processEvents();
    }
    (void)until([&] { return screenLoaded(view); });
    const double grownMiB = residentMiB() - before;

    // A search for a line near the end, with a 5 ms timer watching the event loop.
    QElapsedTimer loop;
    qint64 worstGap = 0;
    QTimer tick;
    tick.setInterval(5);
    loop.start();
    QObject::connect(&tick, &QTimer::timeout, [&] { worstGap = qMax(worstGap, loop.restart()); });
    tick.start();
    view.showFind();
    view.outputPane()->findBar()->setText(QStringLiteral("line %1").arg(lines - 3));
    const double searchMs = until([&] { return view.outputPane()->search()->isCaughtUp(); }, 600000);
    tick.stop();
    // BENCH_SCREENSHOT=file.png: what the operator sees at the match.
    if (const QString shot = qEnvironmentVariable("BENCH_SCREENSHOT"); !shot.isEmpty()) {
        view.outputPane()->findNext();
        (void)until([&] { return screenLoaded(view); });
        view.outputPane()->showEventOf(lineView->currentRow());
        (void)until([&] { return false; }, 300); // the event's JSON arrives
        view.grab().save(shot);
    }

    const QJsonObject out{
        {QStringLiteral("benchmark"), QStringLiteral("output_view")},
        {QStringLiteral("lines"), rows},
        {QStringLiteral("generate_s"), fillSeconds},
        {QStringLiteral("last_screen_ms"), lastScreenMs},
        {QStringLiteral("first_screen_ms"), firstScreenMs},
        {QStringLiteral("target_first_screen_ms"), 100},
        {QStringLiteral("jump_ms_median"), percentile(jumpMs, 0.5)},
        {QStringLiteral("jump_ms_p95"), percentile(jumpMs, 0.95)},
        {QStringLiteral("jump_ms_worst"), percentile(jumpMs, 1.0)},
        {QStringLiteral("target_jump_ms"), 50},
        {QStringLiteral("baseline_page_query_ms_median"), percentile(pageQuery, 0.5)},
        {QStringLiteral("baseline_page_query_ms_p95"), percentile(pageQuery, 0.95)},
        {QStringLiteral("view_memory_mb"), grownMiB},
        {QStringLiteral("target_memory_mb"), 100},
        {QStringLiteral("pages_held"), model->pagesHeld()},
        {QStringLiteral("search_all_ms"), searchMs},
        {QStringLiteral("search_matches"), view.outputPane()->search()->matchCount()},
        {QStringLiteral("window_longest_pause_ms"), double(worstGap)},
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return 0;
}

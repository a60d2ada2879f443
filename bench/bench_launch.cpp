// Launch latency of the demo template through the whole engine, next to bare ansible-playbook and
// bare `ansible-runner worker` fed the same transmit stream. Prints one JSON object.
//
//   bench_launch [runs]      (default 5)

#include "Processes.h"
#include "TestEngine.h"

#include "db/Connections.h"
#include "runner/PlaybookPlan.h"
#include "store/UnifiedJobStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace playdeck;

namespace {

QJsonObject summary(QList<double> values) {
    std::sort(values.begin(), values.end());
    const auto at = [&](double q) {
        return values.isEmpty() ? 0.0 : values.at(qsizetype(q * double(values.size() - 1) + 0.5));
    };
    return {{QStringLiteral("runs"), values.size()},
            {QStringLiteral("min_ms"), values.isEmpty() ? 0.0 : values.first()},
            {QStringLiteral("p50_ms"), at(0.5)},
            {QStringLiteral("max_ms"), values.isEmpty() ? 0.0 : values.last()}};
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, atoi(argv[1])) : 5;
    QLoggingCategory::setFilterRules(QStringLiteral("playdeck.*.info=false"));
    test::TestEngine engine;
    if (!engine.ok()) {
        std::fprintf(stderr, "bench_launch: %s\n", qPrintable(engine.error()));
        return 1;
    }

    // The same job without Playdeck: its private data dir, run by ansible-playbook and by the worker.
    // Runs alternate with the engine's so that both see the same machine.
    const qint64 warmup = engine.launch(QStringLiteral("Demo Job Template"));
    if (!warmup || engine.waitForFinished(warmup) != JobStatus::Successful) {
        std::fprintf(stderr, "bench_launch: the warm-up job did not succeed\n");
        return 1;
    }
    QSqlDatabase db = engine.db();
    auto job = UnifiedJobStore(db).load(warmup);
    auto input = job ? readRunInput(db, job.take()) : Result<RunInput>(job.status());
    QTemporaryDir dir;
    auto prepared =
        input ? PlaybookPlan().prepare(input.value(), dir.path()) : Result<QByteArray>(input.status());
    if (!prepared) {
        std::fprintf(stderr, "bench_launch: cannot build the private data dir: %s\n",
                     qPrintable(prepared.error()));
        return 1;
    }
    const QByteArray transmit = prepared.value();
    QList<double> bareWorker, barePlaybook;

    QList<double> toRunning, toFinished, wall;
    for (int i = 1; i < runs + 1; ++i) {
        QElapsedTimer timer;
        timer.start();
        const qint64 id = engine.launch(QStringLiteral("Demo Job Template"));
        if (!id || engine.waitForFinished(id) != JobStatus::Successful) {
            std::fprintf(stderr, "bench_launch: job %lld did not succeed\n", id);
            return 1;
        }
        wall << double(timer.nsecsElapsed()) / 1e6;
        toRunning << engine
                         .scalar(QStringLiteral(
                                     "SELECT extract(epoch FROM started - created) * 1000 FROM unified_job"
                                     " WHERE id = ?"),
                                 {id})
                         .toDouble();
        toFinished << engine
                          .scalar(QStringLiteral(
                                      "SELECT extract(epoch FROM finished - created) * 1000 FROM unified_job"
                                      " WHERE id = ?"),
                                  {id})
                          .toDouble();
        bareWorker << 1000 * test::timedRun(QStringLiteral("ansible-runner"), {QStringLiteral("worker")},
                                            dir.path(), transmit);
        barePlaybook << 1000 * test::timedRun(QStringLiteral("ansible-playbook"),
                                              {QStringLiteral("-i"),
                                               dir.path() + QStringLiteral("/inventory/hosts.json"),
                                               QStringLiteral("hello_world.yml")},
                                              dir.path() + QStringLiteral("/project"), {});
    }

    const QJsonObject out{
        {QStringLiteral("benchmark"), QStringLiteral("launch_demo_template")},
        {QStringLiteral("launch_to_running"), summary(toRunning)},
        {QStringLiteral("launch_to_finished"), summary(toFinished)},
        {QStringLiteral("launch_to_all_events_stored_wall"), summary(wall)},
        {QStringLiteral("bare_ansible_runner_worker"), summary(bareWorker)},
        {QStringLiteral("bare_ansible_playbook"), summary(barePlaybook)},
    };
    std::puts(QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    return 0;
}

// Memory of the process that hosts the engine (issue 5): idle, with 10 jobs running, and during and
// after a 200k-event job whose result stream comes faster than PostgreSQL can take it (back-pressure
// keeps the backlog bounded). Prints one JSON object.
//
//   bench_memory [events [--no-ten-jobs]]      (default 200000)
//
// The 10 jobs are real ansible-runner jobs (a sleep); the large job is a replayed stream of ~1 KB
// events (no ansible: 200k real events would take ~7 minutes to produce). The baseline is the same
// process before its engine started.

#include "ScriptedTransport.h"
#include "TestEngine.h"

#include "db/DbPool.h"
#include "db/HelperProgram.h"
#include "runner/LocalTransport.h"
#include "services/JobService.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QTimer>

#include <cstdio>

using namespace playdeck;
using playdeck::test::ScriptedTransport;

namespace {

double statusFieldMb(const char *field) {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').first().toDouble() / 1024.0;
    return 0;
}
double rssMb() {
    return statusFieldMb("VmRSS:");
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const int events = argc > 1 ? std::max(1000, atoi(argv[1])) : 200000;
    const bool tenJobs = !(argc > 2 && qstrcmp(argv[2], "--no-ten-jobs") == 0);
    QLoggingCategory::setFilterRules(QStringLiteral("playdeck.*.info=false\nplaydeck.*.warning=false"));
    const double baseline = rssMb();

    test::ScriptQueue scripts;
    test::TestEngine engine([&scripts](EngineOptions &o) { o.transport = scripts.transports(); });
    if (!engine.ok()) {
        std::fprintf(stderr, "bench_memory: %s\n", qPrintable(engine.error()));
        return 1;
    }
    const auto backends = [&] {
        return engine
            .scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = 'playdeck'"))
            .toInt();
    };
    // Warm up: one real job, so that idle means "has run a job", as a window that was used.
    const qint64 warm = engine.launch(QStringLiteral("Demo Job Template"));
    if (engine.waitForFinished(warm) != JobStatus::Successful) {
        std::fprintf(stderr, "bench_memory: the warm-up job failed\n");
        return 1;
    }
    const double idle = rssMb();
    const int idleBackends = backends();

    // Ten real jobs at once.
    engine.addTemplate(
        QStringLiteral("Ten"),
        QStringLiteral("- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 600\n"),
        QStringLiteral("allow_simultaneous"), {true});
    QList<qint64> ten;
    for (int i = 0; tenJobs && i < 10; ++i)
        ten << engine.launch(QStringLiteral("Ten"));
    (void)QTest::qWaitFor(
        [&] {
            return engine
                       .scalar(QStringLiteral(
                           "SELECT count(*) FROM job_event e JOIN unified_job j ON j.id = e.job_id"
                           " WHERE j.job_template_id = (SELECT id FROM job_template WHERE name = 'Ten')"
                           " AND e.event = 'runner_on_start'"))
                       .toInt() >= ten.size();
        },
        180000);
    const double tenRss = rssMb();
    const int tenBackends = backends();
    for (qint64 id : ten)
        (void)engine.controller().jobs().cancel(id);
    for (qint64 id : ten)
        engine.waitForFinished(id, 120000);
    const double afterTen = rssMb();

    // One job of `events` events, streamed as fast as the transport can.
    int produced = 0;
    ScriptedTransport::Script script;
    script.chunks = {test::statusLine(QStringLiteral("starting")) +
                     test::statusLine(QStringLiteral("running"))};
    script.generate = [&produced, events]() -> std::optional<QByteArray> {
        if (produced >= events)
            return std::nullopt;
        QByteArray chunk;
        for (int i = 0; i < 100 && produced < events; ++i)
            chunk += test::loopEventLine(++produced);
        if (produced >= events)
            chunk += test::successfulEnd();
        return chunk;
    };
    scripts.push(script);
    double peak = 0;
    qint64 backlogPeak = 0;
    QTimer sampler;
    sampler.setInterval(50);
    QObject::connect(&sampler, &QTimer::timeout, [&] { peak = std::max(peak, rssMb()); });
    sampler.start();
    QElapsedTimer clock;
    clock.start();
    const qint64 big = engine.launch(QStringLiteral("Demo Job Template"));
    const JobStatus bigStatus = engine.waitForFinished(big, 1800000);
    const double seconds = double(clock.elapsed()) / 1000.0;
    sampler.stop();
    (void)backlogPeak;
    QCoreApplication::processEvents();
    const double after = rssMb();
    const int stored =
        engine.scalar(QStringLiteral("SELECT count(*) FROM job_event WHERE job_id = ?"), {big}).toInt();

    const QJsonObject out{
        {QStringLiteral("benchmark"), QStringLiteral("controller_memory")},
        {QStringLiteral("baseline_process_before_engine_mb"), baseline},
        {QStringLiteral("idle_mb"), idle},
        {QStringLiteral("idle_database_backends"), idleBackends},
        {QStringLiteral("ten_jobs_running"),
         QJsonObject{{QStringLiteral("rss_mb"), tenRss},
                     {QStringLiteral("per_job_mb"), (tenRss - idle) / 10.0},
                     {QStringLiteral("database_backends"), tenBackends},
                     {QStringLiteral("backends_per_job"), double(tenBackends - idleBackends) / 10.0},
                     {QStringLiteral("rss_after_they_ended_mb"), afterTen}}},
        {QStringLiteral("large_job"),
         QJsonObject{{QStringLiteral("events"), events},
                     {QStringLiteral("stored"), stored},
                     {QStringLiteral("status"), statusName(bigStatus)},
                     {QStringLiteral("seconds"), seconds},
                     {QStringLiteral("events_per_second"), double(events) / seconds},
                     {QStringLiteral("rss_peak_mb"), peak},
                     {QStringLiteral("rss_after_mb"), after},
                     {QStringLiteral("rss_high_water_mb"), statusFieldMb("VmHWM:")}}},
    };
    std::puts(QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    return 0;
}

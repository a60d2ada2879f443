// The command-line readers (issue 7): `playdeck stdout JOB` and `playdeck events JOB --json` on a
// job of N events (default 1,000,000, one stdout line each), timed and with their peak memory, next
// to psql's own COPY of the same data in the same run. Prints one JSON object.
//
//   bench_readers [events [runs]]      (defaults 1000000, 3)
//
// The job's rows are generated in PostgreSQL (no ansible: a million real events take hours).

#include "TestEngine.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QSqlDatabase>

#include <algorithm>
#include <cstdio>

using namespace playdeck;

namespace {

struct Timed {
    double seconds = -1;
    double peakMb = 0;
    qint64 bytes = 0;
};

// Runs `program` under /usr/bin/time for its peak RSS; stdout is counted, not kept.
Timed timed(const QString &program, const QStringList &args) {
    QProcess p;
    p.setProgram(QStringLiteral("/usr/bin/time"));
    p.setArguments(QStringList{QStringLiteral("-f"), QStringLiteral("PEAK_KB %M"), program} + args);
    Timed t;
    QElapsedTimer clock;
    clock.start();
    p.start();
    while (p.state() != QProcess::NotRunning) {
        p.waitForReadyRead(100);
        t.bytes += p.readAllStandardOutput().size();
    }
    t.bytes += p.readAllStandardOutput().size();
    t.seconds = double(clock.nsecsElapsed()) / 1e9;
    const QByteArray err = p.readAllStandardError();
    const qsizetype at = err.lastIndexOf("PEAK_KB ");
    if (at >= 0)
        t.peakMb = err.mid(at + 8).trimmed().toDouble() / 1024.0;
    if (p.exitCode() != 0) {
        std::fprintf(stderr, "bench_readers: %s failed: %s\n", qPrintable(program), err.constData());
        t.seconds = -1;
    }
    return t;
}

QJsonObject summary(const QList<Timed> &runs) {
    QList<double> s;
    double peak = 0;
    for (const Timed &t : runs) {
        s << t.seconds;
        peak = std::max(peak, t.peakMb);
    }
    std::sort(s.begin(), s.end());
    return {{QStringLiteral("median_s"), s.isEmpty() ? 0 : s.at(s.size() / 2)},
            {QStringLiteral("peak_rss_mb"), peak},
            {QStringLiteral("bytes"), runs.isEmpty() ? 0 : double(runs.first().bytes)}};
}

} // namespace

int main(int argc, char **argv) {
    qputenv("PLAYDECK_CLUSTER_FAST", "1"); // reading only: durability does not matter here
    QCoreApplication app(argc, argv);
    const int events = argc > 1 ? std::max(1000, atoi(argv[1])) : 1000000;
    const int runs = argc > 2 ? std::max(1, atoi(argv[2])) : 3;
    QLoggingCategory::setFilterRules(QStringLiteral("playdeck.*.info=false\nplaydeck.*.warning=false"));
    test::TestEngine engine([](EngineOptions &o) { o.runJobs = EngineOptions::RunJobs::Never; });
    if (!engine.ok()) {
        std::fprintf(stderr, "bench_readers: %s\n", qPrintable(engine.error()));
        return 1;
    }
    const qint64 job =
        engine
            .scalar(QStringLiteral("INSERT INTO unified_job (name, status, event_processing_finished)"
                                   " VALUES ('generated', 'successful', true) RETURNING id"))
            .toLongLong();
    // Rows shaped like a loop's: ~100 bytes of coloured stdout and ~400 bytes of event_data.
    QElapsedTimer fill;
    fill.start();
    (void)engine.scalar(
        QStringLiteral(
            "INSERT INTO job_event (job_id, counter, event, event_data, uuid, host_name, play, task, stdout,"
            " start_line, end_line, created) SELECT ?, n, 'runner_item_on_ok',"
            " jsonb_build_object('host', 'web' || n % 50, 'task', 'Loop', 'res', jsonb_build_object('msg',"
            " repeat('x', 300), 'changed', false)), md5(n::text), 'web' || n % 50, 'Configure', 'Loop',"
            " E'\\u001b[0;32mok: [web' || n % 50 || '] => (item=' || n || E')\\u001b[0m', n, n + 1,"
            " now() FROM generate_series(1, ?) n"),
        {job, events});
    const double fillSeconds = double(fill.nsecsElapsed()) / 1e9;
    (void)engine.scalar(QStringLiteral("VACUUM ANALYZE job_event"));

    QSqlDatabase db = engine.db();
    const QString psql = QStringLiteral("psql");
    const QStringList connect{QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-h"),
                              db.hostName(),        QStringLiteral("-p"), QString::number(db.port()),
                              QStringLiteral("-U"), db.userName(),        QStringLiteral("-d"),
                              db.databaseName(),    QStringLiteral("-c")};
    const QString id = QString::number(job);
    const QString copyStdout =
        QStringLiteral(
            "\\copy (SELECT stdout FROM job_event WHERE job_id = %1 AND stdout <> '' ORDER BY counter)"
            " TO STDOUT")
            .arg(id);
    const QString copyEvents =
        QStringLiteral(
            "\\copy (SELECT job_id, counter, event, event_data, uuid, parent_uuid, host_name, play,"
            " task, role, stdout, start_line, end_line, verbosity, failed, changed, created FROM"
            " job_event WHERE job_id = %1 ORDER BY counter) TO STDOUT")
            .arg(id);
    const QString playdeck = QStringLiteral(PLAYDECK_BINARY);
    const QStringList dataDir{QStringLiteral("--data-dir"), engine.dataDir()};

    QList<Timed> pdStdout, pgStdout, pdEvents, pgEvents;
    for (int i = 0; i < runs; ++i) {
        pgStdout << timed(psql, connect + QStringList{copyStdout});
        pdStdout << timed(playdeck, dataDir + QStringList{QStringLiteral("stdout"), id});
        pgEvents << timed(psql, connect + QStringList{copyEvents});
        pdEvents << timed(playdeck,
                          dataDir + QStringList{QStringLiteral("events"), id, QStringLiteral("--json")});
    }
    const auto ratio = [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QStringLiteral("median_s")).toDouble() /
               b.value(QStringLiteral("median_s")).toDouble();
    };
    const QJsonObject out{
        {QStringLiteral("benchmark"), QStringLiteral("cli_readers")},
        {QStringLiteral("events"), events},
        {QStringLiteral("generate_s"), fillSeconds},
        {QStringLiteral("stdout"),
         QJsonObject{{QStringLiteral("playdeck"), summary(pdStdout)},
                     {QStringLiteral("psql_copy"), summary(pgStdout)},
                     {QStringLiteral("ratio"), ratio(summary(pdStdout), summary(pgStdout))},
                     {QStringLiteral("target_ratio"), 1.2},
                     {QStringLiteral("target_peak_rss_mb"), 20}}},
        {QStringLiteral("events_json"),
         QJsonObject{{QStringLiteral("playdeck"), summary(pdEvents)},
                     {QStringLiteral("psql_copy"), summary(pgEvents)},
                     {QStringLiteral("ratio"), ratio(summary(pdEvents), summary(pgEvents))},
                     {QStringLiteral("target_ratio"), 1.2},
                     {QStringLiteral("target_peak_rss_mb"), 20}}},
    };
    std::puts(QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    return 0;
}

// Event ingestion (issue 7): replayed result streams through the whole engine into PostgreSQL, next
// to a raw COPY of the same rows into job_event measured in the same run; the CPU the playdeck
// process spends per event; the lag from an event's creation to its row at 5k events/s; and a real
// ansible loop next to the bare `ansible-runner worker` on the same transmit stream. Prints one JSON
// object.
//
//   bench_ingest [events [runs [real-loop-items]]]      (defaults 20000, 3, 20000; 0 items skips it)
//
// The cluster runs with fsync on, as a user's does (the tests turn it off).

#include "Processes.h"
#include "ScriptedTransport.h"
#include "TestEngine.h"

#include "db/Connections.h"
#include "runner/PlaybookPlan.h"
#include "store/UnifiedJobStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlDriver>
#include <QTemporaryDir>

#include <libpq-fe.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <thread>

using namespace playdeck;
using playdeck::test::ScriptedTransport;

namespace {

const char *const kColumns =
    "job_id, counter, event, event_data, uuid, parent_uuid, host_name, play, task, role,"
    " stdout, start_line, end_line, verbosity, failed, changed, created";

double cpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// CPU time of each kind of thread of this process, in ns (from the scheduler's own count, exact to
// the nanosecond where getrusage counts ticks): job-worker-0 and job-worker-1 are one kind.
QHash<QString, qint64> threadCpuNs() {
    QHash<QString, qint64> byKind;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        QFile stat(tasks.filePath(tid + QStringLiteral("/schedstat")));
        if (!comm.open(QIODevice::ReadOnly) || !stat.open(QIODevice::ReadOnly))
            continue;
        QString kind = QString::fromUtf8(comm.readAll()).trimmed();
        while (!kind.isEmpty() && (kind.back().isDigit() || kind.back() == QLatin1Char('-')))
            kind.chop(1);
        byKind[kind] += stat.readAll().split(' ').value(0).toLongLong();
    }
    return byKind;
}

double median(QList<double> v) {
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0.0 : v.at(v.size() / 2);
}

QJsonArray toArray(const QList<double> &v) {
    QJsonArray a;
    for (double x : v)
        a.append(x);
    return a;
}

// Waits with a coarse poll, so that the waiting costs the process next to nothing.
bool waitStored(test::TestEngine &engine, const QList<qint64> &jobs, int timeoutMs = 600000) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        bool all = true;
        for (qint64 id : jobs)
            all = all && engine
                             .scalar(QStringLiteral("SELECT event_processing_finished FROM unified_job"
                                                    " WHERE id = ?"),
                                     {id})
                             .toBool();
        if (all)
            return true;
        QTest::qWait(20);
    }
    return false;
}

QByteArray conninfo(const QSqlDatabase &db) {
    return QStringLiteral("host='%1' port=%2 dbname='%3' user='%4'")
        .arg(db.hostName())
        .arg(db.port())
        .arg(db.databaseName(), db.userName())
        .toUtf8();
}

// The rows of `jobId` as COPY text, moved to the new job `asJob`.
QByteArray copyText(const QByteArray &info, qint64 jobId, qint64 asJob) {
    PGconn *c = PQconnectdb(info.constData());
    const QByteArray sql = "COPY (SELECT " + QByteArray::number(asJob) +
                           "::bigint, counter, event, event_data, uuid, parent_uuid, host_name, play, task,"
                           " role, stdout, start_line, end_line, verbosity, failed, changed, created"
                           " FROM job_event WHERE job_id = " +
                           QByteArray::number(jobId) + " ORDER BY counter) TO STDOUT";
    PQclear(PQexec(c, sql.constData()));
    QByteArray out;
    char *row = nullptr;
    int n = 0;
    while ((n = PQgetCopyData(c, &row, 0)) > 0) {
        out.append(row, n);
        PQfreemem(row);
    }
    while (PGresult *r = PQgetResult(c))
        PQclear(r);
    PQfinish(c);
    return out;
}

// COPY rows of job 0 (copyText's) as rows of `job`.
QByteArray movedTo(const QByteArray &rows, qint64 job) {
    const QByteArray id = QByteArray::number(job);
    QByteArray out;
    out.reserve(rows.size() + rows.size() / 64);
    for (qsizetype at = 0; at < rows.size();) {
        qsizetype end = rows.indexOf('\n', at);
        end = end < 0 ? rows.size() : end + 1;
        out += id;
        out.append(rows.constData() + at + 1, end - at - 1); // without the "0"
        at = end;
    }
    return out;
}

// One raw COPY of `rows` into job_event in its own transaction, as `\copy` does; seconds.
double rawCopy(const QByteArray &info, const QByteArray &rows) {
    PGconn *c = PQconnectdb(info.constData());
    QElapsedTimer t;
    t.start();
    const QByteArray sql = QByteArray("COPY job_event (") + kColumns + ") FROM STDIN";
    PQclear(PQexec(c, sql.constData()));
    for (qsizetype at = 0; at < rows.size(); at += 1 << 20)
        PQputCopyData(c, rows.constData() + at, int(std::min<qsizetype>(1 << 20, rows.size() - at)));
    PQputCopyEnd(c, nullptr);
    bool ok = true;
    while (PGresult *r = PQgetResult(c)) {
        ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
    }
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    PQfinish(c);
    return ok ? seconds : -1;
}

qint64 baselineJob(test::TestEngine &engine) {
    return engine
        .scalar(QStringLiteral("INSERT INTO unified_job (name, status) VALUES ('copy baseline', 'successful')"
                               " RETURNING id"))
        .toLongLong();
}

} // namespace

int main(int argc, char **argv) {
    qputenv("PLAYDECK_CLUSTER_FAST", "0");
    QCoreApplication app(argc, argv);
    const int events = argc > 1 ? std::max(1000, atoi(argv[1])) : 20000;
    const int runs = argc > 2 ? std::max(1, atoi(argv[2])) : 3;
    const int loopItems = argc > 3 ? std::max(0, atoi(argv[3])) : 20000;
    QLoggingCategory::setFilterRules(QStringLiteral("playdeck.*.info=false\nplaydeck.*.warning=false"));

    test::ScriptQueue scripts;
    test::TestEngine engine([&scripts](EngineOptions &o) { o.transport = scripts.transports(); });
    if (!engine.ok()) {
        std::fprintf(stderr, "bench_ingest: %s\n", qPrintable(engine.error()));
        return 1;
    }
    const QByteArray info = conninfo(engine.db());
    engine.addTemplate(QStringLiteral("Replay"), QStringLiteral("- hosts: all\n  tasks: []\n"),
                       QStringLiteral("allow_simultaneous"), {true});

    const ScriptedTransport::Script replay = test::loopJobScript(events);

    // One job at a time, alternating with a raw COPY of the same rows.
    QList<double> oneRate, streamRate, copyRate, cpuPerEvent;
    QMap<QString, QList<double>> threadCpu; // thread kind -> µs per event, a run each
    int lost = 0;
    QByteArray rows;
    for (int run = 0; run < runs + 1; ++run) { // the first run warms up and is not counted
        scripts.push(replay);
        QElapsedTimer t;
        t.start();
        const double cpu0 = cpuSeconds();
        const QHash<QString, qint64> threads0 = threadCpuNs();
        const qint64 id = engine.launch(QStringLiteral("Replay"));
        if (!id || !waitStored(engine, {id})) {
            std::fprintf(stderr, "bench_ingest: the replayed job did not finish\n");
            return 1;
        }
        const double seconds = double(t.nsecsElapsed()) / 1e9;
        const double cpu = cpuSeconds() - cpu0;
        const QHash<QString, qint64> threads1 = threadCpuNs();
        lost +=
            events -
            engine.scalar(QStringLiteral("SELECT count(*) FROM job_event WHERE job_id = ?"), {id}).toInt();
        if (rows.isEmpty())
            rows = copyText(info, id, 0);
        const qint64 into = baselineJob(engine);
        const double copySeconds = rawCopy(info, movedTo(rows, into));
        if (run == 0)
            continue;
        oneRate << events / seconds;
        // Without the launch: from the job's start to its last row.
        streamRate << events /
                          engine
                              .scalar(QStringLiteral("SELECT extract(epoch FROM max(e.modified) - j.started)"
                                                     " FROM job_event e JOIN unified_job j ON j.id = e.job_id"
                                                     " WHERE j.id = ? GROUP BY j.started"),
                                      {id})
                              .toDouble();
        cpuPerEvent << cpu * 1e6 / events;
        for (auto it = threads1.begin(); it != threads1.end(); ++it)
            if (const qint64 ns = it.value() - threads0.value(it.key()); ns > 0)
                threadCpu[it.key()] << double(ns) / 1e3 / events;
        copyRate << events / copySeconds;
    }

    // Ten jobs at once, next to ten parallel COPYs.
    QList<double> tenRate, tenCopyRate;
    for (int run = 0; run < runs; ++run) {
        for (int i = 0; i < 10; ++i)
            scripts.push(replay);
        QElapsedTimer t;
        t.start();
        QList<qint64> ids;
        for (int i = 0; i < 10; ++i)
            ids << engine.launch(QStringLiteral("Replay"));
        if (!waitStored(engine, ids)) {
            std::fprintf(stderr, "bench_ingest: the ten replayed jobs did not finish\n");
            return 1;
        }
        tenRate << 10.0 * events / (double(t.nsecsElapsed()) / 1e9);
        for (qint64 id : ids)
            lost += events -
                    engine.scalar(QStringLiteral("SELECT count(*) FROM job_event WHERE job_id = ?"), {id})
                        .toInt();
        QList<QByteArray> texts;
        for (int i = 0; i < 10; ++i) {
            texts << movedTo(rows, baselineJob(engine));
        }
        QElapsedTimer c;
        c.start();
        std::vector<std::thread> threads;
        for (const QByteArray &text : texts)
            threads.emplace_back([&info, text] { (void)rawCopy(info, text); });
        for (std::thread &th : threads)
            th.join();
        tenCopyRate << 10.0 * events / (double(c.nsecsElapsed()) / 1e9);
    }

    // Lag from creation to the stored row at 5k events/s: 50 events every 10 ms for 10 s.
    constexpr int paced = 50000;
    scripts.push(test::pacedLoopScript(paced, 5000));
    const qint64 pacedJob = engine.launch(QStringLiteral("Replay"));
    (void)waitStored(engine, {pacedJob});
    const auto lagAt = [&](double q) {
        return engine
            .scalar(QStringLiteral("SELECT percentile_cont(?) WITHIN GROUP (ORDER BY extract(epoch FROM"
                                   " modified - created) * 1000) FROM job_event WHERE job_id = ?"),
                    {q, pacedJob})
            .toDouble();
    };
    const double pacedRate =
        engine
            .scalar(QStringLiteral(
                        "SELECT count(*) / extract(epoch FROM max(created) - min(created)) FROM job_event"
                        " WHERE job_id = ?"),
                    {pacedJob})
            .toDouble();
    QJsonObject lag{{QStringLiteral("events"), paced},
                    {QStringLiteral("offered_events_per_second"), pacedRate},
                    {QStringLiteral("created_to_stored_p50_ms"), lagAt(0.5)},
                    {QStringLiteral("created_to_stored_p99_ms"), lagAt(0.99)},
                    {QStringLiteral("target_p99_ms"), 50}};

    // A real loop of `loopItems` debug items, next to the bare worker on the same transmit stream.
    QJsonObject real;
    if (loopItems > 0) {
        engine.addTemplate(
            QStringLiteral("Loop"),
            QStringLiteral("- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug:\n"
                           "        msg: \"{{ item }}\"\n      loop: \"{{ range(%1) | list }}\"\n")
                .arg(loopItems));
        QList<double> playdeck, bare;
        for (int run = 0; run < 2; ++run) {
            QElapsedTimer t;
            t.start();
            const qint64 id = engine.launch(QStringLiteral("Loop"));
            if (!id || engine.waitForFinished(id, 600000) != JobStatus::Successful) {
                std::fprintf(
                    stderr, "bench_ingest: the real loop did not succeed: %s %s\n",
                    qPrintable(statusName(engine.status(id))),
                    qPrintable(
                        engine
                            .scalar(QStringLiteral("SELECT job_explanation FROM unified_job WHERE id = ?"),
                                    {id})
                            .toString()));
                return 1;
            }
            playdeck << double(t.nsecsElapsed()) / 1e9;
            QSqlDatabase db = engine.db();
            auto job = UnifiedJobStore(db).load(id);
            auto input = job ? readRunInput(db, job.take()) : Result<RunInput>(job.status());
            QTemporaryDir dir;
            auto prepared = input ? PlaybookPlan().prepare(input.value(), dir.path())
                                  : Result<QByteArray>(input.status());
            if (!prepared) {
                std::fprintf(stderr, "bench_ingest: %s\n", qPrintable(prepared.error()));
                return 1;
            }
            bare << test::timedRun(QStringLiteral("ansible-runner"), {QStringLiteral("worker")}, dir.path(),
                                   prepared.value());
        }
        real = {{QStringLiteral("items"), loopItems},
                {QStringLiteral("playdeck_s"), toArray(playdeck)},
                {QStringLiteral("bare_worker_s"), toArray(bare)},
                {QStringLiteral("ratio"), median(playdeck) / median(bare)},
                {QStringLiteral("target_ratio"), 1.03}};
    }

    // Where the CPU goes: the job's worker thread (reads the stream), the receiver (writes COPY),
    // the rest; "bench_ingest" is this benchmark's own thread (waiting, polling).
    QJsonObject byThread;
    for (auto it = threadCpu.begin(); it != threadCpu.end(); ++it)
        if (median(it.value()) >= 0.01)
            byThread.insert(it.key(), median(it.value()));
    const QJsonObject out{
        {QStringLiteral("benchmark"), QStringLiteral("event_ingestion")},
        {QStringLiteral("events_per_job"), events},
        {QStringLiteral("events_lost"), lost},
        {QStringLiteral("one_job"),
         QJsonObject{{QStringLiteral("playdeck_events_per_s"), median(oneRate)},
                     {QStringLiteral("raw_copy_rows_per_s"), median(copyRate)},
                     {QStringLiteral("ratio"), median(oneRate) / median(copyRate)},
                     {QStringLiteral("target_ratio"), 0.85},
                     {QStringLiteral("runs"), toArray(oneRate)},
                     {QStringLiteral("started_to_last_row_events_per_s"), median(streamRate)},
                     {QStringLiteral("started_to_last_row_ratio"), median(streamRate) / median(copyRate)},
                     {QStringLiteral("copy_runs"), toArray(copyRate)}}},
        {QStringLiteral("ten_jobs"),
         QJsonObject{{QStringLiteral("playdeck_events_per_s"), median(tenRate)},
                     {QStringLiteral("raw_copy_rows_per_s"), median(tenCopyRate)},
                     {QStringLiteral("ratio"), median(tenRate) / median(tenCopyRate)},
                     {QStringLiteral("target_ratio"), 0.85},
                     {QStringLiteral("runs"), toArray(tenRate)},
                     {QStringLiteral("copy_runs"), toArray(tenCopyRate)}}},
        {QStringLiteral("cpu_per_event_us"), QJsonObject{{QStringLiteral("median"), median(cpuPerEvent)},
                                                         {QStringLiteral("runs"), toArray(cpuPerEvent)},
                                                         {QStringLiteral("by_thread_median"), byThread},
                                                         {QStringLiteral("target"), 5}}},
        {QStringLiteral("lag"), lag},
        {QStringLiteral("real_loop"), real},
    };
    std::puts(QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    return 0;
}

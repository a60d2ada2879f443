#include "EventStore.h"

#include "CopyFormat.h"
#include "UnifiedJobStore.h"
#include "bus/Publisher.h"
#include "core/JsonWriter.h"
#include "db/Connections.h"
#include "events/HostSummary.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QScopeGuard>
#include <QSqlError>

#include <libpq-fe.h>

#include <algorithm>
#include <limits>
#include <string>

namespace playdeck {

namespace {

const char *const kColumns =
    "job_id, counter, event, event_data, uuid, parent_uuid, host_name, play, task, role,"
    " stdout, start_line, end_line, verbosity, failed, changed, created";

// COPY into job_event (or the staging table, which has the same columns), in appendBinaryRow's order.
QByteArray copyStatement(const char *table) {
    return QByteArray("COPY ") + table + " (" + kColumns + ") FROM STDIN WITH (FORMAT binary)";
}

Status libpqFailure(PGconn *conn, const PGresult *result) {
    const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const QString message =
        QString::fromUtf8(result ? PQresultErrorMessage(result) : PQerrorMessage(conn)).trimmed();
    return Status::failure(message.isEmpty() ? QString::fromUtf8(PQerrorMessage(conn)).trimmed() : message,
                           state ? QString::fromLatin1(state) : QString());
}

// Sends `rows` to a COPY the server is waiting for and collects every result of the query that
// started it (a COPY, and whatever statements follow it in the same query string).
Status sendCopyData(PGconn *conn, const QByteArray &rows) {
    // In pieces: PQputCopyData takes an int, and a size past 2 GiB would send nothing yet "succeed".
    constexpr qsizetype kPiece = 1 << 20;
    bool sent = true;
    for (qsizetype at = 0; sent && at < rows.size(); at += kPiece)
        sent = PQputCopyData(conn, rows.constData() + at, int(std::min(kPiece, rows.size() - at))) == 1;
    const bool ended = PQputCopyEnd(conn, sent ? nullptr : "client failed to send") == 1;
    Status status;
    while (PGresult *r = PQgetResult(conn)) {
        const ExecStatusType type = PQresultStatus(r);
        if (type != PGRES_COMMAND_OK && type != PGRES_TUPLES_OK && status)
            status = libpqFailure(conn, r);
        PQclear(r);
    }
    if (status && (!sent || !ended))
        status = libpqFailure(conn, nullptr);
    return status;
}

// Runs `sql`, which starts with a COPY FROM STDIN, and sends it `rows`.
Status copyQuery(PGconn *conn, const QByteArray &sql, const QByteArray &rows) {
    if (PQsendQuery(conn, sql.constData()) != 1)
        return libpqFailure(conn, nullptr);
    PGresult *res = PQgetResult(conn);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        Status s = libpqFailure(conn, res);
        PQclear(res);
        while (PGresult *r = PQgetResult(conn))
            PQclear(r);
        return s;
    }
    PQclear(res);
    return sendCopyData(conn, rows);
}

Status copyRows(QSqlDatabase &db, const char *table, const QByteArray &rows) {
    PGconn *conn = nativeHandle(db);
    if (!conn)
        return Status::failure(QStringLiteral("no libpq handle behind the QPSQL connection"));
    return copyQuery(conn, copyStatement(table), rows);
}

// The common case in two round trips and one commit: a single query string is one implicit
// transaction, so "COPY ... FROM STDIN; SELECT pg_notify(...)" stores the rows and tells listeners
// together or not at all, with no BEGIN, no COMMIT and no statement prepared per notification.
Status copyAndNotify(QSqlDatabase &db, const QByteArray &rows, const QHash<qint64, int> &highest) {
    PGconn *conn = nativeHandle(db);
    if (!conn)
        return Status::failure(QStringLiteral("no libpq handle behind the QPSQL connection"));
    QByteArray sql = copyStatement("job_event");
    for (auto it = highest.begin(); it != highest.end(); ++it) {
        const bus::Encoded encoded = bus::encode(bus::EventsCommitted{it.key(), it.value()});
        const QByteArray channel = encoded.channel.toUtf8();
        char *c = PQescapeLiteral(conn, channel.constData(), size_t(channel.size()));
        char *p = PQescapeLiteral(conn, encoded.payload.constData(), size_t(encoded.payload.size()));
        if (c && p)
            sql += QByteArray("; SELECT pg_notify(") + c + ", " + p + ')';
        PQfreemem(c);
        PQfreemem(p);
        if (!c || !p)
            return libpqFailure(conn, nullptr);
    }
    return copyQuery(conn, sql, rows);
}

Status storeHostSummaries(QSqlDatabase &db, const JobEvent &stats) {
    const QList<HostSummary> summaries = hostSummaries(QJsonDocument::fromJson(stats.eventData).object());
    for (const HostSummary &s : summaries) {
        auto r =
            exec(db,
                 QStringLiteral(
                     "INSERT INTO job_host_summary (job_id, host_name, changed, dark, failures, ok,"
                     " processed, skipped, rescued, ignored, failed) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                     " ON CONFLICT (job_id, host_name) DO UPDATE SET changed = excluded.changed,"
                     " dark = excluded.dark, failures = excluded.failures, ok = excluded.ok,"
                     " processed = excluded.processed, skipped = excluded.skipped,"
                     " rescued = excluded.rescued, ignored = excluded.ignored, failed = excluded.failed"),
                 {stats.jobId, s.host, s.changed, s.dark, s.failures, s.ok, s.processed, s.skipped, s.rescued,
                  s.ignored, s.failed()});
        if (!r)
            return r.status();
    }
    JobUpdate update;
    update.hostStatusCounts = hostStatusCounts(summaries);
    return UnifiedJobStore(db).update(stats.jobId, update, false);
}

} // namespace

Status EventStore::prepareWriterSession() {
    // A temporary table lives as long as its session: created on every new connection.
    return exec(m_db,
                QStringLiteral("CREATE TEMP TABLE IF NOT EXISTS job_event_staging (job_id bigint,"
                               " counter integer, event text, event_data jsonb, uuid text, parent_uuid text,"
                               " host_name text, play text, task text, role text, stdout text,"
                               " start_line integer, end_line integer, verbosity integer, failed boolean,"
                               " changed boolean, created timestamptz) ON COMMIT DELETE ROWS"))
        .status();
}

Status EventStore::storeBatch(std::span<const JobEvent> batch) {
    QByteArray rows;
    qint64 size = 0;
    for (const JobEvent &e : batch)
        size += e.weight();
    rows.reserve(qsizetype(std::min<qint64>(size, 64 << 20)));
    QHash<qint64, int> highest;
    bool stats = false;
    appendBinaryCopyHeader(rows);
    for (const JobEvent &e : batch) {
        appendBinaryRow(rows, e);
        highest[e.jobId] = std::max(highest.value(e.jobId), e.counter);
        stats = stats || e.event == QLatin1String("playbook_on_stats");
    }
    appendBinaryCopyTrailer(rows);
    const auto store = [&](bool idempotent) {
        return inTransaction<bool>(
                   m_db,
                   [&]() -> Result<bool> {
                       if (!idempotent) {
                           if (Status s = copyRows(m_db, "job_event", rows); !s)
                               return s;
                       } else {
                           if (Status s = copyRows(m_db, "job_event_staging", rows); !s)
                               return s;
                           auto inserted =
                               exec(m_db,
                                    QStringLiteral("INSERT INTO job_event (%1) SELECT job_id, counter, event,"
                                                   " event_data, uuid, parent_uuid, host_name, play,"
                                                   " task, role, stdout, start_line, end_line, verbosity,"
                                                   " failed, changed, created FROM job_event_staging"
                                                   " ON CONFLICT (job_id, counter) DO NOTHING")
                                        .arg(QLatin1String(kColumns)));
                           if (!inserted)
                               return inserted.status();
                       }
                       for (const JobEvent &e : batch)
                           if (e.event == QLatin1String("playbook_on_stats"))
                               if (Status s = storeHostSummaries(m_db, e); !s)
                                   return s;
                       for (auto it = highest.begin(); it != highest.end(); ++it)
                           if (Status s = bus::publish(m_db, bus::EventsCommitted{it.key(), it.value()}); !s)
                               return s;
                       return true;
                   })
            .status();
    };
    // Straight into the table; a batch with a recap also writes host summaries, in a transaction.
    Status direct = stats ? store(false) : copyAndNotify(m_db, rows, highest);
    // Some of these events are stored already (a batch written again after a reconnect whose commit
    // had gone through): store the rest, skipping those.
    if (!direct && direct.code() == QLatin1String("23505"))
        return store(true);
    return direct;
}

Status EventStore::finishJob(qint64 jobId, int emitted, int refused, const QString &refusedReason) {
    JobUpdate update;
    update.emittedEvents = emitted;
    update.refusedEvents = refused;
    update.refusedReason = refusedReason;
    update.eventProcessingFinished = true;
    return UnifiedJobStore(m_db).update(jobId, update);
}

Result<QList<JobEvent>> EventStore::load(qint64 jobId, int afterCounter, int maxCount) {
    auto q = exec(
        m_db,
        QStringLiteral("SELECT counter, event, event_data::text, uuid, parent_uuid, host_name, play, task,"
                       " role, stdout, start_line, end_line, verbosity, failed, changed,"
                       " floor(extract(epoch FROM created) * 1000)::int8, id FROM job_event WHERE job_id = ? "
                       "AND counter > ? AND counter <= ? ORDER BY counter"),
        {jobId, afterCounter,
         int(std::min<qint64>(qint64(afterCounter) + maxCount, std::numeric_limits<int>::max()))});
    if (!q)
        return q.status();
    QList<JobEvent> out;
    QSqlQuery &r = q.value();
    while (r.next()) {
        JobEvent e;
        e.jobId = jobId;
        e.counter = r.value(0).toInt();
        e.event = r.value(1).toString();
        e.eventData = r.value(2).toString().toUtf8();
        e.uuid = r.value(3).toString();
        e.parentUuid = r.value(4).toString();
        e.hostName = r.value(5).toString();
        e.play = r.value(6).toString();
        e.task = r.value(7).toString();
        e.role = r.value(8).toString();
        e.stdout = r.value(9).toString();
        e.startLine = r.value(10).toInt();
        e.endLine = r.value(11).toInt();
        e.verbosity = r.value(12).toInt();
        e.failed = r.value(13).toBool();
        e.changed = r.value(14).toBool();
        // Milliseconds since the epoch, not the driver's QDateTime: it converts each one to local
        // time, and glibc reads /etc/localtime's status for every conversion.
        e.created = QDateTime::fromMSecsSinceEpoch(r.value(15).toLongLong(), Qt::UTC);
        e.rowId = r.value(16).toLongLong();
        out.append(e);
    }
    return out;
}

Result<qint64> EventStore::dump(qint64 jobId, Dump what, const DumpSink &write) {
    PGconn *conn = nativeHandle(m_db);
    if (!conn)
        return Status::failure(QStringLiteral("no libpq handle behind the QPSQL connection"));
    const QByteArray job = QByteArray::number(jobId);
    // For `playdeck events --json` the columns come as text (as psql's COPY has them) and the JSON
    // is written here: building it in SQL made the server the bottleneck. `created` is formatted
    // by the server in UTC for this COPY only.
    const QByteArray sql =
        what == Dump::Stdout
            ? QByteArray("COPY (SELECT stdout FROM job_event WHERE job_id = " + job +
                         " AND stdout <> '' ORDER BY counter) TO STDOUT (FORMAT binary)")
            : QByteArray("COPY (SELECT changed::text, counter::text, created::text, end_line::text, event,"
                         " event_data::text, failed::text, host_name, job_id::text, parent_uuid, play, role,"
                         " start_line::text, stdout, task, uuid, verbosity::text FROM job_event"
                         " WHERE job_id = " +
                         job + " ORDER BY job_event.counter) TO STDOUT (FORMAT binary)");
    // UTC for this COPY only (SET LOCAL): the connection is shared with queries that count days in
    // the session's zone. COMMIT ends the transaction whatever happened (on an aborted one it rolls
    // back).
    const auto inTransaction = [conn](const char *sql) {
        PGresult *r = PQexec(conn, sql);
        Status s = PQresultStatus(r) == PGRES_COMMAND_OK ? Status() : libpqFailure(conn, r);
        PQclear(r);
        return s;
    };
    if (Status s = inTransaction("BEGIN; SET LOCAL TIME ZONE 'UTC'"); !s) {
        (void)inTransaction("ROLLBACK");
        return s;
    }
    const auto end = qScopeGuard([&] { (void)inTransaction("COMMIT"); });
    PGresult *res = PQexec(conn, sql.constData());
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        Status s = libpqFailure(conn, res);
        PQclear(res);
        return s;
    }
    PQclear(res);
    BinaryCopyReader reader;
    qint64 rows = 0;
    bool stopped = false, malformed = false;
    // The keys in the order of the columns above (sorted, as `events --json` always wrote them),
    // each with what goes before it.
    static const char *const keys[] = {
        "{\"changed\":",    ",\"counter\":",  ",\"created\":",    ",\"end_line\":", ",\"event\":",
        ",\"event_data\":", ",\"failed\":",   ",\"host_name\":",  ",\"job\":",      ",\"parent_uuid\":",
        ",\"play\":",       ",\"role\":",     ",\"start_line\":", ",\"stdout\":",   ",\"task\":",
        ",\"uuid\":",       ",\"verbosity\":"};
    // Numbers, booleans and event_data are JSON as the server writes them; the rest are strings.
    static const bool raw[] = {true,  true,  false, true, false, true,  true,  false, true,
                               false, false, false, true, false, false, false, true};
    // Whole lines go to the sink in chunks of about 64 KiB: one call per line was a tenth of the
    // time, and a chunk that ends with a line lets the sink strip escapes or decode UTF-8 in it.
    constexpr size_t kChunk = 64 * 1024;
    std::string out;
    out.reserve(kChunk + 4096);
    const auto flush = [&] {
        if (out.empty() || stopped)
            return !stopped;
        stopped = !write(out.data(), qsizetype(out.size()));
        out.clear();
        return !stopped;
    };
    const auto row = [&](const BinaryCopyReader::Fields &fields) {
        ++rows;
        if (what == Dump::Stdout) {
            out.append(fields.value(0).data(), size_t(fields.value(0).size()));
        } else {
            if (fields.size() != 17)
                return false;
            for (int i = 0; i < 17; ++i) {
                out += keys[i];
                const QByteArrayView field = fields[i];
                if (i == 2) { // "2026-12-01 12:00:00.123+00" as ISO 8601: "2026-12-01T12:00:00.123Z"
                    const QByteArrayView utc = field.endsWith("+00") ? field.chopped(3) : field;
                    const qsizetype space = utc.indexOf(' ');
                    out += '"';
                    out.append(utc.data(), size_t(space < 0 ? utc.size() : space));
                    if (space >= 0) {
                        out += 'T';
                        out.append(utc.data() + space + 1, size_t(utc.size() - space - 1));
                    }
                    out += "Z\"";
                } else if (raw[i]) {
                    if (field.isNull())
                        out += "null";
                    else
                        out.append(field.data(), size_t(field.size()));
                } else {
                    appendJsonString(out, field);
                }
            }
            out += '}';
        }
        out += '\n';
        return out.size() < kChunk || flush();
    };
    char *buffer = nullptr;
    int n = 0;
    while ((n = PQgetCopyData(conn, &buffer, 0)) > 0) {
        if (!stopped && !malformed && !reader.feed(buffer, n, row))
            malformed = !stopped;
        PQfreemem(buffer);
        // Once stopped, the rest of the COPY is read and dropped: the connection must end up idle.
    }
    if (!malformed)
        (void)flush(); // the last lines
    Status status;
    while (PGresult *r = PQgetResult(conn)) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && status)
            status = libpqFailure(conn, r);
        PQclear(r);
    }
    if (!status)
        return status;
    if (n == -2)
        return libpqFailure(conn, nullptr);
    if (stopped)
        return Status::failure(QObject::tr("Writing the job's output failed."));
    if (malformed || !reader.ended())
        return Status::failure(
            QObject::tr("The database sent the job's output in a form Playdeck does not read."));
    return rows;
}

Result<EventProgress> EventStore::progress(qint64 jobId) {
    auto q = exec(
        m_db,
        QStringLiteral("SELECT kind, status, finished, event_processing_finished, (SELECT"
                       " coalesce(max(counter), 0) FROM job_event WHERE job_id = u.id) FROM unified_job u"
                       " WHERE id = ?"),
        {jobId});
    if (!q)
        return q.status();
    EventProgress p;
    QSqlQuery &r = q.value();
    if (!r.next())
        return p;
    p.exists = true;
    p.kind = r.value(0).toString();
    p.status = statusFromName(r.value(1).toString()).value_or(JobStatus::New);
    p.finished = r.value(2).toDateTime();
    p.processingFinished = r.value(3).toBool();
    p.lastCounter = r.value(4).toInt();
    return p;
}

Result<int> EventStore::dropEventsOfJobsBefore(qint64 jobId) {
    // Partition job_event_pN holds job ids [N * 1000, (N + 1) * 1000). Attached ones, ones whose
    // DETACH ... CONCURRENTLY was interrupted (inhdetachpending), and detached ones not dropped yet.
    auto q =
        exec(m_db,
             QStringLiteral("SELECT c.relname, i.inhrelid IS NOT NULL, coalesce(i.inhdetachpending, false)"
                            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                            " LEFT JOIN pg_inherits i ON i.inhrelid = c.oid"
                            " WHERE n.nspname = current_schema() AND c.relkind = 'r'"
                            " AND c.relname ~ '^job_event_p[0-9]+$'"
                            " AND (substring(c.relname FROM 12)::bigint + 1) * 1000 <= ?"
                            " ORDER BY substring(c.relname FROM 12)::bigint"),
             {jobId});
    if (!q)
        return q.status();
    struct Partition {
        QString name;
        bool attached;
        bool detachPending;
    };
    QList<Partition> partitions;
    while (q.value().next())
        partitions.append(
            {q.value().value(0).toString(), q.value().value(1).toBool(), q.value().value(2).toBool()});
    int dropped = 0;
    for (const Partition &p : partitions) {
        // The names come from the catalog and match ^job_event_p[0-9]+$: safe to splice in.
        if (p.attached) {
            const QString detach =
                p.detachPending ? QStringLiteral("ALTER TABLE job_event DETACH PARTITION %1 FINALIZE")
                                : QStringLiteral("ALTER TABLE job_event DETACH PARTITION %1 CONCURRENTLY");
            if (auto r = exec(m_db, detach.arg(p.name)); !r)
                return r.status();
        }
        if (auto r = exec(m_db, QStringLiteral("DROP TABLE %1").arg(p.name)); !r)
            return r.status();
        ++dropped;
    }
    return dropped;
}

Result<QString> EventStore::stdoutText(qint64 jobId) {
    auto q = exec(
        m_db,
        QStringLiteral("SELECT stdout FROM job_event WHERE job_id = ? AND stdout <> '' ORDER BY counter"),
        {jobId});
    if (!q)
        return q.status();
    QString out;
    while (q.value().next()) {
        out += q.value().value(0).toString();
        out += QLatin1Char('\n');
    }
    return out;
}

Result<QList<HostSummary>> EventStore::hostSummaries(qint64 jobId) {
    auto q = exec(m_db,
                  QStringLiteral("SELECT host_name, changed, dark, failures, ok, processed, skipped, rescued,"
                                 " ignored FROM job_host_summary WHERE job_id = ? ORDER BY host_name"),
                  {jobId});
    if (!q)
        return q.status();
    QList<HostSummary> rows;
    while (q.value().next()) {
        const QSqlQuery &r = q.value();
        HostSummary h;
        h.host = r.value(0).toString();
        h.changed = r.value(1).toInt();
        h.dark = r.value(2).toInt();
        h.failures = r.value(3).toInt();
        h.ok = r.value(4).toInt();
        h.processed = r.value(5).toInt();
        h.skipped = r.value(6).toInt();
        h.rescued = r.value(7).toInt();
        h.ignored = r.value(8).toInt();
        rows << h;
    }
    return rows;
}

} // namespace playdeck

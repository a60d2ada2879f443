#include "EventStore.h"

#include "UnifiedJobStore.h"
#include "bus/Publisher.h"
#include "db/Connections.h"
#include "events/HostSummary.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QSqlError>

#include <libpq-fe.h>

namespace playdeck {

namespace {

// COPY's text format: backslash escapes for the characters that delimit rows and columns. Text that
// reaches here has no NUL (JsonText's sanitizer replaced it), but a NUL must never end a row early.
void appendCopyText(QByteArray &out, const QByteArray &value) {
    for (const char c : value) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\0':
            out += "\xEF\xBF\xBD"; // U+FFFD
            break;
        default:
            out += c;
        }
    }
}

void appendRow(QByteArray &out, const JobEvent &e) {
    const auto field = [&out](const QByteArray &v, bool last = false) {
        appendCopyText(out, v);
        out += last ? '\n' : '\t';
    };
    field(QByteArray::number(e.jobId));
    field(QByteArray::number(e.counter));
    field(e.event.toUtf8());
    field(e.eventData.isEmpty() ? QByteArray("{}") : e.eventData);
    field(e.uuid.toUtf8());
    field(e.parentUuid.toUtf8());
    field(e.hostName.toUtf8());
    field(e.play.toUtf8());
    field(e.task.toUtf8());
    field(e.role.toUtf8());
    field(e.stdout.toUtf8());
    field(QByteArray::number(e.startLine));
    field(QByteArray::number(e.endLine));
    field(QByteArray::number(e.verbosity));
    field(e.failed ? "t" : "f");
    field(e.changed ? "t" : "f");
    field(e.created.toUTC().toString(Qt::ISODateWithMs).toUtf8(), true);
}

const char *const kColumns =
    "job_id, counter, event, event_data, uuid, parent_uuid, host_name, play, task, role,"
    " stdout, start_line, end_line, verbosity, failed, changed, created";

Status libpqFailure(PGconn *conn, const PGresult *result) {
    const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const QString message =
        QString::fromUtf8(result ? PQresultErrorMessage(result) : PQerrorMessage(conn)).trimmed();
    return Status::failure(message.isEmpty() ? QString::fromUtf8(PQerrorMessage(conn)).trimmed() : message,
                           state ? QString::fromLatin1(state) : QString());
}

Status copyRows(QSqlDatabase &db, const char *table, const QByteArray &rows) {
    PGconn *conn = nativeHandle(db);
    if (!conn)
        return Status::failure(QStringLiteral("no libpq handle behind the QPSQL connection"));
    const QByteArray sql = QByteArray("COPY ") + table + " (" + kColumns + ") FROM STDIN";
    PGresult *res = PQexec(conn, sql.constData());
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        Status s = libpqFailure(conn, res);
        PQclear(res);
        return s;
    }
    PQclear(res);
    // In pieces: PQputCopyData takes an int, and a size past 2 GiB would send nothing yet "succeed".
    constexpr qsizetype kPiece = 1 << 20;
    bool sent = true;
    for (qsizetype at = 0; sent && at < rows.size(); at += kPiece)
        sent = PQputCopyData(conn, rows.constData() + at, int(std::min(kPiece, rows.size() - at))) == 1;
    const bool ended = PQputCopyEnd(conn, sent ? nullptr : "client failed to send") == 1;
    Status status;
    while (PGresult *r = PQgetResult(conn)) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && status)
            status = libpqFailure(conn, r);
        PQclear(r);
    }
    if (status && (!sent || !ended))
        status = libpqFailure(conn, nullptr);
    return status;
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
                               " counter integer, event text, event_data text, uuid text, parent_uuid text,"
                               " host_name text, play text, task text, role text, stdout text,"
                               " start_line integer, end_line integer, verbosity integer, failed boolean,"
                               " changed boolean, created timestamptz) ON COMMIT DELETE ROWS"))
        .status();
}

Status EventStore::storeBatch(const QList<JobEvent> &batch) {
    QByteArray rows;
    rows.reserve(batch.size() * 1024);
    QHash<qint64, int> highest;
    for (const JobEvent &e : batch) {
        appendRow(rows, e);
        highest[e.jobId] = std::max(highest.value(e.jobId), e.counter);
    }
    const auto store = [&](bool idempotent) {
        return inTransaction<bool>(
                   m_db,
                   [&]() -> Result<bool> {
                       if (!idempotent) {
                           // Straight into the table: the common case, one pass, no staging.
                           if (Status s = copyRows(m_db, "job_event", rows); !s)
                               return s;
                       } else {
                           if (Status s = copyRows(m_db, "job_event_staging", rows); !s)
                               return s;
                           auto inserted =
                               exec(m_db,
                                    QStringLiteral("INSERT INTO job_event (%1) SELECT job_id, counter, event,"
                                                   " event_data::jsonb, uuid, parent_uuid, host_name, play,"
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
    Status direct = store(false);
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
                       " role, stdout, start_line, end_line, verbosity, failed, changed, created"
                       " FROM job_event WHERE job_id = ? AND counter > ? ORDER BY counter LIMIT ?"),
        {jobId, afterCounter, maxCount});
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
        e.created = r.value(15).toDateTime();
        out.append(e);
    }
    return out;
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

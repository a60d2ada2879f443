#include "CallbackReceiver.h"

#include "core/Logging.h"
#include "db/Connections.h"
#include "db/NotifyBus.h"
#include "model/Repository.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlError>

#include <libpq-fe.h>

namespace playdeck {

namespace {

// COPY's text format: backslash escapes for the characters that delimit rows and columns.
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
            break; // PostgreSQL text cannot hold NUL
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

Status copyRows(QSqlDatabase &db, const QByteArray &rows) {
    PGconn *conn = nativeHandle(db);
    if (!conn)
        return Status::failure(QStringLiteral("no libpq handle behind the QPSQL connection"));
    const QByteArray sql = QByteArray("COPY job_event_staging (") + kColumns + ") FROM STDIN";
    PGresult *res = PQexec(conn, sql.constData());
    const bool copyIn = PQresultStatus(res) == PGRES_COPY_IN;
    PQclear(res);
    if (!copyIn)
        return Status::failure(QString::fromUtf8(PQerrorMessage(conn)));
    bool sent = PQputCopyData(conn, rows.constData(), int(rows.size())) == 1;
    sent = PQputCopyEnd(conn, sent ? nullptr : "client failed to send") == 1 && sent;
    QString error;
    while (PGresult *r = PQgetResult(conn)) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            error = QString::fromUtf8(PQresultErrorMessage(r));
        PQclear(r);
    }
    if (!sent && error.isEmpty())
        error = QString::fromUtf8(PQerrorMessage(conn));
    return error.isEmpty() ? Status() : Status::failure(error.trimmed());
}

Status storeHostSummaries(QSqlDatabase &db, const JobEvent &stats) {
    const QJsonObject data = QJsonDocument::fromJson(stats.eventData).object();
    static const QStringList kinds{QStringLiteral("changed"),   QStringLiteral("dark"),
                                   QStringLiteral("failures"),  QStringLiteral("ok"),
                                   QStringLiteral("processed"), QStringLiteral("skipped"),
                                   QStringLiteral("rescued"),   QStringLiteral("ignored")};
    QSet<QString> hosts;
    for (const QString &kind : kinds)
        for (const QString &host : data.value(kind).toObject().keys())
            hosts.insert(host);
    QJsonObject counts;
    for (const QString &host : hosts) {
        QVariantList binds{stats.jobId, host};
        for (const QString &kind : kinds)
            binds << data.value(kind).toObject().value(host).toInt();
        const bool failed = data.value(QStringLiteral("failures")).toObject().value(host).toInt() > 0 ||
                            data.value(QStringLiteral("dark")).toObject().value(host).toInt() > 0;
        binds << failed;
        auto r =
            exec(db,
                 QStringLiteral(
                     "INSERT INTO job_host_summary (job_id, host_name, changed, dark, failures, ok,"
                     " processed, skipped, rescued, ignored, failed) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                     " ON CONFLICT (job_id, host_name) DO UPDATE SET changed = excluded.changed,"
                     " dark = excluded.dark, failures = excluded.failures, ok = excluded.ok,"
                     " processed = excluded.processed, skipped = excluded.skipped,"
                     " rescued = excluded.rescued, ignored = excluded.ignored, failed = excluded.failed"),
                 binds);
        if (!r)
            return r.status();
    }
    for (const QString &kind : kinds)
        counts.insert(kind, data.value(kind).toObject().size());
    return repo::updateJobFields(db, stats.jobId,
                                 {{QStringLiteral("host_status_counts"),
                                   QString::fromUtf8(QJsonDocument(counts).toJson(QJsonDocument::Compact))}});
}

} // namespace

CallbackReceiver::CallbackReceiver(DatabaseConfig config)
    : m_config(std::move(config))
    , m_connectionName(QStringLiteral("playdeck-callback-receiver-%1").arg(quintptr(this), 0, 16)) {}

CallbackReceiver::~CallbackReceiver() {
    closeConnection(m_connectionName);
}

void CallbackReceiver::start() {
    m_flushTimer = new QTimer(this);
    m_flushTimer->setSingleShot(true);
    connect(m_flushTimer, &QTimer::timeout, this, &CallbackReceiver::flush);
}

void CallbackReceiver::stop() {
    // Last chance to store what is buffered.
    if (!m_buffer.isEmpty() || !m_ended.isEmpty())
        flush();
    if (!m_buffer.isEmpty())
        qCCritical(lcEvents) << m_buffer.size() << "events could not be stored before shutdown";
    closeConnection(m_connectionName);
}

void CallbackReceiver::addEvents(const QList<JobEvent> &events) {
    m_buffer.append(events);
    if (m_buffer.size() >= kMaxBatch && m_retryDelayMs == 0)
        flush();
    else if (m_flushTimer && !m_flushTimer->isActive())
        m_flushTimer->start(m_retryDelayMs > 0 ? m_retryDelayMs : kFlushDelayMs);
}

void CallbackReceiver::streamEnded(qint64 jobId, int emitted) {
    m_ended.insert(jobId, emitted);
    if (m_flushTimer && !m_flushTimer->isActive())
        m_flushTimer->start(m_retryDelayMs > 0 ? m_retryDelayMs : 0);
}

void CallbackReceiver::flush() {
    const auto backOff = [this] {
        // Keep the events and try again, backing off while the database is away.
        m_retryDelayMs = m_retryDelayMs == 0 ? 100 : std::min(m_retryDelayMs * 2, 5000);
        if (m_flushTimer)
            m_flushTimer->start(m_retryDelayMs);
    };
    while (!m_buffer.isEmpty()) {
        const QList<JobEvent> batch = m_buffer.mid(0, kMaxBatch);
        const WriteResult result = write(batch);
        if (result == WriteResult::DatabaseAway)
            return backOff();
        if (result == WriteResult::Stored) {
            m_buffer.remove(0, batch.size());
            continue;
        }
        // The database refused the batch itself: one bad event must not hold up every other, so
        // store them one by one and drop only what is refused on its own.
        for (const JobEvent &e : batch) {
            const WriteResult single = write({e});
            if (single == WriteResult::DatabaseAway)
                return backOff();
            if (single == WriteResult::Rejected)
                qCCritical(lcEvents) << "dropped event" << e.counter << "of job" << e.jobId
                                     << "that the database refuses:" << m_lastError;
            m_buffer.removeFirst();
        }
    }
    if (!m_ended.isEmpty() && !finishJobs())
        return backOff();
    m_retryDelayMs = 0;
}

CallbackReceiver::WriteResult CallbackReceiver::write(const QList<JobEvent> &batch) {
    auto opened = ensureConnection(m_config, m_connectionName);
    if (!opened) {
        qCWarning(lcEvents) << opened.error();
        return WriteResult::DatabaseAway;
    }
    QSqlDatabase db = opened.value();
    if (nativeHandle(db) != m_stagingConnection) {
        // A temporary table lives as long as its connection: create it on every new one.
        auto staging = exec(
            db, QStringLiteral(
                    "CREATE TEMP TABLE IF NOT EXISTS job_event_staging (job_id bigint, counter integer,"
                    " event text, event_data text, uuid text, parent_uuid text, host_name text, play text,"
                    " task text, role text, stdout text, start_line integer, end_line integer,"
                    " verbosity integer, failed boolean, changed boolean, created timestamptz)"
                    " ON COMMIT DELETE ROWS"));
        if (!staging) {
            qCWarning(lcEvents) << staging.error();
            closeConnection(m_connectionName);
            m_stagingConnection = nullptr;
            return WriteResult::DatabaseAway;
        }
        m_stagingConnection = nativeHandle(db);
    }
    QByteArray rows;
    rows.reserve(batch.size() * 1024);
    QHash<qint64, int> highest;
    for (const JobEvent &e : batch) {
        appendRow(rows, e);
        highest[e.jobId] = std::max(highest.value(e.jobId), e.counter);
    }
    const auto fail = [&](const QString &why) {
        m_lastError = why;
        ::pg_conn *conn = nativeHandle(db);
        const bool connected = conn && PQstatus(conn) == CONNECTION_OK;
        db.rollback();
        if (connected && batch.size() > 1)
            qCWarning(lcEvents) << "the database refused a batch of" << batch.size() << "events:" << why;
        if (connected)
            return WriteResult::Rejected;
        qCWarning(lcEvents) << "storing" << batch.size() << "events failed:" << why;
        closeConnection(m_connectionName);
        m_stagingConnection = nullptr;
        return WriteResult::DatabaseAway;
    };
    if (!db.transaction())
        return fail(db.lastError().text());
    if (Status s = copyRows(db, rows); !s)
        return fail(s.error());
    auto inserted =
        exec(db, QStringLiteral("INSERT INTO job_event (%1) SELECT job_id, counter, event, event_data::jsonb,"
                                " uuid, parent_uuid, host_name, play, task, role, stdout, start_line,"
                                " end_line, verbosity, failed, changed, created FROM job_event_staging"
                                " ON CONFLICT (job_id, counter) DO NOTHING")
                     .arg(QLatin1String(kColumns)));
    if (!inserted)
        return fail(inserted.error());
    for (const JobEvent &e : batch) {
        if (e.event == QLatin1String("playbook_on_stats")) {
            if (Status s = storeHostSummaries(db, e); !s)
                return fail(s.error());
        }
    }
    for (auto it = highest.begin(); it != highest.end(); ++it) {
        if (Status s =
                repo::notify(db, Channel::Events,
                             QStringLiteral("{\"job\":%1,\"counter\":%2}").arg(it.key()).arg(it.value()));
            !s)
            return fail(s.error());
    }
    if (!db.commit())
        return fail(db.lastError().text());
    return WriteResult::Stored;
}

bool CallbackReceiver::finishJobs() {
    auto opened = ensureConnection(m_config, m_connectionName);
    if (!opened)
        return false;
    QSqlDatabase db = opened.value();
    for (auto it = m_ended.begin(); it != m_ended.end();) {
        auto r =
            exec(db,
                 QStringLiteral("UPDATE unified_job SET event_processing_finished = true, emitted_events = ?"
                                " WHERE id = ?"),
                 {it.value(), it.key()});
        if (!r) {
            qCWarning(lcEvents) << r.error();
            closeConnection(m_connectionName);
            m_stagingConnection = nullptr;
            return false;
        }
        (void)repo::notify(db, Channel::JobStatus,
                           QStringLiteral("{\"id\":%1,\"events_finished\":true}").arg(it.key()));
        it = m_ended.erase(it);
    }
    return true;
}

} // namespace playdeck

#include "CallbackReceiver.h"

#include "EventBacklog.h"
#include "core/Logging.h"
#include "db/Connections.h"
#include "db/DbConnection.h"
#include "store/EventStore.h"

#include <QDeadlineTimer>
#include <QSet>
#include <QThread>

namespace playdeck {

CallbackReceiver::CallbackReceiver(DatabaseConfig config, EventBacklog *backlog, int reportDelayAfterMs)
    : m_config(std::move(config))
    , m_backlog(backlog)
    , m_reportDelayAfterMs(reportDelayAfterMs) {}

CallbackReceiver::~CallbackReceiver() = default;

void CallbackReceiver::start() {
    m_connection = std::make_unique<DbConnection>(m_config, QStringLiteral("callback-receiver"));
    m_flushTimer = new QTimer(this);
    m_flushTimer->setSingleShot(true);
    connect(m_flushTimer, &QTimer::timeout, this, &CallbackReceiver::flush);
}

void CallbackReceiver::storeEverythingNow() {
    // Last chance to store what is buffered: a connection killed a moment ago comes back in a retry
    // or two, so keep trying for a while (this is the receiver's own thread, at shutdown).
    if (!m_connection)
        return;
    const QDeadlineTimer deadline(kStopDeadlineMs);
    while (!m_buffer.isEmpty() || !m_arrived.isEmpty() || !m_ended.isEmpty()) {
        flush();
        if ((m_buffer.isEmpty() && m_ended.isEmpty()) || deadline.hasExpired())
            break;
        QThread::msleep(quint32(std::clamp(m_retryDelayMs, 50, 1000)));
    }
}

void CallbackReceiver::stop() {
    storeEverythingNow();
    takeArrived();
    if (!m_buffer.isEmpty())
        qCCritical(lcEvents) << m_buffer.size()
                             << "events could not be stored before shutdown:" << m_lastError;
    if (m_flushTimer)
        m_flushTimer->stop();
    m_connection.reset();
}

void CallbackReceiver::addEvents(const QList<JobEvent> &events) {
    // Kept as it came, shared with the signal's copy: the batches are made in flush(), once the
    // signal is delivered and the list is this receiver's alone, by moving its events, not copying.
    m_arrived.append(events);
    for (const JobEvent &e : events)
        m_bufferedBytes += e.weight();
    m_arrivedCount += events.size();
    const bool full = m_buffer.size() + m_arrivedCount >= kMaxBatch || m_bufferedBytes >= kMaxBatchBytes;
    if (full && m_retryDelayMs == 0 && m_flushTimer)
        m_flushTimer->start(0);
    else
        scheduleFlush();
}

void CallbackReceiver::takeArrived() {
    for (QList<JobEvent> &events : m_arrived) {
        if (m_buffer.isEmpty())
            m_buffer = std::move(events);
        else
            m_buffer.append(std::move(events)); // moves the events of a list no one else holds
    }
    m_arrived.clear();
    m_arrivedCount = 0;
}

void CallbackReceiver::streamEnded(qint64 jobId, int emitted) {
    m_ended.insert(jobId, emitted);
    if (m_flushTimer && !m_flushTimer->isActive())
        m_flushTimer->start(m_retryDelayMs > 0 ? m_retryDelayMs : 0);
}

void CallbackReceiver::scheduleFlush() {
    if (m_flushTimer && !m_flushTimer->isActive())
        m_flushTimer->start(m_retryDelayMs > 0 ? m_retryDelayMs : kFlushDelayMs);
}

void CallbackReceiver::backOff() {
    // Keep the events and try again, backing off while the database is away.
    m_retryDelayMs = m_retryDelayMs == 0 ? 100 : std::min(m_retryDelayMs * 2, 2000);
    if (m_flushTimer)
        m_flushTimer->start(m_retryDelayMs);
    // An error that is not about the data (a full disk, a lost permission, a server that does not
    // come back) is retried for as long as it lasts; the operator must hear of it.
    if (!m_awaySince.isValid())
        m_awaySince.start();
    const bool due = m_lastReported.isValid() ? m_lastReported.hasExpired(kReportAgainMs)
                                              : m_awaySince.hasExpired(m_reportDelayAfterMs);
    if (!due)
        return;
    m_lastReported.start();
    const QString message = delayReport();
    qCWarning(lcEvents) << message;
    Q_EMIT storingDelayed(message);
}

QString CallbackReceiver::delayReport() const {
    const qint64 seconds = m_awaySince.elapsed() / 1000;
    const QString reason = m_lastError.trimmed().section(QLatin1Char('\n'), 0, 0);
    if (m_buffer.isEmpty())
        return tr("For %1 s Playdeck could not record that all events of a job are stored: %2. It keeps "
                  "trying.")
            .arg(seconds)
            .arg(reason);
    if (m_buffer.size() == 1)
        return tr("1 event could not be stored for %1 s: %2. Playdeck keeps it and keeps trying.")
            .arg(seconds)
            .arg(reason);
    return tr("%1 events could not be stored for %2 s: %3. Playdeck keeps them and keeps trying.")
        .arg(m_buffer.size())
        .arg(seconds)
        .arg(reason);
}

void CallbackReceiver::noteFailure(const QString &error) {
    m_lastError = error;
    logFailure(error);
}

void CallbackReceiver::logFailure(const QString &message) const {
    // Once per outage in the log; while it lasts, backOff() reports it at a slower pace.
    if (m_awaySince.isValid())
        qCDebug(lcEvents).noquote() << message;
    else
        qCWarning(lcEvents).noquote() << message;
}

void CallbackReceiver::storedAgain() {
    m_retryDelayMs = 0;
    m_awaySince.invalidate();
    if (!m_lastReported.isValid())
        return;
    m_lastReported.invalidate();
    qCInfo(lcEvents) << "the delayed events are stored";
    Q_EMIT storingResumed();
}

void CallbackReceiver::flush() {
    takeArrived();
    while (!m_buffer.isEmpty()) {
        // At most kMaxBatch events and about kMaxBatchBytes (at least one event, however big).
        qsizetype count = 0;
        qint64 bytes = 0;
        while (count < m_buffer.size() && count < kMaxBatch && (count == 0 || bytes < kMaxBatchBytes))
            bytes += m_buffer.at(count++).weight();
        // A view of the buffer's front: a batch is taken off only once it is stored.
        const std::span<const JobEvent> batch(m_buffer.constData(), size_t(count));
        const Write result = write(batch);
        if (result == Write::DatabaseAway)
            return backOff();
        if (result == Write::Stored) {
            m_buffer.remove(0, count);
            m_bufferedBytes -= bytes;
            if (m_backlog)
                m_backlog->release(count, bytes);
            continue;
        }
        // The database refused the batch as bad data: one bad event must not hold up the others, so
        // store them one by one; only what is refused on its own is not stored.
        for (qsizetype i = 0; i < count; ++i) {
            const JobEvent e = m_buffer.constFirst(); // a copy: the buffer gives it up below
            const Write single = count == 1 ? Write::Refused : write({&e, 1});
            if (single == Write::DatabaseAway)
                return backOff();
            if (single == Write::Refused) {
                qCCritical(lcEvents) << "event" << e.counter << "of job" << e.jobId
                                     << "was refused by the database and is not stored:" << m_lastError;
                Refusals &r = m_refused[e.jobId];
                if (r.count++ == 0)
                    r.firstReason = tr("the database refused it: %1").arg(m_lastError);
                Q_EMIT eventRefused(e.jobId, e.counter, m_lastError);
            }
            m_buffer.removeFirst();
            m_bufferedBytes -= e.weight();
            if (m_backlog)
                m_backlog->release(1, e.weight());
        }
    }
    if (!m_ended.isEmpty() && !finishJobs())
        return backOff();
    storedAgain();
}

CallbackReceiver::Write CallbackReceiver::write(std::span<const JobEvent> batch) {
    auto opened = m_connection->get(DbConnection::Probe::No);
    if (!opened) {
        noteFailure(opened.error());
        return Write::DatabaseAway;
    }
    QSqlDatabase db = opened.value();
    EventStore events(db);
    if (m_connection->generation() != m_preparedGeneration) {
        if (Status s = events.prepareWriterSession(); !s) {
            noteFailure(s.error());
            m_connection->reset();
            return Write::DatabaseAway;
        }
        m_preparedGeneration = m_connection->generation();
    }
    const Status stored = events.storeBatch(batch);
    if (stored)
        return Write::Stored;
    m_lastError = stored.error();
    if (isDataError(stored.code())) {
        if (batch.size() > 1)
            qCWarning(lcEvents) << "the database refused a batch of" << batch.size()
                                << "events:" << stored.error();
        return Write::Refused;
    }
    // Anything else (the connection is gone, the server restarts, it is out of resources): the session
    // may be broken, so start a new one and write the same batch again.
    logFailure(
        QStringLiteral("storing %1 events failed; will retry: %2").arg(batch.size()).arg(stored.error()));
    m_connection->reset();
    return Write::DatabaseAway;
}

bool CallbackReceiver::finishJobs() {
    auto opened = m_connection->get(DbConnection::Probe::No);
    if (!opened) {
        noteFailure(opened.error());
        return false;
    }
    QSqlDatabase db = opened.value();
    QSet<qint64> buffered;
    for (const JobEvent &e : std::as_const(m_buffer))
        buffered.insert(e.jobId);
    for (auto it = m_ended.begin(); it != m_ended.end();) {
        if (buffered.contains(it.key())) {
            ++it;
            continue;
        }
        const Refusals refused = m_refused.value(it.key());
        if (Status s = EventStore(db).finishJob(it.key(), it.value(), refused.count, refused.firstReason);
            !s) {
            noteFailure(s.error());
            m_connection->reset();
            return false;
        }
        m_refused.remove(it.key());
        it = m_ended.erase(it);
    }
    return true;
}

} // namespace playdeck

#pragma once

#include "db/DatabaseConfig.h"
#include "model/JobEvent.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <span>

namespace playdeck {

class DbConnection;
class EventBacklog;

// AWX's callback receiver, in one thread with its own connection: buffers the events that job
// runners hand it and writes them in batches (COPY; flushed on size or after a short delay),
// idempotently on (job, counter). After each commit it tells the cluster how far each job's events
// are stored.
//
// Nothing is dropped because of the database: a failure that is not a data error (SQLSTATE class 22
// or 23) means the database is away, and the batch is kept and written after a reconnect. Only an
// event the database refuses on its own as bad data is not stored, and its job then says so (a count
// and the reason, in refused_events / refused_reason).
class CallbackReceiver : public QObject {
    Q_OBJECT
public:
    // `reportDelayAfterMs`: how long events may wait for the database before it is reported.
    CallbackReceiver(DatabaseConfig config, EventBacklog *backlog, int reportDelayAfterMs = 10000);
    ~CallbackReceiver() override;

    static constexpr int kMaxBatch = 1000;
    static constexpr qint64 kMaxBatchBytes = 16 << 20;
    static constexpr int kFlushDelayMs = 20;
    static constexpr int kStopDeadlineMs = 10000;
    static constexpr int kReportAgainMs = 60000;

    Q_INVOKABLE void start();
    // Stores what is buffered and records finished jobs, retrying for up to kStopDeadlineMs. Before
    // an instance leaves the cluster: once it is gone, others take what it did not store for lost.
    Q_INVOKABLE void storeEverythingNow();
    // A last flush; what cannot be stored now is logged as lost (the process is going away).
    Q_INVOKABLE void stop();

public Q_SLOTS:
    void addEvents(const QList<playdeck::JobEvent> &events);
    // The runner has handed over all `emitted` events of the job: event processing is finished once
    // they are all stored.
    void streamEnded(qint64 jobId, int emitted);

Q_SIGNALS:
    // The database refused an event as bad data (it is not stored; its job says so).
    void eventRefused(qint64 jobId, int counter, const QString &reason);
    // Events have waited for the database longer than the report delay (again every minute while
    // they wait); they are kept and written once it takes them.
    void storingDelayed(const QString &message);
    // The delayed events are stored now.
    void storingResumed();

private:
    enum class Write { Stored, DatabaseAway, Refused };
    struct Refusals {
        int count = 0;
        QString firstReason;
    };

    void scheduleFlush();
    // Moves what arrived into m_buffer.
    void takeArrived();
    void flush();
    Write write(std::span<const JobEvent> batch);
    bool finishJobs();
    void backOff();
    void storedAgain();
    // The reason for the operator (m_lastError) and the log.
    void noteFailure(const QString &error);
    void logFailure(const QString &message) const;
    QString delayReport() const;

    DatabaseConfig m_config;
    QPointer<EventBacklog> m_backlog;
    std::unique_ptr<DbConnection> m_connection;
    quint64 m_preparedGeneration = 0;
    QList<JobEvent> m_buffer;         // in order; batches are written from its front
    QList<QList<JobEvent>> m_arrived; // as the runners sent them, not yet in m_buffer
    qsizetype m_arrivedCount = 0;
    qint64 m_bufferedBytes = 0;
    QHash<qint64, int> m_ended;        // job -> events emitted, waiting for the last of them to be stored
    QHash<qint64, Refusals> m_refused; // job -> refused events
    QTimer *m_flushTimer = nullptr;
    int m_retryDelayMs = 0;
    QString m_lastError;
    int m_reportDelayAfterMs = 10000;
    QElapsedTimer m_awaySince;    // since the first failed write of this outage
    QElapsedTimer m_lastReported; // invalid: this outage was not reported yet
};

} // namespace playdeck

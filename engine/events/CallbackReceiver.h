#pragma once

#include "db/DatabaseConfig.h"
#include "model/Types.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

namespace playdeck {

// AWX's callback receiver, in one thread with its own connection: buffers the events that job
// runners hand it and writes them in batches with COPY (flushed on size or after a short delay),
// idempotently on (job, counter). After each commit it tells the cluster how far each job's events
// are stored. A database that goes away keeps the events buffered and retried; nothing is dropped.
class CallbackReceiver : public QObject {
    Q_OBJECT
public:
    explicit CallbackReceiver(DatabaseConfig config);
    ~CallbackReceiver() override;

    static constexpr int kMaxBatch = 1000;
    static constexpr int kFlushDelayMs = 20;

    Q_INVOKABLE void start();
    Q_INVOKABLE void stop();

public Q_SLOTS:
    void addEvents(const QList<playdeck::JobEvent> &events);
    // The runner has handed over all `emitted` events of the job: mark event processing finished
    // once they are all stored.
    void streamEnded(qint64 jobId, int emitted);

private:
    void flush();
    enum class WriteResult { Stored, DatabaseAway, Rejected };
    WriteResult write(const QList<JobEvent> &batch);
    bool finishJobs();

    DatabaseConfig m_config;
    QString m_connectionName;
    QList<JobEvent> m_buffer;
    QHash<qint64, int> m_ended; // job -> events emitted, waiting for their commit
    QTimer *m_flushTimer = nullptr;
    int m_retryDelayMs = 0;
    QString m_lastError;
    const void *m_stagingConnection = nullptr; // the connection that has the staging table
};

} // namespace playdeck

#pragma once

#include <span>

#include "core/JobStatus.h"
#include "core/Result.h"
#include "events/EventTree.h"
#include "events/HostSummary.h"
#include "events/OutputLines.h"
#include "model/JobEvent.h"

#include <QSqlDatabase>

#include <functional>

namespace playdeck {

// How far a job's events are: what the websocket server follows.
struct EventProgress {
    bool exists = false;
    QString kind;
    JobStatus status = JobStatus::New;
    QDateTime finished;
    int lastCounter = 0; // the highest committed counter (0: none yet)
    bool processingFinished = false;
};

// All SQL about job events, their host summaries and a job's stdout.
class EventStore {
public:
    explicit EventStore(QSqlDatabase &db)
        : m_db(db) {}

    // Session state the batch writer needs (a temporary staging table): once per new server session.
    [[nodiscard]] Status prepareWriterSession();
    // Stores a batch in one transaction, idempotently on (job, counter): COPY straight into job_event,
    // or, when some of the events are there already (a batch written again after a reconnect), COPY
    // into a staging table and insert what is not there yet; host summaries for playbook_on_stats;
    // then tells listeners how far each job's events are committed. A failure's code is the SQLSTATE
    // (see isDataError).
    [[nodiscard]] Status storeBatch(std::span<const JobEvent> batch);
    // The receiver has stored every event the runner handed it (`refused` of `emitted` were refused
    // by the database as bad data, the first for `refusedReason`): event processing is finished.
    [[nodiscard]] Status finishJob(qint64 jobId, int emitted, int refused, const QString &refusedReason);

    // Retention: drops the event partitions (a thousand job ids each, see migration 0006) that hold
    // only jobs before `jobId`, each detached concurrently (writers and readers of other jobs go on)
    // and then dropped; what a killed earlier call left half done is finished. The jobs themselves
    // stay (their events are gone). Returns the partitions dropped.
    [[nodiscard]] Result<int> dropEventsOfJobsBefore(qint64 jobId);

    // The events with counters in (afterCounter, afterCounter + maxCount], in counter order: a range
    // of counters, which the database reads and no more, however its plan guesses the job's size
    // (a scan and a sort of a whole million-event job per page, seen while a partition's
    // statistics lagged behind it). Counters are dense but for the ones the database refused.
    [[nodiscard]] Result<QList<JobEvent>> load(qint64 jobId, int afterCounter, int maxCount);
    // The job's whole stdout: every event's stdout in counter order, a line break after each.
    [[nodiscard]] Result<QString> stdoutText(qint64 jobId);
    // The same stdout, or every event as a line of JSON, streamed from a binary COPY a row at a
    // time: memory stays that of one event whatever the size of the job, and the server builds
    // the JSON. `write` gets each piece; returning false stops (and fails). Returns the rows.
    enum class Dump { Stdout, JsonLines };
    using DumpSink = std::function<bool(const char *data, qsizetype size)>;
    [[nodiscard]] Result<qint64> dump(qint64 jobId, Dump what, const DumpSink &write);
    [[nodiscard]] Result<EventProgress> progress(qint64 jobId);
    // The output's paging and searching, by line (the job_event_lines index): at most `limit`
    // events that print lines after `afterLine`, in line order, and of those only the ones that
    // meet `filter`'s event conditions (its text is OutputMatcher's).
    [[nodiscard]] Result<QList<OutputEvent>> outputEvents(qint64 jobId, int afterLine, int limit,
                                                          const OutputFilter &filter = {});
    // The plan PostgreSQL runs outputEvents' page query with and the rows each step read (EXPLAIN
    // ANALYZE's lines), for the tests that hold it to the index whatever the statistics say.
    [[nodiscard]] Result<QString> outputEventsPlan(qint64 jobId, int afterLine, int limit);
    [[nodiscard]] Result<OutputExtent> outputExtent(qint64 jobId);
    // The tree of plays, tasks and results (job_event_children): at most `limit` children of the
    // event `parentUuid` (empty: the playbook's, its plays) after `afterCounter`, in counter order.
    // With `filter`'s event conditions, only the results that meet them, the tasks that have one,
    // and the plays.
    [[nodiscard]] Result<QList<EventNode>> eventChildren(qint64 jobId, const QString &parentUuid,
                                                         int afterCounter, int limit,
                                                         const OutputFilter &filter = {});
    // The plan of eventChildren's page query (EXPLAIN's lines), as outputEventsPlan.
    [[nodiscard]] Result<QString> eventChildrenPlan(qint64 jobId, const QString &parentUuid, int afterCounter,
                                                    int limit);
    // The host's first failed or unreachable result, else its first result (counter 0: none).
    [[nodiscard]] Result<EventPath> firstResultOf(qint64 jobId, const QString &host);
    // The job's recap, one row per host, by host name.
    [[nodiscard]] Result<QList<HostSummary>> hostSummaries(qint64 jobId);

private:
    QSqlDatabase &m_db;
};

} // namespace playdeck

#pragma once

#include "InventoryStore.h"
#include "core/JobStatus.h"
#include "core/Result.h"
#include "model/Job.h"
#include "model/JobTemplate.h"

#include <QJsonObject>
#include <QSqlDatabase>

#include <optional>

namespace playdeck {

// Fields of a unified job other than its status, as a typed update: each set field is written, the
// rest stay as they are. Column names live in UnifiedJobStore.cpp only.
struct JobUpdate {
    std::optional<QString> explanation;
    std::optional<QString> resultTraceback;
    std::optional<QString> jobArgs;
    std::optional<QString> jobCwd;
    std::optional<QJsonObject> jobEnv;
    std::optional<QString> executionNode;
    std::optional<QString> controllerNode;
    std::optional<QString> dispatchUuid;
    std::optional<int> emittedEvents;
    std::optional<bool> eventProcessingFinished;
    std::optional<int> refusedEvents;
    std::optional<QString> refusedReason;
    std::optional<QString> inputPrompt;
    std::optional<QJsonObject> hostStatusCounts;
    std::optional<QString> scmRevision;
    std::optional<QJsonObject> inventorySnapshot;

    bool isEmpty() const;
};

// A status change: to `to`, only from the statuses in `onlyFrom` (empty: from any status the
// lifecycle allows; the allowed moves always apply), writing `fields` in the same statement.
struct JobTransition {
    JobStatus to = JobStatus::New;
    QList<JobStatus> onlyFrom;
    JobUpdate fields;
    // Only while the job is assigned to this execution node (empty: any): a runner must not take a
    // job that was handed to another instance meanwhile.
    QString onlyOnNode;
};

// What the task manager needs of an unfinished job.
struct ActiveJobRow {
    qint64 id = 0;
    JobStatus status = JobStatus::Pending;
    qint64 templateId = 0;
    bool allowSimultaneous = false;
    int impact = 1;
    QString executionNode;
    QString explanation;
    qint64 projectUpdateOf = 0;   // a project update: of this project
    qint64 inventoryUpdateOf = 0; // an inventory update: of this inventory source
};

// A job's outcome of a cancel request.
enum class CancelOutcome { CanceledAtOnce, RunnerTold };

// All SQL about unified jobs. Every status change goes through transition(), which checks the
// lifecycle (core/JobStatus.h), derives started/finished/elapsed/failed as AWX's save() does, and
// always announces the change on the bus in the same transaction.
class UnifiedJobStore {
public:
    explicit UnifiedJobStore(QSqlDatabase &db)
        : m_db(db) {}

    // AWX's create_unified_job + signal_start: a job with the template's options and the prompts as
    // given (status new), then pending, and a task-manager run asked for; one transaction.
    // `relaunchOf`: the job this one relaunches (0: none).
    [[nodiscard]] Result<qint64> createFromTemplate(const JobTemplate &tmpl, const LaunchConfig &prompts,
                                                    const QString &launchType, int taskImpact,
                                                    qint64 relaunchOf = 0);
    // A replay of job `sourceId`, "exactly as it ran": its own copy of the template's options, its
    // prompts and credentials, the revision it ran and the inventory snapshot it ran against, pending.
    // Refused for a job that never ran against an inventory snapshot.
    [[nodiscard]] Result<qint64> createReplay(qint64 sourceId, int taskImpact);
    // The inventory job `jobId` ran against (or, for a replay, will run against); null when it has none.
    [[nodiscard]] Result<std::optional<QJsonObject>> inventorySnapshot(qint64 jobId);
    // An inventory update (AWX's InventoryUpdate) of `source`, pending, with a task-manager run asked for.
    [[nodiscard]] Result<qint64> createInventoryUpdate(const InventorySourceRun &source,
                                                       const QString &launchType);
    // A project update (AWX's ProjectUpdate, job_type check), pending, with a task-manager run asked for.
    [[nodiscard]] Result<qint64> createProjectUpdate(qint64 projectId, const QString &projectName,
                                                     const QString &launchType, int timeout);
    // Whether the job moved. A job that is not in an allowed source status does not move: false.
    [[nodiscard]] Result<bool> transition(qint64 jobId, const JobTransition &transition);
    // Writes fields without a status change; with `announce`, listeners hear that the job changed.
    [[nodiscard]] Status update(qint64 jobId, const JobUpdate &fields, bool announce = true);

    // Cancel as AWX does: cancel_flag set; a job nobody runs yet is canceled right here, a waiting or
    // running one is told to its runner through the bus.
    [[nodiscard]] Result<CancelOutcome> requestCancel(qint64 jobId);

    [[nodiscard]] Result<QList<JobSummary>> list(int limit);
    // A page of the jobs that match `query`, and their number.
    [[nodiscard]] Result<JobPage> find(const JobQuery &query);
    [[nodiscard]] Result<JobDetail> load(qint64 jobId);
    [[nodiscard]] Result<std::optional<JobStatus>> status(qint64 jobId);

    // The task manager's active set: pending, waiting and running jobs by creation time.
    [[nodiscard]] Result<QList<ActiveJobRow>> activeSet();
    // Ids of the jobs in `status` on execution node `node`, oldest first.
    [[nodiscard]] Result<QList<qint64>> onNode(const QString &node, JobStatus status);
    // Ids of running jobs on `node` whose cancel was asked for.
    [[nodiscard]] Result<QList<qint64>> cancelRequestedOn(const QString &node);
    // Waiting and running jobs whose execution node is not a live instance (gone, marked lost, or
    // silent for `silentForSeconds`).
    struct Stranded {
        qint64 id = 0;
        JobStatus status = JobStatus::Waiting;
        QString node;
        bool cancelRequested = false;
    };
    [[nodiscard]] Result<QList<Stranded>> onLostNodes(int silentForSeconds);
    // Finished jobs whose events will never all be stored: their instance stopped (it is gone,
    // marked lost, or silent for `silentForSeconds`) between storing the final status and the last
    // event. Their event processing is finished now, and the events missing are counted and
    // explained as not stored. With `jobId` only that job. Returns how many it settled.
    [[nodiscard]] Result<int> settleEventsOfLostInstances(int silentForSeconds, qint64 jobId = 0);
    // Jobs sent to `node` that it never started go back to pending (AWX: waiting jobs of a lost
    // instance are requeued).
    [[nodiscard]] Result<int> requeueWaiting(const QString &node);

private:
    Result<bool> transitionInTransaction(qint64 jobId, const JobTransition &transition);
    // Runs `insert` (an INSERT ... RETURNING id of a job in status new) and moves the job to pending.
    Result<qint64> createPending(const QString &insert, const QVariantList &binds);
    Status updateInTransaction(qint64 jobId, const JobUpdate &fields, bool announce);
    QSqlDatabase &m_db;
};

} // namespace playdeck

#pragma once

#include "Types.h"
#include "core/Result.h"

#include <QSqlDatabase>
#include <QVariantMap>

// SQL for the engine's tables, one function per question. Each takes the calling thread's own
// connection; none of them keeps state.
namespace playdeck::repo {

[[nodiscard]] Status notify(QSqlDatabase &db, const QString &channel, const QString &payload = {});

[[nodiscard]] Result<QList<JobTemplate>> listTemplates(QSqlDatabase &db);
[[nodiscard]] Result<JobTemplate> findTemplate(QSqlDatabase &db, qint64 id, const QString &name);

// AWX's create_unified_job + signal_start: copies the template into a job with the prompts applied
// (status new), then moves it to pending and asks for a task-manager run, in one transaction.
[[nodiscard]] Result<qint64> createJob(QSqlDatabase &db, const JobTemplate &tmpl,
                                       const LaunchRequest &request, const QJsonObject &templateVars,
                                       const QJsonObject &launchVars);
// Relaunch: the same template and prompts as job `jobId`, launch_type relaunch.
[[nodiscard]] Result<qint64> relaunchJob(QSqlDatabase &db, qint64 jobId);

// Moves a job to `status`, deriving failed/started/finished/elapsed as AWX's save() does, and tells
// the cluster. With `onlyFrom`, the change happens only from those statuses; returns whether it did.
[[nodiscard]] Result<bool> setJobStatus(QSqlDatabase &db, qint64 jobId, const QString &status,
                                        const QVariantMap &fields = {}, const QStringList &onlyFrom = {});
[[nodiscard]] Status updateJobFields(QSqlDatabase &db, qint64 jobId, const QVariantMap &fields);

// Cancel as AWX does: set cancel_flag; a job that has not started yet is canceled right here, a
// running one is told through the control channel.
[[nodiscard]] Status requestCancel(QSqlDatabase &db, qint64 jobId);

[[nodiscard]] Result<QList<JobSummary>> listJobs(QSqlDatabase &db, int limit);
[[nodiscard]] Result<JobDetail> loadJob(QSqlDatabase &db, qint64 jobId);
[[nodiscard]] Result<QList<JobEvent>> loadEvents(QSqlDatabase &db, qint64 jobId, int afterCounter,
                                                 int maxCount);
// The job's whole stdout: every event's stdout in counter order, a line break after each.
[[nodiscard]] Result<QString> jobStdout(QSqlDatabase &db, qint64 jobId);

} // namespace playdeck::repo

#include "JobService.h"

#include "db/DbPool.h"
#include "dispatch/InstanceRegistry.h"
#include "launch/ExtraVars.h"
#include "scheduling/SchedulingRules.h"
#include "store/EventStore.h"
#include "store/InstanceStore.h"
#include "store/InventoryStore.h"
#include "store/ProjectStore.h"
#include "store/ResourceStore.h"
#include "store/TemplateStore.h"

#include <QObject>

namespace playdeck {

namespace {

Status checkPrompts(const LaunchConfig &prompts) {
    if (auto vars = parseExtraVars(prompts.extraVars); !vars)
        return vars.status();
    if (prompts.verbosity && (*prompts.verbosity < 0 || *prompts.verbosity > 5))
        return Status::failure(QObject::tr("Verbosity must be between 0 and 5."));
    if (prompts.jobType && *prompts.jobType != QLatin1String("run") &&
        *prompts.jobType != QLatin1String("check"))
        return Status::failure(QObject::tr("The job type must be run or check."));
    return {};
}

Result<qint64> launchFromTemplate(QSqlDatabase &db, const JobTemplate &tmpl, const LaunchConfig &prompts,
                                  const QString &launchType) {
    if (auto vars = parseExtraVars(tmpl.options.extraVars); !vars)
        return Status::failure(
            QObject::tr("The template's own extra variables are invalid: %1").arg(vars.error()));
    const JobOptions effective = applyLaunchConfig(tmpl.options, prompts);
    int hosts = 0;
    if (effective.inventoryId) {
        auto count = InventoryStore(db).enabledHostCount(effective.inventoryId);
        if (!count)
            return count.status();
        hosts = count.value();
    }
    const int impact = playbookTaskImpact(effective.forks, hosts, effective.inventoryId != 0);
    return UnifiedJobStore(db).createFromTemplate(tmpl, prompts, launchType, impact);
}

} // namespace

QFuture<Result<qint64>> JobService::launch(const LaunchRequest &request) {
    return m_pool.run<Result<qint64>>([request](QSqlDatabase &db) -> Result<qint64> {
        if (Status s = checkPrompts(request.prompts); !s)
            return s;
        auto tmpl = TemplateStore(db).find(request.templateId, request.templateName);
        if (!tmpl)
            return tmpl.status();
        return launchFromTemplate(db, tmpl.value(), request.prompts, request.launchType);
    });
}

namespace {

Result<qint64> startProjectUpdate(QSqlDatabase &db, qint64 projectId, const QString &launchType) {
    auto scm = ProjectStore(db).scm(projectId);
    if (!scm)
        return scm.status();
    if (scm.value().scmType.isEmpty())
        return Status::failure(
            QObject::tr("The project \"%1\" is a local directory: there is nothing to update.")
                .arg(scm.value().name));
    return UnifiedJobStore(db).createProjectUpdate(projectId, scm.value().name, launchType,
                                                   scm.value().timeout);
}

} // namespace

QFuture<Result<qint64>> JobService::updateProject(const QString &projectName, const QString &launchType) {
    return m_pool.run<Result<qint64>>([projectName, launchType](QSqlDatabase &db) -> Result<qint64> {
        auto id = ResourceStore::idOf(db, ResourceKind::Project, projectName);
        if (!id)
            return id.status();
        if (id.value() == 0)
            return Status::failure(QObject::tr("There is no project named \"%1\".").arg(projectName));
        return startProjectUpdate(db, id.value(), launchType);
    });
}

QFuture<Result<qint64>> JobService::relaunch(qint64 jobId) {
    return m_pool.run<Result<qint64>>([jobId](QSqlDatabase &db) -> Result<qint64> {
        auto job = UnifiedJobStore(db).load(jobId);
        if (!job)
            return job.status();
        if (job.value().kind == QLatin1String("project_update"))
            return startProjectUpdate(db, job.value().options.projectId, QStringLiteral("relaunch"));
        if (job.value().templateId == 0)
            return Status::failure(
                QObject::tr("Job %1 cannot be relaunched: its template was deleted.").arg(jobId));
        auto tmpl = TemplateStore(db).find(job.value().templateId, {});
        if (!tmpl)
            return tmpl.status();
        return launchFromTemplate(db, tmpl.value(), job.value().launch, QStringLiteral("relaunch"));
    });
}

QFuture<Result<CancelOutcome>> JobService::cancel(qint64 jobId) {
    return m_pool.run<Result<CancelOutcome>>(
        [jobId](QSqlDatabase &db) { return UnifiedJobStore(db).requestCancel(jobId); });
}

QFuture<Result<JobDetail>> JobService::job(qint64 jobId) {
    return m_pool.run<Result<JobDetail>>(
        [jobId](QSqlDatabase &db) { return UnifiedJobStore(db).load(jobId); });
}

QFuture<Result<QList<JobSummary>>> JobService::recent(int limit) {
    return m_pool.run<Result<QList<JobSummary>>>(
        [limit](QSqlDatabase &db) { return UnifiedJobStore(db).list(limit); });
}

QFuture<Result<QList<JobEvent>>> JobService::events(qint64 jobId, int afterCounter, int maxCount) {
    return m_pool.run<Result<QList<JobEvent>>>(
        [=](QSqlDatabase &db) { return EventStore(db).load(jobId, afterCounter, maxCount); });
}

QFuture<Result<QString>> JobService::stdoutText(qint64 jobId) {
    return m_pool.run<Result<QString>>(
        [jobId](QSqlDatabase &db) { return EventStore(db).stdoutText(jobId); });
}

QFuture<Result<bool>> JobService::settleIfItsInstanceIsLost(qint64 jobId) {
    return m_pool.run<Result<bool>>(
        [jobId, seconds = m_liveInstanceSeconds](QSqlDatabase &db) -> Result<bool> {
            // A dead process of this machine is known lost at once.
            if (Status marked = instances::markGoneLocalInstances(db); !marked)
                return marked;
            auto settled = UnifiedJobStore(db).settleEventsOfLostInstances(seconds, jobId);
            if (!settled)
                return settled.status();
            return settled.value() > 0;
        });
}

QFuture<Result<bool>> JobService::otherWorkerAlive(qint64 exceptInstance) {
    return m_pool.run<Result<bool>>(
        [exceptInstance, seconds = m_liveInstanceSeconds](QSqlDatabase &db) -> Result<bool> {
            auto live = InstanceStore(db).schedulable(seconds);
            if (!live)
                return live.status();
            for (const InstanceRow &row : live.value())
                if (row.id != exceptInstance)
                    return true;
            return false;
        });
}

} // namespace playdeck

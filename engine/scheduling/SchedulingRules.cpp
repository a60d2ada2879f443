#include "SchedulingRules.h"

#include <QObject>

namespace playdeck {

SchedulingPlan planJobs(const QList<ActiveJob> &active, const QList<InstanceCapacity> &instances) {
    SchedulingPlan plan;
    QHash<QString, int> consumed;
    QHash<QString, int> jobsOn;
    QHash<qint64, qint64> templateHolder; // template -> the job that holds it
    for (const ActiveJob &job : active) {
        if (job.status == JobStatus::Pending)
            continue;
        consumed[job.executionNode] += job.impact;
        jobsOn[job.executionNode] += 1;
        if (!job.allowSimultaneous && job.templateId)
            templateHolder.insert(job.templateId, job.id);
    }

    for (const ActiveJob &job : active) {
        if (job.status != JobStatus::Pending)
            continue;
        if (!job.allowSimultaneous && job.templateId) {
            const auto holder = templateHolder.constFind(job.templateId);
            if (holder != templateHolder.cend()) {
                plan.blocked.append({job.id, QObject::tr("waiting for job-%1 to finish").arg(*holder)});
                continue;
            }
        }
        const InstanceCapacity *best = nullptr;
        int bestRemaining = 0;
        for (const InstanceCapacity &instance : instances) {
            const int remaining = instance.capacity - consumed.value(instance.hostname);
            const bool fits = remaining >= job.impact || jobsOn.value(instance.hostname) == 0;
            if (fits && (!best || remaining > bestRemaining)) {
                best = &instance;
                bestRemaining = remaining;
            }
        }
        if (!best) {
            plan.blocked.append(
                {job.id,
                 QObject::tr(
                     "This job is not ready to start because there is not enough available capacity.")});
            // Keep the template's order: a later job of this template must not overtake this one.
            if (!job.allowSimultaneous && job.templateId)
                templateHolder.insert(job.templateId, job.id);
            continue;
        }
        plan.start.append({job.id, best->hostname});
        consumed[best->hostname] += job.impact;
        jobsOn[best->hostname] += 1;
        if (!job.allowSimultaneous && job.templateId)
            templateHolder.insert(job.templateId, job.id);
    }
    return plan;
}

int playbookTaskImpact(int forks, int hostCount, bool hasInventory) {
    const int effectiveForks = forks > 0 ? forks : 5;
    return std::min(hasInventory ? hostCount : effectiveForks, effectiveForks) + 1 + 1;
}

} // namespace playdeck

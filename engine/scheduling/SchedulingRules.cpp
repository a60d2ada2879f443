#include "SchedulingRules.h"

#include <QObject>

namespace playdeck {

namespace {

// What a job holds while it runs, or waits for in order: its template (unless simultaneous runs are
// allowed), or the project or inventory source it updates. Empty: nothing.
QString exclusiveKey(const ActiveJob &job) {
    if (job.projectUpdateOf)
        return QStringLiteral("project:%1").arg(job.projectUpdateOf);
    if (job.inventoryUpdateOf)
        return QStringLiteral("inventory_source:%1").arg(job.inventoryUpdateOf);
    if (!job.allowSimultaneous && job.templateId)
        return QStringLiteral("template:%1").arg(job.templateId);
    return {};
}

} // namespace

SchedulingPlan planJobs(const QList<ActiveJob> &active, const QList<InstanceCapacity> &instances) {
    SchedulingPlan plan;
    QHash<QString, int> consumed;
    QHash<QString, int> jobsOn;
    QHash<QString, qint64> holder; // exclusiveKey -> the job that holds it
    for (const ActiveJob &job : active) {
        if (job.status == JobStatus::Pending)
            continue;
        consumed[job.executionNode] += job.impact;
        jobsOn[job.executionNode] += 1;
        if (const QString key = exclusiveKey(job); !key.isEmpty())
            holder.insert(key, job.id);
    }

    for (const ActiveJob &job : active) {
        if (job.status != JobStatus::Pending)
            continue;
        const QString key = exclusiveKey(job);
        if (!key.isEmpty()) {
            const auto held = holder.constFind(key);
            if (held != holder.cend()) {
                plan.blocked.append({job.id, QObject::tr("waiting for job-%1 to finish").arg(*held)});
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
            // Keep the order: a later job of this template (or project) must not overtake this one.
            if (!key.isEmpty())
                holder.insert(key, job.id);
            continue;
        }
        plan.start.append({job.id, best->hostname});
        consumed[best->hostname] += job.impact;
        jobsOn[best->hostname] += 1;
        if (const QString key = exclusiveKey(job); !key.isEmpty())
            holder.insert(key, job.id);
    }
    return plan;
}

int playbookTaskImpact(int forks, int hostCount, bool hasInventory) {
    const int effectiveForks = forks > 0 ? forks : 5;
    return std::min(hasInventory ? hostCount : effectiveForks, effectiveForks) + 1 + 1;
}

} // namespace playdeck

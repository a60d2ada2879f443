#pragma once

#include "core/JobStatus.h"

#include <QHash>
#include <QList>
#include <QString>

namespace playdeck {

// The task manager's decision, free of I/O so it can be tested and measured on its own
// (reference/awx-engine.md 3.4-3.5, seed 002).
struct ActiveJob {
    qint64 id = 0;
    JobStatus status = JobStatus::Pending; // pending, waiting or running
    qint64 templateId = 0;
    bool allowSimultaneous = false;
    int impact = 1;
    QString executionNode;        // for waiting/running jobs
    qint64 projectUpdateOf = 0;   // a project update: of this project (one at a time per project)
    qint64 inventoryUpdateOf = 0; // an inventory update: of this source (one at a time per source)
};

struct InstanceCapacity {
    QString hostname;
    int capacity = 0;
};

struct StartDecision {
    qint64 jobId = 0;
    QString instance;
};

struct BlockedJob {
    qint64 jobId = 0;
    QString reason; // AWX's job_explanation wording
};

struct SchedulingPlan {
    QList<StartDecision> start;
    QList<BlockedJob> blocked;
};

// `active` in creation order. Rules:
// - a job of a template blocks later jobs of the same template unless allow_simultaneous is set
//   (an earlier pending one blocks too, so a template's jobs start in the order they were launched);
// - an update of a project blocks later updates of the same project, in the same way;
// - a job starts on the instance with the most remaining capacity that can hold its impact; an
//   instance running nothing always takes one job, however large.
SchedulingPlan planJobs(const QList<ActiveJob> &active, const QList<InstanceCapacity> &instances);

// AWX's task_impact of a playbook run: min(hosts, forks or 5) + 1 for the forks, plus 1 for the
// controlling process. Without an inventory, forks stand in for the hosts.
int playbookTaskImpact(int forks, int hostCount, bool hasInventory);

} // namespace playdeck

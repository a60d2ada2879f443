#pragma once

#include "JobOptions.h"
#include "core/JobStatus.h"
#include "launch/LaunchConfig.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>

namespace playdeck {

// A row of the jobs list.
struct JobSummary {
    qint64 id = 0;
    // AWX's unified job kinds: job (a template's playbook run), project_update, inventory_update.
    QString kind = QStringLiteral("job");
    QString name;
    JobStatus status = JobStatus::New;
    QString launchType;
    qint64 templateId = 0;
    QDateTime created;
    QDateTime started;
    QDateTime finished;
    double elapsed = 0;
    QString executionNode;
    QString explanation;
    // Set while the playbook waits for an answer at a prompt (vars_prompt, pause): what it asks.
    QString inputPrompt;
};

// Which jobs a list shows, in which order, which page of them.
struct JobQuery {
    enum class Order { Id, Name, Status, Started, Elapsed };
    QList<JobStatus> statuses; // empty: any
    QString name;              // exactly this name (a template's jobs); empty: any
    QString text;              // in the name or the explanation, or the id; empty: any
    Order order = Order::Id;
    bool descending = true;
    int offset = 0;
    int limit = 200;
    friend bool operator==(const JobQuery &, const JobQuery &) = default;
};

// One page of a JobQuery's jobs, and how many match in all.
struct JobPage {
    QList<JobSummary> jobs;
    int total = 0;
};

// Everything the job view shows.
struct JobDetail : JobSummary {
    JobOptions options;  // the template's options as they were at launch
    LaunchConfig launch; // the prompts given at launch, as given
    QString jobArgs;
    QString resultTraceback;
    bool eventProcessingFinished = false;
    int emittedEvents = 0;
    int refusedEvents = 0; // events the database refused (a data error): not stored, and said so
    QString refusedReason; // why the first of them was refused
    bool cancelRequested = false;
    QString scmRevision;          // the project revision it ran (a job) or checked out (a project update)
    qint64 relaunchOf = 0;        // the job this one relaunches
    qint64 replayOf = 0;          // the job this one replays exactly (revision, inventory, variables)
    QString pinnedRevision;       // a replay's revision (empty: the project's current tree)
    qint64 inventorySourceId = 0; // an inventory update's source

    // What the job runs with: the options with the prompts applied.
    JobOptions effectiveOptions() const { return applyLaunchConfig(options, launch); }
};

} // namespace playdeck

Q_DECLARE_METATYPE(playdeck::JobSummary)
Q_DECLARE_METATYPE(playdeck::JobDetail)

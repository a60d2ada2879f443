#pragma once

#include "core/JobStatus.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <array>

namespace playdeck {

// How many unified jobs are in each status.
struct StatusCounts {
    std::array<int, 8> byStatus{}; // indexed by JobStatus

    int of(JobStatus status) const { return byStatus[std::size_t(status)]; }
    int &operator[](JobStatus status) { return byStatus[std::size_t(status)]; }
    int total() const;
    // Pending, waiting and running: what is not finished yet (new jobs are not counted as runs).
    int active() const;
    bool operator==(const StatusCounts &) const = default;
};

// A run of days as the operator's clock has them: from the start of `firstDay` to the end of
// `lastDay`, at a fixed offset from UTC (the dashboard's few days rarely straddle a DST change, and a
// fixed offset lets the database do the bucketing without knowing the operator's time zone).
struct DayWindow {
    QDate firstDay;
    QDate lastDay;
    int utcOffsetSeconds = 0;

    // The `days` days up to and including `now`'s own day (at least one).
    static DayWindow endingAt(const QDateTime &now, int days);
    int dayCount() const { return firstDay.isValid() ? int(firstDay.daysTo(lastDay)) + 1 : 0; }
    // When `firstDay` began, in seconds since the epoch.
    qint64 startEpochSeconds() const;
    QList<QDate> days() const;
};

// The finished runs of one day, by status.
struct DayStatusCounts {
    QDate day;
    StatusCounts counts;
};

// One template's finished runs of one day: successful, and failed (failed or error; canceled runs
// say nothing about the playbook and are left out).
struct TemplateDay {
    qint64 templateId = 0;
    QString templateName;
    QDate day;
    int successful = 0;
    int failed = 0;
};

// A template's runs over the window, with its days in order (days without a run are left out).
struct TemplateSuccess {
    qint64 templateId = 0;
    QString templateName;
    QList<TemplateDay> days;
    int successful() const;
    int failed() const;
    // 0..100; -1 when it has no run that counts.
    int successPercent() const;
};

// A host that failed or was unreachable in a job (its line of the recap: failures or dark > 0).
struct FailedHost {
    QString hostName;
    qint64 jobId = 0;
    QString templateName; // the template's name, or the job's when it has no template any more
    QDateTime finished;
    int failures = 0;
    int unreachable = 0;
};

// What an operator has, for the first-start hint: everything, and what is not demo content.
struct ResourceCounts {
    int projects = 0;
    int inventories = 0;
    int jobTemplates = 0;
    int ownProjects = 0; // besides the demo content (model/DemoContent.h)
    int ownInventories = 0;
    int ownJobTemplates = 0;
    int jobs = 0; // unified jobs of every kind, ever
};

// The steps of a first start and which are done. The hint stays until the operator has a template
// of their own (the step that lets them run something); projects and inventories added on the way
// are ticked off rather than hiding it, so the remaining steps stay in sight.
struct FirstStartSteps {
    bool projectDone = false;
    bool inventoryDone = false;
    bool templateDone = false;
    bool showHint() const { return !templateDone; }
};
FirstStartSteps firstStartSteps(const ResourceCounts &counts);

// Everything the dashboard shows, read in one snapshot so that its figures agree with each other.
struct DashboardFigures {
    DayWindow window;                 // of `recent` and `perDay`
    StatusCounts recent;              // runs created or finished in the window
    QList<DayStatusCounts> perDay;    // one entry per day of the window, in order
    DayWindow templateWindow;         // of `templates`
    QList<TemplateSuccess> templates; // by name
    QList<FailedHost> failedHosts;    // newest first
    int failedHostsHours = 24;        // how far back `failedHosts` looks
    ResourceCounts resources;
};

// One entry per day of `window`, in order, with the counts of `rows` (days missing there are zero).
QList<DayStatusCounts> fillDays(const DayWindow &window, const QList<DayStatusCounts> &rows);
// `rows` (any order) grouped by template, templates by name, each one's days in order.
QList<TemplateSuccess> groupByTemplate(const QList<TemplateDay> &rows);

} // namespace playdeck

Q_DECLARE_METATYPE(playdeck::DashboardFigures)

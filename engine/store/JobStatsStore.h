#pragma once

#include "core/Result.h"
#include "model/DashboardFigures.h"

#include <QSqlDatabase>

namespace playdeck {

// All SQL of the dashboard's figures: read-only questions over unified jobs, their hosts' recaps
// and the resources. A run's moment is when it finished, or when it was created while it has not
// finished yet, so that a run counts on the day the operator saw it end.
class JobStatsStore {
public:
    explicit JobStatsStore(QSqlDatabase &db)
        : m_db(db) {}

    // Unified jobs of every kind in the window, by status.
    [[nodiscard]] Result<StatusCounts> statusCounts(const DayWindow &window);
    // Finished unified jobs per day of the window (every day, empty ones too), by status.
    [[nodiscard]] Result<QList<DayStatusCounts>> statusPerDay(const DayWindow &window);
    // Per job template and day, its finished jobs: successful, and failed or error. Only days with a
    // run, and only templates that still exist (a deleted template's jobs have none).
    [[nodiscard]] Result<QList<TemplateDay>> templateSuccessPerDay(const DayWindow &window);
    // Hosts whose recap has failures or unreachable in jobs that finished in the last `hours`
    // hours, newest first, at most `limit` of them.
    [[nodiscard]] Result<QList<FailedHost>> failedHosts(int hours, int limit = 500);
    [[nodiscard]] Result<ResourceCounts> resourceCounts();

    // All of the above in one read-only snapshot (repeatable read): the counts, the chart and the
    // tables then describe the same moment, even while jobs finish between the statements.
    [[nodiscard]] Result<DashboardFigures> figures(const DayWindow &window, const DayWindow &templateWindow,
                                                   int failedHostsHours);

private:
    QSqlDatabase &m_db;
};

} // namespace playdeck

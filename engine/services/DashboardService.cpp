#include "DashboardService.h"

#include "db/DbPool.h"
#include "store/JobStatsStore.h"

namespace playdeck {

QFuture<Result<DashboardFigures>> DashboardService::figures(int days) {
    // The windows are taken here, on the caller's thread and clock, not in the pool's threads.
    const QDateTime now = QDateTime::currentDateTime();
    const DayWindow window = DayWindow::endingAt(now, qBound(1, days, 366));
    const DayWindow templateWindow = DayWindow::endingAt(now, TemplateDays);
    return m_pool.run<Result<DashboardFigures>>([window, templateWindow](QSqlDatabase &db) {
        return JobStatsStore(db).figures(window, templateWindow, FailedHostsHours);
    });
}

} // namespace playdeck

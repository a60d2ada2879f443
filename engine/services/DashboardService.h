#pragma once

#include "core/Result.h"
#include "model/DashboardFigures.h"

#include <QFuture>

namespace playdeck {

class DbPool;

// The dashboard's figures for the window (and later the API); answers as futures (see JobService).
class DashboardService {
public:
    // The per-template success looks back this many days, whatever `days` the status figures cover.
    static constexpr int TemplateDays = 14;
    // Failed hosts are those of the jobs that finished within this many hours.
    static constexpr int FailedHostsHours = 24;

    explicit DashboardService(DbPool &pool)
        : m_pool(pool) {}

    // Runs by status over the last `days` days (today included; clamped to 1..366) and per day,
    // per-template success over the last TemplateDays days, failed hosts of the last
    // FailedHostsHours hours and the resource counts, as one consistent snapshot. Days are the
    // caller's local days, as its clock has them when it asks.
    QFuture<Result<DashboardFigures>> figures(int days);

private:
    DbPool &m_pool;
};

} // namespace playdeck

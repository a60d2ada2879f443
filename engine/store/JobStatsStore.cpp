#include "JobStatsStore.h"

#include "db/Connections.h"

namespace playdeck {

namespace {

// The names seedDemoContent() (model/DemoContent.cpp) gives the demo content: what an operator did
// not add themselves.
const QString kDemoProject = QStringLiteral("Demo Project");
const QString kDemoInventory = QStringLiteral("Demo Inventory");
const QString kDemoTemplate = QStringLiteral("Demo Job Template");

// The day of `column` on the operator's calendar: the UTC wall time moved by their offset. The
// offset is the first bound value of every statement that uses it.
QString localDay(const char *column) {
    return QStringLiteral("((%1 AT TIME ZONE 'UTC') + make_interval(secs => ?))::date::text")
        .arg(QLatin1String(column));
}

QDate dayFrom(const QVariant &v) {
    return QDate::fromString(v.toString(), Qt::ISODate);
}

} // namespace

Result<StatusCounts> JobStatsStore::statusCounts(const DayWindow &window) {
    auto q = exec(m_db,
                  QStringLiteral("SELECT status, count(*) FROM unified_job"
                                 " WHERE coalesce(finished, created) >= to_timestamp(?) GROUP BY status"),
                  {window.startEpochSeconds()});
    if (!q)
        return q.status();
    StatusCounts counts;
    while (q.value().next())
        if (auto status = statusFromName(q.value().value(0).toString()))
            counts[*status] = q.value().value(1).toInt();
    return counts;
}

Result<QList<DayStatusCounts>> JobStatsStore::statusPerDay(const DayWindow &window) {
    auto q = exec(m_db,
                  QStringLiteral("SELECT %1, status, count(*) FROM unified_job"
                                 " WHERE finished >= to_timestamp(?)"
                                 " AND status IN ('successful', 'failed', 'error', 'canceled')"
                                 " GROUP BY 1, 2")
                      .arg(localDay("finished")),
                  {window.utcOffsetSeconds, window.startEpochSeconds()});
    if (!q)
        return q.status();
    QList<DayStatusCounts> rows;
    while (q.value().next()) {
        DayStatusCounts row;
        row.day = dayFrom(q.value().value(0));
        if (auto status = statusFromName(q.value().value(1).toString()))
            row.counts[*status] = q.value().value(2).toInt();
        rows.append(row);
    }
    // Days past the window's last (a clock that went back) fall out here, empty days come in.
    return fillDays(window, rows);
}

Result<QList<TemplateDay>> JobStatsStore::templateSuccessPerDay(const DayWindow &window) {
    auto q = exec(m_db,
                  QStringLiteral("SELECT jt.id, jt.name, %1 AS day,"
                                 " count(*) FILTER (WHERE uj.status = 'successful'),"
                                 " count(*) FILTER (WHERE uj.status IN ('failed', 'error'))"
                                 " FROM unified_job uj JOIN job_template jt ON jt.id = uj.job_template_id"
                                 " WHERE uj.kind = 'job' AND uj.finished >= to_timestamp(?)"
                                 " AND uj.status IN ('successful', 'failed', 'error')"
                                 " GROUP BY jt.id, jt.name, day ORDER BY jt.name, jt.id, day")
                      .arg(localDay("uj.finished")),
                  {window.utcOffsetSeconds, window.startEpochSeconds()});
    if (!q)
        return q.status();
    QList<TemplateDay> rows;
    while (q.value().next()) {
        TemplateDay row;
        row.templateId = q.value().value(0).toLongLong();
        row.templateName = q.value().value(1).toString();
        row.day = dayFrom(q.value().value(2));
        row.successful = q.value().value(3).toInt();
        row.failed = q.value().value(4).toInt();
        if (row.day <= window.lastDay)
            rows.append(row);
    }
    return rows;
}

Result<QList<FailedHost>> JobStatsStore::failedHosts(int hours, int limit) {
    auto q = exec(m_db,
                  QStringLiteral("SELECT s.host_name, uj.id, coalesce(jt.name, uj.name), uj.finished,"
                                 " s.failures, s.dark"
                                 " FROM job_host_summary s JOIN unified_job uj ON uj.id = s.job_id"
                                 " LEFT JOIN job_template jt ON jt.id = uj.job_template_id"
                                 " WHERE (s.failed OR s.failures > 0 OR s.dark > 0)"
                                 " AND uj.finished >= now() - make_interval(hours => ?)"
                                 " ORDER BY uj.finished DESC, uj.id DESC, s.host_name LIMIT ?"),
                  {hours, limit});
    if (!q)
        return q.status();
    QList<FailedHost> rows;
    while (q.value().next()) {
        FailedHost h;
        h.hostName = q.value().value(0).toString();
        h.jobId = q.value().value(1).toLongLong();
        h.templateName = q.value().value(2).toString();
        h.finished = q.value().value(3).toDateTime();
        h.failures = q.value().value(4).toInt();
        h.unreachable = q.value().value(5).toInt();
        rows.append(h);
    }
    return rows;
}

Result<ResourceCounts> JobStatsStore::resourceCounts() {
    auto q = exec(m_db,
                  QStringLiteral("SELECT (SELECT count(*) FROM project),"
                                 " (SELECT count(*) FROM project WHERE name <> ?),"
                                 " (SELECT count(*) FROM inventory),"
                                 " (SELECT count(*) FROM inventory WHERE name <> ?),"
                                 " (SELECT count(*) FROM job_template),"
                                 " (SELECT count(*) FROM job_template WHERE name <> ?),"
                                 " (SELECT count(*) FROM unified_job)"),
                  {kDemoProject, kDemoInventory, kDemoTemplate});
    if (!q)
        return q.status();
    if (!q.value().next())
        return Status::failure(QStringLiteral("resource counts: no row"));
    ResourceCounts c;
    c.projects = q.value().value(0).toInt();
    c.ownProjects = q.value().value(1).toInt();
    c.inventories = q.value().value(2).toInt();
    c.ownInventories = q.value().value(3).toInt();
    c.jobTemplates = q.value().value(4).toInt();
    c.ownJobTemplates = q.value().value(5).toInt();
    c.jobs = q.value().value(6).toInt();
    return c;
}

Result<DashboardFigures> JobStatsStore::figures(const DayWindow &window, const DayWindow &templateWindow,
                                                int failedHostsHours) {
    return inTransaction<DashboardFigures>(m_db, [&]() -> Result<DashboardFigures> {
        if (auto set =
                exec(m_db, QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
            !set)
            return set.status();
        DashboardFigures f;
        f.window = window;
        f.templateWindow = templateWindow;
        f.failedHostsHours = failedHostsHours;
        auto recent = statusCounts(window);
        if (!recent)
            return recent.status();
        f.recent = recent.value();
        auto perDay = statusPerDay(window);
        if (!perDay)
            return perDay.status();
        f.perDay = perDay.take();
        auto templates = templateSuccessPerDay(templateWindow);
        if (!templates)
            return templates.status();
        f.templates = groupByTemplate(templates.value());
        auto hosts = failedHosts(failedHostsHours);
        if (!hosts)
            return hosts.status();
        f.failedHosts = hosts.take();
        auto resources = resourceCounts();
        if (!resources)
            return resources.status();
        f.resources = resources.value();
        return f;
    });
}

} // namespace playdeck

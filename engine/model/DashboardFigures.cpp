#include "DashboardFigures.h"

#include <QHash>
#include <QMap>

#include <algorithm>
#include <numeric>

namespace playdeck {

int StatusCounts::total() const {
    return std::accumulate(byStatus.cbegin(), byStatus.cend(), 0);
}

int StatusCounts::active() const {
    return of(JobStatus::Pending) + of(JobStatus::Waiting) + of(JobStatus::Running);
}

DayWindow DayWindow::endingAt(const QDateTime &now, int days) {
    DayWindow w;
    w.utcOffsetSeconds = now.offsetFromUtc();
    // The operator's calendar day of `now`, at that offset, whatever time spec `now` came in.
    w.lastDay = now.toOffsetFromUtc(w.utcOffsetSeconds).date();
    w.firstDay = w.lastDay.addDays(-(qMax(1, days) - 1));
    return w;
}

qint64 DayWindow::startEpochSeconds() const {
    return QDateTime(firstDay, QTime(0, 0), Qt::OffsetFromUTC, utcOffsetSeconds).toSecsSinceEpoch();
}

QList<QDate> DayWindow::days() const {
    QList<QDate> out;
    for (QDate d = firstDay; d.isValid() && d <= lastDay; d = d.addDays(1))
        out << d;
    return out;
}

int TemplateSuccess::successful() const {
    return std::accumulate(days.cbegin(), days.cend(), 0,
                           [](int sum, const TemplateDay &d) { return sum + d.successful; });
}

int TemplateSuccess::failed() const {
    return std::accumulate(days.cbegin(), days.cend(), 0,
                           [](int sum, const TemplateDay &d) { return sum + d.failed; });
}

int TemplateSuccess::successPercent() const {
    const int ok = successful();
    const int all = ok + failed();
    if (all == 0)
        return -1;
    // Rounded down, so that 99.6 % never shows as 100 % while a run failed.
    return ok * 100 / all;
}

FirstStartSteps firstStartSteps(const ResourceCounts &counts) {
    FirstStartSteps steps;
    steps.projectDone = counts.ownProjects > 0;
    steps.inventoryDone = counts.ownInventories > 0;
    steps.templateDone = counts.ownJobTemplates > 0;
    return steps;
}

QList<DayStatusCounts> fillDays(const DayWindow &window, const QList<DayStatusCounts> &rows) {
    QHash<QDate, StatusCounts> byDay;
    for (const DayStatusCounts &row : rows) {
        StatusCounts &c = byDay[row.day];
        for (std::size_t i = 0; i < c.byStatus.size(); ++i)
            c.byStatus[i] += row.counts.byStatus[i];
    }
    QList<DayStatusCounts> out;
    for (const QDate &day : window.days())
        out.append({day, byDay.value(day)});
    return out;
}

QList<TemplateSuccess> groupByTemplate(const QList<TemplateDay> &rows) {
    // Keyed by name then id: two templates may share a name over time (one deleted, one new).
    QMap<std::pair<QString, qint64>, TemplateSuccess> byTemplate;
    for (const TemplateDay &row : rows) {
        TemplateSuccess &t = byTemplate[{row.templateName, row.templateId}];
        t.templateId = row.templateId;
        t.templateName = row.templateName;
        t.days.append(row);
    }
    QList<TemplateSuccess> out;
    for (TemplateSuccess &t : byTemplate) {
        std::sort(t.days.begin(), t.days.end(),
                  [](const TemplateDay &a, const TemplateDay &b) { return a.day < b.day; });
        out.append(t);
    }
    return out;
}

} // namespace playdeck

#include "DashboardModels.h"

#include "JobPresentation.h"

#include <QLocale>
#include <QPainter>
#include <QPoint>

namespace playdeck {

// ---- FailedHostsModel ----

void FailedHostsModel::setHosts(const QList<FailedHost> &hosts) {
    QList<FailedHostRow> next;
    next.reserve(hosts.size());
    QHash<std::pair<qint64, QString>, qint64> ids;
    for (const FailedHost &h : hosts) {
        const std::pair key{h.jobId, h.hostName};
        qint64 id = m_ids.value(key);
        if (!id)
            id = m_nextId++;
        ids.insert(key, id);
        next.append({id, h});
    }
    // Only the ids of rows still shown are kept: the table never grows with what left it.
    m_ids = ids;
    applySnapshot(next);
}

int FailedHostsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FailedHostsModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const FailedHost &h = m_rows[index.row()].host;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case HostColumn:
            return h.hostName;
        case JobColumn:
            return h.jobId;
        case TemplateColumn:
            return h.templateName;
        case FinishedColumn:
            return shortTimestamp(h.finished);
        case FailuresColumn:
            return h.failures;
        case UnreachableColumn:
            return h.unreachable;
        default:
            return {};
        }
    case Qt::DecorationRole:
        if (index.column() == HostColumn)
            return statusIcon(JobStatus::Failed);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == FinishedColumn && h.finished.isValid())
            return QLocale().toString(h.finished.toLocalTime(), QLocale::LongFormat);
        if (index.column() == JobColumn)
            return tr("Open job %1").arg(h.jobId);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == JobColumn || index.column() == FailuresColumn ||
            index.column() == UnreachableColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case JobIdRole:
        return h.jobId;
    default:
        return {};
    }
}

QVariant FailedHostsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return FailedHostRowsBase::headerData(section, orientation, role);
    switch (section) {
    case HostColumn:
        return tr("Host");
    case JobColumn:
        return tr("Job");
    case TemplateColumn:
        return tr("Template");
    case FinishedColumn:
        return tr("Finished");
    case FailuresColumn:
        return tr("Failed");
    case UnreachableColumn:
        return tr("Unreachable");
    default:
        return {};
    }
}

bool FailedHostsModel::rowDiffers(const FailedHostRow &a, const FailedHostRow &b) const {
    return a.host.templateName != b.host.templateName || a.host.finished != b.host.finished ||
           a.host.failures != b.host.failures || a.host.unreachable != b.host.unreachable;
}

// ---- TemplateSuccessModel ----

void TemplateSuccessModel::setTemplates(const QList<TemplateSuccess> &templates, const DayWindow &window) {
    const bool windowMoved = window.firstDay != m_window.firstDay || window.lastDay != m_window.lastDay;
    m_window = window;
    const QList<QDate> days = window.days();
    QList<TemplateSuccessRow> next;
    next.reserve(templates.size());
    for (const TemplateSuccess &t : templates) {
        TemplateSuccessRow row{t.templateId, t, QList<std::pair<int, int>>(days.size(), {0, 0})};
        for (const TemplateDay &d : t.days) {
            const qsizetype at = days.indexOf(d.day);
            if (at >= 0)
                row.perDay[at] = {d.successful, d.failed};
        }
        next.append(row);
    }
    applySnapshot(next);
    // Rows with the same runs still moved a day along: their trend must be drawn again.
    if (windowMoved && !m_rows.isEmpty())
        emitRowsChanged(0, int(m_rows.size()) - 1, TrendColumn, TrendColumn);
}

int TemplateSuccessModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString TemplateSuccessModel::trendText(const TemplateSuccessRow &row) const {
    QStringList days;
    const QList<QDate> dates = m_window.days();
    for (qsizetype i = 0; i < row.perDay.size() && i < dates.size(); ++i) {
        const auto [ok, failed] = row.perDay[i];
        if (ok + failed > 0)
            days << tr("%1: %2 successful, %3 failed")
                        .arg(QLocale().toString(dates[i], QLocale::ShortFormat))
                        .arg(ok)
                        .arg(failed);
    }
    return days.isEmpty() ? tr("No runs") : days.join(QLatin1Char('\n'));
}

QVariant TemplateSuccessModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TemplateSuccessRow &row = m_rows[index.row()];
    const int percent = row.success.successPercent();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TemplateColumn:
            return row.success.templateName;
        case PercentColumn:
            return percent < 0 ? QString() : tr("%1 %").arg(percent);
        case SuccessfulColumn:
            return row.success.successful();
        case FailedColumn:
            return row.success.failed();
        default:
            return {}; // the trend is painted by TrendDelegate
        }
    case Qt::ToolTipRole:
    case Qt::AccessibleTextRole:
        if (index.column() == TrendColumn)
            return trendText(row);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() != TemplateColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case TemplateIdRole:
        return row.id;
    case TrendRole: {
        QVariantList days;
        for (const auto &[ok, failed] : row.perDay)
            days << QPoint(ok, failed);
        return days;
    }
    case PercentRole:
        return percent;
    default:
        return {};
    }
}

QVariant TemplateSuccessModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return TemplateSuccessRowsBase::headerData(section, orientation, role);
    switch (section) {
    case TemplateColumn:
        return tr("Template");
    case TrendColumn:
        return tr("Last %1 days").arg(m_window.dayCount());
    case PercentColumn:
        return tr("Success");
    case SuccessfulColumn:
        return tr("Successful");
    case FailedColumn:
        return tr("Failed");
    default:
        return {};
    }
}

bool TemplateSuccessModel::rowDiffers(const TemplateSuccessRow &a, const TemplateSuccessRow &b) const {
    return a.success.templateName != b.success.templateName || a.perDay != b.perDay;
}

// ---- TrendDelegate ----

namespace {
constexpr int kBarWidth = 6;
constexpr int kBarGap = 2;
} // namespace

void TrendDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const {
    // The cell's background and selection as the style draws them, then the bars on top.
    QStyledItemDelegate::paint(painter, option, index);
    const QVariantList days = index.data(TemplateSuccessModel::TrendRole).toList();
    if (days.isEmpty())
        return;
    const QRect area = option.rect.adjusted(4, 3, -4, -3);
    const int step = qMax(2, qMin(kBarWidth + kBarGap, area.width() / int(days.size())));
    const int width = qMax(1, step - kBarGap);
    painter->save();
    painter->setPen(Qt::NoPen);
    int x = area.left();
    for (const QVariant &v : days) {
        const QPoint day = v.toPoint(); // x: successful, y: failed
        const int all = day.x() + day.y();
        if (all == 0) {
            painter->setBrush(option.palette.color(QPalette::Mid));
            painter->drawRect(QRect(x, area.center().y(), width, 1));
        } else {
            const int failedHeight = area.height() * day.y() / all;
            painter->setBrush(statusColor(JobStatus::Failed));
            painter->drawRect(QRect(x, area.top(), width, failedHeight));
            painter->setBrush(statusColor(JobStatus::Successful));
            painter->drawRect(QRect(x, area.top() + failedHeight, width, area.height() - failedHeight));
        }
        x += step;
    }
    painter->restore();
}

QSize TrendDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const {
    const int days = int(index.data(TemplateSuccessModel::TrendRole).toList().size());
    const QSize base = QStyledItemDelegate::sizeHint(option, index);
    return {qMax(base.width(), days * (kBarWidth + kBarGap) + 8), qMax(base.height(), 18)};
}

} // namespace playdeck

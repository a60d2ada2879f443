#include "HostRecapModel.h"

#include "JobPresentation.h"

#include <QBrush>
#include <QGuiApplication>
#include <QPalette>

namespace playdeck {

void HostRecapModel::setSummaries(const QList<HostSummary> &summaries) {
    // A recap is written once, when the play ends: replacing it whole is what happened.
    beginResetModel();
    m_rows = summaries;
    endResetModel();
}

int HostRecapModel::failedHosts() const {
    return int(std::count_if(m_rows.begin(), m_rows.end(), [](const HostSummary &h) { return h.failed(); }));
}

int HostRecapModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HostRecapModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HostRecapModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HostSummary &h = m_rows.at(index.row());
    if (role == FailedRole)
        return h.failed();
    if (role == Qt::ForegroundRole) {
        // Readable on the table's own background, light or dark.
        const QColor base = QGuiApplication::palette().color(QPalette::Base);
        if (h.dark > 0 && index.column() == UnreachableColumn)
            return QBrush(readableOn(statusColor(JobStatus::Error), base));
        if (h.failures > 0 && (index.column() == FailedColumn || index.column() == HostColumn))
            return QBrush(readableOn(statusColor(JobStatus::Failed), base));
        if (h.changed > 0 && index.column() == ChangedColumn)
            return QBrush(readableOn(QColor(0xb5, 0x89, 0x00), base));
        return {};
    }
    if (role == Qt::TextAlignmentRole && index.column() != HostColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case HostColumn:
        return h.host;
    case OkColumn:
        return h.ok;
    case ChangedColumn:
        return h.changed;
    case FailedColumn:
        return h.failures;
    case UnreachableColumn:
        return h.dark;
    case SkippedColumn:
        return h.skipped;
    case RescuedColumn:
        return h.rescued;
    case IgnoredColumn:
        return h.ignored;
    default:
        return {};
    }
}

QVariant HostRecapModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case HostColumn:
        return tr("Host");
    case OkColumn:
        return tr("OK");
    case ChangedColumn:
        return tr("Changed");
    case FailedColumn:
        return tr("Failed");
    case UnreachableColumn:
        return tr("Unreachable");
    case SkippedColumn:
        return tr("Skipped");
    case RescuedColumn:
        return tr("Rescued");
    case IgnoredColumn:
        return tr("Ignored");
    default:
        return {};
    }
}

} // namespace playdeck

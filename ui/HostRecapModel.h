#pragma once

#include "events/HostSummary.h"

#include <QAbstractTableModel>

namespace playdeck {

// A job's per-host recap (ansible's PLAY RECAP, from job_host_summary): one row per host with its
// counts, the hosts that failed or were unreachable marked in the failed colour.
class HostRecapModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        HostColumn,
        OkColumn,
        ChangedColumn,
        FailedColumn,
        UnreachableColumn,
        SkippedColumn,
        RescuedColumn,
        IgnoredColumn,
        ColumnCount
    };
    enum Role { FailedRole = Qt::UserRole + 1 };

    using QAbstractTableModel::QAbstractTableModel;

    void setSummaries(const QList<HostSummary> &summaries);
    const QList<HostSummary> &summaries() const { return m_rows; }
    int failedHosts() const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<HostSummary> m_rows;
};

} // namespace playdeck

#pragma once

#include "IdRowsModel.h"
#include "model/DashboardFigures.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QStyledItemDelegate>

namespace playdeck {

// A failed host's row: FailedHost with an id that stays the same across refreshes (one per job and
// host), so that IdRowsModel keeps the selection.
struct FailedHostRow {
    qint64 id = 0;
    FailedHost host;
};

using FailedHostRowsBase = IdRowsModel<QAbstractTableModel, FailedHostRow>;

// The hosts that failed or were unreachable in the last day, newest job first.
class FailedHostsModel : public FailedHostRowsBase {
    Q_OBJECT
public:
    enum Column {
        HostColumn,
        JobColumn,
        TemplateColumn,
        FinishedColumn,
        FailuresColumn,
        UnreachableColumn,
        ColumnCount
    };
    enum Role { JobIdRole = Qt::UserRole + 1 };

    explicit FailedHostsModel(QObject *parent = nullptr)
        : FailedHostRowsBase(parent) {}

    void setHosts(const QList<FailedHost> &hosts);

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    bool rowDiffers(const FailedHostRow &before, const FailedHostRow &after) const override;

private:
    QHash<std::pair<qint64, QString>, qint64> m_ids;
    qint64 m_nextId = 1;
};

// A template's row: its success over the window (id: the template's).
struct TemplateSuccessRow {
    qint64 id = 0;
    TemplateSuccess success;
    // Per day of the window: the day's successful and failed runs (both 0: no run that day).
    QList<std::pair<int, int>> perDay;
};

using TemplateSuccessRowsBase = IdRowsModel<QAbstractTableModel, TemplateSuccessRow>;

// Per job template: its runs per day as a small bar strip (TrendDelegate), its success rate and its
// successful and failed runs over the window.
class TemplateSuccessModel : public TemplateSuccessRowsBase {
    Q_OBJECT
public:
    enum Column { TemplateColumn, TrendColumn, PercentColumn, SuccessfulColumn, FailedColumn, ColumnCount };
    enum Role {
        TemplateIdRole = Qt::UserRole + 1,
        TrendRole,   // QVariantList of QPoint(successful, failed), one per day of the window
        PercentRole, // int 0..100, or -1 without a run
    };

    explicit TemplateSuccessModel(QObject *parent = nullptr)
        : TemplateSuccessRowsBase(parent) {}

    void setTemplates(const QList<TemplateSuccess> &templates, const DayWindow &window);
    const DayWindow &window() const { return m_window; }

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    bool rowDiffers(const TemplateSuccessRow &before, const TemplateSuccessRow &after) const override;

private:
    QString trendText(const TemplateSuccessRow &row) const;
    DayWindow m_window;
};

// Paints TemplateSuccessModel's trend: one bar per day, its successful share in the successful
// colour over its failed share in the failed colour; a day without a run is a short line in the
// palette's mid colour.
class TrendDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace playdeck

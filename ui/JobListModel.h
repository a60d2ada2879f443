#pragma once

#include "IdRowsModel.h"
#include "model/Job.h"

#include <QAbstractTableModel>
#include <QIcon>
#include <QTimer>

namespace playdeck {

class Controller;

using JobRowsBase = IdRowsModel<QAbstractTableModel, JobSummary>;

// A page of jobs (newest first unless sorted otherwise, filtered by status, template and text).
// Job creations and status changes are coalesced into one fetch per 100 ms, and each fetch is
// applied row by row so selections survive. Sorting and filtering happen in PostgreSQL, so every
// page of any number of jobs is a page of the whole list.
class JobListModel : public JobRowsBase {
    Q_OBJECT
public:
    enum Column { IdColumn, NameColumn, StatusColumn, StartedColumn, ElapsedColumn, ColumnCount };
    enum Role {
        IdRole = Qt::UserRole + 1,
        StatusRole, // the engine's status (JobStatus)
    };
    static constexpr int FetchLimit = 200;

    explicit JobListModel(Controller &controller, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    JobSummary jobAt(int row) const { return m_rows.value(row); }

    const JobQuery &query() const { return m_query; }
    // Shows the jobs of `query` (from its offset); fetched at once.
    void setQuery(const JobQuery &query);
    // How many jobs match the query in all (the pages together).
    int total() const { return m_total; }
    // Sorted by the database: the page shown is the first page in the new order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

public Q_SLOTS:
    // Fetches at once; calls made while a fetch is under way lead to one more fetch after it.
    void refresh();
    // Fetches within 100 ms, once however often it is called.
    void scheduleRefresh();

Q_SIGNALS:
    void refreshed();
    void refreshFailed(const QString &message);

protected:
    bool rowDiffers(const JobSummary &before, const JobSummary &after) const override;

private:
    void tick();
    void updateClock();
    QIcon iconFor(JobStatus status) const;

    Controller &m_controller;
    JobQuery m_query;
    int m_total = 0;
    QTimer m_refreshTimer;
    QTimer m_clock; // repaints the elapsed column of running jobs
    bool m_fetching = false;
    bool m_fetchAgain = false;
    mutable QHash<int, QIcon> m_icons;
};

} // namespace playdeck

#pragma once

#include "IdRowsModel.h"
#include "model/Job.h"

#include <QAbstractTableModel>
#include <QIcon>
#include <QTimer>

namespace playdeck {

class Controller;

using JobRowsBase = IdRowsModel<QAbstractTableModel, JobSummary>;

// The most recent jobs, newest first. Job creations and status changes are coalesced into one fetch
// per 100 ms, and each fetch is applied row by row so selections survive.
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
    QTimer m_refreshTimer;
    QTimer m_clock; // repaints the elapsed column of running jobs
    bool m_fetching = false;
    bool m_fetchAgain = false;
    mutable QHash<int, QIcon> m_icons;
};

} // namespace playdeck

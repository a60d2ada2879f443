#pragma once

#include "core/JobStatus.h"
#include "model/DashboardFigures.h"
#include "resources/ResourceSchema.h"

#include <QHash>
#include <QTimer>
#include <QWidget>

class QBarCategoryAxis;
class QBarSet;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QTableView;
class QToolButton;
class QValueAxis;

namespace playdeck {

class Controller;
class FailedHostsModel;
class TemplateSuccessModel;

// The window's first screen: recent runs by status (counts and a stacked bar per day), each
// template's success over the last two weeks, the hosts that failed in the last day, and on a fresh
// setup the three steps to a first job of one's own. Everything is read in one snapshot
// (DashboardService) and read again, coalesced, whenever jobs or resources change anywhere.
class DashboardView : public QWidget {
    Q_OBJECT
public:
    // The statuses that get a count of their own; pending, waiting and running share one (active).
    static QList<JobStatus> countedStatuses();

    explicit DashboardView(Controller &controller, QWidget *parent = nullptr);
    ~DashboardView() override;

    // How many days the status counts and the chart cover (7 unless changed).
    int days() const { return m_days; }
    void setDays(int days);
    // What the view shows now (the last snapshot it applied).
    const DashboardFigures &figures() const { return m_figures; }

public Q_SLOTS:
    // Reads the figures now; a call while a read is under way leads to one more read after it.
    void refresh();
    // Reads them within 500 ms, once however often it is called.
    void scheduleRefresh();

Q_SIGNALS:
    // A snapshot was read and shown.
    void refreshed();
    // A failed host's row was activated: the window shows that job.
    void openJobRequested(qint64 jobId);
    // A status count was clicked: the window may show those jobs (JobStatus::Running: the active ones).
    void jobsRequested(playdeck::JobStatus status);
    // A step of the first-start hint was clicked: the window opens a new resource of that kind.
    void startRequested(playdeck::ResourceKind kind);

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *buildCounts();
    QWidget *buildChart();
    void apply(const DashboardFigures &figures);
    void applyCounts(const StatusCounts &counts);
    void applyChart(const QList<DayStatusCounts> &perDay);
    void applyHint(const ResourceCounts &resources);
    void applyPalette();
    void onHintLink(const QString &link);

    Controller &m_controller;
    int m_days = 7;
    DashboardFigures m_figures;
    bool m_fetching = false;
    bool m_fetchAgain = false;
    QTimer m_refreshTimer;
    QTimer m_clockTimer;

    QLabel *m_hint = nullptr;
    QLabel *m_error = nullptr;
    QComboBox *m_daysCombo = nullptr;
    QHash<int, QToolButton *> m_countButtons; // by JobStatus
    QChartView *m_chartView = nullptr;
    QChart *m_chart = nullptr;
    QBarCategoryAxis *m_dayAxis = nullptr;
    QValueAxis *m_countAxis = nullptr;
    QList<QBarSet *> m_barSets; // one per chartStatuses() entry
    QLabel *m_templatesTitle = nullptr;
    QTableView *m_templateTable = nullptr;
    TemplateSuccessModel *m_templates = nullptr;
    QTableView *m_hostTable = nullptr;
    FailedHostsModel *m_hosts = nullptr;
    QLabel *m_noFailedHosts = nullptr;
};

} // namespace playdeck

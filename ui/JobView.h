#pragma once

#include "bus/Messages.h"
#include "model/Job.h"
#include "model/JobEvent.h"
#include "services/JobService.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;
class QToolButton;

namespace playdeck {

class Controller;
class HostRecapModel;
class JobDetailsPanel;
class JobOutputPane;

// One job: a header with its state and actions, and its output as ansible printed it, growing while
// the job runs (JobOutputPane, paged from the database), its recap and its details.
class JobView : public QWidget {
    Q_OBJECT
public:
    JobView(Controller &controller, qint64 jobId, QWidget *parent = nullptr);

    qint64 jobId() const { return m_jobId; }
    // The last state fetched from the engine; empty fields until isLoaded().
    const JobDetail &job() const { return m_job; }
    bool isLoaded() const { return m_loaded; }
    // The job's status; New until loaded.
    JobStatus status() const { return m_job.status; }
    // "Demo Job Template #12"; "Job #12" until loaded. For tab titles.
    QString title() const;
    // The highest event counter committed when the output last looked (0 before any).
    int lastCounter() const;

    HostRecapModel *recapModel() const { return m_recapModel; }
    JobDetailsPanel *detailsPanel() const { return m_detailsPanel; }
    QTabWidget *pages() const { return m_pages; }
    JobOutputPane *outputPane() const { return m_output; }

    bool canCancel() const;
    bool canRelaunch() const;
    bool isFollowing() const;

public Q_SLOTS:
    void cancelJob();
    void relaunchJob(playdeck::RelaunchMode mode = playdeck::RelaunchMode::SamePrompts);
    // Shows the find bar over the output with the focus in it (Ctrl+F).
    void showFind();
    // Keep the output scrolled to the bottom as it grows.
    void setFollowing(bool follow);
    // Fetch the job's state again for the header.
    void refreshJob();

Q_SIGNALS:
    void titleChanged(const QString &title);
    void statusChanged(playdeck::JobStatus status);
    // canCancel() or canRelaunch() may have changed.
    void actionsChanged();
    void relaunched(qint64 newJobId);

private:
    void applyJob(JobDetail job);
    void onEventsCommitted(qint64 jobId, int counter);
    void onJobChanged(const bus::JobChanged &change);
    void updateHeader();
    void updateElapsed();
    void updateActions();
    void fetchRecap();
    void showMessage(const QString &message);

    Controller &m_controller;
    const qint64 m_jobId;
    JobDetail m_job;
    bool m_loaded = false;

    bool m_jobFetching = false;
    bool m_jobFetchAgain = false;
    bool m_cancelling = false;
    bool m_relaunching = false;
    QTimer m_clock;

    QLabel *m_titleLabel = nullptr;
    QLabel *m_statusIcon = nullptr;
    QLabel *m_statusLabel = nullptr;
    QLabel *m_elapsedLabel = nullptr;
    QLabel *m_detailsLabel = nullptr;
    QLabel *m_explanationLabel = nullptr;
    QLabel *m_inputLabel = nullptr;  // the job waits at a prompt
    QLabel *m_eventsLabel = nullptr; // events the database refused
    QLabel *m_messageLabel = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QPushButton *m_relaunchButton = nullptr;
    JobOutputPane *m_output = nullptr;
    QToolButton *m_relaunchModeButton = nullptr;
    QTabWidget *m_pages = nullptr; // output, recap, details
    QTableView *m_recapView = nullptr;
    HostRecapModel *m_recapModel = nullptr;
    JobDetailsPanel *m_detailsPanel = nullptr;
    bool m_recapFetched = false;
};

} // namespace playdeck

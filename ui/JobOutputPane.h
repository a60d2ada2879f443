#pragma once

#include "events/OutputLines.h"
#include "services/JobService.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QSplitter;
class QTreeView;

namespace playdeck {

class EventTreeModel;
class OutputFindBar;
class OutputLineModel;
class OutputLinesView;
class OutputSearch;

// A job's output page: the tree of plays, tasks and host results beside the lines (both paged
// from the database, never all held), find and filter running on the engine's threads, the event
// behind a line or a result, follow, wrap, go to line, downloads, and while the job runs a lag
// gauge (how old the newest event is, and events per second).
class JobOutputPane : public QWidget {
    Q_OBJECT
public:
    JobOutputPane(JobService &jobs, qint64 jobId, QWidget *parent = nullptr);

    OutputLineModel *model() const { return m_model; }
    OutputLinesView *view() const { return m_view; }
    OutputSearch *search() const { return m_search; }
    OutputFindBar *findBar() const { return m_findBar; }
    EventTreeModel *treeModel() const { return m_treeModel; }
    QTreeView *treeView() const { return m_tree; }
    // The counter of the event shown beside the output (0: none).
    int shownEvent() const { return m_shownCounter; }
    // The highest event counter committed when last looked (0 before any).
    int lastCounter() const;
    bool isFollowing() const;
    // The lag gauge's text ("" while the job is not running).
    QString lagText() const;

public Q_SLOTS:
    // More events were committed (or may have been): grow, and search on.
    void jobAdvanced();
    void setJobRunning(bool running);
    void setFollowing(bool follow);
    void showFind();
    // Go to the next match of the find bar's search (before, backwards); when the search has not
    // got that far yet, as soon as it has.
    void findNext(bool backwards = false);
    // 1-based, as the gutter numbers lines.
    void goToLine(int line);
    void askGoToLine();
    void saveOutput(playdeck::JobService::OutputFormat format, const QString &path);
    // The event behind a line, its event_data as JSON, beside the output.
    void showEventOf(int row);
    void showEvent(int counter);
    // The host's lines only, and its first failed (else first) result opened in the tree: where
    // a recap row leads.
    void showHost(const QString &host);

Q_SIGNALS:
    void saved(const QString &path, qint64 events);
    void saveFailed(const QString &message);

private:
    void applyFilter();
    void onTreeRowsInserted(const QModelIndex &parent, int first, int last);
    void onTreeCurrent(const QModelIndex &index);
    void onSearchProgress();
    void goToMatch(int line);
    void onExtent(const OutputExtent &extent);
    void updateLag();
    void showStatus(const QString &text, bool error = false);
    void askSave(JobService::OutputFormat format);

    JobService &m_jobs;
    const qint64 m_jobId;
    OutputLineModel *m_model = nullptr;
    OutputLinesView *m_view = nullptr;
    OutputSearch *m_search = nullptr;
    OutputFindBar *m_findBar = nullptr;
    QCheckBox *m_followBox = nullptr;
    QCheckBox *m_wrapBox = nullptr;
    QLabel *m_lagLabel = nullptr;
    QLabel *m_statusLabel = nullptr;
    QSplitter *m_splitter = nullptr;
    EventTreeModel *m_treeModel = nullptr;
    QTreeView *m_tree = nullptr;
    QCheckBox *m_treeBox = nullptr;
    int m_autoExpanded = 0; // nodes a filter opened by itself
    QWidget *m_eventPanel = nullptr;
    QLabel *m_eventTitle = nullptr;
    QPlainTextEdit *m_eventData = nullptr;
    int m_shownCounter = 0;

    bool m_pendingNext = false;
    bool m_pendingBackwards = false;

    bool m_running = false;
    QTimer m_lagClock;
    QElapsedTimer m_since;
    struct Sample {
        qint64 ms = 0;
        int counter = 0;
    };
    QList<Sample> m_samples; // the last few seconds, for events per second
};

} // namespace playdeck

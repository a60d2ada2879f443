#pragma once

#include "events/EventTree.h"
#include "events/OutputLines.h"

#include <QAbstractItemModel>
#include <QTimer>

#include <memory>
#include <vector>

namespace playdeck {

class JobService;

// A job's plays, their tasks and the tasks' host results, fetched from PostgreSQL a page of
// children at a time as the view expands a node (fetchMore), so a task with a million loop items
// costs what is looked at. While the job runs, refresh() brings the newest play, task and results.
// With a filter (the output's event conditions) only matching results and the tasks that have one.
class EventTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    static constexpr int PageNodes = 200;
    // Children held for one node; the output and its filters reach the rest.
    static constexpr int MaxChildren = 5000;

    enum Role {
        CounterRole = Qt::UserRole + 1, // the event's counter
        StartLineRole,                  // its first line in the output, 0-based
        KindRole,                       // EventNodeKind as int
        OutcomeRole,                    // LineOutcome as int
        HostRole,
    };

    EventTreeModel(JobService &jobs, qint64 jobId, QObject *parent = nullptr);
    ~EventTreeModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // Only the filter's event conditions count (its text is the output's).
    void setFilter(const OutputFilter &filter);
    const OutputFilter &filter() const { return m_filter; }
    // Loads the play and task above a result (and the pages up to it), then emits revealed().
    void reveal(const EventPath &path);
    // Whether a page is being fetched (for tests).
    bool isFetching() const { return m_inFlight > 0; }

public Q_SLOTS:
    // More events were committed: fetch, soon, what is new in the newest play and task.
    void refresh();

Q_SIGNALS:
    void revealed(const QModelIndex &index);
    void revealFailed();
    void loadFailed(const QString &message);

private:
    struct Node;
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOf(Node *node) const;
    void fetch(Node *node);
    void onChildren(Node *node, const QList<EventNode> &children, bool wholePage);
    void refreshNow();
    void continueReveal();
    QString label(const Node &node) const;

    JobService &m_jobs;
    const qint64 m_jobId;
    std::unique_ptr<Node> m_root;
    OutputFilter m_filter;
    quint64 m_generation = 0; // replies from before a reset are dropped
    int m_inFlight = 0;
    QTimer m_refreshSoon;
    EventPath m_reveal;
};

} // namespace playdeck

#include "EventTreeModel.h"

#include "AnsiText.h"
#include "db/DbPool.h"
#include "services/JobService.h"

#include <QLocale>

namespace playdeck {

struct EventTreeModel::Node {
    EventNode event;
    Node *parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Node>> children;
    bool atEnd = false; // the last page came back short: every child committed so far is here
    bool fetching = false;

    bool expandable() const {
        const EventNodeKind kind = event.kind();
        return parent == nullptr || kind == EventNodeKind::Play || kind == EventNodeKind::Task;
    }
    Node *last() const { return children.empty() ? nullptr : children.back().get(); }
    bool capped() const { return int(children.size()) >= MaxChildren; }
    bool emptyLeaf() const { return atEnd && children.empty(); }
};

EventTreeModel::EventTreeModel(JobService &jobs, qint64 jobId, QObject *parent)
    : QAbstractItemModel(parent)
    , m_jobs(jobs)
    , m_jobId(jobId)
    , m_root(std::make_unique<Node>()) {
    // A running job commits many times a second; the tree looks for news at most twice a second.
    m_refreshSoon.setSingleShot(true);
    m_refreshSoon.setInterval(500);
    connect(&m_refreshSoon, &QTimer::timeout, this, &EventTreeModel::refreshNow);
    fetch(m_root.get());
}

EventTreeModel::~EventTreeModel() = default;

EventTreeModel::Node *EventTreeModel::nodeOf(const QModelIndex &index) const {
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex EventTreeModel::indexOf(Node *node) const {
    return node == m_root.get() ? QModelIndex() : createIndex(node->row, 0, node);
}

QModelIndex EventTreeModel::index(int row, int column, const QModelIndex &parent) const {
    const Node *p = nodeOf(parent);
    if (column != 0 || row < 0 || row >= int(p->children.size()))
        return {};
    return createIndex(row, 0, p->children[size_t(row)].get());
}

QModelIndex EventTreeModel::parent(const QModelIndex &child) const {
    if (!child.isValid())
        return {};
    return indexOf(nodeOf(child)->parent);
}

int EventTreeModel::rowCount(const QModelIndex &parent) const {
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int EventTreeModel::columnCount(const QModelIndex &) const {
    return 1;
}

bool EventTreeModel::hasChildren(const QModelIndex &parent) const {
    const Node *node = nodeOf(parent);
    if (parent.isValid() && parent.column() != 0)
        return false;
    return !node->children.empty() || (node->expandable() && !node->atEnd);
}

bool EventTreeModel::canFetchMore(const QModelIndex &parent) const {
    const Node *node = nodeOf(parent);
    return node->expandable() && !node->atEnd && !node->fetching && !node->capped();
}

void EventTreeModel::fetchMore(const QModelIndex &parent) {
    if (canFetchMore(parent))
        fetch(nodeOf(parent));
}

void EventTreeModel::fetch(Node *node) {
    if (node->fetching || node->capped())
        return;
    node->fetching = true;
    ++m_inFlight;
    const int after = node->children.empty() ? 0 : node->children.back()->event.counter;
    const int limit = qMin(PageNodes, MaxChildren - int(node->children.size()));
    const quint64 generation = m_generation;
    whenReady(m_jobs.eventChildren(m_jobId, node->event.uuid, after, limit, m_filter), this,
              [this, node, generation, limit](Result<QList<EventNode>> result) {
                  --m_inFlight;
                  if (generation != m_generation)
                      return; // the tree was reset: `node` is gone
                  node->fetching = false;
                  if (!result) {
                      Q_EMIT loadFailed(result.error());
                      return;
                  }
                  onChildren(node, result.value(), result.value().size() >= limit);
              });
}

void EventTreeModel::onChildren(Node *node, const QList<EventNode> &children, bool wholePage) {
    // What the view shows of the node itself: its expander, and the "first N shown" of its label.
    const bool wasEmptyLeaf = node->emptyLeaf();
    const bool wasCapped = node->capped();
    node->atEnd = !wholePage;
    if (!children.isEmpty()) {
        const int first = int(node->children.size());
        beginInsertRows(indexOf(node), first, first + int(children.size()) - 1);
        for (const EventNode &e : children) {
            auto child = std::make_unique<Node>();
            child->event = e;
            child->parent = node;
            child->row = int(node->children.size());
            node->children.push_back(std::move(child));
        }
        endInsertRows();
    }
    if (node != m_root.get() && (wasCapped != node->capped() || wasEmptyLeaf != node->emptyLeaf())) {
        const QModelIndex index = indexOf(node);
        Q_EMIT dataChanged(index, index);
    }
    continueReveal();
}

void EventTreeModel::setFilter(const OutputFilter &filter) {
    OutputFilter conditions = filter;
    conditions.text.clear();
    conditions.regex = false;
    conditions.caseSensitive = false;
    if (conditions == m_filter)
        return;
    beginResetModel();
    ++m_generation;
    m_filter = conditions;
    m_root = std::make_unique<Node>();
    m_reveal = {};
    endResetModel();
    fetch(m_root.get());
}

void EventTreeModel::refresh() {
    if (!m_refreshSoon.isActive())
        m_refreshSoon.start();
}

void EventTreeModel::refreshNow() {
    // New nodes come at the end of the newest branch (the last play, its last task): those that
    // hold every child committed so far ask for what came after. Nodes still being paged in get
    // the new ones with their next page.
    for (Node *node = m_root.get(); node != nullptr; node = node->last()) {
        if (!node->expandable())
            break;
        if (node->atEnd && !node->fetching)
            fetch(node);
    }
}

void EventTreeModel::reveal(const EventPath &path) {
    m_reveal = path;
    continueReveal();
}

void EventTreeModel::continueReveal() {
    if (m_reveal.counter <= 0)
        return;
    const auto find = [](Node *parent, auto matches) -> Node * {
        for (const auto &child : parent->children) {
            if (matches(child->event))
                return child.get();
        }
        return nullptr;
    };
    // One step down per call: each level may need pages first.
    const auto step = [&](Node *parent, auto matches) -> Node * {
        if (Node *found = find(parent, matches))
            return found;
        if (parent->fetching)
            return nullptr; // its next page will call again
        if (parent->atEnd || parent->capped()) {
            m_reveal = {};
            Q_EMIT revealFailed();
        } else {
            fetch(parent);
        }
        return nullptr;
    };
    const EventPath path = m_reveal;
    Node *play = step(m_root.get(), [&](const EventNode &e) { return e.uuid == path.playUuid; });
    if (!play)
        return;
    Node *task = step(play, [&](const EventNode &e) { return e.uuid == path.taskUuid; });
    if (!task)
        return;
    Node *result = step(task, [&](const EventNode &e) { return e.counter == path.counter; });
    if (!result)
        return;
    m_reveal = {};
    Q_EMIT revealed(indexOf(result));
}

QString EventTreeModel::label(const Node &node) const {
    const EventNode &e = node.event;
    QString text;
    switch (e.kind()) {
    case EventNodeKind::Play:
        text = tr("Play: %1").arg(e.play);
        break;
    case EventNodeKind::Task:
        text = e.event == QLatin1String("playbook_on_handler_task_start") ? tr("Handler: %1").arg(e.task)
                                                                          : tr("Task: %1").arg(e.task);
        break;
    case EventNodeKind::Result: {
        QString outcome;
        switch (e.outcome()) {
        case LineOutcome::Ok:
            outcome = tr("ok");
            break;
        case LineOutcome::Changed:
            outcome = tr("changed");
            break;
        case LineOutcome::Failed:
            outcome = tr("failed");
            break;
        case LineOutcome::Unreachable:
            outcome = tr("unreachable");
            break;
        case LineOutcome::Skipped:
            outcome = tr("skipped");
            break;
        case LineOutcome::None:
            outcome = e.event; // runner_retry, runner_on_async_poll, ...
            break;
        }
        const QString host = e.itemLabel.isEmpty() ? e.host : tr("%1 (item=%2)").arg(e.host, e.itemLabel);
        text = tr("%1: %2").arg(host, outcome);
        break;
    }
    case EventNodeKind::Other:
        text = e.event;
        break;
    }
    if (node.capped())
        text = tr("%1 (the first %2 shown)").arg(text, QLocale().toString(MaxChildren));
    return text;
}

QVariant EventTreeModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid())
        return {};
    const Node &node = *nodeOf(index);
    const EventNode &e = node.event;
    switch (role) {
    case Qt::DisplayRole:
        return label(node);
    case Qt::ToolTipRole:
        return node.capped() ? tr("The rest are in the output: filter it by host or outcome")
                             : tr("Event %1, line %2").arg(e.counter).arg(e.startLine + 1);
    case Qt::ForegroundRole: {
        const QColor colour = outcomeColor(e.outcome());
        return colour.isValid() ? QVariant(colour) : QVariant();
    }
    case CounterRole:
        return e.counter;
    case StartLineRole:
        return e.startLine;
    case KindRole:
        return int(e.kind());
    case OutcomeRole:
        return int(e.outcome());
    case HostRole:
        return e.host;
    default:
        return {};
    }
}

} // namespace playdeck

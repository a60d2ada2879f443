#include "OutputLineModel.h"

#include "db/DbPool.h"
#include "events/AnsiEscapes.h"
#include "services/JobService.h"

#include <QTimer>

#include <algorithm>

namespace playdeck {

OutputLineModel::OutputLineModel(JobService &jobs, qint64 jobId, QObject *parent)
    : QAbstractListModel(parent)
    , m_jobs(jobs)
    , m_jobId(jobId) {}

int OutputLineModel::rowCount(const QModelIndex &parent) const {
    if (parent.isValid())
        return 0;
    return m_filter ? m_filterRows : m_lineCount;
}

QHash<int, QByteArray> OutputLineModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(AnsiTextRole, "ansiText");
    names.insert(LineNumberRole, "lineNumber");
    names.insert(CounterRole, "counter");
    names.insert(OutcomeRole, "outcome");
    names.insert(LoadedRole, "loaded");
    return names;
}

QVariant OutputLineModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int line = lineOfRow(index.row());
    if (role == LineNumberRole)
        return line + 1;
    const OutputLine *l = lineAt(line);
    if (!l && (role == Qt::DisplayRole || role == AnsiTextRole || role == CounterRole || role == OutcomeRole))
        want(line / PageLines);
    switch (role) {
    case Qt::DisplayRole:
        return l ? stripAnsi(l->text) : QString();
    case AnsiTextRole:
        return l ? l->text : QString();
    case CounterRole:
        return l ? l->counter : 0;
    case OutcomeRole:
        return l ? int(l->outcome) : int(LineOutcome::None);
    case LoadedRole:
        return l != nullptr;
    default:
        return {};
    }
}

const OutputLine *OutputLineModel::lineAt(int line) const {
    auto it = m_pages.find(line / PageLines);
    if (it == m_pages.end())
        return nullptr;
    const int offset = line % PageLines;
    if (offset >= it->lines.size())
        return nullptr; // the page was read while the output was shorter
    it->used = ++m_clock;
    return &it->lines.at(offset);
}

void OutputLineModel::want(int page) const {
    if (m_inFlight.contains(page))
        return;
    m_queued.removeOne(page);
    m_queued.append(page);
    // A fast scroll through a big job wants many pages; only the last ones are still on screen.
    while (m_queued.size() > MaxQueued && m_waiters.isEmpty())
        m_queued.removeFirst();
    if (!m_pumpScheduled) {
        auto *self = const_cast<OutputLineModel *>(this);
        self->m_pumpScheduled = true;
        // Not from inside data(): the view is painting.
        QTimer::singleShot(0, self, &OutputLineModel::pump);
    }
}

void OutputLineModel::pump() {
    m_pumpScheduled = false;
    while (m_inFlight.size() < MaxInFlight && !m_queued.isEmpty()) {
        const int page = m_queued.takeLast();
        const int first = page * PageLines;
        const int end = qMin(first + PageLines, m_lineCount);
        if (end <= first || m_inFlight.contains(page))
            continue;
        auto held = m_pages.constFind(page);
        if (held != m_pages.cend() && first + held->lines.size() >= end)
            continue; // arrived meanwhile
        m_inFlight.insert(page, end);
        whenReady(m_jobs.outputPage(m_jobId, first, PageLines, end), this,
                  [this, page](Result<OutputPage> result) {
                      m_inFlight.remove(page);
                      if (result)
                          onPage(page, result.value());
                      else
                          Q_EMIT loadFailed(result.error());
                      pump();
                  });
    }
}

void OutputLineModel::onPage(int page, const OutputPage &result) {
    Page &held = m_pages[page];
    held.lines = result.lines;
    held.used = ++m_clock;
    evict();
    rowsChangedForLines(result.firstLine, result.firstLine + int(result.lines.size()));
    checkWaiters();
}

void OutputLineModel::evict() {
    while (m_pages.size() > MaxPages) {
        auto oldest = m_pages.begin();
        for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
            if (it->used < oldest->used)
                oldest = it;
        }
        m_pages.erase(oldest);
    }
}

void OutputLineModel::rowsChangedForLines(int first, int end) {
    const int firstRow = rowOfLine(first);
    const int endRow = qMin(rowOfLine(end), rowCount());
    if (endRow > firstRow)
        Q_EMIT dataChanged(index(firstRow), index(endRow - 1));
}

void OutputLineModel::refresh() {
    if (m_refreshing) {
        m_refreshAgain = true;
        return;
    }
    m_refreshing = true;
    m_refreshAgain = false;
    whenReady(m_jobs.outputExtent(m_jobId), this, [this](Result<OutputExtent> result) {
        m_refreshing = false;
        if (result) {
            m_extent = result.value();
            setLineCount(m_extent.lineCount);
            Q_EMIT extentChanged(m_extent);
        } else {
            Q_EMIT loadFailed(result.error());
        }
        if (m_refreshAgain)
            refresh();
    });
}

void OutputLineModel::setLineCount(int count) {
    if (count <= m_lineCount)
        return;
    if (m_filter) {
        m_lineCount = count;
        return;
    }
    beginInsertRows({}, m_lineCount, count - 1);
    m_lineCount = count;
    endInsertRows();
}

int OutputLineModel::lineOfRow(int row) const {
    if (!m_filter)
        return row;
    const auto it = std::upper_bound(m_filterRowStarts.cbegin(), m_filterRowStarts.cend(), row);
    if (it == m_filterRowStarts.cbegin())
        return 0;
    const qsizetype i = (it - m_filterRowStarts.cbegin()) - 1;
    return m_filter->at(i).first + row - m_filterRowStarts.at(i);
}

int OutputLineModel::rowOfLine(int line) const {
    if (!m_filter)
        return qBound(0, line, m_lineCount);
    const auto it = std::upper_bound(m_filter->cbegin(), m_filter->cend(), line,
                                     [](int l, const LineRange &r) { return l < r.end(); });
    if (it == m_filter->cend())
        return m_filterRows;
    const qsizetype i = it - m_filter->cbegin();
    return m_filterRowStarts.at(i) + qMax(0, line - it->first);
}

void OutputLineModel::setFilterRanges(const QList<LineRange> &ranges) {
    beginResetModel();
    m_filter = QList<LineRange>();
    m_filterRowStarts.clear();
    m_filterRows = 0;
    endResetModel();
    appendFilterRanges(ranges);
}

void OutputLineModel::appendFilterRanges(const QList<LineRange> &ranges) {
    if (!m_filter || ranges.isEmpty())
        return;
    // Lines a search found are committed: the output is at least that long.
    const int lastEnd = ranges.last().end();
    if (lastEnd > m_lineCount)
        m_lineCount = lastEnd;
    // Every range lies after the rows there are (a search moves forward), so rows only grow at the
    // end, even when the first one merges with the last range held.
    QList<LineRange> merged = *m_filter;
    for (const LineRange &r : ranges) {
        if (merged.isEmpty() || merged.last().end() < r.first) {
            merged.append(r);
        } else {
            LineRange &last = merged.last();
            last.count = qMax(last.end(), r.end()) - last.first;
        }
    }
    int total = 0;
    for (const LineRange &r : merged)
        total += r.count;
    if (total <= m_filterRows) {
        m_filter = merged;
        return;
    }
    beginInsertRows({}, m_filterRows, total - 1);
    m_filter = std::move(merged);
    m_filterRowStarts.clear();
    int start = 0;
    for (const LineRange &r : *m_filter) {
        m_filterRowStarts.append(start);
        start += r.count;
    }
    m_filterRows = total;
    endInsertRows();
}

void OutputLineModel::clearFilter() {
    if (!m_filter)
        return;
    beginResetModel();
    m_filter.reset();
    m_filterRowStarts.clear();
    m_filterRows = 0;
    endResetModel();
}

void OutputLineModel::whenLoaded(int first, int last, std::function<void(const QStringList &)> done) {
    first = qBound(0, first, rowCount());
    last = qMin(last, qMin(rowCount() - 1, first + MaxPages * PageLines / 2 - 1));
    m_waiters.append({first, last, std::move(done)});
    checkWaiters();
}

void OutputLineModel::checkWaiters() {
    for (qsizetype w = 0; w < m_waiters.size();) {
        const Waiter &waiter = m_waiters.at(w);
        QStringList text;
        bool complete = true;
        for (int row = waiter.first; row <= waiter.last; ++row) {
            const int line = lineOfRow(row);
            const OutputLine *l = lineAt(line);
            if (!l) {
                complete = false;
                want(line / PageLines);
                continue;
            }
            text.append(stripAnsi(l->text));
        }
        if (!complete) {
            ++w;
            continue;
        }
        auto done = std::move(m_waiters[w].done);
        m_waiters.removeAt(w);
        done(text);
    }
}

} // namespace playdeck

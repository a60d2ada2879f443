#pragma once

#include "events/OutputLines.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>

#include <functional>
#include <optional>

namespace playdeck {

class JobService;

// A job's output, one row per line, paged from PostgreSQL: only the pages near what is looked at
// are held (at most MaxPages of PageLines lines), so a ten-million-line job costs what a screen
// does. A row not loaded yet is empty and asks for its page; dataChanged follows when it arrives.
// Rows grow as refresh() finds more committed lines. With a filter (setFilterRanges) the rows are
// only the lines in the ranges, numbered as in the whole output.
class OutputLineModel : public QAbstractListModel {
    Q_OBJECT
public:
    static constexpr int PageLines = 256;
    static constexpr int MaxPages = 96;   // about 25k lines held
    static constexpr int MaxInFlight = 3; // the query pool has three connections
    static constexpr int MaxQueued = 12;  // pages wanted but not asked for yet; the newest win

    enum Role {
        AnsiTextRole = Qt::UserRole + 1, // the line as printed, colours included
        LineNumberRole,                  // 1-based, in the whole output
        CounterRole,                     // the event that printed it (0: not loaded or no event)
        OutcomeRole,                     // LineOutcome as int
        LoadedRole,                      // whether the line's page is here
    };

    OutputLineModel(JobService &jobs, qint64 jobId, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    qint64 jobId() const { return m_jobId; }
    // Lines of the whole output known so far, and the extent they came with.
    int lineCount() const { return m_lineCount; }
    const OutputExtent &extent() const { return m_extent; }
    bool isFiltered() const { return m_filter.has_value(); }

    // The 0-based line of the whole output shown in `row`, and the row that shows `line` (or the
    // first row after it; rowCount() when none).
    int lineOfRow(int row) const;
    int rowOfLine(int line) const;

    // Show only these lines (ascending; more may follow with appendFilterRanges), or everything.
    void setFilterRanges(const QList<LineRange> &ranges);
    void appendFilterRanges(const QList<LineRange> &ranges);
    void clearFilter();

    // Text of rows [first, last] (plain, no colours), once all their pages are here: at once when they
    // are, else after fetching them. At most MaxPages * PageLines / 2 rows.
    void whenLoaded(int first, int last, std::function<void(const QStringList &)> done);

    // The output has at least `lineCount` lines (a search found one there before refresh() did).
    void growTo(int lineCount) { setLineCount(lineCount); }

    // Pages held now (for tests and the memory bound).
    int pagesHeld() const { return int(m_pages.size()); }

public Q_SLOTS:
    // Asks how far the output is now; rows are inserted for new lines.
    void refresh();

Q_SIGNALS:
    void extentChanged(const playdeck::OutputExtent &extent);
    void loadFailed(const QString &message);

private:
    struct Page {
        QList<OutputLine> lines; // from page * PageLines; fewer when the output ended there
        quint64 used = 0;
    };
    const OutputLine *lineAt(int line) const;
    void want(int page) const;
    void pump();
    void onPage(int page, const OutputPage &result);
    void evict();
    void rowsChangedForLines(int first, int end);
    void setLineCount(int count);
    void checkWaiters();

    JobService &m_jobs;
    const qint64 m_jobId;
    int m_lineCount = 0;
    OutputExtent m_extent;
    bool m_refreshing = false;
    bool m_refreshAgain = false;

    mutable QHash<int, Page> m_pages;
    mutable quint64 m_clock = 0;
    mutable QList<int> m_queued; // pages wanted, newest last
    QHash<int, int> m_inFlight;  // page → lines asked for (its end, for a page still growing)
    bool m_pumpScheduled = false;

    // Filtered rows: the ranges and, for each, the row it starts at.
    std::optional<QList<LineRange>> m_filter;
    QList<int> m_filterRowStarts;
    int m_filterRows = 0;

    struct Waiter {
        int first = 0;
        int last = 0;
        std::function<void(const QStringList &)> done;
    };
    QList<Waiter> m_waiters;
};

} // namespace playdeck

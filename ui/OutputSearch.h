#pragma once

#include "events/OutputLines.h"

#include <QObject>

namespace playdeck {

class JobService;

// A search through a job's output that never blocks the window: it asks the engine for one step at
// a time (ChunkEvents events, matched on a database thread) and the matches stream in, in line
// order. Once it has caught up with a running job it waits; jobAdvanced() (more events committed)
// takes it on, so lines printed after the search started are found too.
class OutputSearch : public QObject {
    Q_OBJECT
public:
    static constexpr int ChunkEvents = 20000;

    OutputSearch(JobService &jobs, qint64 jobId, QObject *parent = nullptr);

    // Starts over with `filter` (an empty one stops searching).
    void start(const OutputFilter &filter);
    void stop();
    const OutputFilter &filter() const { return m_filter; }
    bool isActive() const { return !m_filter.isEmpty(); }
    // Caught up with everything committed when last asked.
    bool isCaughtUp() const { return m_caughtUp; }
    const QList<LineRange> &matches() const { return m_matches; }
    int matchCount() const { return m_matchCount; }
    // Lines looked at so far (all before this one).
    int scannedTo() const { return m_scannedTo; }
    QString error() const { return m_error; }

    // The first matching line after `line` (before it, backwards), or -1.
    int nextMatch(int line, bool backwards = false) const;
    // How many matching lines come before `line`.
    int matchesBefore(int line) const;

public Q_SLOTS:
    void jobAdvanced();

Q_SIGNALS:
    // New matches, after all earlier ones.
    void matchesAdded(const QList<playdeck::LineRange> &ranges);
    // Progress, a catch-up or an error: for a status line.
    void progressed();

private:
    void step();

    JobService &m_jobs;
    const qint64 m_jobId;
    OutputFilter m_filter;
    quint64 m_generation = 0;
    bool m_running = false; // a step is in flight
    bool m_caughtUp = false;
    bool m_advancedMeanwhile = false;
    int m_scannedTo = 0;
    QList<LineRange> m_matches;
    int m_matchCount = 0;
    QString m_error;
};

} // namespace playdeck

#include "OutputSearch.h"

#include "db/DbPool.h"
#include "services/JobService.h"

#include <algorithm>

namespace playdeck {

OutputSearch::OutputSearch(JobService &jobs, qint64 jobId, QObject *parent)
    : QObject(parent)
    , m_jobs(jobs)
    , m_jobId(jobId) {}

void OutputSearch::start(const OutputFilter &filter) {
    ++m_generation; // a step still in flight belongs to the old search
    m_running = false;
    m_filter = filter;
    m_caughtUp = false;
    m_advancedMeanwhile = false;
    m_scannedTo = 0;
    m_matches.clear();
    m_matchCount = 0;
    m_error.clear();
    if (!isActive()) {
        Q_EMIT progressed();
        return;
    }
    step();
}

void OutputSearch::stop() {
    start(OutputFilter());
}

void OutputSearch::jobAdvanced() {
    if (!isActive() || !m_error.isEmpty())
        return;
    if (m_running) {
        m_advancedMeanwhile = true;
        return;
    }
    if (m_caughtUp) {
        m_caughtUp = false;
        step();
    }
}

void OutputSearch::step() {
    m_running = true;
    m_advancedMeanwhile = false;
    const quint64 generation = m_generation;
    whenReady(m_jobs.searchOutput(m_jobId, m_filter, m_scannedTo, ChunkEvents), this,
              [this, generation](Result<OutputMatches> result) {
                  if (generation != m_generation)
                      return;
                  m_running = false;
                  if (!result) {
                      m_error = result.error();
                      Q_EMIT progressed();
                      return;
                  }
                  const OutputMatches &found = result.value();
                  m_scannedTo = qMax(m_scannedTo, found.scannedTo);
                  if (!found.ranges.isEmpty()) {
                      for (const LineRange &r : found.ranges) {
                          appendLine(m_matches, r.first, r.count);
                          m_matchCount += r.count;
                      }
                      Q_EMIT matchesAdded(found.ranges);
                  }
                  m_caughtUp = found.atEnd && !m_advancedMeanwhile;
                  Q_EMIT progressed();
                  if (!m_caughtUp)
                      step();
              });
}

int OutputSearch::nextMatch(int line, bool backwards) const {
    if (m_matches.isEmpty())
        return -1;
    if (!backwards) {
        // The first range that ends after line + 1.
        const auto it = std::upper_bound(m_matches.cbegin(), m_matches.cend(), line + 1,
                                         [](int l, const LineRange &r) { return l < r.end(); });
        if (it == m_matches.cend())
            return -1;
        return qMax(it->first, line + 1);
    }
    // The last range that starts before line.
    const auto it = std::lower_bound(m_matches.cbegin(), m_matches.cend(), line,
                                     [](const LineRange &r, int l) { return r.first < l; });
    if (it == m_matches.cbegin())
        return -1;
    const LineRange &r = *(it - 1);
    return qMin(r.end() - 1, line - 1);
}

int OutputSearch::matchesBefore(int line) const {
    int n = 0;
    for (const LineRange &r : m_matches) {
        if (r.first >= line)
            break;
        n += qMin(r.end(), line) - r.first;
    }
    return n;
}

} // namespace playdeck

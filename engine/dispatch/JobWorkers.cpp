#include "JobWorkers.h"

#include <algorithm>

namespace playdeck {

JobWorkers::JobWorkers(int threads) {
    for (int i = 0; i < std::max(1, threads); ++i) {
        Worker w{std::make_unique<QThread>(), 0};
        w.thread->setObjectName(QStringLiteral("job-worker-%1").arg(i));
        w.thread->start();
        m_workers.push_back(std::move(w));
    }
}

JobWorkers::~JobWorkers() {
    stop();
}

void JobWorkers::place(QObject *job) {
    auto best = std::min_element(m_workers.begin(), m_workers.end(),
                                 [](const Worker &a, const Worker &b) { return a.jobs < b.jobs; });
    ++best->jobs;
    m_placed.emplace_back(job, size_t(best - m_workers.begin()));
    job->moveToThread(best->thread.get());
}

void JobWorkers::release(QObject *job) {
    auto it = std::find_if(m_placed.begin(), m_placed.end(), [job](const auto &p) { return p.first == job; });
    if (it == m_placed.end())
        return;
    --m_workers[it->second].jobs;
    m_placed.erase(it);
}

void JobWorkers::stop() {
    for (Worker &w : m_workers) {
        w.thread->quit();
        w.thread->wait();
    }
    m_workers.clear();
    m_placed.clear();
}

} // namespace playdeck

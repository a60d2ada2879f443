#pragma once

#include <QObject>
#include <QThread>

#include <memory>
#include <vector>

namespace playdeck {

// AWX's bounded worker pool, as threads: a few job-worker threads whose event loops each host any
// number of running jobs (a job is mostly waiting on its worker's pipe). A new job goes to the thread
// with the fewest jobs.
class JobWorkers {
public:
    explicit JobWorkers(int threads);
    ~JobWorkers();
    JobWorkers(const JobWorkers &) = delete;
    JobWorkers &operator=(const JobWorkers &) = delete;

    // Moves `job` to a worker thread; it belongs to that thread from now on (deleteLater() it there).
    void place(QObject *job);
    // The job ended (its object is being deleted).
    void release(QObject *job);
    void stop();

private:
    struct Worker {
        std::unique_ptr<QThread> thread;
        int jobs = 0;
    };
    std::vector<Worker> m_workers;
    std::vector<std::pair<QObject *, size_t>> m_placed;
};

} // namespace playdeck

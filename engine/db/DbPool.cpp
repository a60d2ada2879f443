#include "DbPool.h"

#include "DbConnection.h"
#include "core/Logging.h"

namespace playdeck {

DbPool::DbPool(QString purpose, int threads)
    : m_purpose(std::move(purpose))
    , m_threadCount(std::max(1, threads))
    , m_busyLane(size_t(m_threadCount), 0) {}

DbPool::~DbPool() {
    stop();
}

void DbPool::start(const DatabaseConfig &config) {
    QMutexLocker lock(&m_mutex);
    if (m_started)
        return;
    m_started = true;
    m_config = config;
    for (int i = 0; i < m_threadCount; ++i) {
        auto thread = std::unique_ptr<QThread>(QThread::create([this, i] {
            DbConnection connection(m_config, m_purpose);
            Task task;
            while (next(i, task)) {
                auto db = connection.get();
                if (!db)
                    qCWarning(lcDb) << db.error();
                QSqlDatabase handle = db ? db.value() : QSqlDatabase();
                // A closed handle makes every query fail with a message: callers see the error.
                task.work(handle);
                task = {};
                done(i);
            }
        }));
        thread->setObjectName(QStringLiteral("%1-%2").arg(m_purpose).arg(i));
        thread->start();
        m_threads.push_back(std::move(thread));
    }
}

void DbPool::stop() {
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_wake.wakeAll();
    }
    for (auto &thread : m_threads)
        thread->wait();
    m_threads.clear();
    QMutexLocker lock(&m_mutex);
    m_queue.clear(); // never started: their promises are destroyed unfinished, i.e. canceled
}

bool DbPool::enqueue(std::function<void(QSqlDatabase &)> work, quint64 lane) {
    QMutexLocker lock(&m_mutex);
    if (m_stopping)
        return false;
    m_queue.push_back({std::move(work), lane});
    m_wake.wakeAll();
    return true;
}

bool DbPool::next(int worker, Task &task) {
    QMutexLocker lock(&m_mutex);
    for (;;) {
        // The first task whose lane no other worker is running, so that a lane's tasks stay in order.
        for (auto it = m_queue.begin(); it != m_queue.end(); ++it) {
            const bool laneBusy = it->lane != 0 && std::find(m_busyLane.begin(), m_busyLane.end(),
                                                             it->lane) != m_busyLane.end();
            bool earlierSameLane = false;
            if (it->lane != 0)
                for (auto before = m_queue.begin(); before != it; ++before)
                    earlierSameLane = earlierSameLane || before->lane == it->lane;
            if (laneBusy || earlierSameLane)
                continue;
            task = std::move(*it);
            m_queue.erase(it);
            m_busyLane[size_t(worker)] = task.lane;
            return true;
        }
        if (m_stopping && m_queue.empty())
            return false;
        m_wake.wait(&m_mutex);
    }
}

void DbPool::done(int worker) {
    QMutexLocker lock(&m_mutex);
    m_busyLane[size_t(worker)] = 0;
    m_wake.wakeAll(); // a task of this lane may be next
}

} // namespace playdeck

#pragma once

#include "DatabaseConfig.h"

#include <QFuture>
#include <QFutureWatcher>
#include <QMutex>
#include <QObject>
#include <QPromise>
#include <QSqlDatabase>
#include <QThread>
#include <QWaitCondition>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace playdeck {

// A few threads, each with its own connection, that run database work for callers on other
// threads (the window, the command line, job runners) so that no caller ever blocks on the database
// and reads do not queue behind one connection. Work submitted with the same non-zero `lane` runs in
// submission order (a job's own writes stay ordered); other work goes to whichever thread is free.
class DbPool {
public:
    DbPool(QString purpose, int threads);
    ~DbPool();
    DbPool(const DbPool &) = delete;
    DbPool &operator=(const DbPool &) = delete;

    // Work submitted before start() waits; the database is known only once the engine has started it.
    void start(const DatabaseConfig &config);
    // Runs what is queued, then joins the threads. Work submitted afterwards is dropped (its future
    // is canceled).
    void stop();

    template <typename T> QFuture<T> run(std::function<T(QSqlDatabase &)> work, quint64 lane = 0) {
        auto promise = std::make_shared<QPromise<T>>();
        QFuture<T> future = promise->future();
        promise->start();
        if (!enqueue(
                [promise, work = std::move(work)](QSqlDatabase &db) {
                    promise->addResult(work(db));
                    promise->finish();
                },
                lane))
            promise->finish(); // dropped: no result
        return future;
    }

private:
    struct Task {
        std::function<void(QSqlDatabase &)> work;
        quint64 lane = 0;
    };
    class Worker;
    bool enqueue(std::function<void(QSqlDatabase &)> work, quint64 lane);
    // Called by workers: the next task this worker may run, or nothing when stopping.
    bool next(int worker, Task &task);
    void done(int worker);

    QString m_purpose;
    int m_threadCount;
    DatabaseConfig m_config;
    QMutex m_mutex;
    QWaitCondition m_wake;
    std::deque<Task> m_queue;
    std::vector<quint64> m_busyLane; // per worker: the lane it is running (0: none)
    std::vector<std::unique_ptr<QThread>> m_threads;
    bool m_started = false;
    bool m_stopping = false;
    friend class Worker;
};

// Calls `done(result)` on `context`'s thread once `future` has its result, unless `context` is gone
// by then (the watcher is the context's child, so it goes with it). A future without a result (work
// dropped at shutdown) calls nothing.
template <typename T, typename F> void whenReady(const QFuture<T> &future, QObject *context, F &&done) {
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, done = std::forward<F>(done)]() mutable {
                         watcher->deleteLater();
                         if (watcher->future().resultCount() > 0)
                             done(watcher->future().takeResult());
                     });
    watcher->setFuture(future);
}

} // namespace playdeck

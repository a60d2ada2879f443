#pragma once

#include "DatabaseConfig.h"
#include "core/Result.h"

#include <QObject>
#include <QPointer>
#include <QSqlDatabase>
#include <QThread>

#include <functional>

namespace playdeck {

// A thread with its own database connection that runs closures in order. Callers never block: the
// answer is delivered on the caller's `context` object (typically on the GUI thread).
class DbWorker : public QObject {
    Q_OBJECT
public:
    DbWorker(DatabaseConfig config, QString threadName);
    ~DbWorker() override;

    void post(std::function<void(QSqlDatabase &)> work);

    template <typename T>
    void query(std::function<T(QSqlDatabase &)> work, QObject *context, std::function<void(T)> done) {
        QPointer<QObject> guard(context);
        post([this, work = std::move(work), guard, done = std::move(done)](QSqlDatabase &db) mutable {
            T value = work(db);
            // Delivered through this object (it outlives its thread), checking the context only
            // where it lives: it may be gone by then.
            QMetaObject::invokeMethod(
                this,
                [guard, done = std::move(done), value = std::move(value)]() mutable {
                    if (guard)
                        done(std::move(value));
                },
                Qt::QueuedConnection);
        });
    }

private:
    class Runner;
    DatabaseConfig m_config;
    QThread m_thread;
    Runner *m_runner = nullptr;
};

} // namespace playdeck

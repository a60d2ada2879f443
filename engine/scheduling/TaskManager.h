#pragma once

#include "db/DatabaseConfig.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace playdeck {

class DbConnection;

// AWX's task manager: decides which pending jobs start, and where. Runs in its own thread with its
// own connection; run requests coalesce (many launches, one run), a periodic run is the fail-safe,
// and a PostgreSQL advisory lock keeps one run at a time across every Playdeck process.
class TaskManager : public QObject {
    Q_OBJECT
public:
    TaskManager(DatabaseConfig config, QString controllerNode, int liveInstanceSeconds);
    ~TaskManager() override;

    Q_INVOKABLE void start();
    Q_INVOKABLE void stop();
    // Safe to call from any thread through a queued invocation; many calls, one run.
    Q_INVOKABLE void requestRun();

    static constexpr int kPeriodicIntervalMs = 20000; // AWX's TASK_MANAGER periodic run

private:
    void run();
    bool runOnce(int &started);

    DatabaseConfig m_config;
    QString m_controllerNode;
    int m_liveInstanceSeconds;
    std::unique_ptr<DbConnection> m_connection;
    QTimer *m_periodic = nullptr;
    bool m_runQueued = false;
    bool m_stopped = false;
};

} // namespace playdeck

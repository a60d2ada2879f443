#pragma once

#include "EmbeddedCluster.h"
#include "core/Result.h"

#include <QObject>
#include <QTimer>

namespace playdeck {

// Runs the embedded cluster's blocking work in a thread of its own (never the GUI's) and keeps the
// server there: it attaches or has one started, then pings it every second; when the server stops
// answering and its supervisor is gone too (it was killed), it has a new one started. Whichever
// Playdeck process notices first takes over; the others attach.
class ClusterKeeper : public QObject {
    Q_OBJECT
public:
    explicit ClusterKeeper(QString dataDir);
    ~ClusterKeeper() override;

    static constexpr int kWatchIntervalMs = 1000;

    // In the keeper's thread. Emits ready() or failed().
    Q_INVOKABLE void start();
    Q_INVOKABLE void leave();

Q_SIGNALS:
    void ready(const playdeck::DatabaseConfig &config, const QString &clusterDir);
    void failed(const QString &message);
    void serverLost(const QString &message);
    void serverBack();

private:
    void watch();

    EmbeddedCluster m_cluster;
    QTimer *m_timer = nullptr;
    bool m_lost = false;
    bool m_left = false;
};

} // namespace playdeck

Q_DECLARE_METATYPE(playdeck::DatabaseConfig)

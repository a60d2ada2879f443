#include "ClusterKeeper.h"

#include "core/Logging.h"

namespace playdeck {

ClusterKeeper::ClusterKeeper(QString dataDir)
    : m_cluster(std::move(dataDir)) {
    qRegisterMetaType<DatabaseConfig>();
}

ClusterKeeper::~ClusterKeeper() = default;

void ClusterKeeper::start() {
    if (Status s = m_cluster.ensureRunning(); !s) {
        Q_EMIT failed(s.error());
        return;
    }
    m_timer = new QTimer(this);
    m_timer->setInterval(kWatchIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &ClusterKeeper::watch);
    m_timer->start();
    Q_EMIT ready(m_cluster.config(), m_cluster.clusterDir());
}

void ClusterKeeper::watch() {
    if (m_left || m_cluster.answers()) {
        if (m_lost && !m_left) {
            m_lost = false;
            qCInfo(lcCluster) << "the PostgreSQL server answers again";
            Q_EMIT serverBack();
        }
        return;
    }
    if (!m_lost) {
        m_lost = true;
        qCWarning(lcCluster) << "the PostgreSQL server does not answer";
        Q_EMIT serverLost(tr("The database server stopped answering; it is being restarted."));
    }
    // Its supervisor restarts a server that crashed; if the supervisor itself is gone, this starts a
    // new one (and otherwise waits for the restart).
    if (Status s = m_cluster.ensureRunning(); !s)
        qCWarning(lcCluster) << "the PostgreSQL server is not back yet:" << s.error();
}

void ClusterKeeper::leave() {
    m_left = true;
    if (m_timer)
        m_timer->stop();
    m_cluster.leave();
}

} // namespace playdeck

#pragma once

#include "DatabaseConfig.h"
#include "core/Result.h"

#include <QObject>
#include <QPointer>
#include <QProcess>

namespace playdeck {

// Playdeck's private PostgreSQL cluster: created on first use under the data directory, listening
// on a unix socket only, the server run as a direct child so a crash is noticed. Every Playdeck
// process on the same data directory shares one server: the first one starts it, the others attach,
// and the last one to leave stops it (a shared flock counts the users).
class EmbeddedCluster : public QObject {
    Q_OBJECT
public:
    explicit EmbeddedCluster(QString dataDir, QObject *parent = nullptr);
    ~EmbeddedCluster() override;

    // Attaches to the running server or creates/starts one. Blocking (at most a few seconds).
    Status start();
    // Leaves the cluster: stops the server if no other Playdeck process uses it.
    void stop();

    DatabaseConfig config() const;
    QString clusterDir() const { return m_clusterDir; }
    QString socketDir() const { return m_socketDir; }
    QString serverLogPath() const;

Q_SIGNALS:
    void serverDied(const QString &message);

private:
    Status ensureDirectories();
    Status initDb();
    Status startServer();
    Status createDatabase();
    bool ping() const;
    int pingState() const; // PGPing
    bool waitForServerExit(int timeoutMs) const;
    QString logTail() const;
    Status runTool(const QString &tool, const QStringList &args, int timeoutMs);
    void prepareChild(QProcess &process) const;

    QString m_dataDir;
    QString m_clusterDir;
    QString m_socketDir;
    QString m_binDir;
    int m_usersLockFd = -1;
    QProcess *m_server = nullptr;
    bool m_asRoot = false;
    unsigned m_pgUid = 0;
    unsigned m_pgGid = 0;
};

} // namespace playdeck

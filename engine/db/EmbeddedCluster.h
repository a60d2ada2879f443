#pragma once

#include "DatabaseConfig.h"
#include "core/Result.h"

#include <QObject>
#include <QString>

namespace playdeck {

// Playdeck's private PostgreSQL cluster: created on first use, listening on a unix socket only.
// Every Playdeck process on the same data directory shares one server. Each one holds a shared flock
// on cluster.users.lock for as long as it lives (the kernel lets go of it however the process ends).
// The server runs under `playdeck-helper postgres`, a supervisor started detached by whichever
// process found no server: it restarts a crashed server while users remain, and stops it as soon as
// the last user is gone, even when that user was SIGKILLed. Any process that finds the supervisor
// gone starts a new one, so nobody depends on the process that started it first.
//
// All calls block (for a few seconds at most) and belong in a thread of their own, never the GUI's.
class EmbeddedCluster : public QObject {
    Q_OBJECT
public:
    explicit EmbeddedCluster(QString dataDir, QObject *parent = nullptr);
    ~EmbeddedCluster() override;

    // Counts this process as a user, then attaches to the running server or has one started.
    Status ensureRunning();
    // Whether the server answers right now (one PQping).
    bool answers() const;
    // Leaves the cluster: when this was the last user, the supervisor stops the server.
    void leave();

    // Where the cluster of `dataDir` lives: inside it, or (as root, for the postgres user to reach it)
    // /var/lib/playdeck/clusters/<hash of its path>.
    static QString clusterDirFor(const QString &dataDir);

    DatabaseConfig config() const;
    QString clusterDir() const { return m_clusterDir; }
    QString socketDir() const { return m_socketDir; }
    QString serverLogPath() const;

private:
    // Longer than another process may rightly hold the start lock: waiting for a leaving supervisor
    // (30 s), initdb (120 s) and the server's start (30 s), with room to spare.
    static constexpr int kLockWaitMs = 240000;
    static Status lockWithin(int fd, int operation, int timeoutMs, const QByteArray &path);
    Status resolvePaths();
    Status ensureDirectories();
    Status initDb();
    Status startSupervisor();
    Status waitUntilReady(int timeoutMs);
    Status createDatabase();
    bool supervisorAlive() const;
    int pingState() const; // PGPing
    QString logTail() const;
    Status runTool(const QString &tool, const QStringList &args, int timeoutMs);

    QString m_dataDir;
    QString m_clusterDir;
    QString m_socketDir;
    QString m_binDir;
    int m_usersLockFd = -1;
    bool m_socketDirInUse = false; // the engine has been given m_socketDir
    bool m_asRoot = false;
    unsigned m_pgUid = 0;
    unsigned m_pgGid = 0;
};

} // namespace playdeck

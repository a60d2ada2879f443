#include "EmbeddedCluster.h"

#include "core/Logging.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <libpq-fe.h>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace playdeck {

namespace {

QString findPostgresBinDir() {
    const QString fromEnv = qEnvironmentVariable("PLAYDECK_PG_BINDIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    QDir root(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(),
              [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &v : versions) {
        const QString bin = root.filePath(v + QStringLiteral("/bin"));
        if (QFileInfo(bin + QStringLiteral("/postgres")).isExecutable())
            return bin;
    }
    return {};
}

QString shortHash(const QString &path) {
    return QString::fromLatin1(
        QCryptographicHash::hash(path.toUtf8(), QCryptographicHash::Sha1).toHex().left(10));
}

bool tryFlock(int fd, int op) {
    return ::flock(fd, op | LOCK_NB) == 0;
}

} // namespace

EmbeddedCluster::EmbeddedCluster(QString dataDir, QObject *parent)
    : QObject(parent)
    , m_dataDir(QDir(dataDir).absolutePath()) {
    m_asRoot = ::geteuid() == 0;
    const QString hash = shortHash(m_dataDir);
    if (m_asRoot) {
        // postgres refuses to run as root: the server runs as the `postgres` system user, which cannot
        // traverse root's home, so the cluster lives where that user can reach it.
        m_clusterDir = QStringLiteral("/var/lib/playdeck/clusters/") + hash;
        m_socketDir = QStringLiteral("/run/playdeck/") + hash;
    } else {
        m_clusterDir = m_dataDir + QStringLiteral("/postgresql");
        const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
        // A unix socket path must stay under 107 bytes: keep it short and out of the data dir.
        m_socketDir = runtime.isEmpty() ? QStringLiteral("/tmp/playdeck-%1-%2").arg(::getuid()).arg(hash)
                                        : runtime + QStringLiteral("/playdeck-") + hash;
    }
}

EmbeddedCluster::~EmbeddedCluster() {
    stop();
}

DatabaseConfig EmbeddedCluster::config() const {
    DatabaseConfig c;
    c.host = m_socketDir;
    c.port = 5432;
    return c;
}

QString EmbeddedCluster::serverLogPath() const {
    return m_clusterDir + QStringLiteral("/server.log");
}

Status EmbeddedCluster::start() {
    m_binDir = findPostgresBinDir();
    if (m_binDir.isEmpty() || !QFileInfo(m_binDir + QStringLiteral("/postgres")).isExecutable() ||
        !QFileInfo(m_binDir + QStringLiteral("/initdb")).isExecutable())
        return Status::failure(
            tr("PostgreSQL server binaries were not found under /usr/lib/postgresql. Install "
               "them with: sudo apt-get install postgresql (or set PLAYDECK_PG_BINDIR)."));
    if (m_asRoot) {
        const passwd *pw = ::getpwnam("postgres");
        if (!pw)
            return Status::failure(
                tr("Playdeck runs as root, so its database server must run as the 'postgres' "
                   "system user, which does not exist. Install the postgresql package."));
        m_pgUid = pw->pw_uid;
        m_pgGid = pw->pw_gid;
    }
    if (Status s = ensureDirectories(); !s)
        return s;

    // Count ourselves as a user of the cluster before looking at the server, so that a process that
    // is leaving never stops a server we are about to use.
    const QByteArray usersLock = QFile::encodeName(m_dataDir + QStringLiteral("/cluster.users.lock"));
    if (m_usersLockFd < 0) // a restart after a crash keeps the lock it has
        m_usersLockFd = ::open(usersLock.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_usersLockFd < 0 || ::flock(m_usersLockFd, LOCK_SH) != 0)
        return Status::failure(
            tr("Cannot lock %1: %2")
                .arg(QFile::decodeName(usersLock), QString::fromLocal8Bit(strerror(errno))));

    const QByteArray startLock = QFile::encodeName(m_dataDir + QStringLiteral("/cluster.start.lock"));
    const int startFd = ::open(startLock.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (startFd < 0)
        return Status::failure(
            tr("Cannot create %1: %2")
                .arg(QFile::decodeName(startLock), QString::fromLocal8Bit(strerror(errno))));
    ::flock(startFd, LOCK_EX); // one process at a time decides whether to start the server
    Status result;
    if (pingState() == PQPING_REJECT) {
        // The last user is stopping it right now: let it finish, then start afresh.
        qCInfo(lcCluster) << "the cluster is shutting down; waiting for it";
        waitForServerExit(15000);
    }
    if (ping()) {
        qCInfo(lcCluster) << "attached to the running cluster at" << m_socketDir;
    } else {
        if (!QFileInfo::exists(m_clusterDir + QStringLiteral("/data/PG_VERSION")))
            result = initDb();
        if (result)
            result = startServer();
    }
    if (result)
        result = createDatabase();
    ::flock(startFd, LOCK_UN);
    ::close(startFd);
    return result;
}

Status EmbeddedCluster::ensureDirectories() {
    if (!QDir().mkpath(m_dataDir) || !QFileInfo(m_dataDir).isWritable())
        return Status::failure(
            tr("The data directory %1 cannot be created or written. Choose another one with "
               "--data-dir or PLAYDECK_DATA_DIR.")
                .arg(m_dataDir));
    for (const QString &dir : {m_clusterDir, m_socketDir}) {
        if (!QDir().mkpath(dir))
            return Status::failure(tr("Cannot create the directory %1 for the database.").arg(dir));
        if (m_asRoot) {
            ::chmod(QFileInfo(dir).absolutePath().toLocal8Bit().constData(), 0755);
            if (::chown(QFile::encodeName(dir).constData(), m_pgUid, m_pgGid) != 0)
                return Status::failure(tr("Cannot hand %1 to the postgres user: %2")
                                           .arg(dir, QString::fromLocal8Bit(strerror(errno))));
        }
        ::chmod(QFile::encodeName(dir).constData(), 0700);
        // A directory in /tmp could have been made by someone else, waiting for our socket.
        struct stat st {};
        if (::lstat(QFile::encodeName(dir).constData(), &st) != 0 || !S_ISDIR(st.st_mode) ||
            st.st_uid != (m_asRoot ? uid_t(m_pgUid) : ::getuid()) || (st.st_mode & 077) != 0)
            return Status::failure(
                tr("The directory %1 is not a private directory of this user; remove it or set "
                   "XDG_RUNTIME_DIR.")
                    .arg(dir));
    }
    return {};
}

void EmbeddedCluster::prepareChild(QProcess &process) const {
    const bool dropRoot = m_asRoot;
    const uid_t uid = m_pgUid;
    const gid_t gid = m_pgGid;
    process.setChildProcessModifier([dropRoot, uid, gid] {
        // Runs in the forked child before exec. A session of its own keeps the terminal's Ctrl-C
        // away from the server: Playdeck stops it, in order, when it is time.
        ::setsid();
        if (dropRoot && (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0))
            ::_exit(126);
    });
}

Status EmbeddedCluster::runTool(const QString &tool, const QStringList &args, int timeoutMs) {
    QProcess process;
    prepareChild(process);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(m_clusterDir);
    process.start(m_binDir + QLatin1Char('/') + tool, args);
    if (!process.waitForStarted(10000))
        return Status::failure(tr("Cannot run %1: %2").arg(tool, process.errorString()));
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(2000);
        return Status::failure(tr("%1 did not finish in time.").arg(tool));
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return Status::failure(tr("%1 failed (exit code %2):\n%3")
                                   .arg(tool)
                                   .arg(process.exitCode())
                                   .arg(QString::fromLocal8Bit(process.readAll()).trimmed()));
    return {};
}

Status EmbeddedCluster::initDb() {
    qCInfo(lcCluster) << "creating a private PostgreSQL cluster in" << m_clusterDir;
    QStringList args{QStringLiteral("-D"),        m_clusterDir + QStringLiteral("/data"),
                     QStringLiteral("-U"),        QStringLiteral("playdeck"),
                     QStringLiteral("-A"),        QStringLiteral("trust"),
                     QStringLiteral("-E"),        QStringLiteral("UTF8"),
                     QStringLiteral("--locale=C")};
    if (qEnvironmentVariableIsSet("PLAYDECK_CLUSTER_FAST"))
        args << QStringLiteral("--no-sync");
    return runTool(QStringLiteral("initdb"), args, 120000);
}

Status EmbeddedCluster::startServer() {
    QStringList args{QStringLiteral("-D"), m_clusterDir + QStringLiteral("/data"),
                     QStringLiteral("-k"), m_socketDir,
                     QStringLiteral("-c"), QStringLiteral("listen_addresses="),
                     QStringLiteral("-c"), QStringLiteral("unix_socket_permissions=0700"),
                     QStringLiteral("-c"), QStringLiteral("max_connections=200")};
    if (qEnvironmentVariableIsSet("PLAYDECK_CLUSTER_FAST"))
        args << QStringLiteral("-c") << QStringLiteral("fsync=off");
    auto *server = new QProcess(this);
    prepareChild(*server);
    server->setWorkingDirectory(m_clusterDir);
    server->setStandardOutputFile(serverLogPath(), QIODevice::Append);
    server->setStandardErrorFile(serverLogPath(), QIODevice::Append);
    server->start(m_binDir + QStringLiteral("/postgres"), args);
    if (!server->waitForStarted(10000)) {
        const QString message = server->errorString();
        delete server;
        return Status::failure(tr("Cannot start the PostgreSQL server: %1").arg(message));
    }
    const QDeadlineTimer deadline(30000);
    while (!ping()) {
        if (server->state() == QProcess::NotRunning || server->waitForFinished(25)) {
            delete server;
            return Status::failure(tr("The PostgreSQL server did not start. The end of its log (%1):\n%2")
                                       .arg(serverLogPath(), logTail()));
        }
        if (deadline.hasExpired()) {
            server->kill();
            server->waitForFinished(2000);
            delete server;
            return Status::failure(
                tr("The PostgreSQL server did not become ready within 30 s. The end of its "
                   "log (%1):\n%2")
                    .arg(serverLogPath(), logTail()));
        }
    }
    m_server = server;
    connect(server, &QProcess::finished, this, [this](int code, QProcess::ExitStatus) {
        qCWarning(lcCluster) << "the PostgreSQL server exited with code" << code;
        m_server->deleteLater();
        m_server = nullptr;
        Q_EMIT serverDied(
            tr("The PostgreSQL server stopped unexpectedly. The end of its log:\n%1").arg(logTail()));
    });
    qCInfo(lcCluster) << "started PostgreSQL, pid" << server->processId() << "socket" << m_socketDir;
    return {};
}

bool EmbeddedCluster::ping() const {
    return pingState() == PQPING_OK;
}

int EmbeddedCluster::pingState() const {
    DatabaseConfig c = config();
    c.database = QStringLiteral("postgres");
    return PQping(c.libpqConnInfo().toUtf8().constData());
}

bool EmbeddedCluster::waitForServerExit(int timeoutMs) const {
    // Another process's server: no fd to wait on, so look at its pid file, which a server removes
    // as the last thing it does.
    const QString pidFile = m_clusterDir + QStringLiteral("/data/postmaster.pid");
    const QDeadlineTimer deadline(timeoutMs);
    while (QFileInfo::exists(pidFile) && !deadline.hasExpired())
        QThread::msleep(10);
    return !QFileInfo::exists(pidFile);
}

Status EmbeddedCluster::createDatabase() {
    DatabaseConfig c = config();
    c.database = QStringLiteral("postgres");
    PGconn *conn = PQconnectdb(c.libpqConnInfo().toUtf8().constData());
    Status result;
    if (PQstatus(conn) != CONNECTION_OK) {
        result = Status::failure(tr("Cannot connect to the private PostgreSQL server: %1")
                                     .arg(QString::fromUtf8(PQerrorMessage(conn)).trimmed()));
    } else {
        PGresult *exists = PQexec(conn, "SELECT 1 FROM pg_database WHERE datname = 'playdeck'");
        const bool found = PQresultStatus(exists) == PGRES_TUPLES_OK && PQntuples(exists) == 1;
        PQclear(exists);
        if (!found) {
            PGresult *created = PQexec(conn, "CREATE DATABASE playdeck");
            if (PQresultStatus(created) != PGRES_COMMAND_OK)
                result =
                    Status::failure(tr("Cannot create the playdeck database: %1")
                                        .arg(QString::fromUtf8(PQresultErrorMessage(created)).trimmed()));
            PQclear(created);
        }
    }
    PQfinish(conn);
    return result;
}

QString EmbeddedCluster::logTail() const {
    QFile log(serverLogPath());
    if (!log.open(QIODevice::ReadOnly))
        return tr("(no server log)");
    if (log.size() > 4096)
        log.seek(log.size() - 4096);
    return QString::fromLocal8Bit(log.readAll()).trimmed();
}

void EmbeddedCluster::stop() {
    if (m_usersLockFd < 0)
        return;
    // Converting our shared lock to an exclusive one succeeds only if no other Playdeck process uses
    // the cluster: then we are the last and stop the server, whoever started it.
    const bool last = tryFlock(m_usersLockFd, LOCK_EX);
    if (last) {
        if (m_server) {
            m_server->disconnect(this);
            ::kill(pid_t(m_server->processId()), SIGINT); // fast shutdown
            if (!m_server->waitForFinished(15000)) {
                m_server->kill();
                m_server->waitForFinished(2000);
            }
            delete m_server;
            m_server = nullptr;
        } else {
            QFile pidFile(m_clusterDir + QStringLiteral("/data/postmaster.pid"));
            // Only a server that answers is ours to stop: a stale pid file names someone else.
            if (ping() && pidFile.open(QIODevice::ReadOnly)) {
                const pid_t pid = pid_t(pidFile.readLine().trimmed().toLongLong());
                if (pid > 0 && ::kill(pid, SIGINT) == 0)
                    waitForServerExit(15000);
            }
        }
        qCInfo(lcCluster) << "stopped the private PostgreSQL server";
    } else if (m_server) {
        // Others still use the server: leave it running for them. Deleting the QProcess would kill it,
        // so we let go of the handle; the last user stops the server through its postmaster.pid.
        m_server->disconnect(this);
        m_server->setParent(nullptr);
        m_server = nullptr;
        qCInfo(lcCluster) << "left the PostgreSQL server running for other Playdeck processes";
    }
    ::flock(m_usersLockFd, LOCK_UN);
    ::close(m_usersLockFd);
    m_usersLockFd = -1;
}

} // namespace playdeck

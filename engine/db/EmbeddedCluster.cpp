#include "EmbeddedCluster.h"

#include "HelperProgram.h"
#include "SocketDir.h"
#include "core/Logging.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QThread>

#include <libpq-fe.h>

#include <cerrno>
#include <cstdlib>
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

QString systemError() {
    return QString::fromLocal8Bit(strerror(errno));
}

} // namespace

EmbeddedCluster::EmbeddedCluster(QString dataDir, QObject *parent)
    : QObject(parent)
    , m_dataDir(QDir(dataDir).absolutePath()) {
    m_asRoot = ::geteuid() == 0;
}

EmbeddedCluster::~EmbeddedCluster() {
    leave();
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

QString EmbeddedCluster::clusterDirFor(const QString &dataDir) {
    const QString absolute = QDir(dataDir).absolutePath();
    // postgres refuses to run as root: the server runs as the `postgres` system user, which cannot
    // traverse root's home, so the cluster lives where that user can reach it.
    if (::geteuid() == 0)
        return QStringLiteral("/var/lib/playdeck/clusters/") + shortHash(absolute);
    return absolute + QStringLiteral("/postgresql");
}

Status EmbeddedCluster::resolvePaths() {
    const QString hash = shortHash(m_dataDir);
    m_clusterDir = clusterDirFor(m_dataDir);
    if (m_asRoot) {
        m_socketDir = QStringLiteral("/run/playdeck/") + hash;
        return {};
    }
    // A unix socket path must stay under 107 bytes: keep it short and out of the data dir.
    auto socketDir =
        privateSocketDir(m_dataDir, hash, qEnvironmentVariable("XDG_RUNTIME_DIR"), QDir::tempPath());
    if (!socketDir)
        return socketDir.status();
    m_socketDir = socketDir.value();
    return {};
}

Status EmbeddedCluster::ensureDirectories() {
    if (!QDir().mkpath(m_dataDir) || !QFileInfo(m_dataDir).isWritable())
        return Status::failure(
            tr("The data directory %1 cannot be created or written. Choose another one with "
               "--data-dir or PLAYDECK_DATA_DIR.")
                .arg(m_dataDir));
    const uid_t owner = m_asRoot ? uid_t(m_pgUid) : ::getuid();
    for (const QString &dir : {m_clusterDir, m_socketDir}) {
        if (!QDir().mkpath(dir))
            return Status::failure(tr("Cannot create the directory %1 for the database.").arg(dir));
        if (m_asRoot) {
            ::chmod(QFileInfo(dir).absolutePath().toLocal8Bit().constData(), 0755);
            if (::chown(QFile::encodeName(dir).constData(), m_pgUid, m_pgGid) != 0)
                return Status::failure(tr("Cannot hand %1 to the postgres user: %2").arg(dir, systemError()));
        }
        ::chmod(QFile::encodeName(dir).constData(), 0700);
        // A directory in /tmp could have been made by someone else, waiting for our socket.
        if (!isPrivateDir(dir, owner))
            return Status::failure(
                tr("The directory %1 is not a private directory of this user; remove it or set "
                   "XDG_RUNTIME_DIR.")
                    .arg(dir));
    }
    return {};
}

Status EmbeddedCluster::ensureRunning() {
    if (m_binDir.isEmpty())
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
    if (m_socketDir.isEmpty())
        if (Status s = resolvePaths(); !s)
            return s;
    if (Status s = ensureDirectories(); !s)
        return s;

    // Count ourselves as a user before looking at the server, so that the supervisor never stops a
    // server we are about to use. While a supervisor is stopping the old server it holds this lock
    // exclusively, and we wait here until that server is gone.
    if (m_usersLockFd < 0) {
        const QByteArray path = QFile::encodeName(m_dataDir + QStringLiteral("/cluster.users.lock"));
        m_usersLockFd = ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (m_usersLockFd < 0)
            return Status::failure(tr("Cannot open %1: %2").arg(QFile::decodeName(path), systemError()));
        if (Status s = lockWithin(m_usersLockFd, LOCK_SH, kLockWaitMs, path); !s) {
            ::close(m_usersLockFd);
            m_usersLockFd = -1;
            return s;
        }
    }

    const QByteArray startLock = QFile::encodeName(m_dataDir + QStringLiteral("/cluster.start.lock"));
    const int startFd = ::open(startLock.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (startFd < 0)
        return Status::failure(tr("Cannot create %1: %2").arg(QFile::decodeName(startLock), systemError()));
    // One process at a time decides whether to start a supervisor.
    if (Status s = lockWithin(startFd, LOCK_EX, kLockWaitMs, startLock); !s) {
        ::close(startFd);
        return s;
    }
    // Whoever started the running server chose where it listens; a process with another
    // XDG_RUNTIME_DIR, or one that raced us making its directory with mkdtemp, connects there.
    const QString listening = socketDirOfRunningServer(m_clusterDir + QStringLiteral("/data/postmaster.pid"));
    // Only before the engine has its connection settings: after that a move would go unnoticed.
    if (!listening.isEmpty() && listening != m_socketDir &&
        isPrivateDir(listening, m_asRoot ? uid_t(m_pgUid) : ::getuid())) {
        if (m_socketDirInUse) {
            qCWarning(lcCluster) << "the server now listens in" << listening << "but this process uses"
                                 << m_socketDir << "; restart Playdeck to follow it";
        } else {
            qCInfo(lcCluster) << "the running server listens in" << listening;
            m_socketDir = listening;
        }
    }
    Status result;
    if (pingState() != PQPING_OK) {
        // Someone else's supervisor is (re)starting the server, or is on its way out (it stopped the
        // previous server just before we arrived): once it is gone without a server, start our own.
        bool startOurs = !supervisorAlive();
        if (!startOurs) {
            result = waitUntilReady(30000);
            startOurs = !result && !supervisorAlive();
            if (startOurs) {
                qCInfo(lcCluster) << "the supervisor we found has gone without a server; starting one";
                result = {};
            }
        }
        if (startOurs) {
            if (!QFileInfo::exists(m_clusterDir + QStringLiteral("/data/PG_VERSION")))
                result = initDb();
            if (result)
                result = startSupervisor();
            if (result)
                result = waitUntilReady(30000);
        }
    }
    if (result)
        result = createDatabase();
    m_socketDirInUse = m_socketDirInUse || result.ok();
    ::flock(startFd, LOCK_UN);
    ::close(startFd);
    return result;
}

Status EmbeddedCluster::lockWithin(int fd, int operation, int timeoutMs, const QByteArray &path) {
    // Polled rather than blocking: a holder that hangs (stopped, stuck on a dead disk) must end in a
    // clear error, not in a Playdeck that never starts.
    const QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        if (::flock(fd, operation | LOCK_NB) == 0)
            return {};
        if (errno != EWOULDBLOCK && errno != EINTR)
            return Status::failure(tr("Cannot lock %1: %2").arg(QFile::decodeName(path), systemError()));
        if (deadline.hasExpired())
            return Status::failure(
                tr("Another process has held %1 for %2 s without letting go. If a Playdeck process is "
                   "stuck (see `fuser -v %1`), end it, and start Playdeck again.")
                    .arg(QFile::decodeName(path))
                    .arg(timeoutMs / 1000));
        QThread::msleep(20); // this thread is the cluster's own; nothing else waits on it
    }
}

bool EmbeddedCluster::answers() const {
    return pingState() == PQPING_OK;
}

bool EmbeddedCluster::supervisorAlive() const {
    const QByteArray path = QFile::encodeName(m_dataDir + QStringLiteral("/cluster.supervisor.lock"));
    const int fd = ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    const bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    ::close(fd); // releases it again if we got it
    return !free;
}

Status EmbeddedCluster::runTool(const QString &tool, const QStringList &args, int timeoutMs) {
    QProcess process;
    const bool dropRoot = m_asRoot;
    const uid_t uid = m_pgUid;
    const gid_t gid = m_pgGid;
    process.setChildProcessModifier([dropRoot, uid, gid] {
        ::setsid();
        if (dropRoot && (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0))
            ::_exit(126);
    });
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
    if (qEnvironmentVariableIntValue("PLAYDECK_CLUSTER_FAST") != 0)
        args << QStringLiteral("--no-sync");
    return runTool(QStringLiteral("initdb"), args, 120000);
}

Status EmbeddedCluster::startSupervisor() {
    const QString helper = helperProgram();
    if (helper.isEmpty())
        return Status::failure(
            tr("playdeck-helper, which runs Playdeck's database server, was not found next to "
               "playdeck. Reinstall Playdeck or set PLAYDECK_HELPER."));
    QStringList args{QStringLiteral("postgres"),
                     QStringLiteral("--users-lock"),
                     m_dataDir + QStringLiteral("/cluster.users.lock"),
                     QStringLiteral("--supervisor-lock"),
                     m_dataDir + QStringLiteral("/cluster.supervisor.lock"),
                     QStringLiteral("--log"),
                     serverLogPath()};
    if (m_asRoot)
        args << QStringLiteral("--uid") << QString::number(m_pgUid) << QStringLiteral("--gid")
             << QString::number(m_pgGid);
    args << QStringLiteral("--") << m_binDir + QStringLiteral("/postgres") << QStringLiteral("-D")
         << m_clusterDir + QStringLiteral("/data") << QStringLiteral("-k") << m_socketDir
         << QStringLiteral("-c") << QStringLiteral("listen_addresses=") << QStringLiteral("-c")
         << QStringLiteral("unix_socket_permissions=0700") << QStringLiteral("-c")
         << QStringLiteral("max_connections=200");
    if (qEnvironmentVariableIntValue("PLAYDECK_CLUSTER_FAST") != 0)
        args << QStringLiteral("-c") << QStringLiteral("fsync=off");
    // Detached: the supervisor must not be a child of this process, which may be the first to go.
    QProcess process;
    process.setProgram(helper);
    process.setArguments(args);
    process.setWorkingDirectory(m_clusterDir);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(QProcess::nullDevice());
    process.setStandardErrorFile(serverLogPath(), QIODevice::Append);
    process.setChildProcessModifier([] { ::setsid(); });
    qint64 pid = 0;
    if (!process.startDetached(&pid))
        return Status::failure(
            tr("Cannot start the database supervisor %1: %2").arg(helper, process.errorString()));
    qCInfo(lcCluster) << "started the PostgreSQL supervisor, pid" << pid << "socket" << m_socketDir;
    return {};
}

Status EmbeddedCluster::waitUntilReady(int timeoutMs) {
    const QDeadlineTimer deadline(timeoutMs);
    // A supervisor takes its lock before it starts the server: give a new one a moment to appear.
    const QDeadlineTimer appear(2000);
    while (pingState() != PQPING_OK) {
        if (!supervisorAlive() && appear.hasExpired())
            return Status::failure(tr("The PostgreSQL server did not start. The end of its log (%1):\n%2")
                                       .arg(serverLogPath(), logTail()));
        if (deadline.hasExpired())
            return Status::failure(
                tr("The PostgreSQL server did not become ready within %1 s. The end of its log "
                   "(%2):\n%3")
                    .arg(timeoutMs / 1000)
                    .arg(serverLogPath(), logTail()));
        QThread::msleep(20); // this thread is the cluster's own; nothing else waits on it
    }
    return {};
}

int EmbeddedCluster::pingState() const {
    DatabaseConfig c = config();
    c.database = QStringLiteral("postgres");
    return PQping(c.libpqConnInfo().toUtf8().constData());
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
            // Another process may have created it a moment ago (42P04 duplicate_database).
            const char *state = PQresultErrorField(created, PG_DIAG_SQLSTATE);
            if (PQresultStatus(created) != PGRES_COMMAND_OK && !(state && qstrcmp(state, "42P04") == 0))
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

void EmbeddedCluster::leave() {
    if (m_usersLockFd < 0)
        return;
    // The supervisor waits for every user's lock to go; it stops the server once ours was the last.
    ::flock(m_usersLockFd, LOCK_UN);
    ::close(m_usersLockFd);
    m_usersLockFd = -1;
    qCInfo(lcCluster) << "left the private PostgreSQL cluster";
}

} // namespace playdeck

// playdeck-helper with real processes: the job guard leaves no process of a job behind however its
// parent goes away, and the cluster supervisor keeps a real PostgreSQL server alive exactly as long
// as some process holds the users lock.
//
// Processes of a test are found through an environment variable with a value unique to the test,
// which every descendant inherits: no pid files, and nothing else on the machine is counted.

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <libpq-fe.h>

#include <algorithm>
#include <csignal>
#include <fcntl.h>
#include <grp.h>
#include <memory>
#include <pwd.h>
#include <spawn.h>
#include <string>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace {

const QString kHelper = QStringLiteral(PLAYDECK_HELPER);
constexpr const char *kMarkVariable = "PLAYDECK_HELPER_TEST_MARK";

// Four sleeps: a background one, one in a session of its own, one left behind by a daemonizing
// shell (double fork + setsid), and the foreground one.
const QString kTreeScript =
    QStringLiteral("sleep 300 & setsid sleep 300 & (setsid sh -c \"sleep 300 &\") ; sleep 300");

QByteArray readWhole(const QByteArray &path) {
    QByteArray data;
    const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return data;
    char buf[4096];
    ssize_t got;
    while ((got = ::read(fd, buf, sizeof buf)) > 0)
        data.append(buf, got);
    ::close(fd);
    return data;
}

// How many live (not zombie) processes carry mark in their environment, optionally counting only
// those whose command name is comm.
int countMarked(const QByteArray &mark, const QByteArray &comm = {}) {
    const QByteArray needle = QByteArray(kMarkVariable) + '=' + mark;
    int count = 0;
    const QStringList pids = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &pid : pids) {
        if (!pid.front().isDigit())
            continue;
        const QByteArray base = "/proc/" + pid.toLatin1();
        const QByteArray stat = readWhole(base + "/stat");
        const qsizetype close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.size() || stat.at(close + 2) == 'Z')
            continue;
        if (!comm.isEmpty() && readWhole(base + "/comm").trimmed() != comm)
            continue;
        if (readWhole(base + "/environ").split('\0').contains(needle))
            ++count;
    }
    return count;
}

QByteArray newMark() {
    return QUuid::createUuid().toByteArray(QUuid::Id128);
}

QProcessEnvironment markedEnvironment(const QByteArray &mark) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromLatin1(kMarkVariable), QString::fromLatin1(mark));
    return env;
}

void startJob(QProcess &helper, const QByteArray &mark, const QStringList &jobArgs) {
    helper.setProcessEnvironment(markedEnvironment(mark));
    helper.start(kHelper, QStringList{QStringLiteral("job")} + jobArgs);
}

// A child started with posix_spawn, for the case QProcess cannot express (the test owning the read
// end of the child's stdout). Remembers the status: QTRY_VERIFY evaluates its condition once more
// after it came true, and a process can be reaped only once.
struct SpawnedChild {
    pid_t pid = 0;
    bool done = false;
    int status = 0;
    bool reaped() {
        if (!done && ::waitpid(pid, &status, WNOHANG) == pid)
            done = true;
        return done;
    }
};

// QProcess::waitForFinished() returns false for a process that already finished, which happens
// when an event loop (QTRY_*) ran in between.
bool finishes(QProcess &process, int timeoutMs) {
    return process.state() == QProcess::NotRunning || process.waitForFinished(timeoutMs);
}

QString findPostgresBinDir() {
    const QString fromEnv = qEnvironmentVariable("PLAYDECK_PG_BINDIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    QDir root(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(),
              [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &v : versions)
        if (QFileInfo(root.filePath(v + QStringLiteral("/bin/postgres"))).isExecutable())
            return root.filePath(v + QStringLiteral("/bin"));
    return {};
}

const char *kSigintRecorder = R"(
import os, signal, sys
path = sys.argv[1]
def note(sig, frame):
    with open(path, 'a') as f:
        f.write(signal.Signals(sig).name + '\n')
    if sig == signal.SIGTERM:
        os._exit(0)
signal.signal(signal.SIGINT, note)
signal.signal(signal.SIGTERM, note)
open(path + '.ready', 'w').close()
while True:
    signal.pause()
)";

// Exits 7 once it has left a daemon behind (setsid + double fork) that takes half a second to
// obey SIGTERM.
const char *kDaemonizer = R"(
import os, signal, sys, time
path = sys.argv[1]
r, w = os.pipe()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        def on_term(sig, frame):
            with open(path, 'a') as f:
                f.write('TERM\n')
            time.sleep(0.5)
            with open(path, 'a') as f:
                f.write('done\n')
            os._exit(0)
        signal.signal(signal.SIGTERM, on_term)
        os.write(w, b'x')
        while True:
            signal.pause()
    os._exit(0)
os.read(r, 1)
sys.exit(7)
)";

// A leftover of a stand-in server: quits on SIGQUIT, and says when it is ready to.
const char *kLeftover = R"(
import os, signal, sys, time
signal.signal(signal.SIGQUIT, lambda *a: sys.exit(0))
open(os.path.join(sys.argv[1], str(os.getpid())), 'w').close()
while True:
    time.sleep(60)
)";

} // namespace

class HelperTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cleanup();

    // job
    void jobPassesStdioThrough();
    void jobExitCodes_data();
    void jobExitCodes();
    void jobUsageError();
    void jobStopSignalStopsTheWholeTree_data();
    void jobStopSignalStopsTheWholeTree();
    void jobParentSigkilledStopsTheTree();
    void jobOutputReaderGoneStopsTheTree();
    void jobSigintGoesToTheDirectChildOnly();
    void jobLeftoversAreStoppedBeforeTheHelperExits();
    void jobSigtermIgnoredMeansSigkillAfterGrace();

    // postgres
    void supervisorStartsAndRestartsTheServer();
    void lastUserLeavingStopsTheServer();
    void supervisorSigkillStopsTheServer();
    void inheritedUsersLockIsNotCounted();
    void secondSupervisorExits3();
    void sigtermStopsTheServer();
    void noUsersMeansNoServer();
    void unstartablePostgresExits4();
    void leftoversOfACrashedServerAreKilledBeforeARestart();
    void unresponsiveServerIsEscalatedToSigkill();
    void supervisorUsageError();

private:
    bool ensureCluster(QString &error);
    QStringList postgresCommand(const QString &binary = {}) const;
    QStringList supervisorArguments(const QStringList &command) const;
    QProcess *startSupervisor(const QStringList &command = {}, const QByteArray &mark = {});
    void holdUsers();
    void releaseUsers();
    bool ping() const;
    pid_t postmasterPid() const;
    QString pidFile() const { return m_data + QStringLiteral("/postmaster.pid"); }
    QByteArray log() const { return readWhole(QFile::encodeName(m_log)); }

    std::unique_ptr<QTemporaryDir> m_clusterRoot;
    QString m_binDir, m_data, m_socket, m_log, m_usersLock, m_supervisorLock;
    bool m_asRoot = ::geteuid() == 0;
    uid_t m_pgUid = 0;
    gid_t m_pgGid = 0;
    int m_usersFd = -1;
    std::vector<std::unique_ptr<QProcess>> m_supervisors;
};

void HelperTest::cleanup() {
    releaseUsers();
    for (auto &supervisor : m_supervisors) {
        if (supervisor->state() != QProcess::NotRunning) {
            supervisor->terminate();
            finishes(*supervisor, 30000);
        }
    }
    m_supervisors.clear();
    if (m_clusterRoot) {
        QFile::remove(m_log); // each test reads only its own supervisor's lines
        // A failed test may have left a server behind: stop it, so the next test starts clean.
        const auto serverAlive = [this] {
            const pid_t pid = postmasterPid();
            return pid > 0 && ::kill(pid, 0) == 0;
        };
        if (serverAlive())
            ::kill(postmasterPid(), SIGINT);
        QTRY_VERIFY_WITH_TIMEOUT(!serverAlive(), 30000);
    }
}

// ---- job ------------------------------------------------------------------------------------------

void HelperTest::jobPassesStdioThrough() {
    QProcess helper;
    startJob(helper, newMark(), {QStringLiteral("--"), QStringLiteral("cat")});
    QVERIFY(helper.waitForStarted());
    helper.write("transmit stream\n");
    helper.closeWriteChannel();
    QVERIFY(finishes(helper, 10000));
    QCOMPARE(helper.exitStatus(), QProcess::NormalExit);
    QCOMPARE(helper.exitCode(), 0);
    QCOMPARE(helper.readAllStandardOutput(), QByteArray("transmit stream\n"));
    QCOMPARE(helper.readAllStandardError(), QByteArray());
}

void HelperTest::jobExitCodes_data() {
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("stderrContains");
    QTest::addRow("exit 5") << QStringList{QStringLiteral("sh"), QStringLiteral("-c"),
                                           QStringLiteral("exit 5")}
                            << 5 << QByteArray();
    QTest::addRow("SIGKILL") << QStringList{QStringLiteral("sh"), QStringLiteral("-c"),
                                            QStringLiteral("kill -9 $$")}
                             << 128 + 9 << QByteArray();
    QTest::addRow("no such program") << QStringList{QStringLiteral("/nonexistent/program")} << 127
                                     << QByteArray("cannot run /nonexistent/program");
    QTest::addRow("not executable") << QStringList{QStringLiteral("/etc/passwd")} << 127
                                    << QByteArray("cannot run /etc/passwd");
}

void HelperTest::jobExitCodes() {
    QFETCH(QStringList, command);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, stderrContains);
    QProcess helper;
    startJob(helper, newMark(), QStringList{QStringLiteral("--")} + command);
    QVERIFY(finishes(helper, 10000));
    QCOMPARE(helper.exitStatus(), QProcess::NormalExit);
    QCOMPARE(helper.exitCode(), exitCode);
    QVERIFY2(helper.readAllStandardError().contains(stderrContains), "message on stderr");
}

void HelperTest::jobUsageError() {
    QProcess usage;
    usage.start(kHelper, {QStringLiteral("job"), QStringLiteral("--")});
    QVERIFY(finishes(usage, 10000));
    QCOMPARE(usage.exitCode(), 125);
    QVERIFY(usage.readAllStandardError().contains("usage:"));
}

void HelperTest::jobStopSignalStopsTheWholeTree_data() {
    QTest::addColumn<int>("signal");
    QTest::addRow("SIGTERM") << SIGTERM;
    QTest::addRow("SIGHUP") << SIGHUP;
    QTest::addRow("SIGQUIT") << SIGQUIT;
}

void HelperTest::jobStopSignalStopsTheWholeTree() {
    QFETCH(int, signal);
    const QByteArray mark = newMark();
    QProcess helper;
    startJob(helper, mark, {QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"), kTreeScript});
    QTRY_COMPARE_WITH_TIMEOUT(countMarked(mark, "sleep"), 4, 10000);

    QElapsedTimer timer;
    timer.start();
    QCOMPARE(::kill(pid_t(helper.processId()), signal), 0);
    QVERIFY(finishes(helper, 3000 + 5000));
    const qint64 elapsed = timer.elapsed();
    // The guarantee: once the helper is gone, so is every process of the job. No waiting here.
    QCOMPARE(countMarked(mark, "sleep"), 0);
    QCOMPARE(countMarked(mark), 0);
    QCOMPARE(helper.exitCode(), 128 + SIGTERM); // the direct child got SIGTERM from the helper
    QVERIFY2(elapsed < 3000 + 2000, qPrintable(QStringLiteral("took %1 ms").arg(elapsed)));
}

void HelperTest::jobParentSigkilledStopsTheTree() {
    // sh starts the helper and waits; SIGKILLing sh is the Playdeck process dying. The helper's
    // stdout goes to /dev/null, so only the parent-death signal can tell it.
    const QByteArray mark = newMark();
    QProcess parent;
    parent.setProcessEnvironment(markedEnvironment(mark));
    parent.start(QStringLiteral("sh"),
                 {QStringLiteral("-c"), QStringLiteral("\"$0\" job -- sh -c \"$1\" >/dev/null & wait"),
                  kHelper, kTreeScript});
    QTRY_COMPARE_WITH_TIMEOUT(countMarked(mark, "sleep"), 4, 10000);
    QCOMPARE(countMarked(mark, "playdeck-helper"), 1);

    parent.kill();
    QVERIFY(finishes(parent, 10000));
    QTRY_COMPARE_WITH_TIMEOUT(countMarked(mark), 0, 10000);
}

void HelperTest::jobOutputReaderGoneStopsTheTree() {
    // The test owns the read end of the helper's stdout and closes it while the (quiet) job runs.
    const QByteArray mark = newMark();
    int out[2];
    QCOMPARE(::pipe2(out, O_CLOEXEC), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    std::vector<std::string> env;
    for (char **e = environ; *e; ++e)
        env.emplace_back(*e);
    env.push_back(std::string(kMarkVariable) + '=' + mark.toStdString());
    std::vector<char *> envp;
    for (std::string &e : env)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    const QByteArray helperPath = QFile::encodeName(kHelper);
    std::string job = "job", dashes = "--", sh = "sh", c = "-c",
                script = "sleep 300 & setsid sleep 300 & wait";
    char *argv[] = {const_cast<char *>(helperPath.constData()),
                    job.data(),
                    dashes.data(),
                    sh.data(),
                    c.data(),
                    script.data(),
                    nullptr};
    SpawnedChild helper;
    QCOMPARE(::posix_spawn(&helper.pid, helperPath.constData(), &actions, nullptr, argv, envp.data()), 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    QTRY_COMPARE_WITH_TIMEOUT(countMarked(mark, "sleep"), 2, 10000);

    ::close(out[0]);
    QTRY_VERIFY_WITH_TIMEOUT(helper.reaped(), 10000);
    QCOMPARE(countMarked(mark), 0);
    QVERIFY(WIFEXITED(helper.status));
    QCOMPARE(WEXITSTATUS(helper.status), 128 + SIGTERM);
}

void HelperTest::jobSigintGoesToTheDirectChildOnly() {
    // The direct child turns SIGINT into a clean exit 0 (as ansible-runner turns it into a cancel);
    // a grandchild records every signal it gets: it must see the helper's SIGTERM for leftovers,
    // never the SIGINT.
    QTemporaryDir dir;
    const QString record = dir.filePath(QStringLiteral("signals"));
    const QByteArray mark = newMark();
    QProcess helper;
    startJob(helper, mark,
             {QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
              QStringLiteral("trap 'exit 0' INT; python3 -c \"$0\" \"$1\" & wait"),
              QString::fromUtf8(kSigintRecorder), record});
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(record + QStringLiteral(".ready")), 10000);

    QCOMPARE(::kill(pid_t(helper.processId()), SIGINT), 0);
    QVERIFY(finishes(helper, 10000));
    QCOMPARE(helper.exitStatus(), QProcess::NormalExit);
    QCOMPARE(helper.exitCode(), 0);
    QCOMPARE(readWhole(QFile::encodeName(record)), QByteArray("SIGTERM\n"));
    QCOMPARE(countMarked(mark), 0);
}

void HelperTest::jobLeftoversAreStoppedBeforeTheHelperExits() {
    QTemporaryDir dir;
    const QString record = dir.filePath(QStringLiteral("daemon"));
    const QByteArray mark = newMark();
    QProcess helper;
    startJob(helper, mark,
             {QStringLiteral("--"), QStringLiteral("python3"), QStringLiteral("-c"),
              QString::fromUtf8(kDaemonizer), record});
    QVERIFY(finishes(helper, 10000));
    // The daemon needed half a second to obey SIGTERM, and the helper waited for it.
    QCOMPARE(readWhole(QFile::encodeName(record)), QByteArray("TERM\ndone\n"));
    QCOMPARE(countMarked(mark), 0);
    QCOMPARE(helper.exitCode(), 7);
    QVERIFY(helper.readAllStandardError().contains("left processes behind"));
}

void HelperTest::jobSigtermIgnoredMeansSigkillAfterGrace() {
    const QByteArray mark = newMark();
    QProcess helper;
    startJob(helper, mark,
             {QStringLiteral("--grace-ms"), QStringLiteral("500"), QStringLiteral("--"), QStringLiteral("sh"),
              QStringLiteral("-c"), QStringLiteral("trap '' TERM; sleep 300")});
    QTRY_COMPARE_WITH_TIMEOUT(countMarked(mark, "sleep"), 1, 10000); // the trap is set by now

    QElapsedTimer timer;
    timer.start();
    QCOMPARE(::kill(pid_t(helper.processId()), SIGTERM), 0);
    QVERIFY(finishes(helper, 10000));
    const qint64 elapsed = timer.elapsed();
    QCOMPARE(countMarked(mark), 0);
    QCOMPARE(helper.exitCode(), 128 + SIGKILL);
    QVERIFY2(elapsed >= 500 && elapsed < 500 + 2500, qPrintable(QStringLiteral("took %1 ms").arg(elapsed)));
    QVERIFY(helper.readAllStandardError().contains("killing them"));
}

// ---- postgres -------------------------------------------------------------------------------------

bool HelperTest::ensureCluster(QString &error) {
    if (m_clusterRoot)
        return true;
    m_binDir = findPostgresBinDir();
    if (m_binDir.isEmpty()) {
        error = QStringLiteral("no PostgreSQL server binaries");
        return false;
    }
    if (m_asRoot) {
        const passwd *pw = ::getpwnam("postgres");
        if (!pw) {
            error = QStringLiteral("running as root, but there is no postgres user");
            return false;
        }
        m_pgUid = pw->pw_uid;
        m_pgGid = pw->pw_gid;
    }
    // Under /tmp with 0755: the postgres user must be able to reach the data directory, and the
    // socket path must stay short.
    auto root = std::make_unique<QTemporaryDir>(QStringLiteral("/tmp/pdh-XXXXXX"));
    if (!root->isValid()) {
        error = QStringLiteral("no temporary directory");
        return false;
    }
    ::chmod(QFile::encodeName(root->path()).constData(), 0755);
    m_data = root->filePath(QStringLiteral("data"));
    m_socket = root->filePath(QStringLiteral("s"));
    m_log = root->filePath(QStringLiteral("server.log"));
    m_usersLock = root->filePath(QStringLiteral("cluster.users.lock"));
    m_supervisorLock = root->filePath(QStringLiteral("cluster.supervisor.lock"));
    for (const QString &dir : {m_data, m_socket}) {
        QDir().mkpath(dir);
        if (m_asRoot && ::chown(QFile::encodeName(dir).constData(), m_pgUid, m_pgGid) != 0) {
            error = QStringLiteral("cannot chown %1").arg(dir);
            return false;
        }
        ::chmod(QFile::encodeName(dir).constData(), 0700);
    }
    QProcess initdb;
    const bool asRoot = m_asRoot;
    const uid_t uid = m_pgUid;
    const gid_t gid = m_pgGid;
    initdb.setChildProcessModifier([asRoot, uid, gid] {
        if (asRoot && (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0))
            ::_exit(126);
    });
    initdb.setProcessChannelMode(QProcess::MergedChannels);
    initdb.setWorkingDirectory(root->path());
    initdb.start(m_binDir + QStringLiteral("/initdb"),
                 {QStringLiteral("-D"), m_data, QStringLiteral("-U"), QStringLiteral("playdeck"),
                  QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                  QStringLiteral("--locale=C"), QStringLiteral("--no-sync")});
    if (!initdb.waitForFinished(120000) || initdb.exitCode() != 0) {
        error = QStringLiteral("initdb failed: ") + QString::fromLocal8Bit(initdb.readAll());
        return false;
    }
    m_clusterRoot = std::move(root);
    return true;
}

QStringList HelperTest::postgresCommand(const QString &binary) const {
    return {binary.isEmpty() ? m_binDir + QStringLiteral("/postgres") : binary,
            QStringLiteral("-D"),
            m_data,
            QStringLiteral("-k"),
            m_socket,
            QStringLiteral("-c"),
            QStringLiteral("listen_addresses="),
            QStringLiteral("-c"),
            QStringLiteral("fsync=off")};
}

QStringList HelperTest::supervisorArguments(const QStringList &command) const {
    QStringList args{QStringLiteral("postgres"),
                     QStringLiteral("--users-lock"),
                     m_usersLock,
                     QStringLiteral("--supervisor-lock"),
                     m_supervisorLock,
                     QStringLiteral("--log"),
                     m_log};
    if (m_asRoot)
        args << QStringLiteral("--uid") << QString::number(m_pgUid) << QStringLiteral("--gid")
             << QString::number(m_pgGid);
    return args << QStringLiteral("--") << (command.isEmpty() ? postgresCommand() : command);
}

QProcess *HelperTest::startSupervisor(const QStringList &command, const QByteArray &mark) {
    // A plain child here so the test can see its exit code; Playdeck starts it detached.
    auto process = std::make_unique<QProcess>();
    if (!mark.isEmpty())
        process->setProcessEnvironment(markedEnvironment(mark));
    process->start(kHelper, supervisorArguments(command));
    process->waitForStarted();
    m_supervisors.push_back(std::move(process));
    return m_supervisors.back().get();
}

void HelperTest::holdUsers() {
    if (m_usersFd < 0)
        m_usersFd = ::open(QFile::encodeName(m_usersLock).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    QVERIFY(m_usersFd >= 0);
    QCOMPARE(::flock(m_usersFd, LOCK_SH), 0);
}

void HelperTest::releaseUsers() {
    if (m_usersFd >= 0)
        ::close(m_usersFd);
    m_usersFd = -1;
}

bool HelperTest::ping() const {
    const QByteArray conninfo =
        "host=" + QFile::encodeName(m_socket) + " dbname=postgres user=playdeck connect_timeout=2";
    return PQping(conninfo.constData()) == PQPING_OK;
}

pid_t HelperTest::postmasterPid() const {
    const QByteArray content = readWhole(QFile::encodeName(pidFile()));
    return pid_t(content.left(content.indexOf('\n')).toLongLong());
}

#define REQUIRE_CLUSTER()                                                                                    \
    do {                                                                                                     \
        QString clusterError;                                                                                \
        if (!ensureCluster(clusterError))                                                                    \
            QSKIP(qPrintable(clusterError));                                                                 \
    } while (false)

void HelperTest::supervisorStartsAndRestartsTheServer() {
    REQUIRE_CLUSTER();
    holdUsers();
    QProcess *supervisor = startSupervisor();
    QTRY_VERIFY_WITH_TIMEOUT(ping(), 20000);
    const pid_t first = postmasterPid();
    QVERIFY(first > 0);

    QCOMPARE(::kill(first, SIGKILL), 0);
    QTRY_VERIFY_WITH_TIMEOUT(postmasterPid() > 0 && postmasterPid() != first && ping(), 20000);
    QVERIFY(log().contains("was killed by signal 9 (SIGKILL) while Playdeck processes still use it"));
    QCOMPARE(supervisor->state(), QProcess::Running);

    // The restarted server is still stopped by the last user leaving.
    releaseUsers();
    QVERIFY(finishes(*supervisor, 10000));
    QCOMPARE(supervisor->exitCode(), 0);
    QVERIFY(!QFile::exists(pidFile()));
}

void HelperTest::lastUserLeavingStopsTheServer() {
    REQUIRE_CLUSTER();
    holdUsers();
    QProcess *supervisor = startSupervisor();
    QTRY_VERIFY_WITH_TIMEOUT(ping(), 20000);

    QElapsedTimer timer;
    qint64 stopped = -1;
    QObject scope; // disconnects the lambda below before the variables it uses go
    connect(supervisor, &QProcess::finished, &scope, [&] { stopped = timer.elapsed(); });
    timer.start();
    releaseUsers();
    QTRY_VERIFY_WITH_TIMEOUT(log().contains("no Playdeck process uses the cluster any more"), 10000);
    // A user arriving now waits in LOCK_SH until the old server is gone: the supervisor holds
    // LOCK_EX until postgres has exited.
    const int arriving = ::open(QFile::encodeName(m_usersLock).constData(), O_RDWR | O_CLOEXEC);
    QVERIFY(arriving >= 0);
    QTRY_VERIFY_WITH_TIMEOUT(::flock(arriving, LOCK_SH | LOCK_NB) == 0, 10000);
    const bool serverGoneWhenLocked = !QFile::exists(pidFile());
    ::close(arriving);
    QTRY_VERIFY_WITH_TIMEOUT(stopped >= 0, 10000);
    qInfo("the supervisor exited %lld ms after the last user left", stopped);
    QVERIFY(serverGoneWhenLocked);
    QCOMPARE(supervisor->exitStatus(), QProcess::NormalExit);
    QCOMPARE(supervisor->exitCode(), 0);
    QVERIFY(!ping());
    QVERIFY2(stopped < 3000, qPrintable(QStringLiteral("took %1 ms").arg(stopped)));
}

void HelperTest::supervisorSigkillStopsTheServer() {
    REQUIRE_CLUSTER();
    holdUsers();
    QProcess *supervisor = startSupervisor();
    QTRY_VERIFY_WITH_TIMEOUT(ping(), 20000);
    QVERIFY(QFile::exists(pidFile()));

    supervisor->kill();
    QVERIFY(finishes(*supervisor, 10000));
    // PR_SET_PDEATHSIG(SIGINT) set after the switch to the postgres user: a fast shutdown.
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(pidFile()), 10000);
    QVERIFY(!ping());
}

void HelperTest::inheritedUsersLockIsNotCounted() {
    // A starter that leaks its locked users-lock descriptor (no O_CLOEXEC) must not make the
    // supervisor count itself as a user: it would then never stop.
    REQUIRE_CLUSTER();
    holdUsers();
    const int leaked = ::dup(m_usersFd); // dup() drops O_CLOEXEC: the supervisor inherits it
    QVERIFY(leaked >= 0);
    QProcess *supervisor = startSupervisor();
    ::close(leaked);
    QTRY_VERIFY_WITH_TIMEOUT(ping(), 20000);

    releaseUsers();
    QVERIFY(finishes(*supervisor, 10000));
    QCOMPARE(supervisor->exitCode(), 0);
    QVERIFY(!QFile::exists(pidFile()));
}

void HelperTest::secondSupervisorExits3() {
    REQUIRE_CLUSTER();
    holdUsers();
    QProcess *first = startSupervisor();
    QTRY_VERIFY_WITH_TIMEOUT(ping(), 20000);

    QProcess *second = startSupervisor();
    QVERIFY(finishes(*second, 10000));
    QCOMPARE(second->exitStatus(), QProcess::NormalExit);
    QCOMPARE(second->exitCode(), 3);
    QVERIFY(second->readAllStandardError().contains("already holds"));
    QCOMPARE(first->state(), QProcess::Running);
    QVERIFY(ping());

    releaseUsers();
    QVERIFY(finishes(*first, 10000));
    QCOMPARE(first->exitCode(), 0);
}

void HelperTest::sigtermStopsTheServer() {
    REQUIRE_CLUSTER();
    holdUsers(); // users remain: SIGTERM stops the server anyway
    QProcess *supervisor = startSupervisor();
    QTRY_VERIFY_WITH_TIMEOUT(ping(), 20000);

    supervisor->terminate();
    QVERIFY(finishes(*supervisor, 10000));
    QCOMPARE(supervisor->exitStatus(), QProcess::NormalExit);
    QCOMPARE(supervisor->exitCode(), 0);
    QVERIFY(!QFile::exists(pidFile()));
    QVERIFY(log().contains("received SIGTERM; stopping postgres"));
}

void HelperTest::noUsersMeansNoServer() {
    REQUIRE_CLUSTER();
    QProcess *supervisor = startSupervisor();
    QVERIFY(finishes(*supervisor, 10000));
    QCOMPARE(supervisor->exitCode(), 0);
    QVERIFY(!QFile::exists(pidFile()));
    QVERIFY(log().contains("not starting postgres"));
}

void HelperTest::unstartablePostgresExits4() {
    REQUIRE_CLUSTER();
    holdUsers();
    QProcess *supervisor = startSupervisor(postgresCommand(QStringLiteral("/nonexistent/postgres")));
    QVERIFY(finishes(*supervisor, 10000));
    QCOMPARE(supervisor->exitCode(), 4);
    QVERIFY(log().contains("cannot execute /nonexistent/postgres"));
}

void HelperTest::leftoversOfACrashedServerAreKilledBeforeARestart() {
    // A stand-in server that dies at once and leaves a process behind in a session of its own, as
    // the backends of a SIGKILLed postmaster are left. The supervisor (a subreaper) inherits it, and
    // kills it 5 s on (real backends go by themselves within milliseconds) before starting again.
    // When told to stop between a crash and the restart, it asks such leftovers to quit (SIGQUIT).
    REQUIRE_CLUSTER();
    QTemporaryDir ready;
    ::chmod(QFile::encodeName(ready.path()).constData(), 0777); // the stand-in runs as postgres
    holdUsers();
    const QByteArray mark = newMark();
    QProcess *supervisor = startSupervisor({QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                                            QStringLiteral("setsid python3 -c \"$0\" \"$1\" & exit 1"),
                                            QString::fromUtf8(kLeftover), ready.path()},
                                           mark);
    QTRY_VERIFY_WITH_TIMEOUT(log().contains("exited with code 1 while Playdeck processes still use it"),
                             10000);
    QTRY_COMPARE_WITH_TIMEOUT(countMarked(mark, "python3"), 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        log().contains("processes of the previous server are still running; killing them"), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(log().count("started postgres") >= 2, 10000);
    // The second leftover is up and handles SIGQUIT.
    QTRY_COMPARE_WITH_TIMEOUT(QDir(ready.path()).entryList(QDir::Files).size(), 2, 10000);
    QCOMPARE(supervisor->state(), QProcess::Running);

    QElapsedTimer timer;
    timer.start();
    supervisor->terminate();
    QVERIFY(finishes(*supervisor, 30000));
    QCOMPARE(supervisor->exitCode(), 0);
    QCOMPARE(countMarked(mark), 0); // the supervisor exits only when all of it is gone
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QStringLiteral("took %1 ms").arg(timer.elapsed())));
    QVERIFY(log().contains("received SIGTERM; postgres is not running"));
}

void HelperTest::unresponsiveServerIsEscalatedToSigkill() {
    // A stand-in server that ignores SIGINT and SIGQUIT: fast shutdown, 15 s, immediate shutdown,
    // 5 s, SIGKILL for every process of it.
    REQUIRE_CLUSTER();
    holdUsers();
    const QByteArray mark = newMark();
    QProcess *supervisor = startSupervisor({QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                                            QStringLiteral("trap '' INT QUIT; sleep 300 & wait")},
                                           mark);
    QTRY_COMPARE_WITH_TIMEOUT(countMarked(mark, "sleep"), 1, 10000);

    QElapsedTimer timer;
    timer.start();
    releaseUsers();
    QVERIFY(supervisor->waitForFinished(40000));
    const qint64 elapsed = timer.elapsed();
    QCOMPARE(supervisor->exitStatus(), QProcess::NormalExit); // it did not signal itself
    QCOMPARE(supervisor->exitCode(), 0);
    QCOMPARE(countMarked(mark), 0);
    QVERIFY2(elapsed >= 20000 && elapsed < 25000, qPrintable(QStringLiteral("took %1 ms").arg(elapsed)));
    const QByteArray lines = log();
    QVERIFY(lines.contains("sending SIGQUIT"));
    QVERIFY(lines.contains("the server's processes did not stop; killing them"));
}

void HelperTest::supervisorUsageError() {
    QProcess supervisor;
    supervisor.start(kHelper, {QStringLiteral("postgres"), QStringLiteral("--log")});
    QVERIFY(finishes(supervisor, 10000));
    QCOMPARE(supervisor.exitCode(), 2);
    QVERIFY(supervisor.readAllStandardError().contains("usage:"));
}

QTEST_GUILESS_MAIN(HelperTest)
#include "tst_helper.moc"

// How the cluster supervisor works
//
// Every Playdeck process on a data directory holds flock(LOCK_SH) on <datadir>/cluster.users.lock
// for as long as it lives; the kernel drops that lock when the process dies, however it dies. The
// Playdeck process that finds no server running starts this supervisor detached (a session of its
// own, not its child for long), while it already holds its LOCK_SH. The supervisor then:
// - holds LOCK_EX on the supervisor lock for its whole life, so two Playdeck processes racing to
//   start one never produce two (the second exits with code 3);
// - runs postgres as its child and restarts it, with a back-off, when it exits while users remain;
// - waits for LOCK_EX on the users lock in a thread blocked in flock(): the kernel grants it the
//   moment the last LOCK_SH goes, so the last user leaving (or being SIGKILLed) stops the server
//   within milliseconds, with no polling and no wake-ups while users remain;
// - keeps that LOCK_EX until postgres has exited, so a Playdeck process arriving meanwhile blocks
//   in its own LOCK_SH until the old server is gone and then starts a fresh supervisor;
// - gives postgres PR_SET_PDEATHSIG(SIGINT), so a SIGKILLed supervisor still takes its server down
//   with a fast shutdown.
//
// Verified on this kernel (6.18) with a small program: while LOCK_SH is held and a blocking
// LOCK_EX request waits, new LOCK_SH requests (blocking or not) are granted at once: flock has no
// writer preference. So the waiting supervisor never locks out arriving users; it gets LOCK_EX only
// in an instant when nobody holds LOCK_SH. The blocked thread woke 0.3-1 ms after the last holder
// went. flock locks belong to the open file description, and a child that inherits a descriptor
// shares (and can drop) the lock on it: so the supervisor opens the users lock itself, with
// O_CLOEXEC, and postgres inherits neither lock.

#include "ClusterSupervisor.h"

#include "Posix.h"
#include "ProcessTree.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace playdeck::helper {

namespace {

constexpr int kFirstBackoffMs = 200;
constexpr int kMaxBackoffMs = 5000;
constexpr int kHealthyUptimeMs = 10000;    // a server that ran this long gets the short back-off again
constexpr int kFastShutdownMs = 15000;     // SIGINT, then SIGQUIT (immediate shutdown)
constexpr int kImmediateShutdownMs = 5000; // SIGQUIT, then SIGKILL
constexpr int kLeftoverGraceMs = 5000;     // old backends of a crashed postmaster, then SIGKILL
constexpr int kSweepIntervalMs = 100;
constexpr int kFallbackLockPollMs = 250;    // only if the flock thread fails (ENOLCK)
constexpr int kSupervisorLockAttempts = 25; // 25 x 10 ms: see setUp()
constexpr int kSupervisorLockRetryMs = 10;

// What a forked child reports through its close-on-exec pipe when it cannot become postgres. A
// successful exec closes the pipe, so the parent reads 0 bytes.
struct ChildFailure {
    int stage = 0; // kStageCredentials or kStageExec
    int error = 0;
};
constexpr int kStageCredentials = 1;
constexpr int kStageExec = 2;

// Blocks in flock(LOCK_EX) on the users lock until no Playdeck process holds LOCK_SH any more, then
// reports 0 (or the errno) through the pipe the main loop polls. A thread, because flock() has no
// pollable form; it runs with every signal blocked (inherited from the main thread), so signals
// all reach the main loop's signalfd.
void waitForLastUser(int usersFd, int notifyFd) {
    const int result = retryOnEintr([&] { return ::flock(usersFd, LOCK_EX); });
    const char code = result == 0 ? 0 : char(std::min(errno, 127));
    writeAll(notifyFd, std::string_view(&code, 1));
}

void closeInheritedDescriptors() {
    if (::close_range(3, ~0U, 0) == 0)
        return;
    // close_range needs Linux 5.9; before that, walk the descriptors we actually have.
    std::vector<int> fds;
    if (DIR *dir = ::opendir("/proc/self/fd")) {
        while (const dirent *d = ::readdir(dir))
            if (const int fd = std::atoi(d->d_name); fd > 2 && fd != ::dirfd(dir))
                fds.push_back(fd);
        ::closedir(dir);
    }
    for (const int fd : fds)
        ::close(fd);
}

class Supervisor {
public:
    explicit Supervisor(const SupervisorOptions &options)
        : m_options(options)
        , m_self(::getpid())
        , m_signals({SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT})
        , m_tree(m_self) {}

    int run();

private:
    int setUp();
    void log(const std::string &message);
    bool startPostgres();
    void onPostgresExit(int status);
    void beginStop(const std::string &why);
    bool reap(); // true when no child is left
    int pollTimeout(std::int64_t now, bool noChildren) const;

    SupervisorOptions m_options;
    pid_t m_self;
    SignalChannel m_signals;
    TreeSignaller m_tree;
    int m_logFd = -1;
    int m_supervisorFd = -1;
    int m_usersFd = -1;
    int m_usersNotifyRead = -1;
    bool m_usersGone = false;
    bool m_usersFallback = false; // poll LOCK_EX|LOCK_NB instead of the thread
    std::int64_t m_usersPollAt = 0;

    pid_t m_postgres = -1;
    std::int64_t m_startedAt = 0;
    std::int64_t m_restartAt = 0;
    std::int64_t m_leftoverKillAt = 0;
    int m_backoffMs = kFirstBackoffMs;

    bool m_stopping = false;
    bool m_quitSent = false;
    bool m_killing = false;
    std::int64_t m_quitAt = 0;
    std::int64_t m_killAt = 0;
    std::int64_t m_nextSweep = 0;
    int m_exitCode = kSupervisorStopped;
};

void Supervisor::log(const std::string &message) {
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    tm utc{};
    ::gmtime_r(&now.tv_sec, &utc);
    char stamp[64];
    const std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &utc);
    std::snprintf(stamp + n, sizeof stamp - n, ".%03ld UTC", long(now.tv_nsec / 1000000));
    // The same shape as postgres's own lines, which share the file.
    writeAll(m_logFd >= 0 ? m_logFd : STDERR_FILENO,
             std::string(stamp) + " [" + std::to_string(m_self) + "] playdeck-helper: " + message + "\n");
}

int Supervisor::setUp() {
    bool stderrIsLog = false; // then every message is written once, to the log
    const auto fail = [&](const std::string &what, int code) {
        const std::string message = what + ": " + std::strerror(errno);
        if (!stderrIsLog)
            writeAll(STDERR_FILENO, "playdeck-helper: " + message + "\n");
        if (m_logFd >= 0)
            log(message);
        return code;
    };

    // Inherited descriptors go first. One that refers to the users lock's open file description
    // (a starter that opened it without O_CLOEXEC, a shell's `exec 9>lock; flock -s 9`) would hold
    // a LOCK_SH on our behalf: we would wait for ourselves and never stop. Nothing else we might
    // inherit is ours to keep or to pass on to postgres either.
    closeInheritedDescriptors();

    m_logFd = retryOnEintr(
        [&] { return ::open(m_options.log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600); });
    if (m_logFd < 0)
        return fail("cannot open the log " + m_options.log, kSupervisorSetupFailed);
    struct stat logStat {};
    struct stat errStat {};
    stderrIsLog = ::fstat(m_logFd, &logStat) == 0 && ::fstat(STDERR_FILENO, &errStat) == 0 &&
                  logStat.st_dev == errStat.st_dev && logStat.st_ino == errStat.st_ino;

    m_supervisorFd = retryOnEintr(
        [&] { return ::open(m_options.supervisorLock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); });
    if (m_supervisorFd < 0)
        return fail("cannot open " + m_options.supervisorLock, kSupervisorSetupFailed);
    // A Playdeck process may probe for a running supervisor by taking this lock for an instant
    // (LOCK_EX|LOCK_NB, then close). A few retries keep such a probe from being taken for a second
    // supervisor; a real one holds the lock for its whole life.
    int locked = -1;
    for (int attempt = 0; attempt < kSupervisorLockAttempts; ++attempt) {
        locked = retryOnEintr([&] { return ::flock(m_supervisorFd, LOCK_EX | LOCK_NB); });
        if (locked == 0 || errno != EWOULDBLOCK)
            break;
        sleepMs(kSupervisorLockRetryMs);
    }
    if (locked != 0) {
        if (errno != EWOULDBLOCK)
            return fail("cannot lock " + m_options.supervisorLock, kSupervisorSetupFailed);
        char pid[32] = {};
        (void)::pread(m_supervisorFd, pid, sizeof pid - 1, 0);
        const std::string message = "another supervisor (pid " + std::string(pid, ::strcspn(pid, "\n")) +
                                    ") already holds " + m_options.supervisorLock + "; exiting";
        if (!stderrIsLog)
            writeAll(STDERR_FILENO, "playdeck-helper: " + message + "\n");
        log(message);
        return kSupervisorBusy;
    }
    // The holder's pid, for people and for Playdeck's diagnostics; the lock is what counts.
    const std::string pid = std::to_string(m_self) + "\n";
    if (::ftruncate(m_supervisorFd, 0) == 0)
        (void)::pwrite(m_supervisorFd, pid.data(), pid.size(), 0);

    // Our own open file description (see the top of the file), never an inherited one.
    m_usersFd =
        retryOnEintr([&] { return ::open(m_options.usersLock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); });
    if (m_usersFd < 0)
        return fail("cannot open " + m_options.usersLock, kSupervisorSetupFailed);

    // From here on the supervisor is a daemon: it must not keep the starter's terminal or pipes
    // open (a pipe reader waiting for EOF would wait for the server's whole life), and a terminal's
    // Ctrl-C or hangup must not reach the shared server. Everything printed goes to the log.
    const int devNull = retryOnEintr([] { return ::open("/dev/null", O_RDWR | O_CLOEXEC); });
    if (devNull < 0 || ::dup2(devNull, STDIN_FILENO) < 0 || ::dup2(m_logFd, STDOUT_FILENO) < 0 ||
        ::dup2(m_logFd, STDERR_FILENO) < 0)
        return fail("cannot redirect the standard streams", kSupervisorSetupFailed);
    ::close(devNull);
    stderrIsLog = true;
    ::setsid(); // fails harmlessly when the starter already made us a session leader

    std::string error;
    if (!m_signals.open(error)) {
        log("cannot set up signal handling: " + error);
        return kSupervisorSetupFailed;
    }
    // Backends of a SIGKILLed postmaster are reparented to us rather than to init: we can then wait
    // for them to go before starting a new postmaster, which would otherwise refuse to start while
    // they still hold the old shared memory.
    if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
        return fail("cannot become a child subreaper", kSupervisorSetupFailed);

    // The starter holds LOCK_SH before it starts us; if nobody does, the users are already gone.
    if (retryOnEintr([&] { return ::flock(m_usersFd, LOCK_EX | LOCK_NB); }) == 0) {
        log("no Playdeck process uses the cluster; not starting postgres");
        return kSupervisorStopped;
    }

    int notify[2];
    if (::pipe2(notify, O_CLOEXEC) != 0)
        return fail("pipe2", kSupervisorSetupFailed);
    m_usersNotifyRead = notify[0];
    try {
        std::thread(waitForLastUser, m_usersFd, notify[1]).detach();
    } catch (const std::system_error &e) {
        log(std::string("cannot start the lock thread: ") + e.what());
        return kSupervisorSetupFailed;
    }
    return -1; // set up, keep going
}

bool Supervisor::startPostgres() {
    std::vector<char *> argv;
    for (const std::string &arg : m_options.command)
        argv.push_back(const_cast<char *>(arg.c_str()));
    argv.push_back(nullptr);

    const auto retryLater = [&](const char *what) {
        log(std::string(what) + ": " + std::strerror(errno) + "; retrying in " + std::to_string(m_backoffMs) +
            " ms");
        m_restartAt = monotonicMs() + m_backoffMs;
        m_backoffMs = std::min(m_backoffMs * 2, kMaxBackoffMs);
        return true;
    };
    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0)
        return retryLater("pipe2");
    const pid_t pid = ::fork();
    if (pid == 0) {
        // Between fork and exec in a process that has a second thread: async-signal-safe calls only
        // (everything below is a plain system call; argv was built before the fork).
        ::close(report[0]);
        m_signals.restoreInChild();
        ChildFailure failure;
        // PostgreSQL refuses to run as root: when Playdeck runs as root the server runs as the
        // postgres system user. Supplementary groups first, then the group, then the user, while
        // we still have the privilege to change them.
        if (m_options.switchUser &&
            (::setgroups(0, nullptr) != 0 || ::setgid(m_options.gid) != 0 || ::setuid(m_options.uid) != 0)) {
            failure = {kStageCredentials, errno};
            writeAll(report[1], std::string_view(reinterpret_cast<const char *>(&failure), sizeof failure));
            ::_exit(126);
        }
        // After the credential change, because the kernel clears the parent-death signal when the
        // credentials change. It fires when the thread that forked us exits: that is our main
        // thread, which lives exactly as long as the supervisor. SIGINT is postgres's fast shutdown.
        ::prctl(PR_SET_PDEATHSIG, SIGINT);
        if (::getppid() != m_self)
            ::_exit(0); // the supervisor died before the prctl() took effect: do not start a server
        ::execv(argv[0], argv.data());
        failure = {kStageExec, errno};
        writeAll(report[1], std::string_view(reinterpret_cast<const char *>(&failure), sizeof failure));
        ::_exit(127);
    }
    ::close(report[1]);
    if (pid < 0) {
        const int err = errno;
        ::close(report[0]);
        errno = err;
        return retryLater("cannot fork");
    }
    // Wait for exec (the pipe closes) or for the child's report. This takes a fork's worth of time.
    ChildFailure failure;
    const ssize_t got = retryOnEintr([&] { return ::read(report[0], &failure, sizeof failure); });
    ::close(report[0]);
    if (got == ssize_t(sizeof failure)) {
        log(std::string(failure.stage == kStageCredentials
                            ? "cannot switch to uid " + std::to_string(m_options.uid) + " gid " +
                                  std::to_string(m_options.gid)
                            : "cannot execute " + m_options.command[0]) +
            ": " + std::strerror(failure.error));
        return false; // the child exits on its own and is reaped by the main loop
    }
    m_postgres = pid;
    m_startedAt = monotonicMs();
    log("started postgres, pid " + std::to_string(pid));
    return true;
}

void Supervisor::onPostgresExit(int status) {
    const pid_t pid = m_postgres;
    m_postgres = -1;
    const std::int64_t now = monotonicMs();
    if (m_stopping) {
        log("postgres (pid " + std::to_string(pid) + ") " + describeWaitStatus(status));
        return;
    }
    if (now - m_startedAt >= kHealthyUptimeMs)
        m_backoffMs = kFirstBackoffMs;
    log("postgres (pid " + std::to_string(pid) + ") " + describeWaitStatus(status) +
        " while Playdeck processes still use it; restarting it in " + std::to_string(m_backoffMs) + " ms");
    m_restartAt = now + m_backoffMs;
    m_backoffMs = std::min(m_backoffMs * 2, kMaxBackoffMs);
    m_leftoverKillAt = now + kLeftoverGraceMs;
}

void Supervisor::beginStop(const std::string &why) {
    if (m_stopping)
        return;
    m_stopping = true;
    const std::int64_t now = monotonicMs();
    m_quitAt = now + kFastShutdownMs;
    m_killAt = m_quitAt + kImmediateShutdownMs;
    if (m_postgres > 0) {
        log(why + "; stopping postgres (fast shutdown)");
        ::kill(m_postgres, SIGINT);
    } else {
        // Between a crash and the restart. Remnants of the crashed server (if any) are asked to
        // quit at once, as postgres itself does with its children in an immediate shutdown.
        log(why + "; postgres is not running");
        if (m_tree.sweep(SIGQUIT, true) > 0) {
            m_quitSent = true;
            m_killAt = now + kLeftoverGraceMs;
        }
    }
}

bool Supervisor::reap() {
    for (;;) {
        int status = 0;
        const pid_t pid = retryOnEintr([&] { return ::waitpid(-1, &status, WNOHANG); });
        if (pid > 0) {
            if (pid == m_postgres)
                onPostgresExit(status);
            continue; // an orphaned backend or a child that failed before exec
        }
        return pid < 0 && errno == ECHILD;
    }
}

int Supervisor::pollTimeout(std::int64_t now, bool noChildren) const {
    // Child exits arrive as SIGCHLD on the signalfd; only deadlines need a timeout.
    std::int64_t due = INT64_MAX;
    if (m_stopping)
        due = m_killing ? m_nextSweep : (m_quitSent || m_postgres < 0 ? m_killAt : m_quitAt);
    else if (m_postgres < 0)
        due = noChildren ? m_restartAt : m_leftoverKillAt; // a restart waits for the old server's processes
    if (m_usersFallback && !m_usersGone)
        due = std::min(due, m_usersPollAt);
    if (due == INT64_MAX)
        return -1;
    return int(std::clamp<std::int64_t>(due - now, 0, 60000));
}

int Supervisor::run() {
    if (const int code = setUp(); code >= 0)
        return code;

    for (;;) {
        const bool noChildren = reap();
        if (m_stopping && noChildren) {
            log("stopped");
            // The supervisor lock goes before the users lock: a Playdeck process that was waiting
            // for the users lock must find no supervisor, and start its own at once.
            ::close(m_supervisorFd);
            m_supervisorFd = -1;
            return m_exitCode;
        }
        const std::int64_t now = monotonicMs();
        if (!m_stopping && m_postgres < 0) {
            if (noChildren && now >= m_restartAt) {
                if (!startPostgres()) {
                    m_exitCode = kSupervisorCannotStartPg;
                    beginStop("cannot start postgres");
                }
                continue; // reap a child that failed before exec at once
            }
            if (!noChildren && now >= m_leftoverKillAt) {
                log("processes of the previous server are still running; killing them");
                m_tree.sweep(SIGKILL, false);
                m_leftoverKillAt = now + kSweepIntervalMs;
            }
        }
        if (m_stopping) {
            if (!m_quitSent && m_postgres > 0 && now >= m_quitAt) {
                log("postgres did not finish its fast shutdown; sending SIGQUIT (immediate shutdown)");
                ::kill(m_postgres, SIGQUIT);
                m_quitSent = true;
            }
            if (now >= m_killAt && now >= m_nextSweep) {
                if (!m_killing)
                    log("the server's processes did not stop; killing them");
                m_killing = true;
                m_tree.sweep(SIGKILL, false);
                m_nextSweep = now + kSweepIntervalMs;
            }
        }
        if (m_usersFallback && !m_usersGone && now >= m_usersPollAt) {
            if (retryOnEintr([&] { return ::flock(m_usersFd, LOCK_EX | LOCK_NB); }) == 0) {
                m_usersGone = true;
                beginStop("no Playdeck process uses the cluster any more");
            }
            m_usersPollAt = now + kFallbackLockPollMs;
        }

        pollfd fds[2] = {{m_signals.fd(), POLLIN, 0},
                         {m_usersGone || m_usersFallback ? -1 : m_usersNotifyRead, POLLIN, 0}};
        if (retryOnEintr([&] { return ::poll(fds, 2, pollTimeout(monotonicMs(), noChildren)); }) < 0) {
            // Only ENOMEM is possible here: carry on at a slow pace rather than leave the server.
            log(std::string("poll: ") + std::strerror(errno));
            ::usleep(kSweepIntervalMs * 1000);
            continue;
        }
        if (fds[1].revents & (POLLIN | POLLERR | POLLHUP)) {
            char code = 1;
            const ssize_t got = retryOnEintr([&] { return ::read(m_usersNotifyRead, &code, 1); });
            if (got == 1 && code == 0) {
                // We now hold LOCK_EX and keep it until we exit, after postgres is gone.
                m_usersGone = true;
                beginStop("no Playdeck process uses the cluster any more");
            } else {
                // flock() failed (ENOLCK, say): fall back to trying LOCK_NB a few times a second.
                log(std::string("waiting for the users lock failed: ") +
                    std::strerror(got == 1 ? code : EIO) + "; polling it instead");
                m_usersFallback = true;
                m_usersPollAt = monotonicMs();
            }
        }
        while (const int sig = m_signals.next()) {
            if (sig != SIGCHLD)
                beginStop("received " + signalName(sig));
        }
    }
}

} // namespace

std::optional<SupervisorOptions> parseSupervisorArguments(const std::vector<std::string> &args,
                                                          std::string &error) {
    SupervisorOptions options;
    bool haveUid = false;
    bool haveGid = false;
    std::size_t i = 0;
    for (; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (arg == "--") {
            ++i;
            break;
        }
        if (!arg.empty() && arg[0] != '-')
            break; // the postgres binary, without a "--" before it
        if (i + 1 >= args.size()) {
            error = arg + " needs a value";
            return std::nullopt;
        }
        const std::string &value = args[++i];
        long long number = 0;
        if (arg == "--users-lock") {
            options.usersLock = value;
        } else if (arg == "--supervisor-lock") {
            options.supervisorLock = value;
        } else if (arg == "--log") {
            options.log = value;
        } else if (arg == "--uid" || arg == "--gid") {
            if (!parseNumber(value, 0, 0x7fffffff, number)) {
                error = arg + " needs a numeric id";
                return std::nullopt;
            }
            (arg == "--uid" ? haveUid : haveGid) = true;
            if (arg == "--uid")
                options.uid = uid_t(number);
            else
                options.gid = gid_t(number);
        } else {
            error = "unknown option " + arg;
            return std::nullopt;
        }
    }
    options.command.assign(args.begin() + std::ptrdiff_t(i), args.end());
    if (options.usersLock.empty() || options.supervisorLock.empty() || options.log.empty())
        error = "--users-lock, --supervisor-lock and --log are required";
    else if (haveUid != haveGid)
        error = "--uid and --gid go together";
    else if (options.command.empty())
        error = "no postgres binary given";
    if (!error.empty())
        return std::nullopt;
    options.switchUser = haveUid;
    return options;
}

int runSupervisor(const SupervisorOptions &options) {
    Supervisor supervisor(options);
    return supervisor.run();
}

} // namespace playdeck::helper

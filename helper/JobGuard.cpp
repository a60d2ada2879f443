// How the job guard works
//
// The helper sits between the Playdeck process that runs a job and `ansible-runner worker`:
//
//   playdeck (JobRunner) -> playdeck-helper job -> ansible-runner worker -> ansible-playbook ...
//
// ansible-runner starts ansible-playbook through pexpect, in a session and on a pty of its own, so
// signalling ansible-runner's process group does not reach it, and when ansible-runner dies
// ansible-playbook is reparented to init and keeps changing hosts. The helper closes both gaps:
// - it is a child subreaper, so every descendant, however it daemonizes, stays below it and can be
//   found by walking the parent links in /proc (ProcessTree);
// - it notices the death of its parent however it happens (SIGKILL included) and then stops the
//   whole tree;
// - it exits only once waitpid() reports that it has no child left. Playdeck can therefore treat
//   "the helper has exited" as "the job's processes are gone" and only then record the job as done.
//
// The helper never touches stdin/stdout/stderr of the job: the child inherits them, so the transmit
// stream and the result stream flow straight between Playdeck and ansible-runner.

#include "JobGuard.h"

#include "Posix.h"
#include "ProcessTree.h"

#include <algorithm>
#include <cstring>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace playdeck::helper {

namespace {

constexpr int kSweepIntervalMs = 100; // how often a stopping tree is looked at again for new processes

void say(const std::string &message) {
    writeAll(STDERR_FILENO, "playdeck-helper[" + std::to_string(::getpid()) + "]: " + message + "\n");
}

enum class Phase {
    Running,     // the job runs undisturbed
    Terminating, // SIGTERM sent to the tree; waiting for it to go within the grace period
    Killing,     // the grace period is over: SIGKILL until nothing is left
};

} // namespace

std::optional<JobOptions> parseJobArguments(const std::vector<std::string> &args, std::string &error) {
    JobOptions options;
    std::size_t i = 0;
    for (; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (arg == "--") {
            ++i;
            break;
        }
        if (arg == "--grace-ms") {
            long long value = 0;
            if (i + 1 >= args.size() || !parseNumber(args[i + 1], 0, 24LL * 3600 * 1000, value)) {
                error = "--grace-ms needs a number of milliseconds";
                return std::nullopt;
            }
            options.graceMs = int(value);
            ++i;
            continue;
        }
        if (!arg.empty() && arg[0] == '-') {
            error = "unknown option " + arg;
            return std::nullopt;
        }
        break; // the program, without a "--" before it
    }
    options.command.assign(args.begin() + std::ptrdiff_t(i), args.end());
    if (options.command.empty()) {
        error = "no program to run";
        return std::nullopt;
    }
    return options;
}

int runJob(const JobOptions &options) {
    const pid_t self = ::getpid();

    // SIGQUIT is treated like SIGTERM: its default action would kill the helper alone and orphan
    // the job's processes, which is exactly what the helper exists to prevent.
    SignalChannel signals({SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT});
    std::string error;
    if (!signals.open(error)) {
        say("cannot set up signal handling: " + error);
        return kExitJobHelperError;
    }

    // Orphans anywhere below us are reparented to us rather than to init (or to a subreaper above
    // us), so the tree stays findable and reapable.
    if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        say(std::string("cannot become a child subreaper: ") + std::strerror(errno));
        return kExitJobHelperError;
    }

    // The parent's death is seen in two independent ways, because neither covers everything:
    // 1. PR_SET_PDEATHSIG sends us SIGTERM (through the signalfd) when the parent dies, SIGKILL
    //    included. The kernel fires it when the parent *thread* that forked us exits, not the
    //    whole process. That is acceptable: the parent is expected to start the helper from a
    //    thread that lives as long as the job (the job's own thread), and should that thread end
    //    early, the job is merely stopped early: nothing is left behind, which is what matters.
    //    The getppid() check closes the race of a parent that died before the prctl() took effect.
    // 2. poll() on our fd 1 for POLLERR/POLLHUP. Linux reports POLLERR on a pipe's write end once
    //    every read end is closed (verified on this kernel, 6.18: events=0 is enough, a blocked
    //    poll wakes within a millisecond when the last reader closes or is SIGKILLed; a write end
    //    never reports POLLHUP; a reader kept open by another process keeps POLLERR away). This
    //    also catches a parent that died before we even started, which (1) cannot see.
    const pid_t originalParent = ::getppid();
    bool parentGone = false;
    if (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) {
        say(std::string("cannot ask for a parent-death signal: ") + std::strerror(errno));
        return kExitJobHelperError;
    }
    if (::getppid() != originalParent)
        parentGone = true;

    std::vector<char *> argv;
    for (const std::string &arg : options.command)
        argv.push_back(const_cast<char *>(arg.c_str()));
    argv.push_back(nullptr);

    const pid_t child = ::fork();
    if (child < 0) {
        say(std::string("cannot fork: ") + std::strerror(errno));
        return kExitJobHelperError;
    }
    if (child == 0) {
        // The helper is single-threaded, so the child may do anything here; it stays in the
        // helper's process group and session (Playdeck already gave the helper a session of its
        // own, and the helper signals its tree itself).
        signals.restoreInChild();
        ::execvp(argv[0], argv.data());
        const int err = errno;
        writeAll(STDERR_FILENO,
                 std::string("playdeck-helper: cannot run ") + argv[0] + ": " + std::strerror(err) + "\n");
        ::_exit(kExitCannotExec);
    }

    TreeSignaller tree(self);
    Phase phase = Phase::Running;
    std::int64_t killAt = 0;
    std::int64_t nextSweep = 0;
    bool childReaped = false;
    int childStatus = 0;
    bool watchStdout = true;

    const auto beginStop = [&](const std::string &why) {
        if (phase != Phase::Running)
            return;
        say(why + "; stopping the job's processes");
        phase = Phase::Terminating;
        tree.sweep(SIGTERM, true);
        const std::int64_t now = monotonicMs();
        killAt = now + options.graceMs;
        nextSweep = now + kSweepIntervalMs;
    };

    if (parentGone)
        beginStop("the parent died before the job started");

    for (;;) {
        // Reap everything that has ended. ECHILD means no child is left, and since every orphan
        // below us is reparented to us before its parent becomes reapable, no descendant either.
        for (;;) {
            int status = 0;
            const pid_t pid = retryOnEintr([&] { return ::waitpid(-1, &status, WNOHANG); });
            if (pid > 0) {
                if (pid == child) {
                    childReaped = true;
                    childStatus = status;
                }
                continue;
            }
            if (pid == 0)
                break; // children remain, none has ended
            if (errno == ECHILD) {
                if (!childReaped) { // cannot happen: the child is ours until we reap it
                    say("lost track of the job's process");
                    return kExitJobHelperError;
                }
                return exitCodeOf(childStatus);
            }
            say(std::string("waitpid: ") + std::strerror(errno));
            break;
        }
        if (childReaped && phase == Phase::Running)
            beginStop("the job's main process " + describeWaitStatus(childStatus) +
                      " but left processes behind");

        const std::int64_t now = monotonicMs();
        if (phase == Phase::Terminating && now >= killAt) {
            const std::size_t left = tree.sweep(SIGKILL, false);
            say(std::to_string(left) + " process(es) still running " + std::to_string(options.graceMs) +
                " ms after SIGTERM; killing them");
            phase = Phase::Killing;
            nextSweep = now + kSweepIntervalMs;
        } else if (phase != Phase::Running && now >= nextSweep) {
            // Processes forked since the last sweep get their signal too.
            tree.sweep(phase == Phase::Terminating ? SIGTERM : SIGKILL, phase == Phase::Terminating);
            nextSweep = now + kSweepIntervalMs;
        }

        int timeout = -1; // a running job costs no wake-ups at all
        if (phase != Phase::Running) {
            const std::int64_t due = phase == Phase::Terminating ? std::min(killAt, nextSweep) : nextSweep;
            timeout = int(std::clamp<std::int64_t>(due - monotonicMs(), 0, kSweepIntervalMs));
        }
        pollfd fds[2] = {{signals.fd(), POLLIN, 0},
                         // events = 0: POLLERR/POLLHUP/POLLNVAL are always reported.
                         {watchStdout && phase == Phase::Running ? STDOUT_FILENO : -1, 0, 0}};
        if (retryOnEintr([&] { return ::poll(fds, 2, timeout); }) < 0) {
            // Only ENOMEM is possible here. Leaving now would break the one promise the helper
            // makes, so carry on at a slow pace: the loop still reaps and signals.
            say(std::string("poll: ") + std::strerror(errno));
            ::usleep(kSweepIntervalMs * 1000);
            continue;
        }

        if (fds[1].revents & POLLNVAL) {
            watchStdout = false; // no fd 1 at all: nothing to watch
        } else if (fds[1].revents & (POLLERR | POLLHUP)) {
            watchStdout = false; // level-triggered: look once
            beginStop("nobody reads the job's output any more (the parent is gone)");
        }

        while (const int sig = signals.next()) {
            switch (sig) {
            case SIGCHLD:
                break; // reaped at the top of the loop
            case SIGINT:
                // ansible-runner turns SIGINT into a clean cancel of its playbook, so it goes to the
                // direct child only. Until we reap the child its pid cannot be reused.
                if (!childReaped)
                    ::kill(child, SIGINT);
                break;
            default:
                beginStop("received " + signalName(sig));
                break;
            }
        }
    }
}

} // namespace playdeck::helper

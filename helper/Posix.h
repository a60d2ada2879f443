// Small POSIX pieces both modes of playdeck-helper share: EINTR-safe calls, a monotonic clock,
// wait-status decoding and a signalfd that can hand the original signal state back to a child.
#pragma once

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace playdeck::helper {

// Exit codes that are the helper's own (job mode passes the job's codes through otherwise).
inline constexpr int kExitJobHelperError = 125; // bad command line or the helper could not set itself up
inline constexpr int kExitCannotExec = 127;     // PROGRAM could not be executed

// Repeats a system call for as long as it fails with EINTR. The helpers block the signals they
// handle, but a stop/continue (SIGSTOP, SIGCONT) can still interrupt some calls.
template <typename Call> auto retryOnEintr(Call &&call) {
    for (;;) {
        auto result = call();
        if (result != -1 || errno != EINTR)
            return result;
    }
}

std::int64_t monotonicMs();

// Sleeps for ms milliseconds, also across interruptions.
void sleepMs(int ms);

// Writes all of data to fd. Errors are dropped on purpose: a log or stderr whose reader is gone must
// never stop the helper from cleaning up (SIGPIPE is ignored for the same reason).
void writeAll(int fd, std::string_view data) noexcept;

// "exited with code 3", "was killed by signal 9 (SIGKILL)".
std::string describeWaitStatus(int status);

// The shell convention: the exit code, or 128 + the signal that killed the process.
int exitCodeOf(int status);

// Strict decimal parse of the whole text into [min, max].
bool parseNumber(std::string_view text, long long min, long long max, long long &out);

// "SIGTERM"
std::string signalName(int sig);

// The signals a helper handles in its main loop arrive through a signalfd, so no work runs in a
// signal handler. They are blocked (a signalfd only sees blocked signals) and their dispositions
// reset to SIG_DFL: a signal inherited as SIG_IGN (a background job of a non-interactive shell
// ignores SIGINT, nohup ignores SIGHUP) is discarded when it is generated and would never arrive,
// and SIGCHLD inherited as SIG_IGN would make the kernel reap children behind our back. SIGPIPE is
// ignored so that writing to a vanished stderr or log returns EPIPE instead of killing the helper.
// restoreInChild() undoes all of it in a forked child, which then starts with exactly the signal
// state the helper itself was started with.
class SignalChannel {
public:
    SignalChannel(std::initializer_list<int> handled);
    ~SignalChannel();
    SignalChannel(const SignalChannel &) = delete;
    SignalChannel &operator=(const SignalChannel &) = delete;

    // Blocks the signals and opens the signalfd; on failure returns false with a message.
    bool open(std::string &error);
    int fd() const { return m_fd; }

    // The next pending signal, or 0 when none is pending (the fd is non-blocking).
    int next();

    // Async-signal-safe: only sigaction and sigprocmask, for use between fork and exec.
    void restoreInChild() const noexcept;

private:
    struct Saved {
        int signal = 0;
        struct sigaction action {};
    };
    std::array<Saved, 8> m_saved{};
    std::size_t m_savedCount = 0;
    sigset_t m_handled{};
    sigset_t m_originalMask{};
    int m_fd = -1;
};

} // namespace playdeck::helper

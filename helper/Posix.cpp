#include "Posix.h"

#include <charconv>
#include <cstring>
#include <ctime>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

namespace playdeck::helper {

std::int64_t monotonicMs() {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return std::int64_t(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

void sleepMs(int ms) {
    timespec left{ms / 1000, long(ms % 1000) * 1000000};
    while (::nanosleep(&left, &left) != 0 && errno == EINTR) {
    }
}

void writeAll(int fd, std::string_view data) noexcept {
    while (!data.empty()) {
        const ssize_t written = retryOnEintr([&] { return ::write(fd, data.data(), data.size()); });
        if (written <= 0)
            return;
        data.remove_prefix(std::size_t(written));
    }
}

std::string signalName(int sig) {
    // sigabbrev_np (glibc >= 2.32) is async-signal-safe and, unlike strsignal, not localised.
    const char *abbrev = ::sigabbrev_np(sig);
    return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

std::string describeWaitStatus(int status) {
    if (WIFEXITED(status))
        return "exited with code " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
               signalName(WTERMSIG(status)) + ")";
    return "ended with wait status " + std::to_string(status);
}

int exitCodeOf(int status) {
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return kExitJobHelperError;
}

bool parseNumber(std::string_view text, long long min, long long max, long long &out) {
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
        return false;
    out = value;
    return true;
}

SignalChannel::SignalChannel(std::initializer_list<int> handled) {
    sigemptyset(&m_handled);
    for (int sig : handled) {
        sigaddset(&m_handled, sig);
        if (m_savedCount < m_saved.size())
            m_saved[m_savedCount++].signal = sig;
    }
    if (m_savedCount < m_saved.size())
        m_saved[m_savedCount++].signal = SIGPIPE;
}

SignalChannel::~SignalChannel() {
    if (m_fd >= 0)
        ::close(m_fd);
}

bool SignalChannel::open(std::string &error) {
    // Block first: a signal that arrives between here and signalfd() then waits as pending.
    if (::sigprocmask(SIG_BLOCK, &m_handled, &m_originalMask) != 0) {
        error = std::string("sigprocmask: ") + std::strerror(errno);
        return false;
    }
    for (std::size_t i = 0; i < m_savedCount; ++i) {
        struct sigaction action {};
        sigemptyset(&action.sa_mask);
        action.sa_handler = m_saved[i].signal == SIGPIPE ? SIG_IGN : SIG_DFL;
        if (::sigaction(m_saved[i].signal, &action, &m_saved[i].action) != 0) {
            error = std::string("sigaction: ") + std::strerror(errno);
            return false;
        }
    }
    m_fd = ::signalfd(-1, &m_handled, SFD_NONBLOCK | SFD_CLOEXEC);
    if (m_fd < 0) {
        error = std::string("signalfd: ") + std::strerror(errno);
        return false;
    }
    return true;
}

int SignalChannel::next() {
    signalfd_siginfo info{};
    const ssize_t got = retryOnEintr([&] { return ::read(m_fd, &info, sizeof info); });
    if (got != ssize_t(sizeof info))
        return 0; // EAGAIN: nothing pending
    return int(info.ssi_signo);
}

void SignalChannel::restoreInChild() const noexcept {
    for (std::size_t i = 0; i < m_savedCount; ++i)
        ::sigaction(m_saved[i].signal, &m_saved[i].action, nullptr);
    ::sigprocmask(SIG_SETMASK, &m_originalMask, nullptr);
}

} // namespace playdeck::helper

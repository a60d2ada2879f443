// Finding and signalling every descendant of the helper through /proc.
//
// Both modes make the helper a child subreaper, so a descendant that daemonizes (setsid, double
// fork) is reparented to the helper instead of to init: "every process below me in the parent tree"
// is then exactly the set of processes the helper started, directly or not.
#pragma once

#include <set>
#include <sys/types.h>
#include <vector>

namespace playdeck::helper {

struct ProcessEntry {
    pid_t pid = 0;
    pid_t ppid = 0;
    pid_t pgid = 0;
    pid_t sid = 0;
    char state = '?'; // 'Z' zombie, 'X' dead, 'T' stopped, ...
};

// A snapshot of every process from /proc/<pid>/stat. Processes that vanish while it is read are
// simply missing from it.
std::vector<ProcessEntry> readProcessTable();

// The live (not zombie) descendants of ancestor in a snapshot, ancestor itself excluded.
std::vector<ProcessEntry> liveDescendants(pid_t ancestor, const std::vector<ProcessEntry> &table);

// Signals the helper's descendants in sweeps. A sweep takes a fresh snapshot, so processes forked
// since the last sweep are caught too; the caller repeats sweeps until it has reaped every child.
class TreeSignaller {
public:
    explicit TreeSignaller(pid_t self);

    // Sends sig to every live descendant and to each of their process groups that is safe to
    // signal (see the .cpp). With once, a pid or group that already got sig from an earlier sweep is
    // left alone, so that a process whose SIGTERM handler runs for a while is not re-triggered every
    // sweep. SIGTERM is followed by SIGCONT so that a stopped process can act on it.
    // Returns the number of live descendants seen.
    std::size_t sweep(int sig, bool once);

private:
    static bool groupIsOurs(pid_t group, pid_t session, const std::set<pid_t> &descendantPids, pid_t ownGroup,
                            pid_t ownSession);
    static void send(pid_t target, int sig);

    pid_t m_self;
    std::set<std::pair<int, pid_t>> m_signalledPids;   // (signal, pid)
    std::set<std::pair<int, pid_t>> m_signalledGroups; // (signal, pgid)
};

} // namespace playdeck::helper

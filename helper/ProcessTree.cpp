#include "ProcessTree.h"

#include "Posix.h"

#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <string_view>
#include <unistd.h>

namespace playdeck::helper {

namespace {

bool readStat(pid_t pid, ProcessEntry &entry) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", int(pid));
    const int fd = retryOnEintr([&] { return ::open(path, O_RDONLY | O_CLOEXEC); });
    if (fd < 0)
        return false;
    char buf[1024];
    const ssize_t got = retryOnEintr([&] { return ::read(fd, buf, sizeof buf - 1); });
    ::close(fd);
    if (got <= 0)
        return false;
    buf[got] = '\0';
    // "pid (comm) state ppid pgrp session ...": comm may hold spaces and ')', so parse after the
    // last ')'.
    const char *close = std::strrchr(buf, ')');
    if (!close)
        return false;
    char state = '?';
    int ppid = 0, pgrp = 0, session = 0;
    if (std::sscanf(close + 1, " %c %d %d %d", &state, &ppid, &pgrp, &session) != 4)
        return false;
    entry = {pid, pid_t(ppid), pid_t(pgrp), pid_t(session), state};
    return true;
}

bool isLive(const ProcessEntry &e) {
    return e.state != 'Z' && e.state != 'X' && e.state != 'x';
}

} // namespace

std::vector<ProcessEntry> readProcessTable() {
    std::vector<ProcessEntry> table;
    DIR *proc = ::opendir("/proc");
    if (!proc)
        return table;
    while (const dirent *d = ::readdir(proc)) {
        if (!std::isdigit(static_cast<unsigned char>(d->d_name[0])))
            continue;
        ProcessEntry entry;
        if (readStat(pid_t(std::atoi(d->d_name)), entry))
            table.push_back(entry);
    }
    ::closedir(proc);
    return table;
}

std::vector<ProcessEntry> liveDescendants(pid_t ancestor, const std::vector<ProcessEntry> &table) {
    std::multimap<pid_t, const ProcessEntry *> children;
    for (const ProcessEntry &e : table)
        children.emplace(e.ppid, &e);
    std::vector<ProcessEntry> found;
    std::vector<pid_t> todo{ancestor};
    while (!todo.empty()) {
        const pid_t parent = todo.back();
        todo.pop_back();
        const auto [begin, end] = children.equal_range(parent);
        for (auto it = begin; it != end; ++it) {
            // A zombie has no children of its own (they were reparented when it died), so skipping
            // it loses nothing.
            if (!isLive(*it->second) || it->second->pid == ancestor)
                continue;
            found.push_back(*it->second);
            todo.push_back(it->second->pid);
        }
    }
    return found;
}

TreeSignaller::TreeSignaller(pid_t self)
    : m_self(self) {}

bool TreeSignaller::groupIsOurs(pid_t group, pid_t session, const std::set<pid_t> &descendantPids,
                                pid_t ownGroup, pid_t ownSession) {
    // Only groups that can hold nothing but our descendants are signalled:
    // - never our own group: it holds the helper itself, and perhaps the helper's parent when
    //   nobody gave the helper a group of its own;
    // - a group in another session: sessions are only made by setsid() and are inherited only
    //   through fork(), so every member descends from a descendant of ours, and stays below us
    //   because we are a subreaper;
    // - a group in our session whose leader is a live descendant.
    if (group <= 1 || group == ownGroup)
        return false;
    return session != ownSession || descendantPids.count(group) != 0;
}

void TreeSignaller::send(pid_t target, int sig) {
    ::kill(target, sig);
    if (sig == SIGTERM)
        ::kill(target, SIGCONT);
}

std::size_t TreeSignaller::sweep(int sig, bool once) {
    const std::vector<ProcessEntry> table = readProcessTable();
    const std::vector<ProcessEntry> descendants = liveDescendants(m_self, table);
    std::set<pid_t> descendantPids;
    for (const ProcessEntry &e : descendants)
        descendantPids.insert(e.pid);
    // Looked up on every sweep, not once: the supervisor calls setsid() after it starts, and a
    // stale "own group" would make it signal its own new group, itself included.
    const pid_t ownGroup = ::getpgid(0);
    const pid_t ownSession = ::getsid(0);

    // Groups first: a group signal also reaches a process forked into the group between the
    // snapshot and now. Their members seen in the snapshot count as signalled, so nobody gets the
    // same signal twice (a SIGTERM handler that runs twice can misbehave). A process that joins an
    // already signalled group later is not in the set and gets its own signal in a later sweep.
    for (const ProcessEntry &e : descendants) {
        if (!groupIsOurs(e.pgid, e.sid, descendantPids, ownGroup, ownSession))
            continue;
        if (!once || m_signalledGroups.insert({sig, e.pgid}).second) {
            send(-e.pgid, sig);
            for (const ProcessEntry &member : descendants)
                if (member.pgid == e.pgid)
                    m_signalledPids.insert({sig, member.pid});
        }
    }
    for (const ProcessEntry &e : descendants) {
        if (!once || m_signalledPids.insert({sig, e.pid}).second)
            send(e.pid, sig);
    }
    return descendants.size();
}

} // namespace playdeck::helper

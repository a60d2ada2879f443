// `playdeck-helper postgres`: supervises the embedded PostgreSQL server that every Playdeck process
// on one data directory shares.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace playdeck::helper {

// Exit codes of the postgres mode.
inline constexpr int kSupervisorStopped = 0;       // stopped in order (last user gone, or a signal)
inline constexpr int kSupervisorSetupFailed = 1;   // a lock or the log could not be opened, ...
inline constexpr int kSupervisorUsage = 2;         // bad command line
inline constexpr int kSupervisorBusy = 3;          // another supervisor holds the supervisor lock
inline constexpr int kSupervisorCannotStartPg = 4; // postgres could not be executed, or the
                                                   // switch to --uid/--gid failed

struct SupervisorOptions {
    std::string usersLock;
    std::string supervisorLock;
    std::string log;
    bool switchUser = false;
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<std::string> command; // the postgres binary and its arguments
};

// Parses the arguments after "postgres". On error returns nullopt and sets error.
std::optional<SupervisorOptions> parseSupervisorArguments(const std::vector<std::string> &args,
                                                          std::string &error);

int runSupervisor(const SupervisorOptions &options);

} // namespace playdeck::helper

// playdeck-helper: the small process Playdeck puts between itself and the processes that must not
// outlive it. Plain C++ and POSIX, no Qt: it runs in the gap between fork and exec of its own
// children and must stay small, single-purpose and free of event-loop machinery.

#include "ClusterSupervisor.h"
#include "JobGuard.h"
#include "Posix.h"

#include <algorithm>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

constexpr const char *kUsage =
    "usage:\n"
    "  playdeck-helper job [--grace-ms N] -- PROGRAM [ARGS...]\n"
    "      Runs PROGRAM with the helper's stdin, stdout and stderr. SIGINT goes to PROGRAM only;\n"
    "      SIGTERM, SIGHUP, SIGQUIT, the death of the helper's parent or the loss of every reader of\n"
    "      its stdout stop PROGRAM's whole process tree (SIGTERM, then SIGKILL after N ms, default\n"
    "      3000). Processes PROGRAM leaves behind are stopped the same way. Exits once none of them\n"
    "      is left, with PROGRAM's exit code, 128+signal if a signal killed it, 127 if it could not\n"
    "      be executed, 125 on a usage error.\n"
    "  playdeck-helper postgres --users-lock FILE --supervisor-lock FILE --log FILE\n"
    "                           [--uid UID --gid GID] -- POSTGRES [ARGS...]\n"
    "      Supervises a PostgreSQL server shared by the processes holding flock(LOCK_SH) on the users\n"
    "      lock: restarts it when it dies, stops it when the last of them is gone or on SIGTERM,\n"
    "      SIGINT or SIGHUP. Exits 0 when stopped, 1 on a setup failure, 2 on a usage error, 3 if\n"
    "      another supervisor holds the supervisor lock, 4 if postgres cannot be started.\n"
    "  playdeck-helper --help\n";

} // namespace

int main(int argc, char **argv) {
    using namespace playdeck::helper;
    const std::string mode = argc > 1 ? argv[1] : "";
    const std::vector<std::string> args(argv + std::min(argc, 2), argv + argc);
    std::string error;
    if (mode == "job") {
        const auto options = parseJobArguments(args, error);
        if (!options) {
            writeAll(STDERR_FILENO, "playdeck-helper job: " + error + "\n" + kUsage);
            return kExitJobHelperError;
        }
        return runJob(*options);
    }
    if (mode == "postgres") {
        const auto options = parseSupervisorArguments(args, error);
        if (!options) {
            writeAll(STDERR_FILENO, "playdeck-helper postgres: " + error + "\n" + kUsage);
            return kSupervisorUsage;
        }
        return runSupervisor(*options);
    }
    if (mode == "--help" || mode == "-h" || mode == "help") {
        // Only on request: in job mode stdout is the job's result stream.
        writeAll(STDOUT_FILENO, kUsage);
        return 0;
    }
    writeAll(STDERR_FILENO, (mode.empty() ? std::string("playdeck-helper: no mode given\n")
                                          : "playdeck-helper: unknown mode " + mode + "\n") +
                                kUsage);
    return 2;
}

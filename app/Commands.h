#pragma once

#include <QStringList>

namespace playdeck {

struct GlobalOptions {
    QString dataDir;
    QString databaseUrl;
};

// The command line: `launch`, `serve`, `jobs`, `stdout`, `events`, `cancel`. Each returns the
// process exit code.
int runLaunch(const GlobalOptions &options, const QStringList &args);
int runServe(const GlobalOptions &options, const QStringList &args);
int runJobs(const GlobalOptions &options, const QStringList &args);
int runStdout(const GlobalOptions &options, const QStringList &args);
int runEvents(const GlobalOptions &options, const QStringList &args);
int runCancel(const GlobalOptions &options, const QStringList &args);

} // namespace playdeck

#pragma once

#include "Engine.h"

#include <QFuture>
#include <QStringList>

#include <functional>

namespace playdeck {

struct GlobalOptions {
    QString dataDir;
    QString databaseUrl;
};

// The engine's options from the global options and the environment (PLAYDECK_RUNNER,
// PLAYDECK_KEEP_JOB_DIRS, PLAYDECK_HEARTBEAT_SECONDS, PLAYDECK_LOST_AFTER_SECONDS).
EngineOptions engineOptions(const GlobalOptions &options, EngineOptions::RunJobs runJobs);

// The command line: `launch`, `serve`, `jobs`, `stdout`, `events`, `cancel`. Each returns the
// process exit code.
int runLaunch(const GlobalOptions &options, const QStringList &args);
// Starts a job with `start` and waits for it as `launch` does (streaming its stdout with `follow`);
// exits 0 only when it succeeded.
int runJobCommand(const GlobalOptions &options,
                  const std::function<QFuture<Result<qint64>>(Controller &)> &start, bool follow);
int runServe(const GlobalOptions &options, const QStringList &args);
// Turns the websocket server on from "[ADDRESS:]PORT" (`serve --websocket`, PLAYDECK_WEBSOCKET for
// the window), with the data directory's token; a message when the spec or the token is bad.
[[nodiscard]] Status enableWebSocket(EngineOptions &engine, const GlobalOptions &options,
                                     const QString &spec);
// Serves it as wss:// with a PEM certificate and key, or, when both are empty, with the data
// directory's self-signed certificate (made on first use); a message when only one is given.
[[nodiscard]] Status enableWebSocketTls(EngineOptions &engine, const GlobalOptions &options,
                                        const QString &certificateFile, const QString &keyFile);
// `websocket-token [--rotate]`: prints the token websocket clients show.
int runWebSocketToken(const GlobalOptions &options, const QStringList &args);
int runJobs(const GlobalOptions &options, const QStringList &args);
int runStdout(const GlobalOptions &options, const QStringList &args);
int runEvents(const GlobalOptions &options, const QStringList &args);
int runCancel(const GlobalOptions &options, const QStringList &args);
int runRelaunch(const GlobalOptions &options, const QStringList &args);
int runImport(const GlobalOptions &options, const QStringList &args);
int runExport(const GlobalOptions &options, const QStringList &args);

} // namespace playdeck

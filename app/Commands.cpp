#include "Commands.h"

#include "CommandSupport.h"

#include "Engine.h"
#include "JobFollower.h"
#include "SignalWatcher.h"
#include "api/ApiToken.h"
#include "api/TlsIdentity.h"
#include "db/DbPool.h"
#include "services/JobService.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace playdeck {

namespace {

void streamJob(Engine &engine, qint64 jobId, EventStore::Dump what, const std::function<void(int)> &finish) {
    const auto write = [](const char *data, qsizetype size) {
        return std::fwrite(data, 1, size_t(size), stdout) == size_t(size);
    };
    whenReady(engine.controller().jobs().dump(jobId, what, write), &engine, [finish](Result<qint64> rows) {
        std::fflush(stdout);
        if (!rows) {
            printError(rows.error());
            return finish(2);
        }
        finish(0);
    });
}

// The job's stdout or its events, as the database streams them, to stdout (exit 1: no such job).
void dumpJob(Engine &engine, qint64 jobId, EventStore::Dump what, const std::function<void(int)> &finish) {
    whenReady(engine.controller().jobs().job(jobId), &engine,
              [&engine, jobId, what, finish](Result<JobDetail> job) {
                  if (!job) {
                      printError(job.error());
                      return finish(1);
                  }
                  streamJob(engine, jobId, what, finish);
              });
}

} // namespace

EngineOptions engineOptions(const GlobalOptions &options, EngineOptions::RunJobs runJobs) {
    EngineOptions o;
    o.dataDir = options.dataDir;
    o.databaseUrl = options.databaseUrl;
    o.runJobs = runJobs;
    o.runnerProgram = qEnvironmentVariable("PLAYDECK_RUNNER", QStringLiteral("ansible-runner"));
    o.keepJobDirs = qEnvironmentVariableIsSet("PLAYDECK_KEEP_JOB_DIRS");
    bool ok = false;
    if (const int beat = qEnvironmentVariableIntValue("PLAYDECK_HEARTBEAT_SECONDS", &ok); ok && beat > 0)
        o.timing.heartbeatSeconds = beat;
    if (const int lost = qEnvironmentVariableIntValue("PLAYDECK_LOST_AFTER_SECONDS", &ok); ok && lost > 0)
        o.timing.lostAfterSeconds = lost;
    return o;
}

int runJobCommand(const GlobalOptions &options,
                  const std::function<QFuture<Result<qint64>>(Controller &)> &start, bool follow) {
    // Runs the job here unless another Playdeck process (the window, `serve`) takes work; either way
    // this command waits for the job, so its exit code says how the job went.
    Engine engine(engineOptions(options, EngineOptions::RunJobs::IfNoOtherWorker));
    qint64 jobId = 0;
    int exitAfterLaunch = 0; // a signal came before the launch was answered
    std::function<void(int)> finishCommand;
    const SignalHandler onSignal = [&](int number) {
        if (jobId == 0) {
            // The launch is on its way: its job is canceled as soon as we know it.
            std::fprintf(stderr, "playdeck: canceling the job as soon as it is launched\n");
            exitAfterLaunch = 128 + number;
            return;
        }
        if (number == SIGINT) {
            // Ctrl-C cancels the job and waits for it to end.
            std::fprintf(stderr, "playdeck: canceling job %lld (Ctrl-C again to leave now)\n", jobId);
            (void)engine.controller().jobs().cancel(jobId);
            return;
        }
        // SIGTERM, or the terminal was closed: this process ends. A job it runs ends with it (as a
        // dispatcher shutdown: failed); a job another process runs goes on there.
        if (engine.runsJobs() && engine.activeJobs() > 0)
            std::fprintf(stderr, "playdeck: stopping; job %lld ends with this process\n", jobId);
        finishCommand(128 + number);
    };
    return withEngine(
        engine,
        [&](std::function<void(int)> finish) {
            finishCommand = finish;
            whenReady(start(engine.controller()), &engine, [&, finish](Result<qint64> r) {
                if (!r) {
                    printError(r.error());
                    return finish(exitAfterLaunch ? exitAfterLaunch : 2);
                }
                jobId = r.value();
                std::fprintf(follow ? stderr : stdout, "%lld\n", jobId);
                std::fflush(stdout);
                if (exitAfterLaunch) {
                    whenReady(engine.controller().jobs().cancel(jobId), &engine,
                              [&, finish](Result<CancelOutcome> canceled) {
                                  if (!canceled)
                                      printError(canceled.error());
                                  else
                                      std::fprintf(stderr, "playdeck: canceled job %lld\n", jobId);
                                  finish(exitAfterLaunch);
                              });
                    return;
                }
                auto *follower = new JobFollower(engine.controller(), jobId, follow, stdout, &engine);
                QObject::connect(
                    follower, &JobFollower::done, &engine,
                    [&, finish](JobStatus status, const QString &explanation) {
                        std::fprintf(stderr, "job %lld %s%s%s\n", jobId, qPrintable(statusName(status)),
                                     explanation.isEmpty() ? "" : ": ", qPrintable(explanation));
                        // Jobs handed to this process for others finish before it goes.
                        engine.drain([finish, status] { finish(status == JobStatus::Successful ? 0 : 1); });
                    });
                follower->start();
            });
        },
        &onSignal);
}

Status enableWebSocket(EngineOptions &engine, const GlobalOptions &options, const QString &spec) {
    const qsizetype colon = spec.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const uint port = spec.mid(colon + 1).toUInt(&ok);
    const QString address = colon > 0 ? spec.left(colon) : QStringLiteral("127.0.0.1");
    QHostAddress host;
    if (!ok || port == 0 || port > 65535 || !host.setAddress(address))
        return Status::failure(
            Commands::tr("The websocket wants [ADDRESS:]PORT, such as 8052 or 0.0.0.0:8052, not "
                         "\"%1\".")
                .arg(spec));
    auto token = readOrCreateApiToken(options.dataDir);
    if (!token)
        return token.status();
    engine.webSocket.enabled = true;
    engine.webSocket.address = host;
    engine.webSocket.port = quint16(port);
    engine.webSocket.token = token.value();
    return {};
}

Status enableWebSocketTls(EngineOptions &engine, const GlobalOptions &options, const QString &certificateFile,
                          const QString &keyFile) {
    if (certificateFile.isEmpty() != keyFile.isEmpty())
        return Status::failure(
            Commands::tr("wss:// needs both --tls-certificate and --tls-key, or neither (a self-signed "
                         "certificate in the data directory)."));
    engine.webSocket.tls = true;
    engine.webSocket.certificateFile = certificateFile;
    engine.webSocket.keyFile = keyFile;
    useDefaultTlsFiles(engine.webSocket, options.dataDir);
    return {};
}

int runWebSocketToken(const GlobalOptions &options, const QStringList &args) {
    QCommandLineParser parser;
    const QCommandLineOption rotate(
        QStringLiteral("rotate"),
        Commands::tr("Make a new token; clients with the old one are refused from the "
                     "next start of Playdeck on."));
    parser.addOption(rotate);
    if (!parse(parser, args, QStringLiteral("websocket-token [--rotate]"), 0))
        return 2;
    auto token =
        parser.isSet(rotate) ? rotateApiToken(options.dataDir) : readOrCreateApiToken(options.dataDir);
    if (!token) {
        printError(token.error());
        return 1;
    }
    std::printf("%s\n", qPrintable(token.value()));
    return 0;
}

int runServe(const GlobalOptions &options, const QStringList &args) {
    QCommandLineParser parser;
    const QCommandLineOption webSocket(
        QStringLiteral("websocket"),
        Commands::tr(
            "Serve AWX's websocket at ws://ADDRESS:PORT/websocket/ (ADDRESS 127.0.0.1 unless given); "
            "clients show the token of `playdeck websocket-token`."),
        QStringLiteral("[address:]port"));
    const QCommandLineOption tls(
        QStringLiteral("tls"),
        Commands::tr("Serve wss:// (TLS) with a self-signed certificate kept in the data directory; its "
                     "SHA-256 fingerprint is printed."));
    const QCommandLineOption certificate(QStringLiteral("tls-certificate"),
                                         Commands::tr("Serve wss:// with this PEM certificate (chain)."),
                                         QStringLiteral("file"));
    const QCommandLineOption key(QStringLiteral("tls-key"),
                                 Commands::tr("The certificate's unencrypted PEM private key."),
                                 QStringLiteral("file"));
    parser.addOptions({webSocket, tls, certificate, key});
    if (!parse(parser, args,
               QStringLiteral(
                   "serve [--websocket [ADDRESS:]PORT [--tls | --tls-certificate FILE --tls-key FILE]]"),
               0))
        return 2;
    EngineOptions engineOpts = engineOptions(options, EngineOptions::RunJobs::Always);
    const bool wantsTls = parser.isSet(tls) || parser.isSet(certificate) || parser.isSet(key);
    if (wantsTls && !parser.isSet(webSocket)) {
        printError(Commands::tr("--tls, --tls-certificate and --tls-key go with --websocket."));
        return 2;
    }
    if (parser.isSet(webSocket)) {
        Status s = enableWebSocket(engineOpts, options, parser.value(webSocket));
        if (s && wantsTls)
            s = enableWebSocketTls(engineOpts, options, parser.value(certificate), parser.value(key));
        if (!s) {
            printError(s.error());
            return 2;
        }
    }
    Engine engine(engineOpts);
    QObject::connect(&engine, &Engine::webSocketListening, &engine,
                     [&engineOpts](quint16 port, const QString &fingerprint) {
                         const EventSocketSettings &ws = engineOpts.webSocket;
                         std::fprintf(stderr, "playdeck: websocket at %s://%s:%u/websocket/\n",
                                      ws.tls ? "wss" : "ws", qPrintable(ws.address.toString()),
                                      unsigned(port));
                         if (!fingerprint.isEmpty())
                             std::fprintf(stderr, "playdeck: its certificate %s, SHA-256 %s\n",
                                          qPrintable(ws.certificateFile), qPrintable(fingerprint));
                     });
    QObject::connect(&engine, &Engine::webSocketFailed, &engine,
                     [](const QString &message) { printError(message); });
    std::function<void(int)> finishCommand;
    const SignalHandler onSignal = [&](int) { finishCommand(0); }; // asked to stop: a clean end
    return withEngine(
        engine,
        [&](std::function<void(int)> finish) {
            finishCommand = finish;
            std::fprintf(stderr, "playdeck: serving as instance %s; stop with SIGTERM or Ctrl-C\n",
                         qPrintable(engine.instance().hostname));
        },
        &onSignal);
}

int runJobs(const GlobalOptions &options, const QStringList &args) {
    QCommandLineParser parser;
    const QCommandLineOption count(QStringLiteral("count"), Commands::tr("How many jobs (default 50)."),
                                   QStringLiteral("n"), QStringLiteral("50"));
    parser.addOption(count);
    if (!parse(parser, args, QStringLiteral("jobs [--count N]"), 0))
        return 2;
    Engine engine(engineOptions(options, EngineOptions::RunJobs::Never));
    return withEngine(engine, [&](std::function<void(int)> finish) {
        whenReady(engine.controller().jobs().recent(parser.value(count).toInt()), &engine,
                  [finish](Result<QList<JobSummary>> jobs) {
                      if (!jobs) {
                          printError(jobs.error());
                          return finish(2);
                      }
                      for (const JobSummary &j : jobs.value())
                          std::printf("%lld\t%s\t%s\t%s\t%.3f\n", j.id, qPrintable(statusName(j.status)),
                                      qPrintable(j.name),
                                      qPrintable(j.created.toLocalTime().toString(Qt::ISODate)), j.elapsed);
                      finish(0);
                  });
    });
}

int runStdout(const GlobalOptions &options, const QStringList &args) {
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("job"), Commands::tr("Job id."));
    if (!parse(parser, args, QStringLiteral("stdout JOB"), 1))
        return 2;
    const qint64 id = jobIdArgument(parser.positionalArguments().constFirst());
    if (!id)
        return 2;
    Engine engine(engineOptions(options, EngineOptions::RunJobs::Never));
    return withEngine(engine, [&](std::function<void(int)> finish) {
        dumpJob(engine, id, EventStore::Dump::Stdout, finish);
    });
}

int runEvents(const GlobalOptions &options, const QStringList &args) {
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("job"), Commands::tr("Job id."));
    parser.addOption(
        QCommandLineOption(QStringLiteral("json"), Commands::tr("One JSON object per line (the default).")));
    if (!parse(parser, args, QStringLiteral("events JOB --json"), 1))
        return 2;
    const qint64 id = jobIdArgument(parser.positionalArguments().constFirst());
    if (!id)
        return 2;
    Engine engine(engineOptions(options, EngineOptions::RunJobs::Never));
    return withEngine(engine, [&](std::function<void(int)> finish) {
        dumpJob(engine, id, EventStore::Dump::JsonLines, finish);
    });
}

int runCancel(const GlobalOptions &options, const QStringList &args) {
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("job"), Commands::tr("Job id."));
    if (!parse(parser, args, QStringLiteral("cancel JOB"), 1))
        return 2;
    const qint64 id = jobIdArgument(parser.positionalArguments().constFirst());
    if (!id)
        return 2;
    Engine engine(engineOptions(options, EngineOptions::RunJobs::Never));
    return withEngine(engine, [&](std::function<void(int)> finish) {
        whenReady(engine.controller().jobs().cancel(id), &engine, [finish](Result<CancelOutcome> outcome) {
            if (!outcome) {
                printError(outcome.error());
                return finish(1);
            }
            finish(0);
        });
    });
}

int runRelaunch(const GlobalOptions &options, const QStringList &args) {
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("job"), Commands::tr("Job id."));
    const QCommandLineOption failedHosts(QStringLiteral("failed-hosts"),
                                         Commands::tr("Only on the hosts that failed or were unreachable."));
    const QCommandLineOption exact(QStringLiteral("exact"),
                                   Commands::tr("Exactly as it ran: the same project revision, inventory "
                                                "snapshot and variables, whatever changed since."));
    const QCommandLineOption follow(QStringLiteral("follow"),
                                    Commands::tr("Print the job's output as it runs."));
    parser.addOptions({failedHosts, exact, follow});
    if (!parse(parser, args, QStringLiteral("relaunch JOB [--failed-hosts|--exact]"), 1))
        return 2;
    const qint64 id = jobIdArgument(parser.positionalArguments().constFirst());
    if (!id)
        return 2;
    if (parser.isSet(failedHosts) && parser.isSet(exact)) {
        printError(Commands::tr("Choose one of --failed-hosts and --exact."));
        return 2;
    }
    const RelaunchMode mode = parser.isSet(exact)         ? RelaunchMode::Exact
                              : parser.isSet(failedHosts) ? RelaunchMode::FailedHosts
                                                          : RelaunchMode::SamePrompts;
    return runJobCommand(
        options, [id, mode](Controller &c) { return c.jobs().relaunch(id, mode); }, parser.isSet(follow));
}

} // namespace playdeck

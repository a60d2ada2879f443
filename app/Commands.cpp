#include "Commands.h"

#include "Engine.h"
#include "JobFollower.h"
#include "SignalWatcher.h"
#include "db/Connections.h"
#include "model/Repository.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace playdeck {

namespace {

void printError(const QString &message) {
    std::fprintf(stderr, "playdeck: %s\n", qPrintable(message));
}

EngineOptions engineOptions(const GlobalOptions &options, EngineOptions::RunJobs runJobs) {
    EngineOptions o;
    o.dataDir = options.dataDir;
    o.databaseUrl = options.databaseUrl;
    o.runJobs = runJobs;
    o.runnerProgram = qEnvironmentVariable("PLAYDECK_RUNNER", QStringLiteral("ansible-runner"));
    o.keepJobDirs = qEnvironmentVariableIsSet("PLAYDECK_KEEP_JOB_DIRS");
    return o;
}

bool parse(QCommandLineParser &parser, const QStringList &args, const QString &usage, int positionals) {
    parser.addHelpOption();
    parser.setApplicationDescription(usage);
    if (!parser.parse(args)) {
        printError(parser.errorText());
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return false;
    }
    if (parser.positionalArguments().size() != positionals) {
        printError(QCoreApplication::translate("playdeck::Commands", "usage: playdeck %1").arg(usage));
        return false;
    }
    return true;
}

// For the read-only commands: the engine's database, queried right here on the main thread.
template <typename Fn> int withDatabase(const GlobalOptions &options, Fn fn) {
    Engine engine(engineOptions(options, EngineOptions::RunJobs::Never));
    if (Status s = engine.start(); !s) {
        printError(s.error());
        return 2;
    }
    int code = 0;
    {
        auto db = openConnection(engine.databaseConfig(), QStringLiteral("playdeck-cli"));
        if (!db) {
            printError(db.error());
            return 2;
        }
        code = fn(db.value());
    }
    closeConnection(QStringLiteral("playdeck-cli"));
    return code;
}

qint64 jobIdArgument(const QString &text) {
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    if (!ok || id <= 0)
        printError(QCoreApplication::translate("playdeck::Commands", "'%1' is not a job id").arg(text));
    return ok && id > 0 ? id : 0;
}

} // namespace

int runLaunch(const GlobalOptions &options, const QStringList &args) {
    QCommandLineParser parser;
    parser.addPositionalArgument(
        QStringLiteral("template"),
        QCoreApplication::translate("playdeck::Commands", "Name of the job template."));
    const QCommandLineOption extraVars(
        QStringLiteral("extra-vars"),
        QCoreApplication::translate("playdeck::Commands", "Extra variables: JSON, YAML or @file."),
        QStringLiteral("vars"));
    const QCommandLineOption limit(
        QStringLiteral("limit"),
        QCoreApplication::translate("playdeck::Commands", "Host pattern to limit the run to."),
        QStringLiteral("pattern"));
    const QCommandLineOption verbosity(QStringLiteral("verbosity"), QStringLiteral("0 (normal) to 5."),
                                       QStringLiteral("level"));
    const QCommandLineOption check(QStringLiteral("check"),
                                   QCoreApplication::translate("playdeck::Commands", "Run in check mode."));
    const QCommandLineOption follow(
        QStringLiteral("follow"),
        QCoreApplication::translate("playdeck::Commands", "Stream the job's output until it ends."));
    parser.addOptions({extraVars, limit, verbosity, check, follow});
    if (!parse(parser, args,
               QStringLiteral("launch TEMPLATE [--extra-vars JSON|YAML|@file] [--limit PATTERN] [--follow]"),
               1))
        return 2;

    LaunchRequest request;
    request.templateName = parser.positionalArguments().constFirst();
    QString vars = parser.value(extraVars);
    if (vars.startsWith(QLatin1Char('@'))) {
        QFile file(vars.mid(1));
        if (!file.open(QIODevice::ReadOnly)) {
            printError(QCoreApplication::translate("playdeck::Commands", "cannot read %1: %2")
                           .arg(file.fileName(), file.errorString()));
            return 2;
        }
        vars = QString::fromUtf8(file.readAll());
    }
    request.extraVars = vars;
    if (parser.isSet(limit))
        request.limit = parser.value(limit);
    if (parser.isSet(verbosity))
        request.verbosity = parser.value(verbosity).toInt();
    if (parser.isSet(check))
        request.jobType = QStringLiteral("check");

    // Runs the job here unless another Playdeck process (the window, `serve`) takes work; either
    // way this command waits for the job, so its exit code says how the job went.
    Engine engine(engineOptions(options, EngineOptions::RunJobs::IfNoOtherWorker));
    if (Status s = engine.start(); !s) {
        printError(s.error());
        return 2;
    }
    int exitCode = 1;
    qint64 jobId = 0;
    JobFollower *follower = nullptr;
    SignalWatcher signals;
    int interrupts = 0;
    QObject::connect(&signals, &SignalWatcher::signalled, &engine, [&] {
        // First Ctrl-C cancels the job and waits for it; a second one leaves at once.
        if (++interrupts > 1 || jobId == 0) {
            QCoreApplication::exit(130);
            return;
        }
        std::fprintf(stderr, "playdeck: canceling job %lld (Ctrl-C again to leave now)\n", jobId);
        engine.controller().cancel(jobId);
    });
    engine.controller().launch(request, &engine, [&](Result<qint64> r) {
        if (!r) {
            printError(r.error());
            QCoreApplication::exit(2);
            return;
        }
        jobId = r.value();
        std::fprintf(parser.isSet(follow) ? stderr : stdout, "%lld\n", jobId);
        std::fflush(stdout);
        follower = new JobFollower(engine.controller(), jobId, parser.isSet(follow), stdout, &engine);
        QObject::connect(
            follower, &JobFollower::done, &engine, [&](const QString &status, const QString &explanation) {
                std::fprintf(stderr, "job %lld %s%s%s\n", jobId, qPrintable(status),
                             explanation.isEmpty() ? "" : ": ", qPrintable(explanation));
                // Jobs handed to this process for others finish before it goes.
                engine.drain([status] { QCoreApplication::exit(status == JobStatus::Successful ? 0 : 1); });
            });
        follower->start();
    });
    exitCode = QCoreApplication::exec();
    engine.stop();
    return exitCode;
}

int runServe(const GlobalOptions &options, const QStringList &args) {
    QCommandLineParser parser;
    if (!parse(parser, args, QStringLiteral("serve"), 0))
        return 2;
    Engine engine(engineOptions(options, EngineOptions::RunJobs::Always));
    if (Status s = engine.start(); !s) {
        printError(s.error());
        return 2;
    }
    std::fprintf(stderr, "playdeck: serving as instance %s; stop with SIGTERM or Ctrl-C\n",
                 qPrintable(engine.instance().hostname));
    SignalWatcher signals;
    QObject::connect(&signals, &SignalWatcher::signalled, &engine, [] { QCoreApplication::exit(0); });
    const int code = QCoreApplication::exec();
    engine.stop();
    return code;
}

int runJobs(const GlobalOptions &options, const QStringList &args) {
    QCommandLineParser parser;
    const QCommandLineOption count(
        QStringLiteral("count"),
        QCoreApplication::translate("playdeck::Commands", "How many jobs (default 50)."), QStringLiteral("n"),
        QStringLiteral("50"));
    parser.addOption(count);
    if (!parse(parser, args, QStringLiteral("jobs [--count N]"), 0))
        return 2;
    return withDatabase(options, [&](QSqlDatabase &db) {
        auto jobs = repo::listJobs(db, parser.value(count).toInt());
        if (!jobs) {
            printError(jobs.error());
            return 2;
        }
        for (const JobSummary &j : jobs.value())
            std::printf("%lld\t%s\t%s\t%s\t%.3f\n", j.id, qPrintable(j.status), qPrintable(j.name),
                        qPrintable(j.created.toLocalTime().toString(Qt::ISODate)), j.elapsed);
        return 0;
    });
}

int runStdout(const GlobalOptions &options, const QStringList &args) {
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("job"),
                                 QCoreApplication::translate("playdeck::Commands", "Job id."));
    if (!parse(parser, args, QStringLiteral("stdout JOB"), 1))
        return 2;
    const qint64 id = jobIdArgument(parser.positionalArguments().constFirst());
    if (!id)
        return 2;
    return withDatabase(options, [&](QSqlDatabase &db) {
        if (auto job = repo::loadJob(db, id); !job) {
            printError(job.error());
            return 1;
        }
        auto text = repo::jobStdout(db, id);
        if (!text) {
            printError(text.error());
            return 2;
        }
        std::fputs(text.value().toUtf8().constData(), stdout);
        return 0;
    });
}

int runEvents(const GlobalOptions &options, const QStringList &args) {
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("job"),
                                 QCoreApplication::translate("playdeck::Commands", "Job id."));
    parser.addOption(QCommandLineOption(
        QStringLiteral("json"),
        QCoreApplication::translate("playdeck::Commands", "One JSON object per line (the default).")));
    if (!parse(parser, args, QStringLiteral("events JOB --json"), 1))
        return 2;
    const qint64 id = jobIdArgument(parser.positionalArguments().constFirst());
    if (!id)
        return 2;
    return withDatabase(options, [&](QSqlDatabase &db) {
        int after = 0;
        for (;;) {
            auto events = repo::loadEvents(db, id, after, 5000);
            if (!events) {
                printError(events.error());
                return 2;
            }
            for (const JobEvent &e : events.value()) {
                const QJsonObject o{
                    {QStringLiteral("job"), e.jobId},
                    {QStringLiteral("counter"), e.counter},
                    {QStringLiteral("event"), e.event},
                    {QStringLiteral("uuid"), e.uuid},
                    {QStringLiteral("parent_uuid"), e.parentUuid},
                    {QStringLiteral("host_name"), e.hostName},
                    {QStringLiteral("play"), e.play},
                    {QStringLiteral("task"), e.task},
                    {QStringLiteral("role"), e.role},
                    {QStringLiteral("stdout"), e.stdout},
                    {QStringLiteral("start_line"), e.startLine},
                    {QStringLiteral("end_line"), e.endLine},
                    {QStringLiteral("verbosity"), e.verbosity},
                    {QStringLiteral("failed"), e.failed},
                    {QStringLiteral("changed"), e.changed},
                    {QStringLiteral("created"), e.created.toUTC().toString(Qt::ISODateWithMs)},
                    {QStringLiteral("event_data"), QJsonDocument::fromJson(e.eventData).object()}};
                std::puts(QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
                after = e.counter;
            }
            if (events.value().size() < 5000)
                return 0;
        }
    });
}

int runCancel(const GlobalOptions &options, const QStringList &args) {
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("job"),
                                 QCoreApplication::translate("playdeck::Commands", "Job id."));
    if (!parse(parser, args, QStringLiteral("cancel JOB"), 1))
        return 2;
    const qint64 id = jobIdArgument(parser.positionalArguments().constFirst());
    if (!id)
        return 2;
    return withDatabase(options, [&](QSqlDatabase &db) {
        if (Status s = repo::requestCancel(db, id); !s) {
            printError(s.error());
            return 1;
        }
        return 0;
    });
}

} // namespace playdeck

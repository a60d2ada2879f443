#include "CommandSupport.h"

#include "SignalWatcher.h"

#include <cstdio>
#include <unistd.h>

namespace playdeck {

void printError(const QString &message) {
    std::fprintf(stderr, "playdeck: %s\n", qPrintable(message));
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
    if (positionals >= 0 && parser.positionalArguments().size() != positionals) {
        printError(Commands::tr("usage: playdeck %1").arg(usage));
        return false;
    }
    return true;
}

qint64 jobIdArgument(const QString &text) {
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    if (!ok || id <= 0)
        printError(Commands::tr("'%1' is not a job id").arg(text));
    return ok && id > 0 ? id : 0;
}

int withEngine(Engine &engine, const std::function<void(std::function<void(int)> finish)> &work,
               const SignalHandler *handler) {
    int exitCode = 0;
    bool finishing = false;
    bool working = false;
    const auto finish = [&](int code) {
        if (finishing)
            return;
        finishing = true;
        exitCode = code;
        QObject::connect(&engine, &Engine::stopped, &engine, [] { QCoreApplication::exit(0); });
        engine.stop();
    };
    SignalWatcher signals;
    int received = 0;
    QObject::connect(&signals, &SignalWatcher::signalled, &engine, [&](int number) {
        if (++received > 1)
            ::_exit(128 + number);
        if (working && handler && *handler)
            return (*handler)(number);
        finish(128 + number);
    });
    // What the window shows in its status bar, a command prints: the operator must hear of it.
    QObject::connect(&engine, &Engine::databaseProblem, &engine,
                     [](const QString &message) { printError(message); });
    QObject::connect(&engine, &Engine::databaseBack, &engine,
                     [] { printError(Commands::tr("The database answers again.")); });
    QObject::connect(&engine, &Engine::started, &engine, [&](const Status &started) {
        if (!started) {
            printError(started.error());
            exitCode = finishing ? exitCode : 2;
            QCoreApplication::exit(0);
            return;
        }
        if (finishing)
            return; // a signal came while the engine started; it stops now
        working = true;
        work(finish);
    });
    engine.start();
    QCoreApplication::exec();
    return exitCode;
}

} // namespace playdeck

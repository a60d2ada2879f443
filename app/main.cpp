// Playdeck's composition root: parses the command line, builds the engine, hands its Controller to
// the window (or runs a command without one), and tears everything down in reverse order.

#include "Commands.h"
#include "Engine.h"
#include "LogFile.h"
#include "MainWindow.h"
#include "ResourceCommands.h"
#include "SignalWatcher.h"
#include "WebSocketSettingsDialog.h"
#include "api/ApiToken.h"
#include "api/WebSocketControl.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTranslator>

#include <csignal>
#include <cstdio>
#include <memory>

using namespace playdeck;

namespace {

const char *const kUsage =
    "usage: playdeck [--data-dir DIR] [--database URL] [COMMAND ...]\n"
    "\n"
    "Without a command, opens the Playdeck window.\n"
    "\n"
    "commands:\n"
    "  launch TEMPLATE [--extra-vars JSON|YAML|@file] [--limit PATTERN] [--verbosity N] [--check] "
    "[--follow]\n"
    "                  launch a job template; prints the job id, waits for the job, exits 0 if it succeeded\n"
    "  serve [--websocket [ADDRESS:]PORT]\n"
    "                  run the engine without a window until SIGTERM; with --websocket, serve AWX's\n"
    "                  websocket (job events and status) at ws://ADDRESS:PORT/websocket/\n"
    "  websocket-token [--rotate]  the token websocket clients show (Bearer, Basic or ?token=)\n"
    "  jobs [--count N] list recent jobs, newest first\n"
    "  stdout JOB      print a job's output\n"
    "  events JOB --json  print a job's events, one JSON object per line\n"
    "  cancel JOB      cancel a job\n"
    "  relaunch JOB [--failed-hosts|--exact] [--follow]\n"
    "                  launch a job again: with the same prompts, on its failed hosts only, or exactly\n"
    "                  as it ran (its project revision, inventory snapshot and variables)\n"
    "  project|inventory|inventory_source|credential|template list|show|create|update|copy|delete [NAME]\n"
    "                  manage what jobs run with; options are AWX's field names (--scm_url URL),\n"
    "                  `ACTION --help` lists them; --json prints JSON. Secrets never come from the\n"
    "                  command line: --password asks at the terminal, --password_file FILE reads them\n"
    "  import FILE [--projects-root DIR]  create or update what an `awx export` file describes\n"
    "  export [--all|NAME...] [-o FILE]   write resources in the format of `awx export`\n"
    "  project sync NAME [--follow]  update a git project (a project update job); waits for it\n"
    "  inventory_source sync INVENTORY NAME [--follow]  update an inventory from its source (an\n"
    "                  inventory update job: ansible-inventory reads it, Playdeck imports it)\n"
    "  inventory import NAME FILE [--overwrite] [--overwrite_vars]\n"
    "                  read an INI or YAML inventory (or a script) with ansible-inventory into NAME\n"
    "  inventory hosts NAME [--json]  an inventory's hosts and their groups\n"
    "\n"
    "environment: PLAYDECK_DATA_DIR, PLAYDECK_DATABASE_URL, PLAYDECK_RUNNER (the ansible-runner program),\n"
    "             PLAYDECK_WEBSOCKET=[ADDRESS:]PORT (the window serves the websocket)\n";

// Playdeck's strings, and Qt's own (dialog buttons and the like), in the user's language.
void installTranslators(QCoreApplication &app) {
    auto *qt = new QTranslator(&app);
    if (qt->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    auto *own = new QTranslator(&app);
    if (own->load(QLocale(), QStringLiteral("playdeck"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(own);
}

bool hasDisplay() {
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY") ||
           qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
}

int runWindow(int argc, char **argv, const GlobalOptions &options) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("playdeck"));
    QApplication::setApplicationDisplayName(QStringLiteral("Playdeck"));
    QApplication::setDesktopFileName(QStringLiteral("io.playdeck.Playdeck"));
    // The window hides at once when asked to quit; the process ends when the engine has stopped.
    QApplication::setQuitOnLastWindowClosed(false);
    installTranslators(app);

    EngineOptions engineOpts = engineOptions(options, EngineOptions::RunJobs::Always);
    if (const QString spec = qEnvironmentVariable("PLAYDECK_WEBSOCKET"); !spec.isEmpty()) {
        if (Status s = enableWebSocket(engineOpts, options, spec); !s)
            qWarning().noquote() << s.error();
    } else if (const auto stored = WebSocketSettingsDialog::load(QSettings()); stored && stored->enabled) {
        // As the window's settings left it (File > Websocket Server).
        if (auto token = readOrCreateApiToken(options.dataDir); token) {
            engineOpts.webSocket = *stored;
            engineOpts.webSocket.token = token.value();
        } else {
            qWarning().noquote() << token.error();
        }
    }
    Engine engine(engineOpts);
    WebSocketControl webSocket(engine, options.dataDir);
    MainWindow window(engine.controller(), &webSocket);
    QObject::connect(&engine, &Engine::webSocketFailed, &window, [&window](const QString &message) {
        window.statusBar()->showMessage(
            QApplication::translate("main", "The websocket server cannot start: %1").arg(message), 30000);
    });
    window.resize(1200, 760);
    QObject::connect(&engine, &Engine::databaseProblem, &window,
                     [&window](const QString &message) { window.statusBar()->showMessage(message, 30000); });
    QObject::connect(&engine, &Engine::databaseBack, &window, [&window] {
        window.statusBar()->showMessage(QApplication::translate("main", "The database answers again."), 5000);
    });
    QObject::connect(&window, &MainWindow::quitRequested, &engine, [&](MainWindow::QuitMode mode) {
        window.hide();
        switch (mode) {
        case MainWindow::QuitMode::Now:
            engine.stop();
            break;
        case MainWindow::QuitMode::CancelJobs:
            engine.stop(true);
            break;
        case MainWindow::QuitMode::FinishFirst:
            // New work goes elsewhere at once; this process stays until its jobs are done.
            engine.drain([&engine] { engine.stop(); });
            break;
        }
    });
    QObject::connect(&engine, &Engine::stopped, &app, &QApplication::quit);
    SignalWatcher signals;
    QObject::connect(&signals, &SignalWatcher::signalled, &engine, [&](int) {
        // SIGTERM or a session ending: as AWX's dispatcher on shutdown, running jobs end as failed.
        window.hide();
        engine.stop();
    });
    window.show();
    engine.start();
    return QApplication::exec();
}

} // namespace

int main(int argc, char **argv) {
    // A closed pipe or terminal makes writes fail with an error instead of killing the process.
    ::signal(SIGPIPE, SIG_IGN);
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);

    GlobalOptions options;
    options.dataDir = qEnvironmentVariable("PLAYDECK_DATA_DIR");
    options.databaseUrl = qEnvironmentVariable("PLAYDECK_DATABASE_URL");
    // Global options come before the command.
    qsizetype i = 1;
    while (i < args.size() && args.at(i).startsWith(QLatin1String("--"))) {
        const QString arg = args.at(i);
        if ((arg == QLatin1String("--data-dir") || arg == QLatin1String("--database")) &&
            i + 1 < args.size()) {
            (arg == QLatin1String("--data-dir") ? options.dataDir : options.databaseUrl) = args.at(i + 1);
            i += 2;
        } else if (arg.startsWith(QLatin1String("--data-dir="))) {
            options.dataDir = arg.mid(11);
            ++i;
        } else if (arg.startsWith(QLatin1String("--database="))) {
            options.databaseUrl = arg.mid(11);
            ++i;
        } else if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            std::fputs(kUsage, stdout);
            return 0;
        } else if (arg == QLatin1String("--version")) {
            std::puts("playdeck " PLAYDECK_VERSION);
            return 0;
        } else {
            break;
        }
    }
    if (options.dataDir.isEmpty()) {
        QCoreApplication::setApplicationName(QStringLiteral("playdeck"));
        options.dataDir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
                          QStringLiteral("/playdeck");
    }
    installLogFile(options.dataDir);

    const QString command = i < args.size() ? args.at(i) : QString();
    if (command.isEmpty()) {
        if (!hasDisplay()) {
            std::fputs("playdeck: no display to open a window on. Try: playdeck launch \"Demo Job Template\" "
                       "--follow\n",
                       stderr);
            return 2;
        }
        return runWindow(argc, argv, options);
    }

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("playdeck"));
    installTranslators(app);
    const QStringList commandArgs = QStringList{QStringLiteral("playdeck")} + args.mid(i + 1);
    if (command == QLatin1String("launch"))
        return runLaunch(options, commandArgs);
    if (command == QLatin1String("serve"))
        return runServe(options, commandArgs);
    if (command == QLatin1String("jobs"))
        return runJobs(options, commandArgs);
    if (command == QLatin1String("websocket-token"))
        return runWebSocketToken(options, commandArgs);
    if (command == QLatin1String("stdout"))
        return runStdout(options, commandArgs);
    if (command == QLatin1String("events"))
        return runEvents(options, commandArgs);
    if (command == QLatin1String("cancel"))
        return runCancel(options, commandArgs);
    if (command == QLatin1String("relaunch"))
        return runRelaunch(options, commandArgs);
    if (command == QLatin1String("import"))
        return runImport(options, commandArgs);
    if (command == QLatin1String("export"))
        return runExport(options, commandArgs);
    if (const auto kind = resourceCommand(command))
        return runResource(options, *kind, commandArgs);
    std::fprintf(stderr, "playdeck: unknown command '%s'\n\n%s", qPrintable(command), kUsage);
    return 2;
}

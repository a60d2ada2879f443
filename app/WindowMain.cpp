// The window's program (playdeck-window): the composition root of the engine and the window.
// `playdeck` without a command starts it, so that the command line never loads the GUI libraries.

#include "Commands.h"
#include "Engine.h"
#include "MainWindow.h"
#include "SignalWatcher.h"
#include "Startup.h"
#include "WebSocketSettingsDialog.h"
#include "api/WebSocketControl.h"

#include <QApplication>
#include <QSettings>
#include <QStatusBar>

#include <csignal>
#include <cstdio>

using namespace playdeck;

namespace {

const char *const kUsage = "usage: playdeck [--data-dir DIR] [--database URL]\n"
                           "\n"
                           "Opens the Playdeck window; `playdeck --help` lists the commands.\n";

int runWindow(int argc, char **argv, const GlobalOptions &options) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("playdeck"));
    QApplication::setApplicationDisplayName(QStringLiteral("Playdeck"));
    QApplication::setDesktopFileName(QStringLiteral("io.playdeck.Playdeck"));
    // The window hides at once when asked to quit; the process ends when the engine has stopped.
    QApplication::setQuitOnLastWindowClosed(false);
    installTranslators(app);

    EngineOptions engineOpts = engineOptions(options, EngineOptions::RunJobs::Always);
    const QString spec = qEnvironmentVariable("PLAYDECK_WEBSOCKET");
    if (!spec.isEmpty()) {
        if (Status s = enableWebSocket(engineOpts, options, spec); !s)
            qWarning().noquote() << s.error();
        else if (qEnvironmentVariableIntValue("PLAYDECK_WEBSOCKET_TLS") == 1)
            (void)enableWebSocketTls(engineOpts, options, {}, {}); // the data directory's certificate
    }
    Engine engine(engineOpts);
    WebSocketControl webSocket(engine, options.dataDir);
    // Otherwise as the window's settings left it (File > Websocket Server); before the engine
    // starts, this only sets what it starts with.
    if (const auto stored = WebSocketSettingsDialog::load(QSettings());
        spec.isEmpty() && stored && stored->enabled)
        if (Status s = webSocket.apply(*stored); !s)
            qWarning().noquote() << s.error();
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
    ::signal(SIGPIPE, SIG_IGN);
    GlobalOptions options;
    qsizetype next = 1;
    if (const auto done = parseGlobalOptions(arguments(argc, argv), options, next, kUsage))
        return *done;
    if (!hasDisplayOrSaySo())
        return 2;
    return runWindow(argc, argv, options);
}

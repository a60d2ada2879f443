// Playdeck's command line: parses the global options and runs a command (each builds the engine
// it needs), or, without one, starts the window's program (WindowMain.cpp).

#include "Commands.h"
#include "ResourceCommands.h"
#include "Startup.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include <unistd.h>

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
    "  serve [--websocket [ADDRESS:]PORT [--tls | --tls-certificate FILE --tls-key FILE]]\n"
    "                  run the engine without a window until SIGTERM; with --websocket, serve AWX's\n"
    "                  websocket (job events and status) at ws://ADDRESS:PORT/websocket/, or wss://\n"
    "                  with --tls (a self-signed certificate in the data directory) or your own\n"
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
    "             PLAYDECK_WEBSOCKET=[ADDRESS:]PORT (the window serves the websocket),\n"
    "             PLAYDECK_WEBSOCKET_TLS=1 (as wss://, with the data directory's certificate)\n";

// The window is its own program: the command line loads no GUI library (its memory is what a
// command needs, as KeePassXC's CLI links only its core). Next to this one when built, in
// libexec when installed; PLAYDECK_WINDOW says otherwise.
int execWindow(char **argv) {
    QStringList candidates;
    if (const QString env = qEnvironmentVariable("PLAYDECK_WINDOW"); !env.isEmpty())
        candidates << env;
    const QString self = QFileInfo(QStringLiteral("/proc/self/exe")).symLinkTarget();
    if (!self.isEmpty())
        candidates << QFileInfo(self).dir().filePath(QStringLiteral("playdeck-window"));
    candidates << QStringLiteral(PLAYDECK_WINDOW_INSTALLED);
    for (const QString &path : std::as_const(candidates)) {
        if (!QFileInfo(path).isExecutable())
            continue;
        const QByteArray program = QFile::encodeName(path);
        argv[0] = const_cast<char *>(program.constData());
        ::execv(program.constData(), argv);
        std::fprintf(stderr, "playdeck: cannot start the window (%s): %s\n", program.constData(),
                     std::strerror(errno));
        return 1;
    }
    std::fprintf(stderr, "playdeck: the window's program (playdeck-window) is not installed; looked in: %s\n",
                 qPrintable(candidates.join(QStringLiteral(", "))));
    return 1;
}

} // namespace

int main(int argc, char **argv) {
    // A closed pipe or terminal makes writes fail with an error instead of killing the process.
    ::signal(SIGPIPE, SIG_IGN);
    const QStringList args = arguments(argc, argv);
    GlobalOptions options;
    qsizetype i = 1;
    if (const auto done = parseGlobalOptions(args, options, i, kUsage))
        return *done;

    const QString command = i < args.size() ? args.at(i) : QString();
    if (command.isEmpty()) {
        if (!hasDisplayOrSaySo())
            return 2;
        return execWindow(argv);
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

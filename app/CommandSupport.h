#pragma once

#include "Engine.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <functional>

namespace playdeck {

struct Commands {
    Q_DECLARE_TR_FUNCTIONS(playdeck::Commands)
};

// "playdeck: MESSAGE" on stderr.
void printError(const QString &message);

// Parses a command's arguments with --help; false (having said why, or printed the help) when the
// command should not go on. `positionals` < 0: any number.
bool parse(QCommandLineParser &parser, const QStringList &args, const QString &usage, int positionals);

qint64 jobIdArgument(const QString &text);

// A command's own answer to SIGINT, SIGTERM and SIGHUP, once it has one (set by its work).
using SignalHandler = std::function<void(int signalNumber)>;

// Runs `work` once the engine has started, and the event loop until `work` calls its finish
// callback; then stops the engine and returns the code given to finish. Signals are watched from
// the first moment: one that arrives before the command has set its own handler (while the
// database starts, say) ends the command with 128 + the signal as soon as the engine can stop; a
// second one leaves at once (a job of ours dies with its guard).
int withEngine(Engine &engine, const std::function<void(std::function<void(int)> finish)> &work,
               const SignalHandler *handler = nullptr);

} // namespace playdeck

#pragma once

#include "Commands.h"

#include <QCoreApplication>
#include <QStringList>

#include <optional>

namespace playdeck {

// What both programs do first: the global options before the command, and the user's language.

// Reads the global options (--data-dir, --database, and their variables) from `args` after the
// program name; `next` is left at the command. An exit code when the options were all there was to
// do (--help, --version).
std::optional<int> parseGlobalOptions(const QStringList &args, GlobalOptions &options, qsizetype &next,
                                      const char *usage);

// Playdeck's strings, and Qt's own (dialog buttons and the like), in the user's language.
void installTranslators(QCoreApplication &app);

// The process's arguments as Qt strings, argv[0] first.
QStringList arguments(int argc, char **argv);

// Whether there is a display to open the window on; when not, says what to run instead.
bool hasDisplayOrSaySo();

} // namespace playdeck

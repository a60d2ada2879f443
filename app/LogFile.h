#pragma once

#include <QString>

namespace playdeck {

// Sends every log message to <dataDir>/playdeck.log; warnings and worse also to stderr (stdout
// stays clean for the command line's output).
void installLogFile(const QString &dataDir);

} // namespace playdeck

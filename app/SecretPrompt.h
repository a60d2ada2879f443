#pragma once

#include "core/Result.h"

#include <QString>

namespace playdeck {

// A secret for the command line, never from its arguments: typed at the terminal without echo, or
// read from a file ("-": standard input). A file's one trailing newline is not part of a password.
[[nodiscard]] Result<QString> askOnTerminal(const QString &prompt);
[[nodiscard]] Result<QString> readSecretFile(const QString &path, bool keepTrailingNewline);

} // namespace playdeck

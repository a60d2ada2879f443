#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

namespace playdeck {

// Zips a directory as ansible-runner's transmit/worker protocol wants it, through libarchive: Unix
// modes kept (the exec bit matters for inventory scripts), symlinks kept, FIFOs and sockets skipped.
// The other direction, the artifacts that come back, is SafeUnpacker's.
[[nodiscard]] Result<QByteArray> zipDirectory(const QString &directory);

} // namespace playdeck

#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

namespace playdeck {

// Zip streams in both directions through libarchive, as ansible-runner's transmit/worker protocol
// wants them: Unix modes kept (the exec bit matters for inventory scripts), symlinks kept, FIFOs and
// sockets skipped.
[[nodiscard]] Result<QByteArray> zipDirectory(const QString &directory);

// Unpacks into `directory`, refusing absolute names and `..` so a hostile stream cannot write
// outside it.
[[nodiscard]] Status unzipInto(const QByteArray &zip, const QString &directory);

} // namespace playdeck

#pragma once

#include "core/Result.h"

#include <QString>

namespace playdeck {

// What unpacking one job's artifacts may cost. They come from an execution node, possibly another
// machine: a 3 MB zip can hold gigabytes of zeros.
struct UnpackLimits {
    // Bytes written to disk, counted as they are written. The artifacts zip itself may be up to
    // 256 MiB (StreamLimits); text such as `stdout` deflates a few times over, so twice that.
    qint64 maxTotalBytes = 512 * 1024 * 1024;
    // ansible-runner writes a dozen entries plus the fact cache, one file per host.
    qint64 maxEntries = 100'000;
    // An entry's name (and a symlink's target), PATH_MAX on Linux.
    qsizetype maxNameBytes = 4096;
};

// Unpacks the zip at `zipPath` into `directory` (created if missing), refusing what could reach
// outside it or flood the disk: absolute names, `..`, backslashes, names writing through a symlink,
// symlinks pointing outside, entries other than regular files, directories and symlinks, and more
// data or entries than the limits, counted while writing. Modes lose setuid, setgid and sticky bits
// and group and other write; the owner is never changed. A refused archive leaves what was written
// so far (the caller removes the job's directory) and the message says which entry and why.
[[nodiscard]] Status unpackArtifacts(const QString &zipPath, const QString &directory,
                                     const UnpackLimits &limits = {});

} // namespace playdeck

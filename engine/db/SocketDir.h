#pragma once

#include "core/Result.h"

#include <QString>

namespace playdeck {

// Where the embedded server's unix socket goes for a user who is not root: a directory only that
// user can use, shared by every Playdeck process on `dataDir`, short enough for a socket path.
//
// With a runtime directory ($XDG_RUNTIME_DIR, which must be the user's own with mode 0700) it is
// <runtime>/playdeck-<hash>. Without one, a predictable name in /tmp could be taken first by another
// user, who would then stop Playdeck from starting (or listen in): so the directory is made with
// mkdtemp in `tempDir`, and its name is kept in <dataDir>/cluster.socket-dir for the other processes.
// A recorded directory that is no longer private (another owner, wider mode, a symlink) is replaced.
[[nodiscard]] Result<QString> privateSocketDir(const QString &dataDir, const QString &hash,
                                               const QString &runtimeDir, const QString &tempDir);

// The socket directory a running server listens in, from its postmaster.pid (line 5, the first of
// unix_socket_directories); empty when the file is missing or has none. The process that started the
// server chose it (another XDG_RUNTIME_DIR, another mkdtemp): the others connect there.
QString socketDirOfRunningServer(const QString &postmasterPidFile);

// Whether `path` is a real directory (not a symlink) owned by `uid` that nobody else may enter.
bool isPrivateDir(const QString &path, unsigned uid);

} // namespace playdeck

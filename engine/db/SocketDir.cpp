#include "SocketDir.h"

#include <QFile>
#include <QObject>
#include <QSaveFile>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace playdeck {

bool isPrivateDir(const QString &path, unsigned uid) {
    struct stat st {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 && S_ISDIR(st.st_mode) &&
           st.st_uid == uid && (st.st_mode & 077) == 0;
}

Result<QString> privateSocketDir(const QString &dataDir, const QString &hash, const QString &runtimeDir,
                                 const QString &tempDir) {
    if (!runtimeDir.isEmpty()) {
        if (!isPrivateDir(runtimeDir, ::getuid()))
            return Status::failure(
                QObject::tr("XDG_RUNTIME_DIR (%1) is not a private directory of this user (it "
                            "must be owned by you with mode 0700). Fix it, or unset XDG_RUNTIME_DIR.")
                    .arg(runtimeDir));
        return QString(runtimeDir + QStringLiteral("/playdeck-") + hash);
    }
    const QString record = dataDir + QStringLiteral("/cluster.socket-dir");
    QFile recorded(record);
    if (recorded.open(QIODevice::ReadOnly)) {
        const QString dir = QString::fromUtf8(recorded.readAll()).trimmed();
        if (!dir.isEmpty() && isPrivateDir(dir, ::getuid()))
            return dir;
    }
    QByteArray pattern = QFile::encodeName(tempDir + QStringLiteral("/playdeck-XXXXXX"));
    if (!::mkdtemp(pattern.data()))
        return Status::failure(
            QObject::tr("Cannot create a private directory for the database socket in %1: %2. Set "
                        "XDG_RUNTIME_DIR to a private directory.")
                .arg(tempDir, QString::fromLocal8Bit(strerror(errno))));
    QSaveFile out(record);
    if (!out.open(QIODevice::WriteOnly) || out.write(pattern) != pattern.size() || !out.commit())
        return Status::failure(QObject::tr("Cannot write %1: %2").arg(record, out.errorString()));
    QFile::setPermissions(record, QFile::ReadOwner | QFile::WriteOwner);
    return QFile::decodeName(pattern);
}

QString socketDirOfRunningServer(const QString &postmasterPidFile) {
    QFile file(postmasterPidFile);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // pid, data directory, start time, port, socket directory, listen address, shared memory key,
    // status (PostgreSQL's pidfile.h).
    const QList<QByteArray> lines = file.read(64 * 1024).split('\n');
    return lines.size() > 4 ? QFile::decodeName(lines.at(4).trimmed()) : QString();
}

} // namespace playdeck

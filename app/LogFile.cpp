#include "LogFile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QMutex>
#include <QThread>

#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace playdeck {

namespace {

QFile *g_logFile = nullptr; // owned by the message handler for the life of the process
QMutex g_logMutex;

void handleMessage(QtMsgType type, const QMessageLogContext &context, const QString &message) {
    static const char *const levels[] = {"debug", "warning", "critical", "fatal", "info"};
    const QByteArray line =
        QStringLiteral("%1 %2 [%3] %4: %5\n")
            .arg(QDateTime::currentDateTime().toString(Qt::ISODateWithMs), QString::fromLatin1(levels[type]),
                 QThread::currentThread()->objectName(),
                 QString::fromLatin1(context.category ? context.category : "default"), message)
            .toUtf8();
    {
        QMutexLocker lock(&g_logMutex);
        if (g_logFile) {
            g_logFile->write(line);
            g_logFile->flush();
        }
    }
    if (type != QtDebugMsg && type != QtInfoMsg)
        std::fputs(message.toLocal8Bit().append('\n').constData(), stderr);
}

} // namespace

void installLogFile(const QString &dataDir) {
    // The log names hosts, paths and job output: it is the user's alone (0700 directory, 0600 file),
    // also when an earlier version made them readable to others.
    QDir().mkpath(dataDir);
    QFile::setPermissions(dataDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    const QString path = dataDir + QStringLiteral("/playdeck.log");
    const int fd =
        ::open(QFile::encodeName(path).constData(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0)
        ::fchmod(fd, 0600);
    auto *file = new QFile;
    if (fd >= 0 && file->open(fd, QIODevice::Append | QIODevice::Text, QFileDevice::AutoCloseHandle)) {
        g_logFile = file;
        qInstallMessageHandler(handleMessage);
    } else {
        delete file;
        if (fd >= 0)
            ::close(fd);
    }
}

} // namespace playdeck

#include "LogFile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QMutex>
#include <QThread>

#include <cstdio>

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
    QDir().mkpath(dataDir);
    auto *file = new QFile(dataDir + QStringLiteral("/playdeck.log"));
    if (file->open(QIODevice::Append | QIODevice::Text)) {
        g_logFile = file;
        qInstallMessageHandler(handleMessage);
    } else {
        delete file;
    }
}

} // namespace playdeck

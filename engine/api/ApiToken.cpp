#include "ApiToken.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSaveFile>

namespace playdeck {

namespace {

class ApiTokenText {
    Q_DECLARE_TR_FUNCTIONS(ApiTokenText)
};

QString tokenPath(const QString &dataDir) {
    return dataDir + QStringLiteral("/websocket-token");
}

Result<QString> writeNewToken(const QString &dataDir) {
    QByteArray random(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(random.data()),
                                         reinterpret_cast<quint32 *>(random.data() + random.size()));
    const QString token =
        QString::fromLatin1(random.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    if (!QDir().mkpath(dataDir))
        return Result<QString>::failure(
            ApiTokenText::tr("Cannot create the data directory %1.").arg(dataDir));
    QSaveFile file(tokenPath(dataDir));
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(QFile::ReadOwner | QFile::WriteOwner) ||
        file.write(token.toLatin1() + '\n') < 0 || !file.commit())
        return Result<QString>::failure(ApiTokenText::tr("Cannot write the websocket token to %1: %2")
                                            .arg(file.fileName(), file.errorString()));
    return token;
}

} // namespace

Result<QString> readOrCreateApiToken(const QString &dataDir) {
    QFile file(tokenPath(dataDir));
    if (file.open(QIODevice::ReadOnly)) {
        const QString token = QString::fromLatin1(file.readAll()).trimmed();
        if (!token.isEmpty())
            return token;
    }
    return writeNewToken(dataDir);
}

Result<QString> rotateApiToken(const QString &dataDir) {
    return writeNewToken(dataDir);
}

} // namespace playdeck

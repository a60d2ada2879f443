#include "TransmitStream.h"

#include <QJsonDocument>

namespace playdeck {

QByteArray transmitStream(const QJsonObject &kwargs, const QByteArray &zip) {
    QByteArray stream =
        QJsonDocument(QJsonObject{{QStringLiteral("kwargs"), kwargs}}).toJson(QJsonDocument::Compact);
    stream += '\n';
    stream +=
        QJsonDocument(QJsonObject{{QStringLiteral("zipfile"), zip.size()}}).toJson(QJsonDocument::Compact);
    stream += '\n';
    stream += zip.toBase64(); // a line break here would make the worker fail to parse the next line
    stream += "{\"eof\": true}\n";
    return stream;
}

} // namespace playdeck

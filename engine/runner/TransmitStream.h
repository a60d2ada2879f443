#pragma once

#include <QByteArray>
#include <QJsonObject>

namespace playdeck {

// The whole transmit stream `ansible-runner worker` reads on stdin (platform.md): the kwargs line, the
// zip's size line, the base64 zip with no line break after it, then eof.
QByteArray transmitStream(const QJsonObject &kwargs, const QByteArray &zip);

} // namespace playdeck

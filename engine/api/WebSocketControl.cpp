#include "WebSocketControl.h"

#include "ApiToken.h"
#include "Engine.h"
#include "TlsIdentity.h"

namespace playdeck {

WebSocketControl::WebSocketControl(Engine &engine, QString dataDir, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_dataDir(std::move(dataDir)) {
    connect(&m_engine, &Engine::webSocketListening, this, [this](quint16 port, const QString &fingerprint) {
        m_fingerprint = fingerprint;
        Q_EMIT listening(port);
    });
    connect(&m_engine, &Engine::webSocketFailed, this, [this](const QString &message) {
        m_fingerprint.clear();
        Q_EMIT failed(message);
    });
}

EventSocketSettings WebSocketControl::settings() const {
    EventSocketSettings s = m_engine.options().webSocket;
    s.token.clear();
    return s;
}

quint16 WebSocketControl::port() const {
    return m_engine.webSocketPort();
}

QString WebSocketControl::url() const {
    const quint16 p = port();
    if (p == 0)
        return {};
    const QHostAddress address = m_engine.options().webSocket.address;
    QString host = address.toString();
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + host + QLatin1Char(']');
    const QString scheme = m_engine.options().webSocket.tls ? QStringLiteral("wss") : QStringLiteral("ws");
    return QStringLiteral("%1://%2:%3/websocket/").arg(scheme, host).arg(p);
}

QString WebSocketControl::tlsFingerprint() const {
    return m_engine.options().webSocket.enabled ? m_fingerprint : QString();
}

Result<QString> WebSocketControl::token() const {
    return readOrCreateApiToken(m_dataDir);
}

Status WebSocketControl::apply(const EventSocketSettings &settings) {
    EventSocketSettings s = settings;
    if (s.enabled) {
        auto t = readOrCreateApiToken(m_dataDir);
        if (!t)
            return t.status();
        s.token = t.value();
        useDefaultTlsFiles(s, m_dataDir);
    }
    m_engine.setWebSocket(s);
    if (!s.enabled)
        Q_EMIT stopped();
    return {};
}

Result<QString> WebSocketControl::rotateToken() {
    auto t = rotateApiToken(m_dataDir);
    if (!t)
        return t;
    EventSocketSettings s = m_engine.options().webSocket;
    if (s.enabled) {
        s.token = t.value();
        m_engine.setWebSocket(s);
    }
    return t;
}

} // namespace playdeck

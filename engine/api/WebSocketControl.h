#pragma once

#include "EventSocketSettings.h"
#include "core/Result.h"

#include <QObject>

namespace playdeck {

class Engine;

// What the window's settings do with AWX's websocket: whether and where the engine serves it, and
// its token (the data directory's, as `playdeck websocket-token` shows it). Lives on the caller's
// thread; its signals say whether the server listens.
class WebSocketControl : public QObject {
    Q_OBJECT
public:
    WebSocketControl(Engine &engine, QString dataDir, QObject *parent = nullptr);

    // The settings in force (the token is not part of them here: see token()).
    EventSocketSettings settings() const;
    // The port it listens on now (0: off, starting, or it could not).
    quint16 port() const;
    // Where it listens, as a client's URL ("ws://127.0.0.1:8052/websocket/"); empty when off.
    QString url() const;
    [[nodiscard]] Result<QString> token() const;
    // The served certificate's SHA-256 fingerprint ("AB:CD:..."); empty without TLS.
    QString tlsFingerprint() const;

    // Serves (or stops serving) with `settings`' enabled, address and port, and the data
    // directory's token.
    [[nodiscard]] Status apply(const EventSocketSettings &settings);
    // A new token; a running server starts again with it, so every client must show the new one.
    [[nodiscard]] Result<QString> rotateToken();

Q_SIGNALS:
    void listening(quint16 port);
    void failed(const QString &message);
    void stopped();

private:
    Engine &m_engine;
    const QString m_dataDir;
    QString m_fingerprint; // as the server last reported it listening
};

} // namespace playdeck

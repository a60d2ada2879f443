#pragma once

#include <QHostAddress>
#include <QString>

namespace playdeck {

// Where and for whom the websocket server (EventSocketServer) listens.
struct EventSocketSettings {
    bool enabled = false;
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8052; // 0: any free port (tests)
    QString token;       // what a client must show: Bearer/Token/Basic (as the password) or ?token=
    // A client whose unsent messages pass this stops getting live events (it is told, with the first
    // counter it did not get live) and catches up from the database once it is under kResumeBytes.
    qint64 clientQueueBytes = 4 << 20;
    // wss://: served with this PEM certificate and key. With createCertificate, missing files are
    // made first (a self-signed certificate: see TlsIdentity.h).
    bool tls = false;
    QString certificateFile;
    QString keyFile;
    bool createCertificate = false;
};

} // namespace playdeck

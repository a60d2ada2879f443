#pragma once

#include "EventSocketSettings.h"
#include "core/Result.h"

#include <QSslCertificate>
#include <QSslKey>
#include <QString>

namespace playdeck {

// The certificate and private key the websocket serves wss:// with (EventSocketSettings::tls).
struct TlsIdentity {
    QSslCertificate certificate;
    QSslKey key;
};

// Where Playdeck keeps the self-signed identity it makes for a data directory (websocket-tls/).
QString defaultTlsCertificateFile(const QString &dataDir);
QString defaultTlsKeyFile(const QString &dataDir);
// With TLS on and no files chosen, the data directory's self-signed identity (made when missing).
void useDefaultTlsFiles(EventSocketSettings &settings, const QString &dataDir);

// Reads a PEM certificate and its PEM private key (RSA or EC, unencrypted). With `createIfMissing`
// and neither file there, first makes a self-signed certificate for localhost, 127.0.0.1, ::1 and
// this host's name with `openssl req` (the key readable by its owner only). The error names the
// file and what is wrong with it.
[[nodiscard]] Result<TlsIdentity> loadTlsIdentity(const QString &certificateFile, const QString &keyFile,
                                                  bool createIfMissing);

// SHA-256 of the certificate as browsers show it ("AB:CD:..."), so a user can check what a client
// was given before trusting a self-signed certificate.
QString tlsFingerprint(const QSslCertificate &certificate);

} // namespace playdeck

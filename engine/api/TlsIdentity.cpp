#include "TlsIdentity.h"

#include "core/Logging.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostInfo>
#include <QObject>
#include <QProcess>

namespace playdeck {

namespace {

// `openssl req` makes the key and the certificate in one step: an EC P-256 key (generated at once,
// where RSA takes a second on a slow machine), valid for 825 days (the longest a browser accepts).
Status createSelfSigned(const QString &certificateFile, const QString &keyFile) {
    const QString dir = QFileInfo(certificateFile).absolutePath();
    if (!QDir().mkpath(dir))
        return Status::failure(QObject::tr("The folder %1 cannot be created.").arg(dir));
    const QString host = QHostInfo::localHostName();
    QString names = QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1");
    if (!host.isEmpty() && host != QLatin1String("localhost"))
        names += QStringLiteral(",DNS:") + host;
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.setStandardInputFile(QProcess::nullDevice());
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                   QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                   QStringLiteral("-days"), QStringLiteral("825"), QStringLiteral("-subj"),
                   QStringLiteral("/O=Playdeck/CN=") + (host.isEmpty() ? QStringLiteral("localhost") : host),
                   QStringLiteral("-addext"), names, QStringLiteral("-keyout"), keyFile,
                   QStringLiteral("-out"), certificateFile});
    if (!openssl.waitForStarted(10000))
        return Status::failure(
            QObject::tr("A certificate for the websocket cannot be made: openssl does not run (%1).")
                .arg(openssl.errorString()));
    if (!openssl.waitForFinished(30000)) {
        openssl.kill();
        openssl.waitForFinished(2000);
        return Status::failure(QObject::tr("openssl did not make the websocket's certificate in time."));
    }
    if (openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode() != 0) {
        QFile::remove(keyFile);
        QFile::remove(certificateFile);
        return Status::failure(QObject::tr("openssl could not make the websocket's certificate: %1")
                                   .arg(QString::fromLocal8Bit(openssl.readAll()).trimmed()));
    }
    // openssl writes the key with the umask's mode: only its owner may read it.
    if (!QFile::setPermissions(keyFile, QFile::ReadOwner | QFile::WriteOwner))
        return Status::failure(QObject::tr("The permissions of %1 cannot be set.").arg(keyFile));
    qCInfo(lcApi) << "made a self-signed certificate for the websocket:" << certificateFile;
    return {};
}

Result<QByteArray> readFile(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Result<QByteArray>::failure(QObject::tr("%1 cannot be read: %2").arg(path, f.errorString()));
    return f.readAll();
}

} // namespace

QString defaultTlsCertificateFile(const QString &dataDir) {
    return dataDir + QStringLiteral("/websocket-tls/certificate.pem");
}

QString defaultTlsKeyFile(const QString &dataDir) {
    return dataDir + QStringLiteral("/websocket-tls/key.pem");
}

void useDefaultTlsFiles(EventSocketSettings &settings, const QString &dataDir) {
    if (!settings.tls || !settings.certificateFile.isEmpty() || !settings.keyFile.isEmpty())
        return;
    settings.certificateFile = defaultTlsCertificateFile(dataDir);
    settings.keyFile = defaultTlsKeyFile(dataDir);
    settings.createCertificate = true;
}

Result<TlsIdentity> loadTlsIdentity(const QString &certificateFile, const QString &keyFile,
                                    bool createIfMissing) {
    if (certificateFile.isEmpty() || keyFile.isEmpty())
        return Result<TlsIdentity>::failure(
            QObject::tr("The websocket's TLS needs both a certificate file and a key file."));
    if (createIfMissing && !QFileInfo::exists(certificateFile) && !QFileInfo::exists(keyFile))
        if (Status s = createSelfSigned(certificateFile, keyFile); !s)
            return s;
    auto certificatePem = readFile(certificateFile);
    if (!certificatePem)
        return certificatePem.status();
    auto keyPem = readFile(keyFile);
    if (!keyPem)
        return keyPem.status();
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certificatePem.value(), QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull())
        return Result<TlsIdentity>::failure(QObject::tr("%1 holds no PEM certificate.").arg(certificateFile));
    TlsIdentity identity{chain.first(), {}};
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa}) {
        identity.key = QSslKey(keyPem.value(), algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!identity.key.isNull())
            break;
    }
    if (identity.key.isNull())
        return Result<TlsIdentity>::failure(
            QObject::tr("%1 holds no unencrypted PEM private key (RSA or EC).").arg(keyFile));
    if (identity.certificate.expiryDate() < QDateTime::currentDateTimeUtc())
        qCWarning(lcApi).noquote() << "the websocket's certificate" << certificateFile << "expired on"
                                   << identity.certificate.expiryDate().toString(Qt::ISODate);
    return identity;
}

QString tlsFingerprint(const QSslCertificate &certificate) {
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

} // namespace playdeck

#include "DatabaseConfig.h"

#include <QObject>
#include <QUrl>
#include <QUrlQuery>

namespace playdeck {

Result<DatabaseConfig> DatabaseConfig::fromUrl(const QString &text) {
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("postgresql") && url.scheme() != QLatin1String("postgres")))
        return Status::failure(
            QObject::tr(
                "'%1' is not a PostgreSQL URL; expected postgresql://user:password@host:port/database")
                .arg(QUrl(text).toString(QUrl::RemovePassword)));
    DatabaseConfig config;
    config.host = url.host();
    const QUrlQuery query(url);
    if (query.hasQueryItem(QStringLiteral("host")))
        config.host = query.queryItemValue(QStringLiteral("host"), QUrl::FullyDecoded);
    if (config.host.isEmpty())
        config.host = QStringLiteral("/var/run/postgresql");
    config.port = url.port(5432);
    const QString db = url.path().mid(1);
    if (!db.isEmpty())
        config.database = db;
    if (!url.userName().isEmpty())
        config.user = url.userName();
    config.password = url.password();
    return config;
}

static QString quoted(const QString &value) {
    QString v = value;
    v.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + v + QLatin1Char('\'');
}

QStringList DatabaseConfig::connectOptions() {
    return {QStringLiteral("connect_timeout=5"),  QStringLiteral("keepalives=1"),
            QStringLiteral("keepalives_idle=30"), QStringLiteral("keepalives_interval=10"),
            QStringLiteral("keepalives_count=3"), QStringLiteral("tcp_user_timeout=60000")};
}

QString DatabaseConfig::libpqConnInfo() const {
    QString info = QStringLiteral("host=%1 port=%2 dbname=%3 user=%4 ")
                       .arg(quoted(host))
                       .arg(port)
                       .arg(quoted(database), quoted(user)) +
                   connectOptions().join(QLatin1Char(' '));
    if (!password.isEmpty())
        info += QStringLiteral(" password=") + quoted(password);
    return info;
}

QString DatabaseConfig::describe() const {
    return QStringLiteral("%1@%2:%3/%4").arg(user, host).arg(port).arg(database);
}

} // namespace playdeck

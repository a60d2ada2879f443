#pragma once

#include "core/Result.h"

#include <QString>
#include <QStringList>

namespace playdeck {

// Where the PostgreSQL server is: the embedded cluster's socket directory or an external server.
struct DatabaseConfig {
    QString host; // a hostname, or an absolute path = unix socket directory
    int port = 5432;
    QString database = QStringLiteral("playdeck");
    QString user = QStringLiteral("playdeck");
    QString password;

    // postgresql://user:password@host:port/database (host may be %2F-encoded socket dir) or
    // postgresql:///database?host=/run/sockdir.
    static Result<DatabaseConfig> fromUrl(const QString &url);
    // libpq keyword/value string, for PQping and PQconnectdb.
    QString libpqConnInfo() const;
    // The libpq options of every connection: give up connecting after 5 s, and notice a server that
    // vanished without closing the session (its host lost power, the network was cut) within about
    // a minute rather than the kernel's two hours. Connections over a Unix socket ignore the TCP ones.
    static QStringList connectOptions();
    // For messages: never includes the password.
    QString describe() const;
};

} // namespace playdeck

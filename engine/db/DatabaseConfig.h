#pragma once

#include "core/Result.h"

#include <QString>

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
    // For messages: never includes the password.
    QString describe() const;
};

} // namespace playdeck

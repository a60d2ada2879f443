#pragma once

#include "DatabaseConfig.h"
#include "core/Result.h"

#include <QSqlDatabase>

namespace playdeck {

// A worker thread's own connection: created, used and destroyed in that thread. get() hands out a
// working connection, reopening it when the server went away; generation() changes every time a new
// server session is opened, so that session state (temporary tables, LISTENs) is known to be gone.
// Comparing libpq pointers cannot tell: a new connection often gets the old one's address.
class DbConnection {
public:
    enum class Probe { Yes, No };

    DbConnection(DatabaseConfig config, QString purpose);
    ~DbConnection();
    DbConnection(const DbConnection &) = delete;
    DbConnection &operator=(const DbConnection &) = delete;

    // With Probe::Yes an idle connection is first asked an empty query (one round trip): libpq notices
    // a server restart only when it next talks to it. Callers that classify failures themselves and
    // retry (the callback receiver) skip the probe.
    [[nodiscard]] Result<QSqlDatabase> get(Probe probe = Probe::Yes);
    // Closes the connection; the next get() opens a new one. Call after a failure that is not a data
    // error: the session may be broken or in a failed transaction.
    void reset();
    quint64 generation() const { return m_generation; }
    const DatabaseConfig &config() const { return m_config; }

private:
    DatabaseConfig m_config;
    QString m_name;
    quint64 m_generation = 0;
    bool m_registered = false;
};

} // namespace playdeck

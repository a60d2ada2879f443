#pragma once

#include "DatabaseConfig.h"
#include "core/Result.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <functional>

struct pg_conn; // libpq

namespace playdeck {

// One QSqlDatabase per thread: open it in the thread that will use it, under a name unique to that
// thread's purpose, and close it there too.
[[nodiscard]] Result<QSqlDatabase> openConnection(const DatabaseConfig &config, const QString &name);
void closeConnection(const QString &name);
// This thread's connection `name` if it is still good, else a fresh one. A connection whose server
// went away stays "open" in Qt; libpq's status tells the truth.
[[nodiscard]] Result<QSqlDatabase> ensureConnection(const DatabaseConfig &config, const QString &name);

// Runs `sql` with positional bindings; on failure returns the driver's message with the statement.
[[nodiscard]] Result<QSqlQuery> exec(QSqlDatabase &db, const QString &sql, const QVariantList &binds = {});

// Runs `body` in a transaction; commits when it succeeds, rolls back otherwise.
template <typename T> Result<T> inTransaction(QSqlDatabase &db, const std::function<Result<T>()> &body) {
    if (!db.transaction())
        return Result<T>::failure(db.lastError().text());
    Result<T> r = body();
    if (!r) {
        db.rollback();
        return r;
    }
    if (!db.commit())
        return Result<T>::failure(db.lastError().text());
    return r;
}

// The libpq handle behind a QPSQL connection, for COPY.
[[nodiscard]] ::pg_conn *nativeHandle(const QSqlDatabase &db);

} // namespace playdeck

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
// thread's purpose, and close it there too. DbConnection (DbConnection.h) wraps this for workers.
[[nodiscard]] Result<QSqlDatabase> openConnection(const DatabaseConfig &config, const QString &name);
void closeConnection(const QString &name);
// Opens `db` again after close() (a new server session), as openConnection() would.
[[nodiscard]] Status reopenConnection(QSqlDatabase &db, const DatabaseConfig &config);

// Runs `sql` with positional bindings; on failure returns the driver's message with the statement,
// and the SQLSTATE as the failure's code.
[[nodiscard]] Result<QSqlQuery> exec(QSqlDatabase &db, const QString &sql, const QVariantList &binds = {});
// An ILIKE pattern that finds `text` anywhere, its % _ and \ taken literally.
QString likeContains(const QString &text);

// Whether a failure is the database refusing this data (SQLSTATE class 22 "data exception" or 23
// "integrity constraint violation"). Every other failure means the database is away or in trouble,
// and the same statement may well succeed after a reconnect.
bool isDataError(const QString &sqlState);

// Runs `body` in a transaction; commits when it succeeds, rolls back otherwise.
template <typename T> Result<T> inTransaction(QSqlDatabase &db, const std::function<Result<T>()> &body) {
    if (!db.transaction())
        return Result<T>::failure(db.lastError().text(), db.lastError().nativeErrorCode());
    Result<T> r = body();
    if (!r) {
        db.rollback();
        return r;
    }
    if (!db.commit())
        return Result<T>::failure(db.lastError().text(), db.lastError().nativeErrorCode());
    return r;
}

// Whether `db` is inside a transaction now (libpq knows; Qt does not say).
bool inTransactionNow(const QSqlDatabase &db);

// Runs `body` in a transaction of its own unless the caller already opened one: a change and its
// announcement on the bus then commit together either way.
template <typename T> Result<T> atomically(QSqlDatabase &db, const std::function<Result<T>()> &body) {
    return inTransactionNow(db) ? body() : inTransaction<T>(db, body);
}

// The libpq handle behind a QPSQL connection, for COPY.
[[nodiscard]] ::pg_conn *nativeHandle(const QSqlDatabase &db);

} // namespace playdeck

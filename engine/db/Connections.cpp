#include "Connections.h"

#include "core/Logging.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QVariant>

#include <libpq-fe.h>

namespace playdeck {

namespace {
// libpq prints NOTICEs to stderr by default; they belong in the log.
void logNotices(const QSqlDatabase &db) {
    if (::pg_conn *conn = nativeHandle(db))
        PQsetNoticeProcessor(
            conn,
            [](void *, const char *message) {
                qCDebug(lcDb) << "server notice:" << QByteArray(message).trimmed();
            },
            nullptr);
}
} // namespace

Result<QSqlDatabase> openConnection(const DatabaseConfig &config, const QString &name) {
    if (QSqlDatabase::contains(name))
        QSqlDatabase::removeDatabase(name);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
    if (!db.isValid())
        return Status::failure(QObject::tr("The Qt PostgreSQL driver (QPSQL) is not installed; install the "
                                           "Debian package libqt6sql6-psql."));
    db.setHostName(config.host);
    db.setPort(config.port);
    db.setDatabaseName(config.database);
    db.setUserName(config.user);
    db.setPassword(config.password);
    db.setConnectOptions(DatabaseConfig::connectOptions().join(QLatin1Char(';')));
    if (!db.open()) {
        const QString message = db.lastError().text();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
        return Status::failure(
            QObject::tr("Cannot connect to PostgreSQL at %1: %2").arg(config.describe(), message.trimmed()));
    }
    logNotices(db);
    qCDebug(lcDb) << "opened connection" << name;
    return db;
}

Status reopenConnection(QSqlDatabase &db, const DatabaseConfig &config) {
    if (!db.open())
        return Status::failure(QObject::tr("Cannot connect to PostgreSQL at %1: %2")
                                   .arg(config.describe(), db.lastError().text().trimmed()));
    logNotices(db);
    return {};
}

void closeConnection(const QString &name) {
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

Result<QSqlQuery> exec(QSqlDatabase &db, const QString &sql, const QVariantList &binds) {
    QSqlQuery query(db);
    query.setForwardOnly(true);
    // Without bindings the text goes as it is: PostgreSQL cannot PREPARE DDL.
    const auto failure = [&query, &sql] {
        return Status::failure(QStringLiteral("%1 [%2]").arg(query.lastError().text(), sql.simplified()),
                               query.lastError().nativeErrorCode());
    };
    if (binds.isEmpty()) {
        if (!query.exec(sql))
            return failure();
        return query;
    }
    if (!query.prepare(sql))
        return failure();
    for (const QVariant &value : binds) {
        // A null QString would bind as SQL NULL; the schema's text columns mean "empty" instead.
        if (value.typeId() == QMetaType::QString && value.toString().isNull())
            query.addBindValue(QStringLiteral(""));
        else
            query.addBindValue(value);
    }
    if (!query.exec())
        return failure();
    return query;
}

bool inTransactionNow(const QSqlDatabase &db) {
    ::pg_conn *conn = nativeHandle(db);
    return conn && PQtransactionStatus(conn) != PQTRANS_IDLE;
}

bool isDataError(const QString &sqlState) {
    return sqlState.startsWith(QLatin1String("22")) || sqlState.startsWith(QLatin1String("23"));
}

pg_conn *nativeHandle(const QSqlDatabase &db) {
    const QVariant handle = db.driver()->handle();
    // Qt 6.4 reports "pg_conn*" although the documentation says "PGconn*".
    if (handle.isValid() &&
        (qstrcmp(handle.typeName(), "pg_conn*") == 0 || qstrcmp(handle.typeName(), "PGconn*") == 0))
        return *static_cast<pg_conn *const *>(handle.data());
    return nullptr;
}

} // namespace playdeck

namespace playdeck {

QString likeContains(const QString &text) {
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('%'), QStringLiteral("\\%"))
        .replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

} // namespace playdeck

#include "Publisher.h"

#include "db/Connections.h"

#include <QObject>

#include <libpq-fe.h>

namespace playdeck::bus {

Status publish(QSqlDatabase &db, const Message &message) {
    const Encoded encoded = encode(message);
    ::pg_conn *conn = nativeHandle(db);
    if (!conn)
        return Status::failure(QObject::tr("No database connection to send a notification on."));
    const QByteArray channel = encoded.channel.toUtf8();
    const char *values[] = {channel.constData(), encoded.payload.constData()};
    PGresult *result =
        PQexecParams(conn, "SELECT pg_notify($1, $2)", 2, nullptr, values, nullptr, nullptr, 0);
    Status status;
    if (PQresultStatus(result) != PGRES_TUPLES_OK) {
        const char *state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
        status = Status::failure(QString::fromUtf8(PQerrorMessage(conn)).trimmed(),
                                 state ? QString::fromLatin1(state) : QString());
    }
    PQclear(result);
    return status;
}

} // namespace playdeck::bus

#include "DbConnection.h"

#include "Connections.h"

#include <QAtomicInteger>

#include <libpq-fe.h>

namespace playdeck {

namespace {
QAtomicInteger<quint64> g_nextConnection{1};
} // namespace

DbConnection::DbConnection(DatabaseConfig config, QString purpose)
    : m_config(std::move(config))
    , m_name(QStringLiteral("playdeck-%1-%2").arg(purpose).arg(g_nextConnection.fetchAndAddRelaxed(1))) {}

Result<QSqlDatabase> DbConnection::get(Probe probe) {
    if (!m_registered) {
        auto opened = openConnection(m_config, m_name);
        if (!opened)
            return opened;
        m_registered = true;
        ++m_generation;
        return opened;
    }
    QSqlDatabase db = QSqlDatabase::database(m_name, false);
    if (db.isOpen()) {
        ::pg_conn *conn = nativeHandle(db);
        bool alive = conn && PQstatus(conn) == CONNECTION_OK;
        if (alive && probe == Probe::Yes && PQtransactionStatus(conn) == PQTRANS_IDLE) {
            PGresult *answer = PQexec(conn, "");
            alive = PQresultStatus(answer) == PGRES_EMPTY_QUERY;
            PQclear(answer);
        }
        if (alive)
            return db;
        db.close();
    }
    // The same named connection, opened again: callers may still hold copies of the handle, so it
    // is never removed while the worker lives.
    if (Status s = reopenConnection(db, m_config); !s)
        return s;
    ++m_generation;
    return db;
}

void DbConnection::reset() {
    if (m_registered)
        QSqlDatabase::database(m_name, false).close();
}

DbConnection::~DbConnection() {
    if (m_registered)
        closeConnection(m_name);
}

} // namespace playdeck

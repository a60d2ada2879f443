#include "NotifyBus.h"

#include "core/Logging.h"
#include "db/Connections.h"
#include "db/DbConnection.h"

#include <QSqlDriver>

#include <libpq-fe.h>

namespace playdeck {

NotifyBus::NotifyBus(DatabaseConfig config, QStringList channels)
    : m_config(std::move(config))
    , m_channels(std::move(channels)) {
    qRegisterMetaType<bus::JobChanged>();
    qRegisterMetaType<bus::EventsCommitted>();
    qRegisterMetaType<bus::DispatchJob>();
}

NotifyBus::~NotifyBus() = default;

void NotifyBus::start() {
    m_connection = std::make_unique<DbConnection>(m_config, QStringLiteral("bus"));
    m_checkTimer = new QTimer(this);
    m_checkTimer->setInterval(kCheckIntervalMs);
    connect(m_checkTimer, &QTimer::timeout, this, &NotifyBus::check);
    m_checkTimer->start();
    check();
}

void NotifyBus::stop() {
    m_stopped = true;
    if (m_checkTimer)
        m_checkTimer->stop();
    m_connection.reset();
    m_connected = false;
}

void NotifyBus::listen(const QString &channel) {
    if (m_channels.contains(channel))
        return;
    m_channels.append(channel);
    if (!m_connected)
        return;
    auto db = m_connection->get(DbConnection::Probe::No);
    if (db && db.value().driver()->subscribeToNotification(channel))
        Q_EMIT resynced(); // whatever was sent on it before we listened is in the tables
    else
        m_connected = false; // check() reconnects and subscribes to all channels
}

bool NotifyBus::connectAndListen() {
    auto db = m_connection->get(DbConnection::Probe::No);
    if (!db) {
        qCWarning(lcBus) << db.error();
        return false;
    }
    QSqlDriver *driver = db.value().driver();
    for (const QString &channel : std::as_const(m_channels)) {
        if (!driver->subscribeToNotification(channel)) {
            qCWarning(lcBus) << "cannot listen on" << channel;
            m_connection->reset();
            return false;
        }
    }
    // A reconnect reopens the same driver object: one connection to it, or every notification
    // would be delivered once per reconnect.
    disconnect(m_notifications);
    m_notifications =
        connect(driver, &QSqlDriver::notification, this,
                [this](const QString &name, QSqlDriver::NotificationSource, const QVariant &payload) {
                    deliver(name, payload.toString().toUtf8());
                });
    m_listeningGeneration = m_connection->generation();
    qCDebug(lcBus) << "listening on" << m_channels;
    return true;
}

void NotifyBus::check() {
    if (m_stopped)
        return;
    if (m_connected) {
        auto db = m_connection->get(DbConnection::Probe::No);
        ::pg_conn *conn = db ? nativeHandle(db.value()) : nullptr;
        // A query is the only reliable way to learn that the server closed the session.
        const bool alive = conn && m_connection->generation() == m_listeningGeneration &&
                           PQstatus(conn) == CONNECTION_OK &&
                           exec(db.value(), QStringLiteral("SELECT 1")).ok();
        if (alive)
            return;
        m_connected = false;
        qCWarning(lcBus) << "lost the notification connection; reconnecting";
        Q_EMIT connectionLost(tr("The connection to PostgreSQL was lost; reconnecting."));
        m_connection->reset();
    }
    if (connectAndListen()) {
        m_connected = true;
        qCInfo(lcBus) << "listening for notifications";
        Q_EMIT resynced();
    }
}

void NotifyBus::deliver(const QString &channel, const QByteArray &payload) {
    const auto message = bus::decode(channel, payload);
    if (!message) {
        qCWarning(lcBus) << "ignored a notification that does not decode on" << channel << payload.left(200);
        return;
    }
    std::visit(
        [this](const auto &m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, bus::ScheduleRequested>)
                Q_EMIT scheduleRequested();
            else if constexpr (std::is_same_v<T, bus::JobChanged>)
                Q_EMIT jobChanged(m);
            else if constexpr (std::is_same_v<T, bus::EventsCommitted>)
                Q_EMIT eventsCommitted(m);
            else if constexpr (std::is_same_v<T, bus::CancelRequested>)
                Q_EMIT cancelRequested(m.jobId);
            else if constexpr (std::is_same_v<T, bus::DispatchJob>)
                Q_EMIT dispatchRequested(m);
            else if constexpr (std::is_same_v<T, bus::ResourcesChanged>)
                Q_EMIT resourcesChanged(m.kind);
        },
        *message);
}

} // namespace playdeck

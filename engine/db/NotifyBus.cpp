#include "NotifyBus.h"

#include "Connections.h"
#include "core/Logging.h"

#include <QSqlDriver>

#include <libpq-fe.h>

namespace playdeck {

NotifyBus::NotifyBus(DatabaseConfig config, QStringList channels)
    : m_config(std::move(config))
    , m_channels(std::move(channels))
    , m_name(QStringLiteral("playdeck-bus-%1").arg(quintptr(this), 0, 16)) {}

NotifyBus::~NotifyBus() {
    closeConnection(m_name);
}

void NotifyBus::start() {
    m_checkTimer = new QTimer(this);
    m_checkTimer->setInterval(2000);
    connect(m_checkTimer, &QTimer::timeout, this, &NotifyBus::check);
    m_checkTimer->start();
    m_connected = connectAndListen();
}

void NotifyBus::stop() {
    if (m_checkTimer)
        m_checkTimer->stop();
    closeConnection(m_name);
    m_connected = false;
}

bool NotifyBus::connectAndListen() {
    auto db = openConnection(m_config, m_name);
    if (!db) {
        qCWarning(lcBus) << db.error();
        return false;
    }
    QSqlDriver *driver = db.value().driver();
    for (const QString &channel : m_channels) {
        if (!driver->subscribeToNotification(channel))
            qCWarning(lcBus) << "cannot listen on" << channel;
    }
    connect(driver, &QSqlDriver::notification, this,
            [this](const QString &name, QSqlDriver::NotificationSource, const QVariant &payload) {
                Q_EMIT notification(name, payload.toString());
            });
    qCDebug(lcBus) << "listening on" << m_channels;
    return true;
}

void NotifyBus::check() {
    bool alive = false;
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        ::pg_conn *conn = db.isValid() && db.isOpen() ? nativeHandle(db) : nullptr;
        alive = conn && PQstatus(conn) == CONNECTION_OK && exec(db, QStringLiteral("SELECT 1")).ok();
    }
    if (alive)
        return;
    if (m_connected) {
        m_connected = false;
        qCWarning(lcBus) << "lost the notification connection; reconnecting";
        Q_EMIT connectionLost(tr("The connection to PostgreSQL was lost."));
    }
    closeConnection(m_name);
    if (connectAndListen()) {
        m_connected = true;
        qCInfo(lcBus) << "notification connection restored";
        Q_EMIT reconnected();
    }
}

} // namespace playdeck

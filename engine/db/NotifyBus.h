#pragma once

#include "DatabaseConfig.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

namespace playdeck {

// The channels the engine talks on (PostgreSQL LISTEN/NOTIFY; lowercase, no dots: Qt quotes them).
namespace Channel {
inline const QString Schedule = QStringLiteral("playdeck_schedule");    // a task-manager run is wanted
inline const QString JobStatus = QStringLiteral("playdeck_job_status"); // {"id":N,"status":"..."}
inline const QString Events = QStringLiteral("playdeck_events");        // {"job":N,"counter":C}
inline const QString Control = QStringLiteral("playdeck_control");      // {"cancel":N}
inline const QString Templates = QStringLiteral("playdeck_templates");  // templates changed
inline QString dispatchQueue(qint64 instanceId) {
    return QStringLiteral("playdeck_dispatch_%1").arg(instanceId);
}
} // namespace Channel

// Owns the LISTEN connection, in its own thread. After the server restarts a listening connection
// silently loses its subscriptions, so the bus checks its connection, reconnects, re-subscribes and
// then says `reconnected()` so that listeners re-scan the tables for what they may have missed.
class NotifyBus : public QObject {
    Q_OBJECT
public:
    NotifyBus(DatabaseConfig config, QStringList channels);
    ~NotifyBus() override;

    // Call in the bus thread.
    Q_INVOKABLE void start();
    Q_INVOKABLE void stop();

Q_SIGNALS:
    void notification(const QString &channel, const QString &payload);
    void reconnected();
    void connectionLost(const QString &message);

private:
    bool connectAndListen();
    void check();

    DatabaseConfig m_config;
    QStringList m_channels;
    QString m_name;
    QTimer *m_checkTimer = nullptr;
    bool m_connected = false;
};

} // namespace playdeck

#pragma once

#include "Messages.h"
#include "db/DatabaseConfig.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace playdeck {

class DbConnection;

// Owns the LISTEN connection, in its own thread, and turns notifications into typed signals. After a
// server restart or a killed connection the subscriptions are silently gone, so the bus checks its
// connection every second, reconnects, re-subscribes and then says resynced(): every listener then
// re-reads the state it may have missed while the bus was deaf (job status, committed events, work).
class NotifyBus : public QObject {
    Q_OBJECT
public:
    NotifyBus(DatabaseConfig config, QStringList channels);
    ~NotifyBus() override;

    static constexpr int kCheckIntervalMs = 1000;

    // Call in the bus thread.
    Q_INVOKABLE void start();
    Q_INVOKABLE void stop();
    // Adds a channel (an instance's dispatch queue once it is registered).
    Q_INVOKABLE void listen(const QString &channel);

Q_SIGNALS:
    void scheduleRequested();
    void jobChanged(const playdeck::bus::JobChanged &message);
    void eventsCommitted(const playdeck::bus::EventsCommitted &message);
    void cancelRequested(qint64 jobId);
    void dispatchRequested(const playdeck::bus::DispatchJob &message);
    void resourcesChanged(playdeck::ResourceKind kind);
    // Emitted after the first connect and after every reconnect.
    void resynced();
    void connectionLost(const QString &message);

private:
    bool connectAndListen();
    void check();
    void deliver(const QString &channel, const QByteArray &payload);

    DatabaseConfig m_config;
    QStringList m_channels;
    std::unique_ptr<DbConnection> m_connection;
    quint64 m_listeningGeneration = 0;
    QMetaObject::Connection m_notifications;
    QTimer *m_checkTimer = nullptr;
    bool m_connected = false;
    bool m_stopped = false;
};

} // namespace playdeck

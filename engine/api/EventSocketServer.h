#pragma once

#include "AwxSocketMessages.h"
#include "EventSocketSettings.h"
#include "bus/Messages.h"
#include "db/DatabaseConfig.h"
#include "events/EventCursor.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <atomic>
#include <memory>

class QWebSocket;
class QWebSocketServer;

namespace playdeck {

class DbConnection;

// AWX's websocket at /websocket/ (reference/awx-engine.md section 7), in the "api" thread with its
// own connection. Clients subscribe with AWX's messages and get every committed event of their
// jobs in counter order: no sampling. Events are read from PostgreSQL once per page and the page is
// sent to every client that is at that point; a client that falls behind is served from its own
// position at its own pace, so it never holds up the engine or the others. A client subscribing to
// a job gets its events from the first one (no backfill over REST needed, as AWX's UI does).
class EventSocketServer : public QObject {
    Q_OBJECT
public:
    EventSocketServer(DatabaseConfig database, EventSocketSettings settings);
    ~EventSocketServer() override;

    static constexpr qint64 kResumeBytes = 1 << 20;

    Q_INVOKABLE void start();
    Q_INVOKABLE void stop();
    // The port it listens on, once listening (0 before and when it could not).
    quint16 port() const { return m_port.load(); }

public Q_SLOTS:
    void onEventsCommitted(const playdeck::bus::EventsCommitted &message);
    void onJobChanged(const playdeck::bus::JobChanged &message);
    void onResynced();

Q_SIGNALS:
    void listening(quint16 port, const QString &tlsFingerprint); // fingerprint empty without TLS
    void failedToListen(const QString &message);

private:
    struct Client {
        QPointer<QWebSocket> socket; // null once it is gone
        bool gone = false;
        QSet<api::Group> groups;
        QHash<qint64, EventCursor> cursor; // job -> how far it was sent
        QSet<qint64> behind;               // jobs whose live events it missed
        QSet<qint64> summarized;           // jobs whose summary it got
    };
    // What is known of a followed job, for all its clients (each has its own cursor).
    struct Feed {
        QString kind = QStringLiteral("job");
        int committed = 0;      // the highest counter known to be committed
        int finalCounter = -1;  // once the job's event processing finished
        bool scheduled = false; // a pump is queued
        // Tells a client's cursor what the feed knows.
        EventCursor &inform(EventCursor &cursor) const {
            cursor.committedUpTo(committed);
            if (finalCounter >= 0)
                cursor.finishedAt(finalCounter);
            return cursor;
        }
    };

    void onNewConnection();
    bool authenticated(const QWebSocket &socket) const;
    void onMessage(QWebSocket *socket, const QString &text);
    void subscribe(Client &client, const QSet<api::Group> &groups);
    void onBytesWritten(QWebSocket *socket);
    void drop(QWebSocket *socket);
    // Reads the job's committed state (kind, last counter, final counter) into its feed.
    void refreshFeed(qint64 jobId);
    void schedulePump(qint64 jobId);
    // One page of the job's events to the clients at the lowest position; again later if more.
    void pump(qint64 jobId);
    void sendSummaries(qint64 jobId);
    bool full(const Client &client) const;
    using ClientPtr = std::shared_ptr<Client>; // held while a page goes out, even if it disconnects
    QList<ClientPtr> subscribersOf(qint64 jobId);
    static bool writable(const Client &client);

    DatabaseConfig m_database;
    EventSocketSettings m_settings;
    std::unique_ptr<DbConnection> m_connection;
    QWebSocketServer *m_server = nullptr;
    QHash<QWebSocket *, ClientPtr> m_clients;
    QHash<qint64, Feed> m_feeds;
    std::atomic<quint16> m_port{0};
};

} // namespace playdeck

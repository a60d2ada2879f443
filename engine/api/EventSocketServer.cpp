#include "EventSocketServer.h"

#include "TlsIdentity.h"

#include "core/Logging.h"
#include "db/DbConnection.h"
#include "store/EventStore.h"

#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <limits>
#include <optional>

namespace playdeck {

using namespace api;

namespace {

const QString kStatusGroup = QStringLiteral("jobs-status_changed");
const QString kSummaryGroup = QStringLiteral("jobs-summary");

// Compares without stopping at the first difference: how long it takes says nothing of the token.
bool sameSecret(const QByteArray &a, const QByteArray &b) {
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return difference == 0;
}

bool isSocketPath(const QString &path) {
    return path == QLatin1String("/websocket/") || path == QLatin1String("/websocket") ||
           path == QLatin1String("/api/websocket/") || path == QLatin1String("/api/websocket");
}

} // namespace

EventSocketServer::EventSocketServer(DatabaseConfig database, EventSocketSettings settings)
    : m_database(std::move(database))
    , m_settings(std::move(settings)) {}

EventSocketServer::~EventSocketServer() = default;

void EventSocketServer::start() {
    m_connection = std::make_unique<DbConnection>(m_database, QStringLiteral("api"));
    std::optional<TlsIdentity> identity;
    QString fingerprint;
    if (m_settings.tls) {
        auto loaded =
            loadTlsIdentity(m_settings.certificateFile, m_settings.keyFile, m_settings.createCertificate);
        if (!loaded) {
            const QString message = tr("The websocket cannot serve wss://: %1").arg(loaded.error());
            qCWarning(lcApi).noquote() << message;
            Q_EMIT failedToListen(message);
            return;
        }
        identity = loaded.value();
    }
    m_server =
        new QWebSocketServer(QStringLiteral("Playdeck"),
                             identity ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode, this);
    if (identity) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(identity->certificate);
        tls.setPrivateKey(identity->key);
        tls.setPeerVerifyMode(QSslSocket::VerifyNone); // clients show the token, not a certificate
        m_server->setSslConfiguration(tls);
        // A client that does not trust the certificate, or speaks plain ws:// to this port, ends
        // its handshake; that is the client's business, not an error of the server's.
        connect(m_server, &QWebSocketServer::peerVerifyError, this,
                [](const QSslError &e) { qCDebug(lcApi) << "websocket TLS:" << e.errorString(); });
        connect(m_server, &QWebSocketServer::sslErrors, this, [](const QList<QSslError> &errors) {
            for (const QSslError &e : errors)
                qCDebug(lcApi) << "websocket TLS:" << e.errorString();
        });
        fingerprint = tlsFingerprint(identity->certificate);
        qCInfo(lcApi).noquote() << "websocket TLS certificate SHA-256" << fingerprint;
    }
    if (!m_server->listen(m_settings.address, m_settings.port)) {
        const QString message = tr("The websocket server cannot listen on %1 port %2: %3")
                                    .arg(m_settings.address.toString())
                                    .arg(m_settings.port)
                                    .arg(m_server->errorString());
        qCWarning(lcApi).noquote() << message;
        Q_EMIT failedToListen(message);
        return;
    }
    connect(m_server, &QWebSocketServer::newConnection, this, &EventSocketServer::onNewConnection);
    m_port = m_server->serverPort();
    qCInfo(lcApi) << "websocket server listening on" << m_settings.address.toString() << m_port.load();
    Q_EMIT listening(m_port, fingerprint);
}

void EventSocketServer::stop() {
    const auto clients = m_clients;
    m_clients.clear();
    for (const ClientPtr &c : clients) {
        c->gone = true;
        if (c->socket)
            c->socket->close(QWebSocketProtocol::CloseCodeGoingAway);
    }
    if (m_server)
        m_server->close();
    m_connection.reset();
}

bool EventSocketServer::authenticated(const QWebSocket &socket) const {
    const QByteArray token = m_settings.token.toUtf8();
    if (token.isEmpty())
        return false; // never open without a token
    const QNetworkRequest request = socket.request();
    const QByteArray header = request.rawHeader("Authorization").trimmed();
    const qsizetype space = header.indexOf(' ');
    const QByteArray scheme = header.left(space).toLower();
    const QByteArray value = header.mid(space + 1).trimmed();
    if (space > 0 && (scheme == "bearer" || scheme == "token") && sameSecret(value, token))
        return true;
    if (space > 0 && scheme == "basic") { // AWX accepts Basic: any user, the token as the password
        const QByteArray pair = QByteArray::fromBase64(value);
        const qsizetype colon = pair.indexOf(':');
        if (colon >= 0 && sameSecret(pair.mid(colon + 1), token))
            return true;
    }
    // A browser cannot set headers on a websocket: the token may come in the URL.
    const QString inUrl = QUrlQuery(socket.requestUrl()).queryItemValue(QStringLiteral("token"));
    return !inUrl.isEmpty() && sameSecret(inUrl.toUtf8(), token);
}

void EventSocketServer::onNewConnection() {
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QWebSocket::disconnected, this, [this, socket] { drop(socket); });
        if (!isSocketPath(socket->requestUrl().path())) {
            socket->sendTextMessage(QString::fromUtf8(errorMessage(tr("no such endpoint; use /websocket/"))));
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated);
            continue;
        }
        if (!authenticated(*socket)) {
            // As AWX: accepted, told to close, closed.
            qCInfo(lcApi) << "websocket client without a valid token refused:"
                          << socket->peerAddress().toString();
            socket->sendTextMessage(QString::fromUtf8(closeMessage()));
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                          QStringLiteral("authentication required"));
            continue;
        }
        auto client = std::make_shared<Client>();
        client->socket = socket;
        m_clients.insert(socket, client);
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString &text) { onMessage(socket, text); });
        connect(socket, &QWebSocket::bytesWritten, this, [this, socket] { onBytesWritten(socket); });
        socket->sendTextMessage(QString::fromUtf8(acceptMessage()));
    }
}

void EventSocketServer::drop(QWebSocket *socket) {
    if (const ClientPtr client = m_clients.take(socket))
        client->gone = true;
    socket->deleteLater();
}

void EventSocketServer::onMessage(QWebSocket *socket, const QString &text) {
    const ClientPtr client = m_clients.value(socket);
    if (!client)
        return;
    const ParsedSubscription parsed = parseSubscription(text.toUtf8());
    if (!parsed.error.isEmpty()) {
        socket->sendTextMessage(QString::fromUtf8(errorMessage(parsed.error)));
        return;
    }
    if (parsed.subscription)
        subscribe(*client, parsed.subscription->groups);
}

void EventSocketServer::subscribe(Client &client, const QSet<Group> &groups) {
    const QSet<Group> left = client.groups - groups;
    const QSet<Group> joined = groups - client.groups;
    client.groups = groups;
    client.socket->sendTextMessage(QString::fromUtf8(groupsReply(groups, left, joined)));
    for (const Group &g : left)
        if (const qint64 job = eventGroupJob(g)) {
            client.cursor.remove(job);
            client.behind.remove(job);
        }
    for (const Group &g : joined)
        if (const qint64 job = eventGroupJob(g)) {
            client.cursor.insert(job, EventCursor()); // from the job's first event
            refreshFeed(job);
            schedulePump(job);
        }
}

void EventSocketServer::refreshFeed(qint64 jobId) {
    auto db = m_connection->get(DbConnection::Probe::No);
    if (!db)
        return;
    auto progress = EventStore(db.value()).progress(jobId);
    if (!progress) {
        qCWarning(lcApi) << "websocket: cannot read job" << jobId << progress.error();
        m_connection->reset();
        return;
    }
    Feed &feed = m_feeds[jobId];
    feed.kind = progress.value().kind.isEmpty() ? QStringLiteral("job") : progress.value().kind;
    feed.committed = std::max(feed.committed, progress.value().lastCounter);
    if (progress.value().processingFinished)
        feed.finalCounter = progress.value().lastCounter;
}

void EventSocketServer::onEventsCommitted(const bus::EventsCommitted &message) {
    if (subscribersOf(message.jobId).isEmpty())
        return;
    Feed &feed = m_feeds[message.jobId];
    feed.committed = std::max(feed.committed, message.counter);
    schedulePump(message.jobId);
}

void EventSocketServer::onJobChanged(const bus::JobChanged &message) {
    bool wantsStatus = false, wantsSummary = false;
    for (const ClientPtr &c : std::as_const(m_clients)) {
        wantsStatus = wantsStatus || c->groups.contains(kStatusGroup);
        wantsSummary = wantsSummary || c->groups.contains(kSummaryGroup);
    }
    const bool followed = !subscribersOf(message.jobId).isEmpty();
    if (!wantsStatus && !wantsSummary && !followed)
        return;
    auto db = m_connection->get(DbConnection::Probe::No);
    if (!db)
        return;
    auto progress = EventStore(db.value()).progress(message.jobId);
    if (!progress || !progress.value().exists) {
        if (!progress)
            m_connection->reset();
        return;
    }
    const EventProgress &p = progress.value();
    // AWX does not announce waiting.
    if (wantsStatus && message.status && *message.status != JobStatus::Waiting) {
        const QString text =
            QString::fromUtf8(statusMessage(message.jobId, p.kind, *message.status, p.finished));
        const auto clients = m_clients.values();
        for (const ClientPtr &c : clients)
            if (writable(*c) && c->groups.contains(kStatusGroup))
                c->socket->sendTextMessage(text);
    }
    if (p.processingFinished) {
        Feed &feed = m_feeds[message.jobId];
        feed.kind = p.kind;
        feed.finalCounter = p.lastCounter;
        feed.committed = std::max(feed.committed, p.lastCounter);
        if (followed)
            schedulePump(message.jobId); // the summary follows the last event
        else
            sendSummaries(message.jobId);
    }
}

void EventSocketServer::onResynced() {
    // Commits announced while the bus was deaf: read every followed job again.
    for (auto it = m_feeds.begin(); it != m_feeds.end(); ++it) {
        refreshFeed(it.key());
        schedulePump(it.key());
    }
}

QList<EventSocketServer::ClientPtr> EventSocketServer::subscribersOf(qint64 jobId) {
    QList<ClientPtr> out;
    for (const ClientPtr &c : std::as_const(m_clients))
        if (writable(*c) && c->cursor.contains(jobId))
            out << c;
    return out;
}

bool EventSocketServer::writable(const Client &client) {
    return !client.gone && client.socket;
}

bool EventSocketServer::full(const Client &client) const {
    return writable(client) && client.socket->bytesToWrite() > m_settings.clientQueueBytes;
}

void EventSocketServer::schedulePump(qint64 jobId) {
    Feed &feed = m_feeds[jobId];
    if (feed.scheduled)
        return;
    feed.scheduled = true;
    // Queued: socket writes and other jobs get their turn between pages.
    QTimer::singleShot(0, this, [this, jobId] { pump(jobId); });
}

void EventSocketServer::pump(qint64 jobId) {
    auto feedIt = m_feeds.find(jobId);
    if (feedIt == m_feeds.end())
        return;
    feedIt->scheduled = false;
    const QList<ClientPtr> subscribers = subscribersOf(jobId);
    if (subscribers.isEmpty()) {
        sendSummaries(jobId);
        if (subscribersOf(jobId).isEmpty())
            m_feeds.erase(feedIt);
        return;
    }
    const QString kind = feedIt->kind;
    // The page starts at the lowest position of those that can take more.
    QList<ClientPtr> readers;
    EventCursor::Page page;
    page.after = std::numeric_limits<int>::max();
    for (const ClientPtr &c : subscribers) {
        EventCursor &cursor = feedIt->inform(c->cursor[jobId]);
        if (cursor.hasUnread() && !full(*c)) {
            readers << c;
            if (cursor.position() < page.after)
                page = cursor.nextPage();
        }
    }
    if (readers.isEmpty())
        return sendSummaries(jobId);
    auto db = m_connection->get(DbConnection::Probe::No);
    if (!db)
        return (void)QTimer::singleShot(500, this, [this, jobId] { schedulePump(jobId); });
    auto events = EventStore(db.value()).load(jobId, page.after, page.limit);
    if (!events) {
        qCWarning(lcApi) << "websocket: cannot read the events of job" << jobId << events.error();
        m_connection->reset();
        return (void)QTimer::singleShot(500, this, [this, jobId] { schedulePump(jobId); });
    }
    QSet<Client *> fell; // behind during this page: they did not get all of it
    for (const JobEvent &e : events.value()) {
        const QString text = eventMessage(kind, e, e.rowId);
        for (const ClientPtr &c : std::as_const(readers)) {
            if (!writable(*c))
                continue; // it went away during this page
            EventCursor &cursor = c->cursor[jobId];
            if (!cursor.isNew(e.counter) || fell.contains(c.get()))
                continue;
            if (full(*c)) {
                fell.insert(c.get());
                if (!c->behind.contains(jobId)) {
                    c->behind.insert(jobId);
                    c->socket->sendTextMessage(QString::fromUtf8(
                        behindMessage(eventGroupOf(kind, jobId), jobId, cursor.position() + 1)));
                }
                continue;
            }
            c->socket->sendTextMessage(text);
            cursor.advanceTo(e.counter);
        }
    }
    // Hand the page to the kernel now: left to the event loop, a socket writes one buffer block per
    // pass, and passes are as slow as the pages in between (measured: ~2.5k events/s per client).
    for (const ClientPtr &c : std::as_const(readers))
        if (writable(*c))
            c->socket->flush();
    for (const ClientPtr &c : std::as_const(readers))
        if (writable(*c) && !fell.contains(c.get()))
            c->cursor[jobId].pageRead(page, events.value());
    sendSummaries(jobId);
    for (const ClientPtr &c : std::as_const(readers))
        if (writable(*c) && c->cursor[jobId].hasUnread() && !full(*c))
            return schedulePump(jobId);
}

void EventSocketServer::sendSummaries(qint64 jobId) {
    const auto feed = m_feeds.constFind(jobId);
    if (feed == m_feeds.constEnd() || feed->finalCounter < 0)
        return;
    const QString text = QString::fromUtf8(summaryMessage(jobId, feed->finalCounter));
    const auto clients = m_clients.values();
    for (const ClientPtr &c : clients) {
        if (!writable(*c) || !c->groups.contains(kSummaryGroup) || c->summarized.contains(jobId))
            continue;
        if (c->cursor.contains(jobId) && !feed->inform(c->cursor[jobId]).atEnd())
            continue; // after its last event
        c->summarized.insert(jobId);
        c->socket->sendTextMessage(text);
    }
}

void EventSocketServer::onBytesWritten(QWebSocket *socket) {
    const ClientPtr client = m_clients.value(socket);
    if (!client || socket->bytesToWrite() > kResumeBytes)
        return;
    for (auto c = client->cursor.begin(); c != client->cursor.end(); ++c) {
        const auto feed = m_feeds.constFind(c.key());
        if (feed != m_feeds.constEnd() && feed->inform(c.value()).hasUnread()) {
            client->behind.remove(c.key());
            schedulePump(c.key());
        }
    }
}

} // namespace playdeck

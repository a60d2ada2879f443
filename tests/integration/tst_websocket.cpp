// AWX's websocket protocol served by the engine (issue 7): a client subscribes with AWX's messages
// and gets every event of a job in order, its status and its summary; a client without the token is
// refused; a client that stops reading does not hold up the others and catches up afterwards.

#include "ScriptedTransport.h"
#include "TestEngine.h"
#include "api/TlsIdentity.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslError>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace playdeck;
using playdeck::test::ScriptedTransport;
using playdeck::test::TestEngine;

namespace {

const QString kToken = QStringLiteral("test-token-8f1e");

// A websocket client that keeps every message it gets, parsed.
class Client : public QObject {
public:
    // With `trusted`, a wss:// connection goes on if that certificate is the only doubt about it.
    explicit Client(const QUrl &url, const QByteArray &authorization = {},
                    const QSslCertificate &trusted = QSslCertificate()) {
        if (!trusted.isNull())
            connect(&socket, &QWebSocket::sslErrors, this, [this, trusted](const QList<QSslError> &errors) {
                for (const QSslError &e : errors)
                    if (e.certificate() != trusted)
                        return;
                socket.ignoreSslErrors();
            });
        connect(&socket, &QWebSocket::textMessageReceived, this,
                [this](const QString &text) { messages << QJsonDocument::fromJson(text.toUtf8()).object(); });
        connect(&socket, &QWebSocket::disconnected, this, [this] { closed = true; });
        QNetworkRequest request(url);
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        socket.open(request);
    }
    void send(const QJsonObject &o) { socket.sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson())); }
    QList<int> counters(qint64 job) const {
        QList<int> out;
        for (const QJsonObject &m : messages)
            if (m.value(QStringLiteral("group_name")) == QStringLiteral("job_events") &&
                m.value(QStringLiteral("job")).toInteger() == job && m.contains(QStringLiteral("counter")))
                out << m.value(QStringLiteral("counter")).toInt();
        return out;
    }
    qsizetype indexOf(const char *key) const {
        for (qsizetype i = 0; i < messages.size(); ++i)
            if (messages.at(i).contains(QLatin1String(key)))
                return i;
        return -1;
    }

    QWebSocket socket;
    QList<QJsonObject> messages;
    bool closed = false;
};

QJsonObject subscription(qint64 job) {
    return {{QStringLiteral("groups"),
             QJsonObject{{QStringLiteral("jobs"),
                          QJsonArray{QStringLiteral("status_changed"), QStringLiteral("summary")}},
                         {QStringLiteral("job_events"), QJsonArray{job}}}},
            {QStringLiteral("xrftoken"), QStringLiteral("anything")}};
}

ScriptedTransport::Script loopJob(int events, int intervalMs) {
    ScriptedTransport::Script s = test::loopJobScript(events);
    s.intervalMs = intervalMs;
    return s;
}

QList<int> oneTo(int n) {
    QList<int> out;
    for (int i = 1; i <= n; ++i)
        out << i;
    return out;
}

} // namespace

class WebSocketTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        m_engine = std::make_unique<TestEngine>([this](EngineOptions &o) {
            o.transport = m_scripts.transports();
            o.webSocket.enabled = true;
            o.webSocket.port = 0;
            o.webSocket.token = kToken;
        });
        QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
        QTRY_VERIFY(m_engine->engine().webSocketPort() != 0);
        m_url = QUrl(QStringLiteral("ws://127.0.0.1:%1/websocket/").arg(m_engine->engine().webSocketPort()));
        m_engine->addTemplate(QStringLiteral("Scripted"), QStringLiteral("- hosts: all\n  tasks: []\n"),
                              QStringLiteral("allow_simultaneous"), {true});
    }
    void cleanupTestCase() { m_engine.reset(); }

    void aClientWithoutTheTokenIsRefused() {
        for (const QByteArray &auth :
             {QByteArray(), QByteArray("Bearer wrong"),
              QByteArray(QByteArray("Basic ") + QByteArray("admin:wrong").toBase64())}) {
            Client c(m_url, auth);
            QTRY_VERIFY(c.closed);
            QVERIFY(!c.messages.isEmpty());
            QCOMPARE(c.messages.first().value(QStringLiteral("close")).toBool(), true);
            QCOMPARE(c.indexOf("accept"), -1);
        }
        // Another path is not the websocket either.
        QUrl other = m_url;
        other.setPath(QStringLiteral("/other/"));
        Client wrongPath(other, "Bearer " + kToken.toUtf8());
        QTRY_VERIFY(wrongPath.closed);
        QCOMPARE(wrongPath.indexOf("accept"), -1);
    }

    void everyEventArrivesInOrderWithStatusAndSummary() {
        constexpr int events = 1500;
        m_scripts.push(loopJob(events, 5));
        const qint64 job = m_engine->launch(QStringLiteral("Scripted"));
        QVERIFY(job);
        // Basic auth (any user, the token as the password) and the token in the URL work too.
        Client basic(m_url, "Basic " + QByteArray(QByteArray("admin:") + kToken.toUtf8()).toBase64());
        QUrl withToken = m_url;
        withToken.setQuery(QStringLiteral("token=") + kToken);
        Client browser(withToken);
        for (Client *c : {&basic, &browser}) {
            QTRY_VERIFY(c->indexOf("accept") >= 0);
            c->send(subscription(job));
        }
        for (Client *c : {&basic, &browser}) {
            QTRY_VERIFY(c->indexOf("groups_current") >= 0);
            const QJsonObject reply = c->messages.at(c->indexOf("groups_current"));
            QCOMPARE(reply.value(QStringLiteral("groups_joined")).toArray().size(), 3);
            QVERIFY(reply.value(QStringLiteral("groups_current"))
                        .toArray()
                        .contains(QStringLiteral("job_events-%1").arg(job)));
            QTRY_COMPARE_WITH_TIMEOUT(c->counters(job).size(), events, 60000);
            QCOMPARE(c->counters(job), oneTo(events));
            QTRY_VERIFY(c->indexOf("final_counter") >= 0);
            const QJsonObject summary = c->messages.at(c->indexOf("final_counter"));
            QCOMPARE(summary.value(QStringLiteral("unified_job_id")).toInteger(), job);
            QCOMPARE(summary.value(QStringLiteral("final_counter")).toInt(), events);
            // The summary comes after the last event.
            qsizetype lastEvent = 0;
            for (qsizetype i = 0; i < c->messages.size(); ++i)
                if (c->messages.at(i).contains(QStringLiteral("counter")))
                    lastEvent = i;
            QVERIFY(c->indexOf("final_counter") > lastEvent);
        }
        // AWX's event shape, event_data as stored.
        const QJsonObject first = basic.messages.at(basic.indexOf("counter"));
        for (const char *key :
             {"id", "job", "created", "modified", "uuid", "parent_uuid", "event", "stdout", "start_line",
              "end_line", "failed", "changed", "event_level", "play", "task", "role", "event_data", "url"})
            QVERIFY2(first.contains(QLatin1String(key)), key);
        QCOMPARE(
            first.value(QStringLiteral("event_data")).toObject().value(QStringLiteral("host")).toString(),
            QStringLiteral("web1"));
        QVERIFY(first.value(QStringLiteral("created")).toString().endsWith(QLatin1Char('Z')));
        // A status change for the job (the client subscribed once it was running already).
        QTRY_VERIFY(std::any_of(basic.messages.cbegin(), basic.messages.cend(), [job](const QJsonObject &m) {
            return m.value(QStringLiteral("unified_job_id")).toInteger() == job &&
                   m.value(QStringLiteral("status")) == QStringLiteral("successful") &&
                   m.contains(QStringLiteral("finished"));
        }));
        // Unsubscribing from everything: AWX's empty groups.
        basic.send(
            {{QStringLiteral("groups"), QJsonObject()}, {QStringLiteral("xrftoken"), QStringLiteral("x")}});
        QTRY_VERIFY(std::any_of(basic.messages.cbegin(), basic.messages.cend(), [](const QJsonObject &m) {
            return m.contains(QStringLiteral("groups_left")) &&
                   m.value(QStringLiteral("groups_left")).toArray().size() == 3;
        }));
    }

    void aClientThatStopsReadingHoldsUpNobody() {
        // ~30 MB of events: far past a client's queue.
        constexpr int events = 30000;
        m_scripts.push(loopJob(events, 0));
        const qint64 job = m_engine->launch(QStringLiteral("Scripted"));
        QVERIFY(job);
        // A raw client that does the handshake, subscribes, then reads nothing for a while.
        QTcpSocket slow;
        slow.connectToHost(QStringLiteral("127.0.0.1"), m_engine->engine().webSocketPort());
        QVERIFY(slow.waitForConnected(5000));
        slow.write(
            "GET /websocket/ HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: "
            "Bearer " +
            kToken.toUtf8() + "\r\n\r\n");
        QByteArray seen;
        QTRY_VERIFY((seen += slow.readAll()).contains("\"accept\""));
        const QByteArray subscribe = QJsonDocument(subscription(job)).toJson(QJsonDocument::Compact);
        // One masked text frame (a client must mask; the mask 0 leaves the bytes as they are).
        QByteArray frame;
        frame += char(0x81);
        if (subscribe.size() < 126) {
            frame += char(0x80 | subscribe.size());
        } else {
            frame += char(0x80 | 126);
            frame += char(subscribe.size() >> 8);
            frame += char(subscribe.size() & 0xff);
        }
        frame += QByteArray(4, '\0');
        frame += subscribe;
        slow.write(frame);
        QVERIFY(slow.waitForBytesWritten(5000));
        slow.setReadBufferSize(64 * 1024); // and from now on it reads nothing
        Client fast(m_url, "Bearer " + kToken.toUtf8());
        QTRY_VERIFY(fast.indexOf("accept") >= 0);
        fast.send(subscription(job));
        QTRY_COMPARE_WITH_TIMEOUT(fast.counters(job).size(), events, 120000);
        QCOMPARE(fast.counters(job), oneTo(events));
        QCOMPARE(m_engine->waitForFinished(job, 60000), JobStatus::Successful);
        // The slow one was told where it fell behind, and gets the rest from the database once it reads.
        slow.setReadBufferSize(0);
        QTRY_VERIFY_WITH_TIMEOUT(((seen += slow.readAll()).right(4096)).contains("\"final_counter\""),
                                 120000);
        QVERIFY(seen.contains("\"first_missed_counter\""));
        QVERIFY(seen.contains(QByteArray(QByteArray("\"counter\":") + QByteArray::number(events) + ',')));
    }

    // wss://: the data directory's self-signed certificate is made on first use (the key readable
    // by its owner only), a client that trusts it gets a job's events, and one that does not, or
    // that speaks plain ws:// to the port, gets nothing. Runs last: it leaves the server on TLS.
    void wssWithTheDataDirectorysCertificate() {
        constexpr int events = 200;
        m_scripts.push(loopJob(events, 0));
        const qint64 job = m_engine->launch(QStringLiteral("Scripted"));
        QVERIFY(job);
        QCOMPARE(m_engine->waitForFinished(job, 60000), JobStatus::Successful);

        EventSocketSettings settings = m_engine->engine().options().webSocket;
        settings.tls = true;
        useDefaultTlsFiles(settings, m_engine->dataDir());
        QSignalSpy listening(&m_engine->engine(), &Engine::webSocketListening);
        m_engine->engine().setWebSocket(settings);
        QTRY_COMPARE(listening.count(), 1);
        const quint16 port = m_engine->engine().webSocketPort();
        const QString certificateFile = defaultTlsCertificateFile(m_engine->dataDir());
        const QString keyFile = defaultTlsKeyFile(m_engine->dataDir());
        QCOMPARE(QFileInfo(keyFile).permissions() &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
        const auto identity = loadTlsIdentity(certificateFile, keyFile, false);
        QVERIFY2(identity, qPrintable(identity.error()));
        QVERIFY(identity.value()
                    .certificate.subjectAlternativeNames()
                    .values(QSsl::IpAddressEntry)
                    .contains(QStringLiteral("127.0.0.1")));

        const QUrl secure(QStringLiteral("wss://127.0.0.1:%1/websocket/").arg(port));
        const QByteArray bearer = "Bearer " + kToken.toUtf8();
        Client trusting(secure, bearer, identity.value().certificate);
        QTRY_VERIFY(trusting.indexOf("accept") >= 0);
        trusting.send(subscription(job));
        QTRY_COMPARE(trusting.counters(job), oneTo(events));

        Client doubting(secure, bearer);
        QUrl plain = secure;
        plain.setScheme(QStringLiteral("ws"));
        Client unencrypted(plain, bearer);
        QTRY_VERIFY(doubting.closed || doubting.socket.state() == QAbstractSocket::UnconnectedState);
        QTRY_VERIFY(unencrypted.closed || unencrypted.socket.state() == QAbstractSocket::UnconnectedState);
        QVERIFY(doubting.messages.isEmpty());
        QVERIFY(unencrypted.messages.isEmpty());

        // Started again, the server keeps the certificate it made.
        const QString fingerprint = tlsFingerprint(identity.value().certificate);
        m_engine->engine().setWebSocket(settings);
        QTRY_COMPARE(listening.count(), 2);
        const auto again = loadTlsIdentity(certificateFile, keyFile, false);
        QVERIFY(again);
        QCOMPARE(tlsFingerprint(again.value().certificate), fingerprint);
    }

    // A certificate that is not one is a clear message, not a server that quietly serves nothing.
    void wssWithABadCertificateSaysWhy() {
        QTemporaryDir dir;
        QFile bad(dir.filePath(QStringLiteral("certificate.pem")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("not a certificate\n");
        bad.close();
        QFile key(dir.filePath(QStringLiteral("key.pem")));
        QVERIFY(key.open(QIODevice::WriteOnly));
        key.write("not a key\n");
        key.close();
        EventSocketSettings settings = m_engine->engine().options().webSocket;
        settings.tls = true;
        settings.certificateFile = bad.fileName();
        settings.keyFile = key.fileName();
        settings.createCertificate = false;
        QSignalSpy failed(&m_engine->engine(), &Engine::webSocketFailed);
        m_engine->engine().setWebSocket(settings);
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY2(failed.at(0).at(0).toString().contains(bad.fileName()),
                 qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(m_engine->engine().webSocketPort(), quint16(0));
    }

private:
    test::ScriptQueue m_scripts;
    std::unique_ptr<TestEngine> m_engine;
    QUrl m_url;
};

QTEST_GUILESS_MAIN(WebSocketTest)
#include "tst_websocket.moc"

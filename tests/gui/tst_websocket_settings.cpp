// The window's websocket settings (File > Websocket Server): serving AWX's websocket on a port,
// the token shown and made anew (old clients cut off and refused), Basic auth, turning it off, and
// the choice kept for the next start. Real sockets, a real engine.
#include "MainWindow.h"
#include "WebSocketSettingsDialog.h"

#include "TestEngine.h"
#include "api/TlsIdentity.h"
#include "api/WebSocketControl.h"

#include <QAction>
#include <QCheckBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkRequest>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTcpServer>
#include <QTest>
#include <QWebSocket>

using namespace playdeck;
using playdeck::test::TestEngine;

namespace {

// A client that notes whether the server accepted it (AWX's {"accept": true}) or closed on it.
struct Client {
    explicit Client(quint16 port, const QByteArray &authorization) {
        QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket, [this](const QString &text) {
            if (QJsonDocument::fromJson(text.toUtf8()).object().value(QStringLiteral("accept")).toBool())
                accepted = true;
        });
        QObject::connect(&socket, &QWebSocket::disconnected, &socket, [this] { closed = true; });
        QObject::connect(&socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), &socket,
                         [this] { closed = true; });
        QNetworkRequest request(QUrl(QStringLiteral("ws://127.0.0.1:%1/websocket/").arg(port)));
        request.setRawHeader("Authorization", authorization);
        socket.open(request);
    }
    QWebSocket socket;
    bool accepted = false;
    bool closed = false;
};

quint16 freePort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

class WebSocketSettingsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("playdeck-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("websocket-settings"));
        QSettings().clear();
        m_engine = std::make_unique<TestEngine>();
        QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
    }
    void cleanupTestCase() { m_engine.reset(); }

    void servesRotatesAndStops() {
        WebSocketControl control(m_engine->engine(), m_engine->dataDir());
        // The window offers it.
        MainWindow window(m_engine->controller(), &control);
        QVERIFY(window.findChild<QAction *>(QStringLiteral("webSocketAction")));

        WebSocketSettingsDialog dialog(control);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *enabled = dialog.findChild<QCheckBox *>(QStringLiteral("webSocketEnabled"));
        auto *port = dialog.findChild<QSpinBox *>(QStringLiteral("webSocketPort"));
        auto *token = dialog.findChild<QLineEdit *>(QStringLiteral("webSocketToken"));
        auto *status = dialog.findChild<QLabel *>(QStringLiteral("webSocketStatus"));
        QVERIFY(enabled && port && token && status);
        QVERIFY(!enabled->isChecked()); // off until asked for
        QCOMPARE(status->text(), QStringLiteral("Not serving."));
        QCOMPARE(token->echoMode(), QLineEdit::Password);
        const QString first = token->text();
        QCOMPARE(first, control.token().value()); // `playdeck websocket-token` shows the same

        const quint16 chosen = freePort();
        enabled->setChecked(true);
        port->setValue(chosen);
        QVERIFY(dialog.apply());
        QTRY_COMPARE(control.port(), chosen);
        QTRY_COMPARE(status->text(), QStringLiteral("Serving at ws://127.0.0.1:%1/websocket/").arg(chosen));

        Client bearer(chosen, "Bearer " + first.toUtf8());
        QTRY_VERIFY(bearer.accepted);
        Client basic(chosen, "Basic " + QByteArray("anyone:" + first.toUtf8()).toBase64());
        QTRY_VERIFY(basic.accepted);

        // A new token: the server starts again, every client must show the new one.
        dialog.findChild<QPushButton *>(QStringLiteral("rotateTokenButton"))->click();
        const QString second = token->text();
        QVERIFY(second != first && !second.isEmpty());
        QTRY_VERIFY(bearer.closed);
        QTRY_VERIFY(basic.closed);
        QTRY_COMPARE(control.port(), chosen);
        Client old(chosen, "Bearer " + first.toUtf8());
        QTRY_VERIFY(old.closed);
        QVERIFY(!old.accepted);
        Client renewed(chosen, "Bearer " + second.toUtf8());
        QTRY_VERIFY(renewed.accepted);

        // The choice is kept for the next start (without the token, which lives in the data dir).
        std::optional<EventSocketSettings> kept = WebSocketSettingsDialog::load(QSettings());
        QVERIFY(kept && kept->enabled);
        QCOMPARE(kept->port, chosen);
        QCOMPARE(kept->address, QHostAddress(QHostAddress::LocalHost));
        QVERIFY(QSettings().value(QStringLiteral("webSocket/token")).isNull());

        // TLS: wss:// with the data directory's self-signed certificate, its fingerprint shown so
        // that a user can compare it with what a browser shows; kept for the next start.
        auto *tls = dialog.findChild<QCheckBox *>(QStringLiteral("webSocketTls"));
        QVERIFY(tls && !tls->isChecked());
        tls->setChecked(true);
        QVERIFY(dialog.apply());
        QTRY_VERIFY(status->text().startsWith(
            QStringLiteral("Serving at wss://127.0.0.1:%1/websocket/").arg(chosen)));
        const auto identity = loadTlsIdentity(defaultTlsCertificateFile(m_engine->dataDir()),
                                              defaultTlsKeyFile(m_engine->dataDir()), false);
        QVERIFY2(identity, qPrintable(identity.error()));
        QVERIFY(status->text().endsWith(tlsFingerprint(identity.value().certificate)));
        QCOMPARE(control.url(), QStringLiteral("wss://127.0.0.1:%1/websocket/").arg(chosen));
        QVERIFY(WebSocketSettingsDialog::load(QSettings())->tls);
        tls->setChecked(false);
        QVERIFY(dialog.apply());
        QTRY_COMPARE(status->text(), QStringLiteral("Serving at ws://127.0.0.1:%1/websocket/").arg(chosen));
        QVERIFY(!WebSocketSettingsDialog::load(QSettings())->tls);
        Client plainAgain(chosen, "Bearer " + second.toUtf8());
        QTRY_VERIFY(plainAgain.accepted);

        // Off: clients are closed and nobody listens any more.
        enabled->setChecked(false);
        QVERIFY(dialog.apply());
        QTRY_VERIFY(renewed.closed);
        QTRY_VERIFY(plainAgain.closed);
        QTRY_COMPARE(status->text(), QStringLiteral("Not serving."));
        QCOMPARE(control.port(), quint16(0));
        Client nobody(chosen, "Bearer " + second.toUtf8());
        QTRY_VERIFY(nobody.closed);
        QVERIFY(!nobody.accepted);
        kept = WebSocketSettingsDialog::load(QSettings());
        QVERIFY(kept && !kept->enabled);
    }

private:
    std::unique_ptr<TestEngine> m_engine;
};

QTEST_MAIN(WebSocketSettingsTest)
#include "tst_websocket_settings.moc"

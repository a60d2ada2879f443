#include "WebSocketSettingsDialog.h"

#include "api/WebSocketControl.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace playdeck {

namespace {

const QString kEnabled = QStringLiteral("webSocket/enabled");
const QString kAddress = QStringLiteral("webSocket/address");
const QString kPort = QStringLiteral("webSocket/port");
const QString kTls = QStringLiteral("webSocket/tls");

} // namespace

WebSocketSettingsDialog::WebSocketSettingsDialog(WebSocketControl &control, QWidget *parent)
    : QDialog(parent)
    , m_control(control) {
    setObjectName(QStringLiteral("webSocketSettings"));
    setWindowTitle(tr("Websocket Server"));
    const EventSocketSettings current = control.settings();

    auto *intro = new QLabel(tr("Serves AWX's websocket (/websocket/), so that AWX's websocket clients can "
                                "follow jobs and their events live."));
    intro->setWordWrap(true);

    m_enabled = new QCheckBox(tr("&Serve the websocket"));
    m_enabled->setObjectName(QStringLiteral("webSocketEnabled"));
    m_enabled->setChecked(current.enabled);

    m_address = new QComboBox;
    m_address->setObjectName(QStringLiteral("webSocketAddress"));
    m_address->addItem(tr("This computer only (127.0.0.1)"), QStringLiteral("127.0.0.1"));
    m_address->addItem(tr("Every network (0.0.0.0)"), QStringLiteral("0.0.0.0"));
    const int known = m_address->findData(current.address.toString());
    if (known < 0)
        m_address->addItem(current.address.toString(), current.address.toString());
    m_address->setCurrentIndex(known >= 0 ? known : m_address->count() - 1);

    m_port = new QSpinBox;
    m_port->setObjectName(QStringLiteral("webSocketPort"));
    m_port->setRange(1, 65535);
    m_port->setValue(current.port == 0 ? 8052 : current.port);

    m_tls = new QCheckBox(tr("Use &TLS (wss://) with a self-signed certificate kept in the data directory"));
    m_tls->setObjectName(QStringLiteral("webSocketTls"));
    m_tls->setChecked(current.tls);
    m_tls->setToolTip(tr("Browsers on pages served over HTTPS only open wss://. Clients must trust the "
                         "certificate: compare its fingerprint below with what they are shown."));

    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("webSocketStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);

    m_token = new QLineEdit;
    m_token->setObjectName(QStringLiteral("webSocketToken"));
    m_token->setReadOnly(true);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setAccessibleName(tr("Token"));
    auto *show = new QToolButton;
    show->setObjectName(QStringLiteral("showTokenButton"));
    show->setText(tr("Show"));
    show->setCheckable(true);
    connect(show, &QToolButton::toggled, this,
            [this](bool on) { m_token->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password); });
    auto *copy = new QToolButton;
    copy->setObjectName(QStringLiteral("copyTokenButton"));
    copy->setText(tr("Copy"));
    connect(copy, &QToolButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_token->text()); });
    auto *rotate = new QPushButton(tr("&New Token"));
    rotate->setObjectName(QStringLiteral("rotateTokenButton"));
    rotate->setToolTip(tr("Make a new token: clients with the old one are disconnected and refused"));
    connect(rotate, &QPushButton::clicked, this, &WebSocketSettingsDialog::rotateToken);
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(show);
    tokenRow->addWidget(copy);
    tokenRow->addWidget(rotate);
    auto *tokenHelp = new QLabel(tr("Clients show it as \"Authorization: Bearer TOKEN\", as the password of "
                                    "Basic authentication, or as ?token=TOKEN in the address."));
    tokenHelp->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(m_enabled);
    form->addRow(tr("&Listen on:"), m_address);
    form->addRow(tr("&Port:"), m_port);
    form->addRow(QString(), m_tls);
    form->addRow(tr("Token:"), tokenRow);
    form->addRow(QString(), tokenHelp);

    auto *buttons =
        new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Apply | QDialogButtonBox::Close);
    connect(buttons->button(QDialogButtonBox::Ok), &QPushButton::clicked, this, [this] {
        if (apply())
            accept();
    });
    connect(buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this,
            &WebSocketSettingsDialog::apply);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    const auto enable = [this] {
        m_address->setEnabled(m_enabled->isChecked());
        m_port->setEnabled(m_enabled->isChecked());
        m_tls->setEnabled(m_enabled->isChecked());
    };
    connect(m_enabled, &QCheckBox::toggled, this, enable);
    enable();
    connect(&m_control, &WebSocketControl::listening, this, [this] {
        m_error.clear();
        updateStatus();
    });
    connect(&m_control, &WebSocketControl::stopped, this, &WebSocketSettingsDialog::updateStatus);
    connect(&m_control, &WebSocketControl::failed, this, [this](const QString &message) {
        m_error = message;
        updateStatus();
    });
    showToken();
    updateStatus();
}

std::optional<EventSocketSettings> WebSocketSettingsDialog::load(const QSettings &settings) {
    if (!settings.contains(kEnabled))
        return std::nullopt;
    EventSocketSettings s;
    s.enabled = settings.value(kEnabled).toBool();
    QHostAddress address;
    if (address.setAddress(settings.value(kAddress).toString()))
        s.address = address;
    const uint port = settings.value(kPort, 8052).toUInt();
    s.port = port > 0 && port <= 65535 ? quint16(port) : quint16(8052);
    s.tls = settings.value(kTls, false).toBool();
    return s;
}

void WebSocketSettingsDialog::save(QSettings &settings, const EventSocketSettings &webSocket) {
    settings.setValue(kEnabled, webSocket.enabled);
    settings.setValue(kAddress, webSocket.address.toString());
    settings.setValue(kPort, webSocket.port);
    settings.setValue(kTls, webSocket.tls);
}

EventSocketSettings WebSocketSettingsDialog::chosen() const {
    EventSocketSettings s = m_control.settings();
    s.enabled = m_enabled->isChecked();
    s.address = QHostAddress(m_address->currentData().toString());
    s.port = quint16(m_port->value());
    if (s.tls != m_tls->isChecked()) { // files chosen elsewhere stay with TLS as it was
        s.tls = m_tls->isChecked();
        s.certificateFile.clear();
        s.keyFile.clear();
        s.createCertificate = false;
    }
    return s;
}

bool WebSocketSettingsDialog::apply() {
    const EventSocketSettings s = chosen();
    m_error.clear();
    if (Status applied = m_control.apply(s); !applied) {
        m_error = applied.error();
        updateStatus();
        return false;
    }
    QSettings settings;
    save(settings, s);
    updateStatus();
    return true;
}

void WebSocketSettingsDialog::rotateToken() {
    auto token = m_control.rotateToken();
    if (!token) {
        m_error = token.error();
        updateStatus();
        return;
    }
    m_token->setText(token.value());
    updateStatus();
}

void WebSocketSettingsDialog::showToken() {
    auto token = m_control.token();
    if (token)
        m_token->setText(token.value());
    else
        m_error = token.error();
}

void WebSocketSettingsDialog::updateStatus() {
    QString text;
    if (!m_error.isEmpty())
        text = tr("Not serving: %1").arg(m_error);
    else if (!m_control.settings().enabled)
        text = tr("Not serving.");
    else if (m_control.port() == 0)
        text = tr("Starting…");
    else if (const QString fingerprint = m_control.tlsFingerprint(); !fingerprint.isEmpty())
        text = tr("Serving at %1\nCertificate SHA-256: %2").arg(m_control.url(), fingerprint);
    else
        text = tr("Serving at %1").arg(m_control.url());
    m_status->setText(text);
}

} // namespace playdeck

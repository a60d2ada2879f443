#pragma once

#include "api/EventSocketSettings.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSettings;
class QSpinBox;

namespace playdeck {

class WebSocketControl;

// Settings of AWX's websocket: serve it or not, on this computer only or on every network, its
// port, and its token (shown, copied, made anew). Applied at once; the window's QSettings keep
// them for the next start.
class WebSocketSettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit WebSocketSettingsDialog(WebSocketControl &control, QWidget *parent = nullptr);

    // The stored choice (without the token), or nullopt when none was ever made.
    static std::optional<EventSocketSettings> load(const QSettings &settings);
    static void save(QSettings &settings, const EventSocketSettings &webSocket);

    // Serves as the controls say, and keeps the choice.
    bool apply();
    // A new token: clients must show it from now on.
    void rotateToken();

private:
    EventSocketSettings chosen() const;
    void updateStatus();
    void showToken();

    WebSocketControl &m_control;
    QCheckBox *m_enabled = nullptr;
    QComboBox *m_address = nullptr;
    QSpinBox *m_port = nullptr;
    QCheckBox *m_tls = nullptr;
    QLabel *m_status = nullptr;
    QLineEdit *m_token = nullptr;
    QString m_error;
};

} // namespace playdeck

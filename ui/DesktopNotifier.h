#pragma once

#include "bus/Messages.h"

#include <QObject>
#include <QSet>

namespace playdeck {

class Controller;

// Tells the operator, with a desktop notification (freedesktop's notification service over
// D-Bus), when a job they launched from this window finishes: its status and how many hosts
// changed and failed. Without a notification service the message goes to the window's status bar.
class DesktopNotifier : public QObject {
    Q_OBJECT
public:
    explicit DesktopNotifier(Controller &controller, QObject *parent = nullptr);

    // A job launched from this window: its end is told.
    void watch(qint64 jobId);

Q_SIGNALS:
    // Every message, shown or not (for the status bar and tests).
    void notified(qint64 jobId, const QString &summary, const QString &body);

private:
    void onJobChanged(const bus::JobChanged &change);
    void tell(qint64 jobId);

    Controller &m_controller;
    QSet<qint64> m_watched;
};

} // namespace playdeck

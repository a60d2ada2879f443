#pragma once

#include <QObject>

class QSocketNotifier;

namespace playdeck {

// Turns SIGINT, SIGTERM and SIGHUP (the terminal was closed) into a Qt signal on the main thread
// (self-pipe), so the engine can stop in order: running jobs end, last events are stored, the
// database server is left to its supervisor.
class SignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void signalled(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace playdeck

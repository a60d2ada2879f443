#pragma once

#include "Controller.h"

#include <QObject>
#include <QTimer>

#include <cstdio>

namespace playdeck {

// Streams one job's stdout to a terminal as its events are committed, and says when the job is
// over with all of its events printed.
class JobFollower : public QObject {
    Q_OBJECT
public:
    JobFollower(Controller &controller, qint64 jobId, bool printStdout, FILE *out = stdout,
                QObject *parent = nullptr);

    void start();

Q_SIGNALS:
    void done(const QString &status, const QString &explanation);

private:
    void fetch();
    void check();

    Controller &m_controller;
    qint64 m_jobId;
    bool m_print;
    FILE *m_out;
    int m_lastCounter = 0;
    bool m_fetching = false;
    bool m_again = false;
    bool m_finished = false;
    QTimer m_safety;
};

} // namespace playdeck

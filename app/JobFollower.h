#pragma once

#include "Controller.h"
#include "core/JobStatus.h"
#include "events/EventCursor.h"
#include "model/Job.h"
#include "model/JobEvent.h"

#include <QObject>
#include <QTimer>

#include <cstdio>

namespace playdeck {

// Follows one job for a terminal: streams its stdout as its events are committed (with `printStdout`),
// says on stderr when it waits for input, and reports when the job is over with all of its events
// printed. A follower always ends when its job ends: notifications are only the fast path; after a
// reconnect, and every second anyway, it re-reads the job and its events, and it keeps trying while
// the database is away.
class JobFollower : public QObject {
    Q_OBJECT
public:
    JobFollower(Controller &controller, qint64 jobId, bool printStdout, FILE *out = stdout,
                QObject *parent = nullptr);

    void start();

    static constexpr int kSafetyIntervalMs = 1000;
    // Checks of a final job whose events are not all stored before asking whether its instance died.
    static constexpr int kSettleAfterChecks = 3;
    // Checks after which a follower whose job has ended says that it still waits for events.
    static constexpr int kSayWaitingAfterChecks = 10;

Q_SIGNALS:
    void done(playdeck::JobStatus status, const QString &explanation);

private:
    void fetch();
    void check();
    void retryLater(const QString &why);
    // Prints the stdout of `events` (when printing).
    void print(const QList<JobEvent> &events);
    // The job is over and its events all stored: read what is left, then end.
    void finish(const JobDetail &job);

    Controller &m_controller;
    qint64 m_jobId;
    bool m_print;
    FILE *m_out;
    EventCursor m_cursor;
    bool m_fetching = false;
    bool m_again = false;
    bool m_finished = false;
    bool m_saidAway = false;
    QString m_prompt;
    int m_finalButUnsettled = 0;
    QTimer m_safety;
};

} // namespace playdeck

#include "JobFollower.h"

namespace playdeck {

JobFollower::JobFollower(Controller &controller, qint64 jobId, bool printStdout, FILE *out, QObject *parent)
    : QObject(parent)
    , m_controller(controller)
    , m_jobId(jobId)
    , m_print(printStdout)
    , m_out(out) {
    connect(&m_controller, &Controller::jobEventsCommitted, this, [this](qint64 id, int) {
        if (id == m_jobId)
            fetch();
    });
    connect(&m_controller, &Controller::jobStatusChanged, this, [this](qint64 id, const QString &) {
        if (id == m_jobId)
            fetch();
    });
    // Notifications are the fast path; this catches anything said while we were not listening yet.
    m_safety.setInterval(1000);
    connect(&m_safety, &QTimer::timeout, this, &JobFollower::fetch);
}

void JobFollower::start() {
    m_safety.start();
    fetch();
}

void JobFollower::fetch() {
    if (m_finished)
        return;
    if (m_fetching) {
        m_again = true;
        return;
    }
    m_fetching = true;
    m_controller.fetchEvents(m_jobId, m_lastCounter, 1000, this, [this](Result<QList<JobEvent>> events) {
        if (events) {
            for (const JobEvent &e : events.value()) {
                m_lastCounter = std::max(m_lastCounter, e.counter);
                if (m_print && !e.stdout.isEmpty()) {
                    std::fputs(e.stdout.toUtf8().constData(), m_out);
                    std::fputc('\n', m_out);
                }
            }
            std::fflush(m_out);
            if (events.value().size() == 1000) {
                m_fetching = false;
                fetch();
                return;
            }
        }
        check();
    });
}

void JobFollower::check() {
    m_controller.fetchJob(m_jobId, this, [this](Result<JobDetail> job) {
        m_fetching = false;
        if (!job) {
            m_finished = true;
            Q_EMIT done(QString(), job.error());
            return;
        }
        const JobDetail &j = job.value();
        // Over when the status is final and every event the runner emitted is stored and printed
        // (a job that never started has none).
        const bool eventsDone = j.eventProcessingFinished || !j.started.isValid() ||
                                j.finished.secsTo(QDateTime::currentDateTimeUtc()) > 10;
        if (JobStatus::isFinished(j.status) && eventsDone &&
            (!j.eventProcessingFinished || m_lastCounter >= j.emittedEvents)) {
            m_finished = true;
            m_safety.stop();
            Q_EMIT done(j.status, j.explanation);
            return;
        }
        if (m_again) {
            m_again = false;
            fetch();
        }
    });
}

} // namespace playdeck

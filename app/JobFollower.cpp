#include "JobFollower.h"

#include "db/DbPool.h"
#include "runner/InputWait.h"
#include "services/JobService.h"

namespace playdeck {

JobFollower::JobFollower(Controller &controller, qint64 jobId, bool printStdout, FILE *out, QObject *parent)
    : QObject(parent)
    , m_controller(controller)
    , m_jobId(jobId)
    , m_print(printStdout)
    , m_out(out) {
    connect(&m_controller, &Controller::eventsCommitted, this, [this](qint64 id, int counter) {
        if (id != m_jobId)
            return;
        m_cursor.committedUpTo(counter);
        fetch();
    });
    connect(&m_controller, &Controller::jobChanged, this, [this](const bus::JobChanged &change) {
        if (change.jobId == m_jobId)
            fetch();
    });
    connect(&m_controller, &Controller::resynced, this, &JobFollower::fetch);
    m_safety.setInterval(kSafetyIntervalMs);
    connect(&m_safety, &QTimer::timeout, this, &JobFollower::fetch);
}

void JobFollower::start() {
    m_safety.start();
    fetch();
}

void JobFollower::finish(const JobDetail &j) {
    m_finished = true;
    m_safety.stop();
    // Events committed just before the final status: print them, then end.
    const EventCursor::Page page = m_cursor.nextPage();
    whenReady(m_controller.jobs().events(m_jobId, page.after, page.limit), this,
              [this, j, page](Result<QList<JobEvent>> rest) {
                  if (!rest) {
                      // Not without the last lines (the recap): try again shortly.
                      m_finished = false;
                      m_safety.start();
                      return retryLater(rest.error());
                  }
                  print(rest.value());
                  m_cursor.pageRead(page, rest.value());
                  if (m_cursor.mayHaveMoreAfter(page, int(rest.value().size())))
                      return finish(j);
                  // Processing had finished before this read: it had everything stored.
                  m_cursor.finishedAt(m_cursor.position());
                  Q_ASSERT(m_cursor.atEnd());
                  QString explanation = j.explanation;
                  if (j.refusedEvents > 0)
                      explanation +=
                          (explanation.isEmpty() ? QString() : QStringLiteral(" ")) +
                          (j.refusedEvents == 1
                               ? tr("1 event of this job is not stored: %1")
                               : tr("%1 events of this job are not stored: %2").arg(j.refusedEvents))
                              .arg(j.refusedReason);
                  Q_EMIT done(j.status, explanation);
              });
}

void JobFollower::print(const QList<JobEvent> &events) {
    for (const JobEvent &e : events) {
        if (m_print && !e.stdout.isEmpty()) {
            std::fputs(e.stdout.toUtf8().constData(), m_out);
            std::fputc('\n', m_out);
        }
    }
    std::fflush(m_out);
}

void JobFollower::retryLater(const QString &why) {
    m_fetching = false;
    if (!m_saidAway)
        std::fprintf(stderr, "playdeck: the database does not answer (%s); still following job %lld\n",
                     qPrintable(why), m_jobId);
    m_saidAway = true; // the safety timer tries again
}

void JobFollower::fetch() {
    if (m_finished)
        return;
    if (m_fetching) {
        m_again = true;
        return;
    }
    m_fetching = true;
    m_again = false;
    const EventCursor::Page page = m_cursor.nextPage();
    whenReady(m_controller.jobs().events(m_jobId, page.after, page.limit), this,
              [this, page](Result<QList<JobEvent>> events) {
                  if (!events)
                      return retryLater(events.error());
                  print(events.value());
                  m_cursor.pageRead(page, events.value());
                  if (m_cursor.mayHaveMoreAfter(page, int(events.value().size()))) {
                      m_fetching = false;
                      fetch(); // more are committed already
                      return;
                  }
                  check();
              });
}

void JobFollower::check() {
    whenReady(m_controller.jobs().job(m_jobId), this, [this](Result<JobDetail> job) {
        if (!job)
            return retryLater(job.error());
        m_fetching = false;
        if (m_saidAway) {
            m_saidAway = false;
            std::fprintf(stderr, "playdeck: the database answers again\n");
        }
        const JobDetail &j = job.value();
        if (j.inputPrompt != m_prompt) {
            m_prompt = j.inputPrompt;
            if (!m_prompt.isEmpty())
                std::fprintf(stderr, "playdeck: job %lld: %s\n", m_jobId,
                             qPrintable(inputWaitMessage(m_prompt)));
        }
        // Over when the status is final and every event is stored (the receiver says so, or the job
        // never ran, or whoever reaped it said nothing more will come): whatever the counters say.
        if (isFinished(j.status) && (j.eventProcessingFinished || !j.started.isValid())) {
            finish(j);
            return;
        }
        if (isFinished(j.status)) {
            // Final, but its events not all stored yet: normally the receiver is a moment behind.
            // When the instance that ran it died in between, nobody will finish them: say so.
            if (++m_finalButUnsettled == kSayWaitingAfterChecks)
                std::fprintf(stderr,
                             "playdeck: job %lld has ended (%s); waiting for its last events to be stored "
                             "(%d of %d so far)\n",
                             m_jobId, qPrintable(statusName(j.status)), m_cursor.position(), j.emittedEvents);
            if (m_finalButUnsettled % kSettleAfterChecks == 0)
                whenReady(m_controller.jobs().settleIfItsInstanceIsLost(m_jobId), this,
                          [this](Result<bool> settled) {
                              if (settled && settled.value())
                                  fetch();
                          });
        }
        if (m_again)
            fetch();
    });
}

} // namespace playdeck

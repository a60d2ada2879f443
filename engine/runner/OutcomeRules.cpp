#include "OutcomeRules.h"

#include <QObject>

namespace playdeck {

namespace {

QString joined(const QStringList &parts) {
    QStringList kept;
    for (const QString &p : parts)
        if (!p.isEmpty())
            kept << p;
    return kept.join(QLatin1Char(' '));
}

Outcome fromRunner(const RunFacts &f) {
    Outcome o;
    o.traceback = f.runnerTraceback;
    const QString status = f.runnerStatus;
    if (status == QLatin1String("successful")) {
        o.status = JobStatus::Successful;
        return o;
    }
    if (status == QLatin1String("failed")) {
        o.status = JobStatus::Failed;
        const QString what = f.failures.explain();
        const QString rc = f.rc ? QString::number(*f.rc) : QStringLiteral("?");
        if (!what.isEmpty())
            o.explanation = what;
        else if (f.failures.sawPlaybookStart())
            o.explanation = QObject::tr("ansible-playbook exited with code %1.").arg(rc);
        else
            o.explanation =
                QObject::tr("The playbook could not be run (ansible-playbook exited with code %1); "
                            "the output says why.")
                    .arg(rc);
        return o;
    }
    if (status == QLatin1String("timeout")) {
        o.status = JobStatus::Failed;
        o.explanation = QObject::tr("Job terminated due to timeout");
        return o;
    }
    if (status == QLatin1String("canceled")) {
        o.status = JobStatus::Failed;
        o.explanation = QObject::tr("The running ansible process received a shutdown signal.");
        return o;
    }
    o.status = JobStatus::Error;
    if (status.isEmpty())
        o.explanation = QObject::tr("ansible-runner ended its output without a final status.");
    else
        o.explanation =
            f.runnerExplanation.isEmpty() ? QObject::tr("Job terminated due to error") : f.runnerExplanation;
    return o;
}

} // namespace

Outcome judgeOutcome(const RunFacts &f) {
    Outcome o;
    if (f.failedToStart) {
        o.status = JobStatus::Error;
        o.explanation = f.startError;
    } else if (!f.streamError.isEmpty()) {
        o.status = JobStatus::Error;
        o.explanation = QObject::tr("The output of ansible-runner could not be read: %1").arg(f.streamError);
        o.traceback = f.stderrTail;
    } else if (!f.sawEof) {
        o.status = JobStatus::Error;
        o.explanation = f.crashed
                            ? QObject::tr("ansible-runner worker was killed before it finished the job.")
                            : QObject::tr("ansible-runner worker exited with code %1 before the end of its "
                                          "output.")
                                  .arg(f.exitCode);
        o.traceback = f.stderrTail;
    } else {
        o = fromRunner(f);
    }

    // Why Playdeck stopped it outranks what the stopped run says about itself.
    if (!f.failedToStart && o.status != JobStatus::Successful) {
        if (f.cancelRequested)
            return {JobStatus::Canceled, QString(), o.traceback};
        if (f.shuttingDown)
            return {JobStatus::Failed, QObject::tr("Task was canceled due to receiving a shutdown signal."),
                    o.traceback};
        if (f.timedOut)
            return {JobStatus::Failed, QObject::tr("Job terminated due to timeout"), o.traceback};
    }
    // A run whose stream had refused lines cannot be trusted to be complete.
    if (!f.refusedLines.isEmpty()) {
        o.status = JobStatus::Error;
        o.explanation = joined({f.refusedLines, o.explanation});
    }
    // Refused artifacts are a hostile or broken stream too (a path out of the job's directory, a bomb).
    if (!f.artifactsError.isEmpty()) {
        o.status = JobStatus::Error;
        o.explanation = joined(
            {QObject::tr("The runner's artifacts were refused: %1").arg(f.artifactsError), o.explanation});
    }
    return o;
}

} // namespace playdeck

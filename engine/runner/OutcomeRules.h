#pragma once

#include "FailureFacts.h"
#include "core/JobStatus.h"

#include <QString>

#include <optional>

namespace playdeck {

// Everything known about a run when its worker has exited, for judging its final status.
struct RunFacts {
    // The worker process.
    bool failedToStart = false;
    QString startError;
    bool crashed = false; // killed by a signal
    int exitCode = 0;
    QString stderrTail;

    // The result stream.
    bool sawEof = false;
    QString streamError;  // the stream broke here; the rest could not be read
    QString refusedLines; // lines that were refused (bad counters...), or empty
    QString runnerStatus; // the runner's last status line: successful, failed, timeout, error, canceled
    QString runnerExplanation;
    QString runnerTraceback;
    std::optional<int> rc; // ansible-playbook's exit code, from the artifacts
    QString artifactsError;
    FailureFacts failures;

    // Why Playdeck stopped it, if it did.
    bool cancelRequested = false;
    bool shuttingDown = false;
    bool timedOut = false;
};

struct Outcome {
    JobStatus status = JobStatus::Error;
    QString explanation;
    QString traceback;
};

// AWX's final-status rules (reference/awx-engine.md 2.1), judged from the stream, never from the
// worker's exit code alone (it exits 0 on protocol errors): canceled when asked for, failed on a
// timeout or a shutdown, error when the stream could not be trusted, else what the runner said, with
// an explanation that names the failed tasks and hosts.
Outcome judgeOutcome(const RunFacts &facts);

} // namespace playdeck

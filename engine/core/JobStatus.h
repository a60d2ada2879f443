#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace playdeck {

// AWX's unified job statuses (reference/awx-engine.md 2.1). Status changes in the database go only
// through UnifiedJobStore::transition, which allows exactly the moves isAllowedMove() allows.
enum class JobStatus : quint8 { New, Pending, Waiting, Running, Successful, Failed, Error, Canceled };

// The word AWX uses ("new", "pending", ...): what the database, the command line and the API show.
QString statusName(JobStatus status);
std::optional<JobStatus> statusFromName(QStringView text);

inline bool isFinished(JobStatus s) {
    return s == JobStatus::Successful || s == JobStatus::Failed || s == JobStatus::Error ||
           s == JobStatus::Canceled;
}
inline bool isActive(JobStatus s) {
    return s == JobStatus::Pending || s == JobStatus::Waiting || s == JobStatus::Running;
}

// The lifecycle: new → pending → waiting → running → a final status. A job can be canceled, failed
// (reaped, a dependency failed) or errored from any state before it finishes; a waiting job can go
// back to pending (its instance stopped before it started). Nothing leaves a final status.
bool isAllowedMove(JobStatus from, JobStatus to);
// Every status from which `to` may be reached.
QList<JobStatus> allowedSources(JobStatus to);

} // namespace playdeck

Q_DECLARE_METATYPE(playdeck::JobStatus)

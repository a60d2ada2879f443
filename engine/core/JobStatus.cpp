#include "JobStatus.h"

#include <array>

namespace playdeck {

namespace {
constexpr std::array kAll{JobStatus::New,        JobStatus::Pending, JobStatus::Waiting, JobStatus::Running,
                          JobStatus::Successful, JobStatus::Failed,  JobStatus::Error,   JobStatus::Canceled};
} // namespace

QString statusName(JobStatus status) {
    switch (status) {
    case JobStatus::New:
        return QStringLiteral("new");
    case JobStatus::Pending:
        return QStringLiteral("pending");
    case JobStatus::Waiting:
        return QStringLiteral("waiting");
    case JobStatus::Running:
        return QStringLiteral("running");
    case JobStatus::Successful:
        return QStringLiteral("successful");
    case JobStatus::Failed:
        return QStringLiteral("failed");
    case JobStatus::Error:
        return QStringLiteral("error");
    case JobStatus::Canceled:
        return QStringLiteral("canceled");
    }
    return {};
}

std::optional<JobStatus> statusFromName(QStringView text) {
    for (JobStatus s : kAll)
        if (text == statusName(s))
            return s;
    return std::nullopt;
}

bool isAllowedMove(JobStatus from, JobStatus to) {
    if (isFinished(from) || from == to)
        return false;
    switch (to) {
    case JobStatus::New:
        return false;
    case JobStatus::Pending:
        // signal_start, or a waiting job handed back by an instance that stopped before running it.
        return from == JobStatus::New || from == JobStatus::Waiting;
    case JobStatus::Waiting:
        return from == JobStatus::Pending;
    case JobStatus::Running:
        return from == JobStatus::Waiting;
    case JobStatus::Successful:
        return from == JobStatus::Running;
    case JobStatus::Failed:
    case JobStatus::Error:
        // Reaped, a pre-start check or dependency failed, or the run itself failed.
        return from == JobStatus::Pending || from == JobStatus::Waiting || from == JobStatus::Running;
    case JobStatus::Canceled:
        return true; // any unfinished job (from is not final here)
    }
    return false;
}

QList<JobStatus> allowedSources(JobStatus to) {
    QList<JobStatus> out;
    for (JobStatus from : kAll)
        if (isAllowedMove(from, to))
            out.append(from);
    return out;
}

} // namespace playdeck

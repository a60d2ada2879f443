#pragma once

#include "model/JobEvent.h"

#include <QJsonObject>

namespace playdeck {

// One runner event line (already sanitized, see JsonText.h) as a job_event row: host/play/task/role
// lifted out of event_data, and failed/changed judged as AWX does (reference/awx-engine.md 6.2).
// AWX's FAILED_EVENTS: an event of these types failed unless its task ignores errors.
bool isFailedEvent(const QString &event);

JobEvent eventFromRunner(qint64 jobId, const QJsonObject &line);

// AWX's MAX_EVENT_RES_DATA: a module result bigger than this (compact JSON bytes) is not stored.
constexpr qsizetype MaxEventRes = 700000;
// Drops event_data.res when it is bigger than `limit`, as AWX does, and says so:
// "res_truncated": {"bytes": N, "limit": L} beside an empty res (AWX leaves a bare {} that reads as
// a module that returned nothing). playbook_on_stats is never cut, nor is stdout. Whether it cut.
bool truncateEventRes(JobEvent &event, qsizetype limit = MaxEventRes);

} // namespace playdeck

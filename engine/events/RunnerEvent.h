#pragma once

#include "model/JobEvent.h"

#include <QJsonObject>

namespace playdeck {

// One runner event line (already sanitized, see JsonText.h) as a job_event row: host/play/task/role
// lifted out of event_data, and failed/changed judged as AWX does (reference/awx-engine.md 6.2).
// AWX's FAILED_EVENTS: an event of these types failed unless its task ignores errors.
bool isFailedEvent(const QString &event);

JobEvent eventFromRunner(qint64 jobId, const QJsonObject &line);

} // namespace playdeck

#pragma once

#include "core/JobStatus.h"
#include "model/JobEvent.h"

#include <QByteArray>
#include <QDateTime>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace playdeck::api {

// The messages of AWX's websocket protocol (reference/awx-engine.md section 7), as plain functions:
// what a client sends, parsed; what the server sends, written. One codec, no state.

// A group name: "jobs-status_changed", "job_events-42", ...
using Group = QString;

struct Subscription {
    QSet<Group> groups;
};

// {"groups": {"jobs": ["status_changed", "summary"], "job_events": [42]}, "xrftoken": "..."}; the
// error message AWX would send when it is not that ("access denied to channel" etc.).
struct ParsedSubscription {
    std::optional<Subscription> subscription;
    QString error;
};
ParsedSubscription parseSubscription(const QByteArray &message);

// The job whose events a group carries (job_events-42, project_update_events-7, ...), or 0.
qint64 eventGroupJob(const Group &group);
// The event group of a job of `kind` ("job", "project_update", "inventory_update", ...).
Group eventGroupOf(const QString &kind, qint64 jobId);

// {"groups_current": [...], "groups_left": [...], "groups_joined": [...]}
QByteArray groupsReply(const QSet<Group> &current, const QSet<Group> &left, const QSet<Group> &joined);
// {"accept": true, "user": 1} after a connection is authenticated; {"close": true} when it is not.
QByteArray acceptMessage();
QByteArray closeMessage();
QByteArray errorMessage(const QString &error);

// An event of `group` as AWX sends it: id, <kind>: job id, created, modified, group_name, counter,
// uuid, parent_uuid, event, event_data, stdout, start_line, end_line, failed, changed, event_level,
// play, role, task, host_name. `eventData` is the stored JSON text, inserted as it is. A QString:
// it goes out as a text frame, and QWebSocket takes those as QStrings.
QString eventMessage(const QString &kind, const JobEvent &event, qint64 rowId);
// {"unified_job_id", "status", "type", "group_name": "jobs", "finished"? }
QByteArray statusMessage(qint64 jobId, const QString &kind, JobStatus status, const QDateTime &finished);
// {"group_name": "jobs", "unified_job_id", "final_counter"}: all of a job's events are out.
QByteArray summaryMessage(qint64 jobId, int finalCounter);
// Playdeck's own, for a client that could not keep up: its events of `jobId` from `firstMissed` on
// were not sent live; they follow from the database once it has read what it was sent.
QByteArray behindMessage(const Group &group, qint64 jobId, int firstMissed);

// AWX's event_level: 0 playbook, 1 play, 2 task, 3 host result (AWX's job_event.py levels).
int eventLevel(const QString &event);

} // namespace playdeck::api

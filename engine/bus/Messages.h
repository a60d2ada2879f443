#pragma once

#include "core/JobStatus.h"
#include "resources/ResourceSchema.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <optional>
#include <variant>

namespace playdeck::bus {

// Every message the engine sends over PostgreSQL LISTEN/NOTIFY, one struct per kind, with one
// encoder and one decoder (Messages.cpp). A message travels on its own channel (lowercase, no dots:
// Qt quotes channel names); payloads stay far below PostgreSQL's 8000-byte limit.

// A task-manager run is wanted (a job was launched or finished, capacity changed).
struct ScheduleRequested {
    friend bool operator==(const ScheduleRequested &, const ScheduleRequested &) = default;
};

// A job changed. With a status, it moved to that status; without one, other fields changed (its
// events are all stored, it waits for input, ...): listeners re-read the job if they care.
struct JobChanged {
    qint64 jobId = 0;
    std::optional<JobStatus> status;
    friend bool operator==(const JobChanged &, const JobChanged &) = default;
};

// The events of a job up to `counter` are committed and can be read.
struct EventsCommitted {
    qint64 jobId = 0;
    int counter = 0;
    friend bool operator==(const EventsCommitted &, const EventsCommitted &) = default;
};

// Someone asked to cancel a job; whoever runs it stops it.
struct CancelRequested {
    qint64 jobId = 0;
    friend bool operator==(const CancelRequested &, const CancelRequested &) = default;
};

// The task manager sends a job to one instance's queue (AWX's dispatcher message).
struct DispatchJob {
    qint64 instanceId = 0;
    qint64 jobId = 0;
    QString uuid;
    friend bool operator==(const DispatchJob &, const DispatchJob &) = default;
};

// Resources of one kind (projects, inventories, credentials, templates, ...) were added, changed or
// removed: lists re-read them.
struct ResourcesChanged {
    ResourceKind kind = ResourceKind::JobTemplate;
    friend bool operator==(const ResourcesChanged &, const ResourcesChanged &) = default;
};

using Message = std::variant<ScheduleRequested, JobChanged, EventsCommitted, CancelRequested, DispatchJob,
                             ResourcesChanged>;

struct Encoded {
    QString channel;
    QByteArray payload;
};

Encoded encode(const Message &message);
// nullopt for a channel that is not ours or a payload that does not decode (logged by the caller).
std::optional<Message> decode(const QString &channel, const QByteArray &payload);

// The channels an instance listens on: everything broadcast, plus its own dispatch queue.
QStringList broadcastChannels();
QString dispatchChannel(qint64 instanceId);

} // namespace playdeck::bus

Q_DECLARE_METATYPE(playdeck::bus::JobChanged)
Q_DECLARE_METATYPE(playdeck::bus::EventsCommitted)
Q_DECLARE_METATYPE(playdeck::bus::DispatchJob)

#include "Messages.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace playdeck::bus {

namespace {

const QString kSchedule = QStringLiteral("playdeck_schedule");
const QString kJobChanged = QStringLiteral("playdeck_job_changed");
const QString kEvents = QStringLiteral("playdeck_events");
const QString kControl = QStringLiteral("playdeck_control");
const QString kResources = QStringLiteral("playdeck_resources");
const QLatin1String kDispatchPrefix("playdeck_dispatch_");

const QLatin1String kJob("job");
const QLatin1String kStatus("status");
const QLatin1String kCounter("counter");
const QLatin1String kCancel("cancel");
const QLatin1String kUuid("uuid");
const QLatin1String kKind("kind");

QByteArray compact(const QJsonObject &o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// An id must be a positive integer: anything else is a payload we did not write.
std::optional<qint64> positiveId(const QJsonObject &o, QLatin1String key) {
    const QJsonValue v = o.value(key);
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (d < 1 || d > 9.0e15 || d != double(qint64(d)))
        return std::nullopt;
    return qint64(d);
}

std::optional<QJsonObject> object(const QByteArray &payload) {
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

struct Encoder {
    Encoded operator()(const ScheduleRequested &) const { return {kSchedule, {}}; }
    Encoded operator()(const JobChanged &m) const {
        QJsonObject o{{kJob, m.jobId}};
        if (m.status)
            o.insert(kStatus, statusName(*m.status));
        return {kJobChanged, compact(o)};
    }
    Encoded operator()(const EventsCommitted &m) const {
        return {kEvents, compact({{kJob, m.jobId}, {kCounter, m.counter}})};
    }
    Encoded operator()(const CancelRequested &m) const { return {kControl, compact({{kCancel, m.jobId}})}; }
    Encoded operator()(const DispatchJob &m) const {
        return {dispatchChannel(m.instanceId), compact({{kJob, m.jobId}, {kUuid, m.uuid}})};
    }
    Encoded operator()(const ResourcesChanged &m) const {
        return {kResources, compact({{kKind, resourceSpec(m.kind).singular}})};
    }
};

} // namespace

QString dispatchChannel(qint64 instanceId) {
    return kDispatchPrefix + QString::number(instanceId);
}

QStringList broadcastChannels() {
    return {kSchedule, kJobChanged, kEvents, kControl, kResources};
}

Encoded encode(const Message &message) {
    return std::visit(Encoder{}, message);
}

std::optional<Message> decode(const QString &channel, const QByteArray &payload) {
    if (channel == kSchedule)
        return ScheduleRequested{};
    const auto o = object(payload);
    if (!o)
        return std::nullopt;
    if (channel == kJobChanged) {
        const auto id = positiveId(*o, kJob);
        if (!id)
            return std::nullopt;
        JobChanged m{*id, std::nullopt};
        if (o->contains(kStatus)) {
            m.status = statusFromName(o->value(kStatus).toString());
            if (!m.status)
                return std::nullopt;
        }
        return m;
    }
    if (channel == kEvents) {
        const auto id = positiveId(*o, kJob);
        const QJsonValue counter = o->value(kCounter);
        if (!id || !counter.isDouble() || counter.toDouble() < 0 || counter.toDouble() > 2147483647.0)
            return std::nullopt;
        return EventsCommitted{*id, counter.toInt()};
    }
    if (channel == kControl) {
        const auto id = positiveId(*o, kCancel);
        if (!id)
            return std::nullopt;
        return CancelRequested{*id};
    }
    if (channel == kResources) {
        const auto kind = resourceKindFromName(o->value(kKind).toString());
        if (!kind)
            return std::nullopt;
        return ResourcesChanged{*kind};
    }
    if (channel.startsWith(kDispatchPrefix)) {
        bool ok = false;
        const qint64 instance = channel.mid(kDispatchPrefix.size()).toLongLong(&ok);
        const auto id = positiveId(*o, kJob);
        if (!ok || instance <= 0 || !id)
            return std::nullopt;
        return DispatchJob{instance, *id, o->value(kUuid).toString()};
    }
    return std::nullopt;
}

} // namespace playdeck::bus

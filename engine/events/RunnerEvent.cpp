#include "RunnerEvent.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace playdeck {

bool isFailedEvent(const QString &event) {
    static const QStringList failed{
        QStringLiteral("runner_on_failed"),      QStringLiteral("runner_on_error"),
        QStringLiteral("runner_on_unreachable"), QStringLiteral("runner_on_async_failed"),
        QStringLiteral("runner_item_on_failed"), QStringLiteral("error")};
    return failed.contains(event);
}

JobEvent eventFromRunner(qint64 jobId, const QJsonObject &line) {
    JobEvent e;
    e.jobId = jobId;
    e.counter = line.value(QLatin1String("counter")).toInt();
    e.event = line.value(QLatin1String("event")).toString();
    e.uuid = line.value(QLatin1String("uuid")).toString();
    e.parentUuid = line.value(QLatin1String("parent_uuid")).toString();
    e.stdout = line.value(QLatin1String("stdout")).toString();
    e.startLine = line.value(QLatin1String("start_line")).toInt();
    e.endLine = line.value(QLatin1String("end_line")).toInt();
    e.verbosity = line.value(QLatin1String("verbosity")).toInt();
    e.created = QDateTime::fromString(line.value(QLatin1String("created")).toString(), Qt::ISODateWithMs);
    if (!e.created.isValid())
        e.created = QDateTime::currentDateTimeUtc();
    e.created.setTimeSpec(Qt::UTC); // the runner writes naive UTC timestamps

    const QJsonObject data = line.value(QLatin1String("event_data")).toObject();
    e.eventData = QJsonDocument(data).toJson(QJsonDocument::Compact);
    e.hostName = data.value(QLatin1String("host")).toString();
    e.play = data.value(QLatin1String("play")).toString();
    e.task = data.value(QLatin1String("task")).toString();
    e.role = data.value(QLatin1String("role")).toString();
    e.taskAction = data.value(QLatin1String("task_action")).toString();

    if (e.event == QLatin1String("playbook_on_stats")) {
        e.failed = !data.value(QLatin1String("failures")).toObject().isEmpty() ||
                   !data.value(QLatin1String("dark")).toObject().isEmpty();
        e.changed = !data.value(QLatin1String("changed")).toObject().isEmpty();
    } else {
        e.failed = isFailedEvent(e.event) && !data.value(QLatin1String("ignore_errors")).toBool();
        e.changed = data.value(QLatin1String("res")).toObject().value(QLatin1String("changed")).toBool();
    }
    return e;
}

bool truncateEventRes(JobEvent &event, qsizetype limit) {
    // Only an event_data bigger than the limit can hold a res bigger than it: most events cost one
    // comparison here.
    if (event.eventData.size() <= limit || event.event == QLatin1String("playbook_on_stats"))
        return false;
    QJsonObject data = QJsonDocument::fromJson(event.eventData).object();
    const auto res = data.constFind(QLatin1String("res"));
    if (res == data.constEnd())
        return false;
    const qsizetype bytes =
        res->isObject()  ? QJsonDocument(res->toObject()).toJson(QJsonDocument::Compact).size()
        : res->isArray() ? QJsonDocument(res->toArray()).toJson(QJsonDocument::Compact).size()
                         : res->toString().toUtf8().size();
    if (bytes <= limit)
        return false;
    data.insert(QLatin1String("res"), QJsonObject());
    data.insert(QLatin1String("res_truncated"), QJsonObject{{QLatin1String("bytes"), double(bytes)},
                                                            {QLatin1String("limit"), double(limit)}});
    event.eventData = QJsonDocument(data).toJson(QJsonDocument::Compact);
    return true;
}

} // namespace playdeck

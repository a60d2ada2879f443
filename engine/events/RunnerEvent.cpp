#include "RunnerEvent.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace playdeck {

namespace {

// PostgreSQL text and jsonb cannot hold U+0000; a task may well print one. Drop it rather than
// have the database refuse the event.
QString withoutNul(QString s) {
    return s.contains(QChar(0)) ? s.remove(QChar(0)) : s;
}

QJsonValue withoutNul(const QJsonValue &v) {
    if (v.isString())
        return withoutNul(v.toString());
    if (v.isArray()) {
        QJsonArray out;
        for (const QJsonValue &item : v.toArray())
            out.append(withoutNul(item));
        return out;
    }
    if (v.isObject()) {
        QJsonObject out;
        const QJsonObject in = v.toObject();
        for (auto it = in.begin(); it != in.end(); ++it)
            out.insert(withoutNul(it.key()), withoutNul(it.value()));
        return out;
    }
    return v;
}

} // namespace

JobEvent eventFromRunner(qint64 jobId, const QJsonObject &line) {
    JobEvent e;
    e.jobId = jobId;
    e.counter = line.value(QLatin1String("counter")).toInt();
    e.event = line.value(QLatin1String("event")).toString();
    e.uuid = line.value(QLatin1String("uuid")).toString();
    e.parentUuid = line.value(QLatin1String("parent_uuid")).toString();
    e.stdout = withoutNul(line.value(QLatin1String("stdout")).toString());
    e.startLine = line.value(QLatin1String("start_line")).toInt();
    e.endLine = line.value(QLatin1String("end_line")).toInt();
    e.verbosity = line.value(QLatin1String("verbosity")).toInt();
    e.created = QDateTime::fromString(line.value(QLatin1String("created")).toString(), Qt::ISODateWithMs);
    if (!e.created.isValid())
        e.created = QDateTime::currentDateTimeUtc();
    e.created.setTimeSpec(Qt::UTC); // the runner writes naive UTC timestamps

    QJsonObject data = line.value(QLatin1String("event_data")).toObject();
    e.eventData = QJsonDocument(data).toJson(QJsonDocument::Compact);
    if (e.eventData.contains("\\u0000")) {
        data = withoutNul(data).toObject();
        e.eventData = QJsonDocument(data).toJson(QJsonDocument::Compact);
    }
    e.hostName = data.value(QLatin1String("host")).toString();
    e.play = data.value(QLatin1String("play")).toString();
    e.task = data.value(QLatin1String("task")).toString();
    e.role = data.value(QLatin1String("role")).toString();

    const bool ignoreErrors = data.value(QLatin1String("ignore_errors")).toBool();
    if (e.event == QLatin1String("runner_on_failed") || e.event == QLatin1String("runner_item_on_failed"))
        e.failed = !ignoreErrors;
    else if (e.event == QLatin1String("runner_on_unreachable") ||
             e.event == QLatin1String("runner_on_async_failed"))
        e.failed = true;
    else if (e.event == QLatin1String("playbook_on_stats"))
        e.failed = !data.value(QLatin1String("failures")).toObject().isEmpty() ||
                   !data.value(QLatin1String("dark")).toObject().isEmpty();
    const QJsonObject res = data.value(QLatin1String("res")).toObject();
    e.changed = res.value(QLatin1String("changed")).toBool();
    if (e.event == QLatin1String("playbook_on_stats"))
        e.changed = !data.value(QLatin1String("changed")).toObject().isEmpty();
    return e;
}

} // namespace playdeck

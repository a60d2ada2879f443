#include "AwxSocketMessages.h"

#include "core/JsonWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace playdeck::api {

namespace {

// The object-scoped event groups and the unified job kind each carries.
struct EventGroupKind {
    const char *group;
    const char *kind;
};
constexpr EventGroupKind kEventGroups[] = {{"job_events", "job"},
                                           {"project_update_events", "project_update"},
                                           {"inventory_update_events", "inventory_update"},
                                           {"ad_hoc_command_events", "ad_hoc_command"},
                                           {"system_job_events", "system_job"}};

QByteArray compact(const QJsonObject &o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonArray sorted(const QSet<Group> &groups) {
    QStringList list(groups.begin(), groups.end());
    list.sort();
    return QJsonArray::fromStringList(list);
}

QString iso(const QDateTime &t) {
    return t.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace

ParsedSubscription parseSubscription(const QByteArray &message) {
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(message, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return {std::nullopt, QStringLiteral("not a JSON object")};
    const QJsonObject o = doc.object();
    if (!o.contains(QLatin1String("groups")))
        return {std::nullopt, QString()}; // something else (AWX ignores it too)
    if (!o.value(QLatin1String("groups")).isObject())
        return {std::nullopt, QStringLiteral("groups must be an object")};
    Subscription s;
    const QJsonObject groups = o.value(QLatin1String("groups")).toObject();
    for (auto it = groups.begin(); it != groups.end(); ++it) {
        if (!it.value().isArray())
            return {std::nullopt,
                    QStringLiteral("access denied to channel %1: values must be lists").arg(it.key())};
        for (const QJsonValue &v : it.value().toArray()) {
            // AWX's clients send job ids as numbers or as strings ("42").
            const QString value = v.isDouble() ? QString::number(qint64(v.toDouble())) : v.toString();
            if (value.isEmpty())
                return {std::nullopt, QStringLiteral("access denied to channel %1").arg(it.key())};
            s.groups.insert(it.key() + QLatin1Char('-') + value);
        }
    }
    return {s, QString()};
}

qint64 eventGroupJob(const Group &group) {
    for (const EventGroupKind &k : kEventGroups) {
        const QLatin1String prefix(k.group);
        if (group.size() > prefix.size() + 1 && group.startsWith(prefix) &&
            group.at(prefix.size()) == QLatin1Char('-')) {
            bool ok = false;
            const qint64 id = group.mid(prefix.size() + 1).toLongLong(&ok);
            return ok && id > 0 ? id : 0;
        }
    }
    return 0;
}

Group eventGroupOf(const QString &kind, qint64 jobId) {
    for (const EventGroupKind &k : kEventGroups)
        if (kind == QLatin1String(k.kind))
            return QLatin1String(k.group) + QLatin1Char('-') + QString::number(jobId);
    return QStringLiteral("job_events-%1").arg(jobId);
}

QByteArray groupsReply(const QSet<Group> &current, const QSet<Group> &left, const QSet<Group> &joined) {
    return compact({{QStringLiteral("groups_current"), sorted(current)},
                    {QStringLiteral("groups_left"), sorted(left)},
                    {QStringLiteral("groups_joined"), sorted(joined)}});
}

QByteArray acceptMessage() {
    return compact({{QStringLiteral("accept"), true}, {QStringLiteral("user"), 1}});
}

QByteArray closeMessage() {
    return compact({{QStringLiteral("close"), true}});
}

QByteArray errorMessage(const QString &error) {
    return compact({{QStringLiteral("error"), error}});
}

int eventLevel(const QString &event) {
    if (event == QLatin1String("playbook_on_play_start"))
        return 1;
    if (event.startsWith(QLatin1String("runner_")))
        return 3;
    if (event == QLatin1String("playbook_on_start") || event == QLatin1String("playbook_on_stats") ||
        event == QLatin1String("playbook_on_vars_prompt") || !event.startsWith(QLatin1String("playbook_on_")))
        return 0;
    return 2;
}

QString eventMessage(const QString &kind, const JobEvent &e, qint64 rowId) {
    // Written by hand: the QJsonObject this was built with, its serialisation and the conversion
    // back to UTF-16 for QWebSocket were most of the websocket thread's time per event.
    const Group group = eventGroupOf(kind, e.jobId);
    QString text;
    text.reserve(320 + e.stdout.size() + e.eventData.size());
    const auto key = [&text](QStringView name) {
        text += QLatin1Char(text.isEmpty() ? '{' : ',');
        text += QLatin1Char('"');
        text += name;
        text += QLatin1String("\":");
    };
    const auto string = [&](QStringView name, QStringView value) {
        key(name);
        appendJsonString(text, value);
    };
    const auto number = [&](QStringView name, qint64 value) {
        key(name);
        text += QString::number(value);
    };
    const auto boolean = [&](QStringView name, bool value) {
        key(name);
        text += value ? QLatin1String("true") : QLatin1String("false");
    };
    const QString created = iso(e.created);
    number(u"id", rowId);
    number(QStringView(kind), e.jobId);
    string(u"created", created);
    string(u"modified", created);
    string(u"group_name", QStringView(group).left(group.lastIndexOf(QLatin1Char('-'))));
    number(u"counter", e.counter);
    string(u"uuid", e.uuid);
    string(u"parent_uuid", e.parentUuid);
    string(u"event", e.event);
    string(u"stdout", e.stdout);
    number(u"start_line", e.startLine);
    number(u"end_line", e.endLine);
    boolean(u"failed", e.failed);
    boolean(u"changed", e.changed);
    number(u"event_level", eventLevel(e.event));
    string(u"play", e.play);
    string(u"role", e.role);
    string(u"task", e.task);
    string(u"host_name", e.hostName);
    number(u"verbosity", e.verbosity);
    if (kind == QLatin1String("job"))
        string(u"url", QStringLiteral("/api/v2/job_events/%1/").arg(rowId));
    // event_data goes in as the stored text (valid JSON): no parse and re-serialise.
    key(u"event_data");
    text += e.eventData.isEmpty() ? QStringLiteral("{}") : QString::fromUtf8(e.eventData);
    text += QLatin1Char('}');
    return text;
}

QByteArray statusMessage(qint64 jobId, const QString &kind, JobStatus status, const QDateTime &finished) {
    QJsonObject o{{QStringLiteral("unified_job_id"), jobId},
                  {QStringLiteral("status"), statusName(status)},
                  {QStringLiteral("type"), kind},
                  {QStringLiteral("group_name"), QStringLiteral("jobs")}};
    if (finished.isValid() && isFinished(status))
        o.insert(QStringLiteral("finished"),
                 finished.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz000Z")));
    return compact(o);
}

QByteArray summaryMessage(qint64 jobId, int finalCounter) {
    return compact({{QStringLiteral("group_name"), QStringLiteral("jobs")},
                    {QStringLiteral("unified_job_id"), jobId},
                    {QStringLiteral("final_counter"), finalCounter}});
}

QByteArray behindMessage(const Group &group, qint64 jobId, int firstMissed) {
    return compact({{QStringLiteral("group_name"), group.left(group.lastIndexOf(QLatin1Char('-')))},
                    {QStringLiteral("unified_job_id"), jobId},
                    {QStringLiteral("behind"), true},
                    {QStringLiteral("first_missed_counter"), firstMissed}});
}

} // namespace playdeck::api

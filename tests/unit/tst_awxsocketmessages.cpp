// AWX's websocket messages (reference/awx-engine.md section 7): what clients send, parsed; what
// Playdeck sends, in AWX's shapes.

#include "api/AwxSocketMessages.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace playdeck;
using namespace playdeck::api;

class AwxSocketMessagesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void subscriptionsAsAwxClientsSendThem() {
        // The debug page of seed 003 sends ids as strings, others as numbers.
        const ParsedSubscription p = parseSubscription(
            R"({"groups": {"jobs": ["status_changed", "summary"], "job_events": ["42", 7], "control": ["limit_reached_1"]},)"
            R"( "xrftoken": "abc"})");
        QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        QVERIFY(p.subscription);
        QCOMPARE(p.subscription->groups,
                 (QSet<Group>{QStringLiteral("jobs-status_changed"), QStringLiteral("jobs-summary"),
                              QStringLiteral("job_events-42"), QStringLiteral("job_events-7"),
                              QStringLiteral("control-limit_reached_1")}));
        // Everything off.
        const ParsedSubscription none = parseSubscription(R"({"groups": {}, "xrftoken": "abc"})");
        QVERIFY(none.subscription && none.subscription->groups.isEmpty());
        // Not a subscription: ignored, no error.
        const ParsedSubscription other = parseSubscription(R"({"hello": 1})");
        QVERIFY(!other.subscription && other.error.isEmpty());
        // Refused.
        QVERIFY(!parseSubscription("not json").error.isEmpty());
        QVERIFY(!parseSubscription(R"({"groups": {"job_events": 42}})").error.isEmpty());
        QVERIFY(!parseSubscription(R"({"groups": []})").error.isEmpty());
    }

    void eventGroups() {
        QCOMPARE(eventGroupJob(QStringLiteral("job_events-42")), 42);
        QCOMPARE(eventGroupJob(QStringLiteral("project_update_events-7")), 7);
        QCOMPARE(eventGroupJob(QStringLiteral("inventory_update_events-9")), 9);
        QCOMPARE(eventGroupJob(QStringLiteral("jobs-status_changed")), 0);
        QCOMPARE(eventGroupJob(QStringLiteral("job_events-x")), 0);
        QCOMPARE(eventGroupJob(QStringLiteral("job_events-")), 0);
        QCOMPARE(eventGroupJob(QStringLiteral("job_events-0")), 0);
        QCOMPARE(eventGroupOf(QStringLiteral("project_update"), 7),
                 QStringLiteral("project_update_events-7"));
        QCOMPARE(eventGroupOf(QStringLiteral("job"), 3), QStringLiteral("job_events-3"));
    }

    void eventsInAwxShape() {
        JobEvent e;
        e.jobId = 5;
        e.counter = 12;
        e.event = QStringLiteral("runner_on_ok");
        e.stdout = QStringLiteral("ok: [web1]");
        e.eventData = R"({"host": "web1", "res": {"changed": false}})";
        e.created = QDateTime(QDate(2026, 12, 1), QTime(12, 0, 0, 123), Qt::UTC);
        e.hostName = QStringLiteral("web1");
        const QJsonObject o =
            QJsonDocument::fromJson(eventMessage(QStringLiteral("job"), e, 900).toUtf8()).object();
        QCOMPARE(o.value(QStringLiteral("id")).toInt(), 900);
        QCOMPARE(o.value(QStringLiteral("job")).toInt(), 5);
        QCOMPARE(o.value(QStringLiteral("group_name")).toString(), QStringLiteral("job_events"));
        QCOMPARE(o.value(QStringLiteral("counter")).toInt(), 12);
        QCOMPARE(o.value(QStringLiteral("created")).toString(), QStringLiteral("2026-12-01T12:00:00.123Z"));
        QCOMPARE(o.value(QStringLiteral("url")).toString(), QStringLiteral("/api/v2/job_events/900/"));
        QCOMPARE(o.value(QStringLiteral("event_level")).toInt(), 3);
        QCOMPARE(o.value(QStringLiteral("event_data")).toObject().value(QStringLiteral("host")).toString(),
                 QStringLiteral("web1"));
        // A project update's events carry its id under its kind, as AWX's do.
        const QJsonObject update =
            QJsonDocument::fromJson(eventMessage(QStringLiteral("project_update"), e, 901).toUtf8()).object();
        QCOMPARE(update.value(QStringLiteral("project_update")).toInt(), 5);
        QCOMPARE(update.value(QStringLiteral("group_name")).toString(),
                 QStringLiteral("project_update_events"));
        QVERIFY(!update.contains(QStringLiteral("url")));
        // Text that JSON escapes comes back as it was: quotes, backslashes, ANSI colours, newlines,
        // other control characters and characters beyond Latin-1.
        e.stdout = QStringLiteral(
            "say \"hi\" \\ \x1b[0;32mok\x1b[0m\r\n\ttab \x01 gr\u00fc\u00dfe \u2713 \U0001F600");
        e.task = QStringLiteral("quote \" and \u007f");
        const QJsonObject escaped =
            QJsonDocument::fromJson(eventMessage(QStringLiteral("job"), e, 902).toUtf8()).object();
        QCOMPARE(escaped.value(QStringLiteral("stdout")).toString(), e.stdout);
        QCOMPARE(escaped.value(QStringLiteral("task")).toString(), e.task);
        // Empty event_data is still an object.
        e.eventData.clear();
        QVERIFY(QJsonDocument::fromJson(eventMessage(QStringLiteral("job"), e, 1).toUtf8())
                    .object()
                    .value(QStringLiteral("event_data"))
                    .isObject());
    }

    void statusAndSummary() {
        const QJsonObject running =
            QJsonDocument::fromJson(statusMessage(3, QStringLiteral("job"), JobStatus::Running, {})).object();
        QCOMPARE(running.value(QStringLiteral("status")).toString(), QStringLiteral("running"));
        QCOMPARE(running.value(QStringLiteral("type")).toString(), QStringLiteral("job"));
        QVERIFY(!running.contains(QStringLiteral("finished")));
        const QJsonObject done =
            QJsonDocument::fromJson(statusMessage(3, QStringLiteral("job"), JobStatus::Failed,
                                                  QDateTime(QDate(2026, 12, 1), QTime(12, 0, 1, 5), Qt::UTC)))
                .object();
        QCOMPARE(done.value(QStringLiteral("finished")).toString(),
                 QStringLiteral("2026-12-01T12:00:01.005000Z"));
        const QJsonObject summary = QJsonDocument::fromJson(summaryMessage(3, 99)).object();
        QCOMPARE(summary.value(QStringLiteral("final_counter")).toInt(), 99);
        QCOMPARE(summary.value(QStringLiteral("group_name")).toString(), QStringLiteral("jobs"));
        const QJsonObject reply =
            QJsonDocument::fromJson(
                groupsReply({QStringLiteral("b"), QStringLiteral("a")}, {}, {QStringLiteral("a")}))
                .object();
        QCOMPARE(reply.value(QStringLiteral("groups_current")).toArray(),
                 (QJsonArray{QStringLiteral("a"), QStringLiteral("b")}));
    }

    void levels() {
        QCOMPARE(eventLevel(QStringLiteral("playbook_on_start")), 0);
        QCOMPARE(eventLevel(QStringLiteral("playbook_on_play_start")), 1);
        QCOMPARE(eventLevel(QStringLiteral("playbook_on_task_start")), 2);
        QCOMPARE(eventLevel(QStringLiteral("runner_item_on_ok")), 3);
        QCOMPARE(eventLevel(QStringLiteral("playbook_on_stats")), 0);
        QCOMPARE(eventLevel(QStringLiteral("verbose")), 0);
    }
};

QTEST_GUILESS_MAIN(AwxSocketMessagesTest)
#include "tst_awxsocketmessages.moc"

// Telling a playbook that waits at a prompt from one that is merely quiet, from the events that a
// real ansible-runner 2.3 sends (recorded by hand from vars_prompt and pause playbooks).

#include "runner/InputWait.h"

#include <QJsonDocument>
#include <QTest>

using namespace playdeck;

namespace {
// What a runner event line carries that the detector looks at.
struct Event {
    QString name;
    QJsonObject data;
    QString stdout;
};
Event makeEvent(const char *name, const char *data = "{}", const char *stdout = "") {
    return {QString::fromLatin1(name), QJsonDocument::fromJson(data).object(), QString::fromLatin1(stdout)};
}
void feed(InputWaitDetector &d, const Event &e, qint64 nowMs) {
    JobEvent event;
    event.event = e.name;
    event.eventData = QJsonDocument(e.data).toJson(QJsonDocument::Compact);
    event.taskAction = e.data.value(QStringLiteral("task_action")).toString();
    event.stdout = e.stdout;
    d.onEvent(event, nowMs);
}
const char *const kPauseData = R"({"task": "Ask", "task_action": "pause", "task_args": ""})";
} // namespace

class InputWaitTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void varsPromptWaitsAtOnce() {
        InputWaitDetector d;
        feed(d, makeEvent("playbook_on_start"), 0);
        QVERIFY(!d.waitingAt(0));
        feed(d,
             makeEvent("playbook_on_vars_prompt",
                       R"({"varname": "username", "private": false, "prompt": "What is your username?"})"),
             10);
        feed(d, makeEvent("verbose", "{}", "What is your username?: "), 11);
        QCOMPARE(d.waitingAt(12).value_or(QString()),
                 QStringLiteral("What is your username? (variable username)"));
        // An answer (the playbook goes on) clears it.
        feed(d, makeEvent("playbook_on_play_start"), 500);
        QVERIFY(!d.waitingAt(501));
    }
    void pausePromptWaitsAfterAQuietMoment() {
        InputWaitDetector d;
        feed(d, makeEvent("playbook_on_task_start", kPauseData), 0);
        feed(d, makeEvent("runner_on_start", kPauseData), 1);
        feed(d, makeEvent("verbose", kPauseData, ""), 2);
        feed(d, makeEvent("verbose", kPauseData, "[Ask]\r\nPress enter to continue:"), 3);
        QVERIFY(!d.waitingAt(100));
        QCOMPARE(d.recheckAt().value_or(-1), 3 + InputWaitDetector::kPauseQuietMs);
        QCOMPARE(d.waitingAt(3 + InputWaitDetector::kPauseQuietMs).value_or(QString()),
                 QStringLiteral("Press enter to continue:"));
        feed(d, makeEvent("runner_on_ok", kPauseData), 5000);
        QVERIFY(!d.waitingAt(9000));
        QVERIFY(!d.recheckAt());
    }
    void aTimedPauseIsNotWaitingForAnyone() {
        InputWaitDetector d;
        feed(d, makeEvent("runner_on_start", kPauseData), 0);
        feed(d, makeEvent("verbose", kPauseData, "Pausing for 30 seconds"), 1);
        feed(d,
             makeEvent("verbose", kPauseData, "(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)"),
             2);
        QVERIFY(!d.waitingAt(60000));
    }
    void aQuietTaskIsNotAPrompt() {
        InputWaitDetector d;
        feed(d, makeEvent("runner_on_start", R"({"task_action": "command"})"), 0);
        feed(d, makeEvent("verbose", "{}", "doing things:"), 1);
        QVERIFY(!d.waitingAt(60000));
    }
    void theMessageSaysWhatToDo() {
        const QString m = inputWaitMessage(QStringLiteral("Name? (variable name)"));
        QVERIFY(m.contains(QStringLiteral("Name?")));
        QVERIFY(m.contains(QStringLiteral("cancel")));
        QVERIFY(m.contains(QStringLiteral("extra variable")));
    }
};

QTEST_GUILESS_MAIN(InputWaitTest)
#include "tst_inputwait.moc"

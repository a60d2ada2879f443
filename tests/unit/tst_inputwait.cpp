// Telling a playbook that waits at a prompt from one that is merely quiet, from the events that a
// real ansible-runner 2.3 sends (recorded by hand from vars_prompt and pause playbooks).

#include "runner/InputWait.h"

#include <QJsonDocument>
#include <QTest>

using namespace playdeck;

namespace {
JobEvent makeEvent(const char *name, const char *data = "{}", const char *stdout = "") {
    JobEvent e;
    e.event = QString::fromLatin1(name);
    e.eventData = data;
    e.stdout = QString::fromLatin1(stdout);
    return e;
}
const char *const kPauseData = R"({"task": "Ask", "task_action": "pause", "task_args": ""})";
} // namespace

class InputWaitTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void varsPromptWaitsAtOnce() {
        InputWaitDetector d;
        d.onEvent(makeEvent("playbook_on_start"), 0);
        QVERIFY(!d.waitingAt(0));
        d.onEvent(
            makeEvent("playbook_on_vars_prompt",
                      R"({"varname": "username", "private": false, "prompt": "What is your username?"})"),
            10);
        d.onEvent(makeEvent("verbose", "{}", "What is your username?: "), 11);
        QCOMPARE(d.waitingAt(12).value_or(QString()),
                 QStringLiteral("What is your username? (variable username)"));
        // An answer (the playbook goes on) clears it.
        d.onEvent(makeEvent("playbook_on_play_start"), 500);
        QVERIFY(!d.waitingAt(501));
    }
    void pausePromptWaitsAfterAQuietMoment() {
        InputWaitDetector d;
        d.onEvent(makeEvent("playbook_on_task_start", kPauseData), 0);
        d.onEvent(makeEvent("runner_on_start", kPauseData), 1);
        d.onEvent(makeEvent("verbose", kPauseData, ""), 2);
        d.onEvent(makeEvent("verbose", kPauseData, "[Ask]\r\nPress enter to continue:"), 3);
        QVERIFY(!d.waitingAt(100));
        QCOMPARE(d.recheckAt().value_or(-1), 3 + InputWaitDetector::kPauseQuietMs);
        QCOMPARE(d.waitingAt(3 + InputWaitDetector::kPauseQuietMs).value_or(QString()),
                 QStringLiteral("Press enter to continue:"));
        d.onEvent(makeEvent("runner_on_ok", kPauseData), 5000);
        QVERIFY(!d.waitingAt(9000));
        QVERIFY(!d.recheckAt());
    }
    void aTimedPauseIsNotWaitingForAnyone() {
        InputWaitDetector d;
        d.onEvent(makeEvent("runner_on_start", kPauseData), 0);
        d.onEvent(makeEvent("verbose", kPauseData, "Pausing for 30 seconds"), 1);
        d.onEvent(
            makeEvent("verbose", kPauseData, "(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)"),
            2);
        QVERIFY(!d.waitingAt(60000));
    }
    void aQuietTaskIsNotAPrompt() {
        InputWaitDetector d;
        d.onEvent(makeEvent("runner_on_start", R"({"task_action": "command"})"), 0);
        d.onEvent(makeEvent("verbose", "{}", "doing things:"), 1);
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

#pragma once

#include "model/JobEvent.h"

#include <QJsonObject>

#include <QString>

#include <optional>

namespace playdeck {

// Tells when a playbook sits at a prompt that nobody can answer: a vars_prompt without a default
// (ansible-runner sends playbook_on_vars_prompt, then the prompt, then nothing) or a `pause` with a
// prompt (the task starts, its prompt is printed, then nothing). ansible waits there until a timeout
// or a cancel, which looks like a hung job unless someone says why.
class InputWaitDetector {
public:
    static constexpr int kPauseQuietMs = 1500; // a pause task this quiet after its prompt is waiting

    // Every event of the job, in order: cheap for all but the rare vars_prompt event.
    void onEvent(const JobEvent &event, qint64 nowMs);
    // The prompt the playbook waits at, or nothing. `nowMs` on the same clock as onEvent's.
    std::optional<QString> waitingAt(qint64 nowMs) const;
    // When to ask waitingAt() again to catch a pause prompt (nothing: no need).
    std::optional<qint64> recheckAt() const;

private:
    enum class State { Running, VarsPrompt, PauseTask, PausePrompt };
    State m_state = State::Running;
    QString m_prompt;
    QString m_variable;
    bool m_timedPause = false;
    qint64 m_lastEventMs = 0;
};

} // namespace playdeck

namespace playdeck {
// What the window and the command line say about a job waiting at `prompt`, with what to do.
QString inputWaitMessage(const QString &prompt);
} // namespace playdeck

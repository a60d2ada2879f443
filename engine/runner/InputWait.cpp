#include "InputWait.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>

namespace playdeck {

namespace {

QString lastLine(QString text) {
    text.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return lines.isEmpty() ? QString() : lines.last().trimmed();
}

bool isPauseAction(const QString &action) {
    return action == QLatin1String("pause") || action == QLatin1String("ansible.builtin.pause") ||
           action == QLatin1String("ansible.legacy.pause");
}

} // namespace

void InputWaitDetector::onEvent(const JobEvent &e, qint64 nowMs) {
    const QString &event = e.event;
    const QString &stdout = e.stdout;
    m_lastEventMs = nowMs;
    if (event == QLatin1String("playbook_on_vars_prompt")) {
        const QJsonObject data = QJsonDocument::fromJson(e.eventData).object();
        m_state = State::VarsPrompt;
        m_variable = data.value(QLatin1String("varname")).toString();
        m_prompt = data.value(QLatin1String("prompt")).toString();
        return;
    }
    if (event == QLatin1String("verbose") && (m_state == State::VarsPrompt))
        return; // the prompt itself, printed
    if (event == QLatin1String("runner_on_start") && isPauseAction(e.taskAction)) {
        m_state = State::PauseTask;
        m_timedPause = false;
        m_prompt.clear();
        return;
    }
    if (event == QLatin1String("verbose") && (m_state == State::PauseTask || m_state == State::PausePrompt)) {
        // A timed pause prints "Pausing for N seconds" and goes on by itself: nobody needs to answer.
        if (stdout.contains(QLatin1String("Pausing for ")))
            m_timedPause = true;
        const QString line = lastLine(stdout);
        if (!line.isEmpty() && !m_timedPause && !line.startsWith(QLatin1String("(ctrl+C"))) {
            m_state = State::PausePrompt;
            m_prompt = line;
        }
        return;
    }
    if (m_state == State::Running)
        return; // the common case: nothing to forget
    m_state = State::Running;
    m_prompt.clear();
    m_variable.clear();
}

std::optional<QString> InputWaitDetector::waitingAt(qint64 nowMs) const {
    switch (m_state) {
    case State::VarsPrompt: {
        const QString prompt = m_prompt.isEmpty() ? m_variable : m_prompt;
        if (m_variable.isEmpty())
            return prompt;
        return QObject::tr("%1 (variable %2)").arg(prompt, m_variable);
    }
    case State::PausePrompt:
        if (nowMs - m_lastEventMs >= kPauseQuietMs)
            return m_prompt;
        return std::nullopt;
    case State::Running:
    case State::PauseTask:
        return std::nullopt;
    }
    return std::nullopt;
}

std::optional<qint64> InputWaitDetector::recheckAt() const {
    if (m_state == State::PausePrompt)
        return m_lastEventMs + kPauseQuietMs;
    return std::nullopt;
}

} // namespace playdeck

namespace playdeck {
QString inputWaitMessage(const QString &prompt) {
    return QObject::tr(
               "Waiting for input at: %1. Nobody can answer a prompt here: cancel the job, or launch it "
               "again with the variable given as an extra variable (ansible then skips the prompt).")
        .arg(prompt);
}
} // namespace playdeck

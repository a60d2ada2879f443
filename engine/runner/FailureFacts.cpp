#include "FailureFacts.h"

#include <QObject>

namespace playdeck {

namespace {

constexpr int kHostsNamed = 5;

QString hostList(const QStringList &hosts) {
    if (hosts.size() <= kHostsNamed)
        return hosts.join(QStringLiteral(", "));
    return QObject::tr("%1 and %2 more")
        .arg(hosts.mid(0, kHostsNamed).join(QStringLiteral(", ")))
        .arg(hosts.size() - kHostsNamed);
}

} // namespace

void FailureFacts::onEvent(const JobEvent &e) {
    if (e.event == QLatin1String("playbook_on_start")) {
        m_sawPlaybookStart = true;
    } else if (e.event == QLatin1String("playbook_on_stats")) {
        m_sawStats = true;
    } else if (e.event == QLatin1String("runner_on_unreachable")) {
        if (!e.hostName.isEmpty() && !m_unreachable.contains(e.hostName))
            m_unreachable.append(e.hostName);
    } else if (e.failed && (e.event == QLatin1String("runner_on_failed") ||
                            e.event == QLatin1String("runner_on_async_failed"))) {
        // Item failures end in a runner_on_failed for the task as a whole: count that one only.
        const QString task = e.task.isEmpty() ? QObject::tr("(unnamed task)") : e.task;
        auto it = std::find_if(m_failedTasks.begin(), m_failedTasks.end(),
                               [&](const FailedTask &t) { return t.task == task; });
        if (it == m_failedTasks.end())
            it = m_failedTasks.insert(m_failedTasks.end(), {task, {}});
        if (!e.hostName.isEmpty() && !it->hosts.contains(e.hostName))
            it->hosts.append(e.hostName);
    }
}

QString FailureFacts::explain() const {
    QStringList sentences;
    // Singular and plural spelled out: the window and the command line load no English plural forms.
    if (m_unreachable.size() == 1)
        sentences << QObject::tr("1 host unreachable: %1.").arg(m_unreachable.first());
    else if (!m_unreachable.isEmpty())
        sentences << QObject::tr("%1 hosts unreachable: %2.")
                         .arg(m_unreachable.size())
                         .arg(hostList(m_unreachable));
    for (const FailedTask &t : m_failedTasks) {
        if (t.hosts.isEmpty())
            sentences << QObject::tr("Task '%1' failed.").arg(t.task);
        else if (t.hosts.size() == 1)
            sentences << QObject::tr("Task '%1' failed on 1 host: %2.").arg(t.task, t.hosts.first());
        else
            sentences << QObject::tr("Task '%1' failed on %2 hosts: %3.")
                             .arg(t.task)
                             .arg(t.hosts.size())
                             .arg(hostList(t.hosts));
    }
    return sentences.join(QLatin1Char(' '));
}

} // namespace playdeck

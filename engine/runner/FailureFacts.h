#pragma once

#include "model/JobEvent.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace playdeck {

// What went wrong in a playbook run, gathered from its events as they stream by, so that a failed
// job can say "task 'Install nginx' failed on 2 hosts: web1, web2" instead of an exit code.
class FailureFacts {
public:
    void onEvent(const JobEvent &event);

    struct FailedTask {
        QString task;
        QStringList hosts; // in the order they failed, each once
    };
    const QList<FailedTask> &failedTasks() const { return m_failedTasks; }
    const QStringList &unreachableHosts() const { return m_unreachable; }
    bool sawPlaybookStart() const { return m_sawPlaybookStart; }
    bool sawStats() const { return m_sawStats; }

    // One or two sentences, or empty when nothing failed: "1 host unreachable: db1. Task 'Install
    // nginx' failed on 2 hosts: web1, web2." Long host lists are cut with "and N more".
    QString explain() const;

private:
    QList<FailedTask> m_failedTasks;
    QStringList m_unreachable;
    bool m_sawPlaybookStart = false;
    bool m_sawStats = false;
};

} // namespace playdeck

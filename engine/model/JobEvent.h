#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace playdeck {

// One ansible-runner event, as stored in job_event.
struct JobEvent {
    qint64 rowId = 0; // job_event.id, once read back from the database
    qint64 jobId = 0;
    int counter = 0;
    QString event;
    QByteArray eventData; // compact JSON object
    QString uuid;
    QString parentUuid;
    QString hostName;
    QString play;
    QString task;
    QString role;
    QString stdout;
    int startLine = 0;
    int endLine = 0;
    int verbosity = 0;
    bool failed = false;
    bool changed = false;
    QDateTime created;
    // Not stored: what the job's runner looks at while it runs.
    QString taskAction; // event_data.task_action, e.g. "ansible.builtin.pause"

    // What the event weighs in memory, roughly (QString holds two bytes a character): for batching
    // and back-pressure, which must not count a 60 MB event as one of a thousand.
    qint64 weight() const {
        return eventData.size() +
               2 * (stdout.size() + event.size() + uuid.size() + parentUuid.size() + hostName.size() +
                    play.size() + task.size() + role.size()) +
               128;
    }
};

} // namespace playdeck

Q_DECLARE_METATYPE(playdeck::JobEvent)

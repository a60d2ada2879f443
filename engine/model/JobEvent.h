#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace playdeck {

// One ansible-runner event, as stored in job_event.
struct JobEvent {
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
};

} // namespace playdeck

Q_DECLARE_METATYPE(playdeck::JobEvent)

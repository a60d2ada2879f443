#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace playdeck {

// AWX's job statuses (reference/awx-engine.md 2.1).
namespace JobStatus {
inline const QString New = QStringLiteral("new");
inline const QString Pending = QStringLiteral("pending");
inline const QString Waiting = QStringLiteral("waiting");
inline const QString Running = QStringLiteral("running");
inline const QString Successful = QStringLiteral("successful");
inline const QString Failed = QStringLiteral("failed");
inline const QString Error = QStringLiteral("error");
inline const QString Canceled = QStringLiteral("canceled");
inline bool isFinished(const QString &s) {
    return s == Successful || s == Failed || s == Error || s == Canceled;
}
inline bool isActive(const QString &s) {
    return s == Pending || s == Waiting || s == Running;
}
} // namespace JobStatus

struct JobTemplate {
    qint64 id = 0;
    QString name;
    QString description;
    qint64 projectId = 0;
    QString projectName;
    QString playbook;
    qint64 inventoryId = 0;
    QString inventoryName;
    QString extraVars; // YAML or JSON text, as the operator wrote it
    QString limit;
    int forks = 0;
    int verbosity = 0;
    QString jobType = QStringLiteral("run");
    QString jobTags;
    QString skipTags;
    int timeout = 0;
    bool allowSimultaneous = false;
};

// What the operator may set when launching (AWX's prompts). Unset fields keep the template's value.
struct LaunchRequest {
    QString templateName; // or
    qint64 templateId = 0;
    QString extraVars; // YAML or JSON text, merged over the template's
    std::optional<QString> limit;
    std::optional<int> verbosity;
    std::optional<QString> jobType;
    QString launchType = QStringLiteral("manual");
};

struct JobSummary {
    qint64 id = 0;
    QString name;
    QString status;
    QString launchType;
    qint64 templateId = 0;
    QDateTime created;
    QDateTime started;
    QDateTime finished;
    double elapsed = 0;
    QString executionNode;
    QString explanation;
};

struct JobDetail : JobSummary {
    QString playbook;
    QString limit;
    int verbosity = 0;
    QString jobType;
    QJsonObject extraVars;
    QJsonObject launchExtraVars;
    QString jobArgs;
    QString resultTraceback;
    bool eventProcessingFinished = false;
    int emittedEvents = 0;
};

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
Q_DECLARE_METATYPE(playdeck::JobSummary)
Q_DECLARE_METATYPE(playdeck::JobDetail)
Q_DECLARE_METATYPE(playdeck::JobTemplate)

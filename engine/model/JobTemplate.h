#pragma once

#include "JobOptions.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>

namespace playdeck {

// AWX's ask_*_on_launch flags: what a launch may change.
struct LaunchPrompts {
    bool inventory = false, credentials = false, limit = false, tags = false, skipTags = false,
         verbosity = false, jobType = false, variables = false, diffMode = false, forks = false,
         timeout = false, scmBranch = false;
    friend bool operator==(const LaunchPrompts &, const LaunchPrompts &) = default;
};

struct JobTemplate {
    qint64 id = 0;
    QString name;
    QString description;
    QString projectName;
    QString inventoryName;
    JobOptions options;
    LaunchPrompts ask;
    bool surveyEnabled = false;
    QJsonObject surveySpec;
    QString folder; // where it is filed ("Web/Deploy"); empty: nowhere
    bool favorite = false;
    // Its last job, for the lists: status name (empty: never run) and when it finished (or started).
    QString lastJobStatus;
    QDateTime lastJobRun;
};

} // namespace playdeck

Q_DECLARE_METATYPE(playdeck::JobTemplate)

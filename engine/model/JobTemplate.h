#pragma once

#include "JobOptions.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>

namespace playdeck {

// AWX's ask_*_on_launch flags: what a launch may change.
struct LaunchPrompts {
    bool inventory = false, credentials = false, limit = false, tags = false, skipTags = false,
         verbosity = false, jobType = false, variables = false, diffMode = false, forks = false,
         timeout = false, scmBranch = false;
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
};

} // namespace playdeck

Q_DECLARE_METATYPE(playdeck::JobTemplate)

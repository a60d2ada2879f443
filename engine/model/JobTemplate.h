#pragma once

#include "JobOptions.h"

#include <QList>
#include <QMetaType>

namespace playdeck {

struct JobTemplate {
    qint64 id = 0;
    QString name;
    QString description;
    QString projectName;
    QString inventoryName;
    JobOptions options;
};

} // namespace playdeck

Q_DECLARE_METATYPE(playdeck::JobTemplate)

#pragma once

#include "core/Result.h"

#include <QSqlDatabase>

namespace playdeck {

// AWX's demo content, created on first start: "Demo Project" (hello_world.yml, copied into
// <dataDir>/projects/demo), "Demo Inventory" (localhost over the local connection) and
// "Demo Job Template". Does nothing when the template already exists.
[[nodiscard]] Status seedDemoContent(QSqlDatabase &db, const QString &dataDir);

} // namespace playdeck

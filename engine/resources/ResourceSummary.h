#pragma once

#include "ResourceSchema.h"

#include <QJsonObject>

namespace playdeck {

// What a list shows of a resource besides its name and last run: a project's directory or URL and
// revision, an inventory's host and group counts, a credential's type, a template's playbook.
QString resourceSummary(ResourceKind kind, const QJsonObject &resource);

} // namespace playdeck

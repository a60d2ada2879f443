#pragma once

#include "core/Result.h"
#include "inventory/InventoryContent.h"
#include "resources/ResourceSchema.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <optional>

namespace playdeck {

// The JSON of awxkit's `awx export` / `awx import` (research notes: references are natural keys
// {"name", "type", "organization": {...}}, an inventory carries its hosts and groups under
// "related", a job template its credentials and survey_spec; secrets come as "$encrypted$" or "").
// Plain conversions both ways; the database work is AwxService's.

// One resource to create or update, in the order it must be made.
struct AwxItem {
    ResourceKind kind = ResourceKind::Project;
    QJsonObject fields;                      // Playdeck's field names (AWX's), references by name
    QString parentName;                      // an inventory source's inventory
    std::optional<InventoryContent> content; // an inventory's hosts and groups
    QString label() const;                   // "project \"Web App\"", for reports
};

struct AwxImportPlan {
    QList<AwxItem> items;
    // What cannot come along (credential types, sources and project kinds Playdeck does not have,
    // secrets the export does not carry), one line each.
    QStringList warnings;
};

// `projectsRoot`: where a manual project's relative local_path is (AWX's PROJECTS_ROOT).
[[nodiscard]] Result<AwxImportPlan> readAwxExport(const QJsonObject &document, const QString &projectsRoot);

// What Playdeck has, as `awx export` writes it (organization "Default" in the natural keys: AWX
// needs one, Playdeck has none). `contents`: each inventory's hosts and groups by inventory name.
QJsonObject writeAwxExport(const QMap<ResourceKind, QList<QJsonObject>> &resources,
                           const QMap<QString, InventoryContent> &contents);

} // namespace playdeck

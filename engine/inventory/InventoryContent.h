#pragma once

#include "core/Result.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QStringList>

namespace playdeck {

// Hosts and groups as an inventory source describes them, whatever its format (INI, YAML, a
// script): what `ansible-inventory --list --export` prints, read into plain data.
struct InventoryContent {
    struct Group {
        QString name;
        QJsonObject vars;
        QStringList hosts;    // direct members
        QStringList children; // direct child groups
        friend bool operator==(const Group &, const Group &) = default;
    };
    QJsonObject vars;                 // the "all" group's
    QMap<QString, QJsonObject> hosts; // every host, with its own variables
    QList<Group> groups;              // every group but "all" and "ungrouped", by name
    QStringList disabledHosts;        // hosts that jobs skip (read from Playdeck, not from sources)

    friend bool operator==(const InventoryContent &, const InventoryContent &) = default;
};

// Reads `ansible-inventory --list --export` output. Anything that is not its shape is refused, saying
// where; a group that is its own ancestor is refused too (ansible allows none, and the tree is walked).
[[nodiscard]] Result<InventoryContent> parseAnsibleInventoryJson(const QByteArray &json);

// Whether the groups form a tree ansible can read: every child named exists, and no group is its own
// ancestor (the error names the loop).
[[nodiscard]] Status checkGroupTree(const InventoryContent &content);

// The number of distinct hosts in an inventory in the shape of ansible's YAML inventory plugin
// ({"all": {"hosts", "children": {group: {"hosts", "children"}}}}), as a job's snapshot holds it.
int hostCountOfRunInventory(const QJsonObject &inventory);

} // namespace playdeck

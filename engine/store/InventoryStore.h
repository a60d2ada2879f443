#pragma once

#include "core/Result.h"
#include "inventory/InventoryContent.h"

#include <QJsonObject>
#include <QSqlDatabase>

namespace playdeck {

// All SQL about inventories, their groups and hosts.
class InventoryStore {
public:
    explicit InventoryStore(QSqlDatabase &db)
        : m_db(db) {}

    [[nodiscard]] Result<int> enabledHostCount(qint64 inventoryId);
    [[nodiscard]] Result<QString> name(qint64 inventoryId);
    // The inventory as ansible's YAML inventory plugin reads it ({"all": {"vars", "hosts",
    // "children"}}), enabled hosts only.
    [[nodiscard]] Result<QJsonObject> forRun(qint64 inventoryId);

    // What an import changed.
    struct ImportSummary {
        int hostsAdded = 0, hostsUpdated = 0, hostsRemoved = 0;
        int groupsAdded = 0, groupsUpdated = 0, groupsRemoved = 0;
    };
    // Adds and updates the hosts and groups of `content` (AWX's inventory_import): variables are
    // merged, or replaced with `overwriteVars`; with `overwrite`, hosts, groups and memberships that
    // came from this source (`sourceId`; 0: any, for a file imported by hand) and are no longer in it
    // are removed. One transaction.
    [[nodiscard]] Result<ImportSummary> importContent(qint64 inventoryId, qint64 sourceId,
                                                      const InventoryContent &content, bool overwrite,
                                                      bool overwriteVars);
    // Exactly the hosts in `disabled` are disabled (an AWX import says which).
    [[nodiscard]] Status setDisabledHosts(qint64 inventoryId, const QStringList &disabled);
    // Every host and group, as an import would give them.
    [[nodiscard]] Result<InventoryContent> content(qint64 inventoryId);

private:
    Result<QJsonObject> variables(qint64 inventoryId);
    QSqlDatabase &m_db;
};

} // namespace playdeck

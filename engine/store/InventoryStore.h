#pragma once

#include "core/Result.h"
#include "inventory/InventoryContent.h"

#include <QJsonObject>
#include <QSqlDatabase>

namespace playdeck {

// What an inventory update reads and where it puts it (AWX's InventorySource).
struct InventorySourceRun {
    qint64 id = 0;
    qint64 inventoryId = 0;
    QString name;
    QString inventoryName;
    QString path; // the source resolved: its own path, or the file in its project's tree
    bool overwrite = false;
    bool overwriteVars = false;
    int timeout = 0;
    int verbosity = 1;
};

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
    // An inventory source as its update reads it; refused when its project has no tree yet or its
    // path is not absolute.
    [[nodiscard]] Result<InventorySourceRun> sourceForRun(qint64 sourceId);
    // The id of the source named `sourceName` in the inventory named `inventoryName` (0: none).
    [[nodiscard]] Result<qint64> sourceId(const QString &inventoryName, const QString &sourceName);
    // The names of an inventory's sources.
    [[nodiscard]] Result<QStringList> sourceNames(const QString &inventoryName);
    // Every host and group, as an import would give them.
    [[nodiscard]] Result<InventoryContent> content(qint64 inventoryId);

private:
    Result<QJsonObject> variables(qint64 inventoryId);
    QSqlDatabase &m_db;
};

} // namespace playdeck

#pragma once

#include "core/Result.h"

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

private:
    QSqlDatabase &m_db;
};

} // namespace playdeck

#pragma once

#include "core/Result.h"
#include "inventory/InventoryContent.h"
#include "store/InventoryStore.h"

#include <QFuture>

namespace playdeck {

class DbPool;

// An inventory's hosts and groups: imported from a file or script (read by the real
// ansible-inventory), and read back. Answers as futures; ansible-inventory runs in `processThread`.
class InventoryService {
public:
    InventoryService(DbPool &pool, QObject &processContext)
        : m_pool(pool)
        , m_processContext(processContext) {}

    // AWX's inventory_import: reads `path` (INI, YAML, a script, a directory) and adds its hosts and
    // groups to the inventory named `inventory`, which is made when there is none.
    QFuture<Result<InventoryStore::ImportSummary>> importFile(const QString &inventory, const QString &path,
                                                              bool overwrite, bool overwriteVars);
    QFuture<Result<InventoryContent>> content(const QString &inventory);
    // The inventory's hosts and groups become exactly `content` (as edited in the window): what is
    // not in it goes, whatever brought it in; variables are replaced; its disabled hosts are
    // disabled. Refused, changing nothing, when a group is its own ancestor.
    QFuture<Result<InventoryStore::ImportSummary>> replaceContent(const QString &inventory,
                                                                  const InventoryContent &content);

private:
    DbPool &m_pool;
    QObject &m_processContext;
};

} // namespace playdeck

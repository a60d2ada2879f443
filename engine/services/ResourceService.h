#pragma once

#include "core/Result.h"
#include "resources/ResourceSchema.h"

#include <QFuture>
#include <QJsonObject>
#include <QSqlDatabase>

namespace playdeck {

class DbPool;

// Credentials, projects, inventories, inventory sources and job templates for the window, the
// command line and imports; answers as futures (see JobService). Resources are JSON objects with
// AWX's field names (store/ResourceStore.h). A credential's secrets go through CredentialService:
// here its secret inputs can only be "$encrypted$" (kept) or "ASK".
class ResourceService {
public:
    explicit ResourceService(DbPool &pool)
        : m_pool(pool) {}

    QFuture<Result<QList<QJsonObject>>> list(ResourceKind kind, const QString &parentName = {});
    // By name (an inventory source's within the inventory named `parentName`, when given).
    QFuture<Result<QJsonObject>> show(ResourceKind kind, const QString &name, const QString &parentName = {});
    // A new resource from `fields` (AWX's names; values as JSON, or as text the way the command line
    // gives them) over the defaults; checked whole before anything is written.
    QFuture<Result<QJsonObject>> create(ResourceKind kind, const QJsonObject &fields,
                                        const QList<QPair<QString, QVariant>> &extraColumns = {});
    // Changes the named resource's `fields`; the rest stay.
    QFuture<Result<QJsonObject>> update(ResourceKind kind, const QString &name, const QJsonObject &fields,
                                        const QString &parentName = {});
    // A copy under `newName` (empty: "NAME (copy)", "NAME (copy 2)", ...).
    QFuture<Result<QJsonObject>> copy(ResourceKind kind, const QString &name, const QString &newName = {},
                                      const QString &parentName = {});
    // Refused, saying what uses it, while anything does. The answer is the deleted resource.
    QFuture<Result<QJsonObject>> remove(ResourceKind kind, const QString &name,
                                        const QString &parentName = {});
    // The playbooks of the named project as AWX lists them (a git project's: of its last update).
    QFuture<Result<QStringList>> playbooks(const QString &projectName);

private:
    DbPool &m_pool;
};

// The same, on the caller's connection (imports run many in one transaction).
namespace resources {
[[nodiscard]] Result<QJsonObject> show(QSqlDatabase &db, ResourceKind kind, const QString &name,
                                       const QString &parentName = {});
[[nodiscard]] Result<QJsonObject> create(QSqlDatabase &db, ResourceKind kind, const QJsonObject &fields,
                                         const QList<QPair<QString, QVariant>> &extraColumns = {});
[[nodiscard]] Result<QJsonObject> update(QSqlDatabase &db, ResourceKind kind, const QString &name,
                                         const QJsonObject &fields, const QString &parentName = {});
// "NAME (copy)", or "NAME (copy 2)", ...: the first that no resource of `kind` has.
[[nodiscard]] Result<QString> freeCopyName(QSqlDatabase &db, ResourceKind kind, const QString &name,
                                           const QString &parentName = {});
// The writable fields of a resource as read (for a patch, a copy, an export).
QJsonObject writableFields(ResourceKind kind, const QJsonObject &resource);
} // namespace resources

} // namespace playdeck

#pragma once

#include "core/Result.h"
#include "resources/ResourceSchema.h"

#include <QJsonObject>
#include <QSqlDatabase>

#include <optional>

namespace playdeck {

// All SQL of the resources an operator edits (credentials, projects, inventories, inventory
// sources, job templates), driven by their field lists (resources/ResourceSchema.h). A resource comes
// and goes as a JSON object with AWX's field names, references by name, plus what the lists show:
// id, created, modified and the last job (last_job, last_job_status, last_job_run). Every write
// announces ResourcesChanged in its transaction.
class ResourceStore {
public:
    ResourceStore(QSqlDatabase &db, ResourceKind kind)
        : m_db(db)
        , m_spec(resourceSpec(kind)) {}

    // By name; an inventory source's list may be narrowed to one inventory's (by its name).
    [[nodiscard]] Result<QList<QJsonObject>> list(const QString &parentName = {});
    // By name (an inventory source's within its inventory); nullopt when there is none.
    [[nodiscard]] Result<std::optional<QJsonObject>> find(const QString &name,
                                                          const QString &parentName = {});
    [[nodiscard]] Result<QJsonObject> get(qint64 id);
    // The resource must have passed validateResource(); references are resolved here, and what
    // needs the database is checked here (a credential's kind, a project's directory and playbook).
    // `extraColumns`: what the field list does not have (a credential's keychain key).
    [[nodiscard]] Result<qint64> create(const QJsonObject &resource,
                                        const QList<QPair<QString, QVariant>> &extraColumns = {});
    [[nodiscard]] Status update(qint64 id, const QJsonObject &resource);
    // Refused, saying what uses it, while anything does.
    [[nodiscard]] Status remove(qint64 id);
    // "job template \"Deploy\"", "running job 41", ... (empty: nothing).
    [[nodiscard]] Result<QStringList> usedBy(qint64 id);
    // The id of the resource of `kind` named `name` (0: none).
    [[nodiscard]] static Result<qint64> idOf(QSqlDatabase &db, ResourceKind kind, const QString &name,
                                             const QString &parentName = {});

private:
    Result<qint64> write(qint64 id, const QJsonObject &resource,
                         const QList<QPair<QString, QVariant>> &extraColumns = {});
    Status checkReferences(const QJsonObject &resource, QVariantList &refIds);
    Status writeLinks(qint64 id, const QJsonObject &resource);
    QString selectSql() const;
    QJsonObject read(const class QSqlQuery &q) const;

    QSqlDatabase &m_db;
    const ResourceSpec &m_spec;
};

} // namespace playdeck

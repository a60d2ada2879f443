#include "ResourceService.h"

#include "db/Connections.h"
#include "db/DbPool.h"
#include "resources/PlaybookDiscovery.h"
#include "resources/ResourceRules.h"
#include "store/ProjectStore.h"
#include "store/ResourceStore.h"
#include "store/UnifiedJobStore.h"

#include <QCoreApplication>

namespace playdeck {

namespace {

// lupdate files ResourceServiceText::tr's strings under "Resources", the context they are looked up in.
class ResourceServiceText {
    Q_DECLARE_TR_FUNCTIONS(Resources)
};

Result<QJsonObject> existing(QSqlDatabase &db, ResourceKind kind, const QString &name,
                             const QString &parentName) {
    auto found = ResourceStore(db, kind).find(name, parentName);
    if (!found)
        return found.status();
    if (!found.value())
        return Status::failure(
            ResourceServiceText::tr("There is no %1 named \"%2\".").arg(describeKind(kind), name));
    return *found.value();
}

// A git project whose source settings are new or changed gets an update at once, as in AWX.
Status updateIfGit(QSqlDatabase &db, ResourceKind kind, qint64 id, const QJsonObject &now,
                   const QJsonObject &before) {
    if (kind != ResourceKind::Project ||
        now.value(QStringLiteral("scm_type")).toString() != QLatin1String("git"))
        return {};
    static const QStringList kSource = {QStringLiteral("scm_type"), QStringLiteral("scm_url"),
                                        QStringLiteral("scm_branch"), QStringLiteral("scm_refspec"),
                                        QStringLiteral("credential")};
    if (!before.isEmpty() && std::all_of(kSource.begin(), kSource.end(),
                                         [&](const QString &f) { return now.value(f) == before.value(f); }))
        return {};
    return UnifiedJobStore(db)
        .createProjectUpdate(id, now.value(QStringLiteral("name")).toString(), QStringLiteral("manual"),
                             int(now.value(QStringLiteral("timeout")).toInteger()))
        .status();
}

} // namespace

namespace resources {

QJsonObject writableFields(ResourceKind kind, const QJsonObject &resource) {
    QJsonObject out;
    for (const FieldSpec &f : resourceSpec(kind).fields)
        if (!f.readOnly && resource.contains(f.name))
            out.insert(f.name, resource.value(f.name));
    return out;
}

Result<QString> freeCopyName(QSqlDatabase &db, ResourceKind kind, const QString &name,
                             const QString &parentName) {
    for (int n = 1;; ++n) {
        const QString candidate = n == 1 ? ResourceServiceText::tr("%1 (copy)").arg(name)
                                         : ResourceServiceText::tr("%1 (copy %2)").arg(name).arg(n);
        auto taken = ResourceStore::idOf(db, kind, candidate, parentName);
        if (!taken)
            return taken.status();
        if (taken.value() == 0)
            return candidate;
    }
}

Result<QJsonObject> show(QSqlDatabase &db, ResourceKind kind, const QString &name,
                         const QString &parentName) {
    return existing(db, kind, name, parentName);
}

Result<QJsonObject> create(QSqlDatabase &db, ResourceKind kind, const QJsonObject &fields,
                           const QList<QPair<QString, QVariant>> &extraColumns) {
    const ResourceSpec &spec = resourceSpec(kind);
    auto resource = applyPatch(spec, resourceDefaults(spec), fields);
    if (!resource)
        return resource.status();
    if (Status s = validateResource(kind, resource.value()); !s)
        return s;
    return atomically<QJsonObject>(db, [&]() -> Result<QJsonObject> {
        ResourceStore store(db, kind);
        auto id = store.create(resource.value(), extraColumns);
        if (!id)
            return id.status();
        // As in AWX, a new git project is fetched at once: its playbooks exist only after that.
        if (Status s = updateIfGit(db, kind, id.value(), resource.value(), {}); !s)
            return s;
        return store.get(id.value());
    });
}

Result<QJsonObject> update(QSqlDatabase &db, ResourceKind kind, const QString &name,
                           const QJsonObject &fields, const QString &parentName) {
    auto current = existing(db, kind, name, parentName);
    if (!current)
        return current;
    const ResourceSpec &spec = resourceSpec(kind);
    auto resource = applyPatch(spec, writableFields(kind, current.value()), fields);
    if (!resource)
        return resource.status();
    if (Status s = validateResource(kind, resource.value()); !s)
        return s;
    return atomically<QJsonObject>(db, [&]() -> Result<QJsonObject> {
        ResourceStore store(db, kind);
        const qint64 id = current.value().value(QStringLiteral("id")).toInteger();
        if (Status s = store.update(id, resource.value()); !s)
            return s;
        // Changed source-control settings are fetched at once, as AWX does.
        if (Status s = updateIfGit(db, kind, id, resource.value(), current.value()); !s)
            return s;
        return store.get(id);
    });
}

} // namespace resources

QFuture<Result<QList<QJsonObject>>> ResourceService::list(ResourceKind kind, const QString &parentName) {
    return m_pool.run<Result<QList<QJsonObject>>>(
        [kind, parentName](QSqlDatabase &db) { return ResourceStore(db, kind).list(parentName); });
}

QFuture<Result<QJsonObject>> ResourceService::show(ResourceKind kind, const QString &name,
                                                   const QString &parentName) {
    return m_pool.run<Result<QJsonObject>>(
        [=](QSqlDatabase &db) { return resources::show(db, kind, name, parentName); });
}

QFuture<Result<QJsonObject>> ResourceService::create(ResourceKind kind, const QJsonObject &fields,
                                                     const QList<QPair<QString, QVariant>> &extraColumns) {
    return m_pool.run<Result<QJsonObject>>(
        [=](QSqlDatabase &db) { return resources::create(db, kind, fields, extraColumns); });
}

QFuture<Result<QJsonObject>> ResourceService::update(ResourceKind kind, const QString &name,
                                                     const QJsonObject &fields, const QString &parentName) {
    return m_pool.run<Result<QJsonObject>>(
        [=](QSqlDatabase &db) { return resources::update(db, kind, name, fields, parentName); });
}

QFuture<Result<QJsonObject>> ResourceService::copy(ResourceKind kind, const QString &name,
                                                   const QString &newName, const QString &parentName) {
    return m_pool.run<Result<QJsonObject>>([=](QSqlDatabase &db) -> Result<QJsonObject> {
        if (kind == ResourceKind::Credential) // its secrets come along only through CredentialService
            return Status::failure(QStringLiteral("copy credentials with CredentialService::copy"));
        auto current = existing(db, kind, name, parentName);
        if (!current)
            return current;
        QJsonObject fields = resources::writableFields(kind, current.value());
        auto target = newName.isEmpty() ? resources::freeCopyName(db, kind, name, parentName)
                                        : Result<QString>(newName);
        if (!target)
            return target.status();
        fields.insert(QStringLiteral("name"), target.value());
        return resources::create(db, kind, fields);
    });
}

QFuture<Result<QStringList>> ResourceService::playbooks(const QString &projectName) {
    return m_pool.run<Result<QStringList>>([projectName](QSqlDatabase &db) -> Result<QStringList> {
        auto id = ResourceStore::idOf(db, ResourceKind::Project, projectName);
        if (!id)
            return id.status();
        if (id.value() == 0)
            return Status::failure(
                QCoreApplication::translate("Resources", "There is no project named \"%1\".")
                    .arg(projectName));
        auto tree = ProjectStore(db).tree(id.value());
        if (!tree)
            return tree.status();
        return discoverPlaybooks(tree.value().path);
    });
}

QFuture<Result<QJsonObject>> ResourceService::remove(ResourceKind kind, const QString &name,
                                                     const QString &parentName) {
    return m_pool.run<Result<QJsonObject>>([=](QSqlDatabase &db) -> Result<QJsonObject> {
        auto current = existing(db, kind, name, parentName);
        if (!current)
            return current;
        if (Status s =
                ResourceStore(db, kind).remove(current.value().value(QStringLiteral("id")).toInteger());
            !s)
            return s;
        return current;
    });
}

} // namespace playdeck

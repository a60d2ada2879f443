#include "AwxService.h"

#include "ResourceService.h"
#include "awx/AwxFormat.h"
#include "db/Connections.h"
#include "db/DbPool.h"
#include "launch/ExtraVars.h"
#include "resources/ResourceRules.h"
#include "store/InventoryStore.h"
#include "store/ResourceStore.h"

#include <QCoreApplication>

namespace playdeck {

namespace {

// Fields compared as what they mean: variables as their values, not their text.
bool sameValue(const FieldSpec &f, const QJsonValue &a, const QJsonValue &b) {
    if (f.type == FieldType::Vars) {
        auto x = parseExtraVars(a.toString());
        auto y = parseExtraVars(b.toString());
        return x && y && x.value() == y.value();
    }
    return a == b;
}

// Hosts and groups in one order, so that two contents compare by what they hold.
InventoryContent normalized(InventoryContent c) {
    std::sort(c.disabledHosts.begin(), c.disabledHosts.end());
    std::sort(
        c.groups.begin(), c.groups.end(),
        [](const InventoryContent::Group &a, const InventoryContent::Group &b) { return a.name < b.name; });
    for (InventoryContent::Group &g : c.groups) {
        std::sort(g.hosts.begin(), g.hosts.end());
        std::sort(g.children.begin(), g.children.end());
    }
    return c;
}

enum class Outcome { Created, Updated, Unchanged };

Result<Outcome> upsert(QSqlDatabase &db, const AwxItem &item) {
    auto found = ResourceStore(db, item.kind)
                     .find(item.fields.value(QStringLiteral("name")).toString(), item.parentName);
    if (!found)
        return found.status();
    if (!found.value()) {
        auto made = resources::create(db, item.kind, item.fields);
        if (!made)
            return made.status();
        return Outcome::Created;
    }
    const ResourceSpec &spec = resourceSpec(item.kind);
    const QJsonObject current = resources::writableFields(item.kind, *found.value());
    auto merged = applyPatch(spec, current, item.fields);
    if (!merged)
        return merged.status();
    bool same = true;
    for (const FieldSpec &f : spec.fields)
        if (!f.readOnly && !sameValue(f, merged.value().value(f.name), current.value(f.name)))
            same = false;
    if (same)
        return Outcome::Unchanged;
    auto changed = resources::update(db, item.kind, item.fields.value(QStringLiteral("name")).toString(),
                                     item.fields, item.parentName);
    if (!changed)
        return changed.status();
    return Outcome::Updated;
}

} // namespace

QFuture<Result<AwxService::ImportReport>> AwxService::importDocument(const QJsonObject &document,
                                                                     const QString &projectsRoot) {
    return m_pool.run<Result<ImportReport>>([document,
                                             projectsRoot](QSqlDatabase &db) -> Result<ImportReport> {
        auto plan = readAwxExport(document, projectsRoot);
        if (!plan)
            return plan.status();
        ImportReport report;
        report.warnings = plan.value().warnings;
        for (const AwxItem &item : plan.value().items) {
            // Each resource on its own: one that fails does not undo the others (as awx import).
            auto done = inTransaction<Outcome>(db, [&]() -> Result<Outcome> {
                auto outcome = upsert(db, item);
                if (!outcome || !item.content)
                    return outcome;
                auto id = ResourceStore::idOf(db, ResourceKind::Inventory,
                                              item.fields.value(QStringLiteral("name")).toString());
                if (!id)
                    return id.status();
                InventoryStore inventories(db);
                auto before = inventories.content(id.value());
                if (!before)
                    return before.status();
                if (normalized(before.value()) == normalized(*item.content))
                    return outcome;
                auto imported = inventories.importContent(id.value(), 0, *item.content, true, true);
                if (!imported)
                    return imported.status();
                if (Status s = inventories.setDisabledHosts(id.value(), item.content->disabledHosts); !s)
                    return s;
                return outcome.value() == Outcome::Unchanged ? Outcome::Updated : outcome.value();
            });
            if (!done) {
                report.errors << QCoreApplication::translate("Awx", "%1: %2").arg(item.label(), done.error());
                continue;
            }
            (done.value() == Outcome::Created   ? report.created
             : done.value() == Outcome::Updated ? report.updated
                                                : report.unchanged)
                << item.label();
        }
        return report;
    });
}

QFuture<Result<QJsonObject>> AwxService::exportDocument(const QStringList &names) {
    return m_pool.run<Result<QJsonObject>>([names](QSqlDatabase &db) -> Result<QJsonObject> {
        QMap<ResourceKind, QList<QJsonObject>> resources;
        QMap<QString, InventoryContent> contents;
        QStringList found;
        for (ResourceKind kind : allResourceKinds()) {
            auto all = ResourceStore(db, kind).list();
            if (!all)
                return all.status();
            for (const QJsonObject &r : all.value()) {
                const QString name = r.value(QStringLiteral("name")).toString();
                if (!names.isEmpty() && !names.contains(name))
                    continue;
                found << name;
                resources[kind] << r;
                if (kind == ResourceKind::Inventory) {
                    auto content = InventoryStore(db).content(r.value(QStringLiteral("id")).toInteger());
                    if (!content)
                        return content.status();
                    contents.insert(name, content.value());
                }
            }
        }
        for (const QString &name : names)
            if (!found.contains(name))
                return Status::failure(
                    QCoreApplication::translate("Awx", "Nothing is named \"%1\".").arg(name));
        return writeAwxExport(resources, contents);
    });
}

} // namespace playdeck

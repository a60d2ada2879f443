#include "InventoryStore.h"

#include "ProjectStore.h"
#include "bus/Publisher.h"
#include "db/Connections.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QObject>

namespace playdeck {

namespace {
QJsonObject parseObject(const QVariant &v) {
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}
} // namespace

Result<int> InventoryStore::enabledHostCount(qint64 inventoryId) {
    auto q = exec(m_db, QStringLiteral("SELECT count(*) FROM host WHERE inventory_id = ? AND enabled"),
                  {inventoryId});
    if (!q)
        return q.status();
    q.value().next();
    return q.value().value(0).toInt();
}

Result<QString> InventoryStore::name(qint64 inventoryId) {
    auto q = exec(m_db, QStringLiteral("SELECT name FROM inventory WHERE id = ?"), {inventoryId});
    if (!q)
        return q.status();
    if (!q.value().next())
        return Status::failure(QObject::tr("There is no inventory with id %1.").arg(inventoryId));
    return q.value().value(0).toString();
}

Result<QJsonObject> InventoryStore::variables(qint64 inventoryId) {
    auto q = exec(m_db, QStringLiteral("SELECT variables::text FROM inventory WHERE id = ?"), {inventoryId});
    if (!q)
        return q.status();
    if (!q.value().next())
        return Status::failure(QObject::tr("There is no inventory with id %1.").arg(inventoryId));
    return parseObject(q.value().value(0));
}

Result<QJsonObject> InventoryStore::forRun(qint64 inventoryId) {
    QJsonObject all;
    auto vars = variables(inventoryId);
    if (!vars)
        return vars.status();
    all.insert(QStringLiteral("vars"), vars.value());
    auto hosts =
        exec(m_db,
             QStringLiteral("SELECT name, variables::text FROM host WHERE inventory_id = ? AND enabled"
                            " ORDER BY name"),
             {inventoryId});
    if (!hosts)
        return hosts.status();
    QJsonObject hostMap;
    while (hosts.value().next())
        hostMap.insert(hosts.value().value(0).toString(), parseObject(hosts.value().value(1)));
    all.insert(QStringLiteral("hosts"), hostMap);
    // Every group directly under "all", each naming its own children: ansible's YAML plugin joins a
    // group met in several places into one, so a group with two parents needs no copying.
    auto groups = exec(
        m_db,
        QStringLiteral("SELECT g.name, g.variables::text,"
                       " coalesce((SELECT json_agg(h.name ORDER BY h.name) FROM host_group hg JOIN host h ON"
                       " h.id = hg.host_id AND h.enabled WHERE hg.group_id = g.id), '[]')::text,"
                       " coalesce((SELECT json_agg(c.name ORDER BY c.name) FROM group_parent p JOIN"
                       " inventory_group c ON c.id = p.child_id WHERE p.parent_id = g.id), '[]')::text"
                       " FROM inventory_group g WHERE g.inventory_id = ? ORDER BY g.name"),
        {inventoryId});
    if (!groups)
        return groups.status();
    QJsonObject children;
    while (groups.value().next()) {
        QJsonObject group{{QStringLiteral("vars"), parseObject(groups.value().value(1))}};
        QJsonObject members;
        for (const QJsonValue &h :
             QJsonDocument::fromJson(groups.value().value(2).toString().toUtf8()).array())
            members.insert(h.toString(), QJsonObject());
        group.insert(QStringLiteral("hosts"), members);
        QJsonObject kids;
        for (const QJsonValue &c :
             QJsonDocument::fromJson(groups.value().value(3).toString().toUtf8()).array())
            kids.insert(c.toString(), QJsonObject());
        if (!kids.isEmpty())
            group.insert(QStringLiteral("children"), kids);
        children.insert(groups.value().value(0).toString(), group);
    }
    if (!children.isEmpty())
        all.insert(QStringLiteral("children"), children);
    return QJsonObject{{QStringLiteral("all"), all}};
}

namespace {

QString jsonText(const QJsonObject &o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString jsonList(const QStringList &names) {
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(names)).toJson(QJsonDocument::Compact));
}

} // namespace

Result<InventoryStore::ImportSummary> InventoryStore::importContent(qint64 inventoryId, qint64 sourceId,
                                                                    const InventoryContent &content,
                                                                    bool overwrite, bool overwriteVars) {
    return atomically<ImportSummary>(m_db, [&]() -> Result<ImportSummary> {
        ImportSummary summary;
        const QVariant source = sourceId > 0 ? QVariant(sourceId) : QVariant(QMetaType::fromType<qint64>());
        // Variables: merged over what is there, or in its place.
        const auto merge = [overwriteVars](const QString &table) {
            return overwriteVars ? QStringLiteral("EXCLUDED.variables")
                                 : table + QStringLiteral(".variables || EXCLUDED.variables");
        };
        if (auto q =
                exec(m_db,
                     overwriteVars
                         ? QStringLiteral(
                               "UPDATE inventory SET variables = ?::jsonb, modified = now() WHERE id = ?")
                         : QStringLiteral("UPDATE inventory SET variables = variables || ?::jsonb, modified "
                                          "= now() WHERE id = ?"),
                     {jsonText(content.vars), inventoryId});
            !q)
            return q.status();
        QHash<QString, qint64> hostIds, groupIds;
        for (auto it = content.hosts.begin(); it != content.hosts.end(); ++it) {
            auto q = exec(
                m_db,
                QStringLiteral(
                    "INSERT INTO host (inventory_id, name, variables, inventory_source_id) VALUES (?, ?, "
                    "?::jsonb, ?)"
                    " ON CONFLICT (inventory_id, name) DO UPDATE SET variables = %1,"
                    " inventory_source_id = coalesce(host.inventory_source_id, EXCLUDED.inventory_source_id)"
                    " RETURNING id, xmax = 0")
                    .arg(merge(QStringLiteral("host"))),
                {inventoryId, it.key(), jsonText(it.value()), source});
            if (!q)
                return q.status();
            q.value().next();
            hostIds.insert(it.key(), q.value().value(0).toLongLong());
            ++(q.value().value(1).toBool() ? summary.hostsAdded : summary.hostsUpdated);
        }
        for (const InventoryContent::Group &g : content.groups) {
            auto q =
                exec(m_db,
                     QStringLiteral("INSERT INTO inventory_group (inventory_id, name, variables, "
                                    "inventory_source_id) VALUES (?, ?, ?::jsonb, ?)"
                                    " ON CONFLICT (inventory_id, name) DO UPDATE SET variables = %1,"
                                    " inventory_source_id = coalesce(inventory_group.inventory_source_id, "
                                    "EXCLUDED.inventory_source_id)"
                                    " RETURNING id, xmax = 0")
                         .arg(merge(QStringLiteral("inventory_group"))),
                     {inventoryId, g.name, jsonText(g.vars), source});
            if (!q)
                return q.status();
            q.value().next();
            groupIds.insert(g.name, q.value().value(0).toLongLong());
            ++(q.value().value(1).toBool() ? summary.groupsAdded : summary.groupsUpdated);
        }
        for (const InventoryContent::Group &g : content.groups) {
            const qint64 groupId = groupIds.value(g.name);
            if (overwrite) {
                if (auto d = exec(
                        m_db,
                        QStringLiteral("DELETE FROM host_group hg USING host h WHERE hg.group_id = ? AND "
                                       "h.id = hg.host_id"
                                       " AND h.name NOT IN (SELECT jsonb_array_elements_text(?::jsonb))"),
                        {groupId, jsonList(g.hosts)});
                    !d)
                    return d.status();
                if (auto d = exec(
                        m_db,
                        QStringLiteral(
                            "DELETE FROM group_parent p USING inventory_group c WHERE p.parent_id = ? AND"
                            " c.id = p.child_id AND c.name NOT IN (SELECT "
                            "jsonb_array_elements_text(?::jsonb))"),
                        {groupId, jsonList(g.children)});
                    !d)
                    return d.status();
            }
            for (const QString &h : g.hosts)
                if (auto q = exec(m_db,
                                  QStringLiteral("INSERT INTO host_group (host_id, group_id) VALUES (?, ?) "
                                                 "ON CONFLICT DO NOTHING"),
                                  {hostIds.value(h), groupId});
                    !q)
                    return q.status();
            for (const QString &c : g.children)
                if (auto q = exec(m_db,
                                  QStringLiteral("INSERT INTO group_parent (parent_id, child_id) VALUES (?, "
                                                 "?) ON CONFLICT DO NOTHING"),
                                  {groupId, groupIds.value(c)});
                    !q)
                    return q.status();
        }
        if (overwrite) {
            const QString scope = sourceId > 0 ? QStringLiteral(" AND inventory_source_id = ?") : QString();
            QVariantList binds{inventoryId, jsonList(content.hosts.keys())};
            if (sourceId > 0)
                binds << sourceId;
            auto hosts = exec(m_db,
                              QStringLiteral("DELETE FROM host WHERE inventory_id = ? AND name NOT IN"
                                             " (SELECT jsonb_array_elements_text(?::jsonb))") +
                                  scope,
                              binds);
            if (!hosts)
                return hosts.status();
            summary.hostsRemoved = hosts.value().numRowsAffected();
            QStringList groupNames;
            for (const InventoryContent::Group &g : content.groups)
                groupNames << g.name;
            binds[1] = jsonList(groupNames);
            auto groups =
                exec(m_db,
                     QStringLiteral("DELETE FROM inventory_group WHERE inventory_id = ? AND name NOT IN"
                                    " (SELECT jsonb_array_elements_text(?::jsonb))") +
                         scope,
                     binds);
            if (!groups)
                return groups.status();
            summary.groupsRemoved = groups.value().numRowsAffected();
        }
        if (Status s = bus::publish(m_db, bus::ResourcesChanged{ResourceKind::Inventory}); !s)
            return s;
        return summary;
    });
}

Status InventoryStore::setDisabledHosts(qint64 inventoryId, const QStringList &disabled) {
    return exec(m_db,
                QStringLiteral(
                    "UPDATE host SET enabled = name NOT IN (SELECT jsonb_array_elements_text(?::jsonb))"
                    " WHERE inventory_id = ?"),
                {jsonList(disabled), inventoryId})
        .status();
}

Result<InventoryContent> InventoryStore::content(qint64 inventoryId) {
    InventoryContent content;
    auto vars = variables(inventoryId);
    if (!vars)
        return vars.status();
    content.vars = vars.value();
    auto hosts =
        exec(m_db,
             QStringLiteral(
                 "SELECT name, variables::text, enabled FROM host WHERE inventory_id = ? ORDER BY name"),
             {inventoryId});
    if (!hosts)
        return hosts.status();
    while (hosts.value().next()) {
        content.hosts.insert(hosts.value().value(0).toString(), parseObject(hosts.value().value(1)));
        if (!hosts.value().value(2).toBool())
            content.disabledHosts << hosts.value().value(0).toString();
    }
    auto groups = exec(
        m_db,
        QStringLiteral("SELECT g.name, g.variables::text,"
                       " coalesce((SELECT json_agg(h.name ORDER BY h.name) FROM host_group hg JOIN host h ON"
                       " h.id = hg.host_id WHERE hg.group_id = g.id), '[]')::text,"
                       " coalesce((SELECT json_agg(c.name ORDER BY c.name) FROM group_parent p JOIN"
                       " inventory_group c ON c.id = p.child_id WHERE p.parent_id = g.id), '[]')::text"
                       " FROM inventory_group g WHERE g.inventory_id = ? ORDER BY g.name"),
        {inventoryId});
    if (!groups)
        return groups.status();
    const auto names = [](const QVariant &v) {
        QStringList out;
        for (const QJsonValue &n : QJsonDocument::fromJson(v.toString().toUtf8()).array())
            out << n.toString();
        return out;
    };
    while (groups.value().next())
        content.groups.append({groups.value().value(0).toString(), parseObject(groups.value().value(1)),
                               names(groups.value().value(2)), names(groups.value().value(3))});
    return content;
}

Result<InventorySourceRun> InventoryStore::sourceForRun(qint64 sourceId) {
    auto q =
        exec(m_db,
             QStringLiteral("SELECT s.id, s.inventory_id, s.name, i.name, s.source, s.source_path,"
                            " coalesce(s.source_project_id, 0), s.overwrite, s.overwrite_vars, s.timeout,"
                            " s.verbosity FROM inventory_source s JOIN inventory i ON i.id = s.inventory_id"
                            " WHERE s.id = ?"),
             {sourceId});
    if (!q)
        return q.status();
    if (!q.value().next())
        return Status::failure(QObject::tr("The inventory source (id %1) no longer exists.").arg(sourceId));
    const QSqlQuery &r = q.value();
    InventorySourceRun s;
    s.id = r.value(0).toLongLong();
    s.inventoryId = r.value(1).toLongLong();
    s.name = r.value(2).toString();
    s.inventoryName = r.value(3).toString();
    const QString kind = r.value(4).toString();
    const QString path = r.value(5).toString();
    const qint64 project = r.value(6).toLongLong();
    s.overwrite = r.value(7).toBool();
    s.overwriteVars = r.value(8).toBool();
    s.timeout = r.value(9).toInt();
    s.verbosity = r.value(10).toInt();
    if (kind == QLatin1String("scm")) {
        if (project == 0)
            return Status::failure(
                QObject::tr("The inventory source \"%1\" reads a file in a project, but names none.")
                    .arg(s.name));
        auto tree = ProjectStore(m_db).tree(project);
        if (!tree)
            return tree.status();
        // Inside the project's tree only: neither "../" nor a symbolic link leads out of it. A file
        // that does not exist stays as written (ansible-inventory says it is missing).
        const QString root = QFileInfo(tree.value().path).canonicalFilePath();
        const QString joined = QDir::cleanPath(root + QLatin1Char('/') + path);
        const QString real = QFileInfo(joined).canonicalFilePath();
        const QString resolved = real.isEmpty() ? joined : real;
        if (root.isEmpty() || (resolved != root && !resolved.startsWith(root + QLatin1Char('/'))))
            return Status::failure(
                QObject::tr("The inventory source \"%1\" names %2, which is outside its project.")
                    .arg(s.name, path));
        s.path = resolved;
    } else {
        if (!QDir::isAbsolutePath(path))
            return Status::failure(
                QObject::tr("The inventory source \"%1\" needs an absolute path, not %2.").arg(s.name, path));
        s.path = QDir::cleanPath(path);
    }
    return s;
}

Result<qint64> InventoryStore::sourceId(const QString &inventoryName, const QString &sourceName) {
    auto q =
        exec(m_db,
             QStringLiteral("SELECT s.id FROM inventory_source s JOIN inventory i ON i.id = s.inventory_id"
                            " WHERE i.name = ? AND s.name = ?"),
             {inventoryName, sourceName});
    if (!q)
        return q.status();
    return q.value().next() ? q.value().value(0).toLongLong() : qint64(0);
}

Result<QStringList> InventoryStore::sourceNames(const QString &inventoryName) {
    auto q =
        exec(m_db,
             QStringLiteral("SELECT s.name FROM inventory_source s JOIN inventory i ON i.id = s.inventory_id"
                            " WHERE i.name = ? ORDER BY s.name"),
             {inventoryName});
    if (!q)
        return q.status();
    QStringList names;
    while (q.value().next())
        names << q.value().value(0).toString();
    return names;
}

} // namespace playdeck

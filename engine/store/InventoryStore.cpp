#include "InventoryStore.h"

#include "db/Connections.h"

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

Result<QJsonObject> InventoryStore::forRun(qint64 inventoryId) {
    QJsonObject all;
    auto vars =
        exec(m_db, QStringLiteral("SELECT variables::text FROM inventory WHERE id = ?"), {inventoryId});
    if (!vars)
        return vars.status();
    if (!vars.value().next())
        return Status::failure(QObject::tr("There is no inventory with id %1.").arg(inventoryId));
    all.insert(QStringLiteral("vars"), parseObject(vars.value().value(0)));
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
    auto groups =
        exec(m_db,
             QStringLiteral("SELECT g.name, g.variables::text, coalesce(array_to_json(array_agg(h.name)"
                            " FILTER (WHERE h.name IS NOT NULL)), '[]')::text FROM inventory_group g"
                            " LEFT JOIN host_group hg ON hg.group_id = g.id LEFT JOIN host h ON h.id ="
                            " hg.host_id AND h.enabled WHERE g.inventory_id = ? GROUP BY g.id, g.name,"
                            " g.variables::text ORDER BY g.name"),
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
        children.insert(groups.value().value(0).toString(), group);
    }
    if (!children.isEmpty())
        all.insert(QStringLiteral("children"), children);
    return QJsonObject{{QStringLiteral("all"), all}};
}

} // namespace playdeck

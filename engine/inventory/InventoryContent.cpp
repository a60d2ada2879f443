#include "InventoryContent.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <functional>

namespace playdeck {

namespace {

// lupdate files InventoryText::tr's strings under "Inventory", the context they are looked up in.
class InventoryText {
    Q_DECLARE_TR_FUNCTIONS(Inventory)
};

Result<QStringList> names(const QJsonObject &group, const QString &key, const QString &groupName) {
    const QJsonValue v = group.value(key);
    if (v.isUndefined())
        return QStringList();
    if (!v.isArray())
        return Status::failure(
            InventoryText::tr("The group %1 has \"%2\" that is not a list.").arg(groupName, key));
    QStringList out;
    for (const QJsonValue &n : v.toArray()) {
        if (!n.isString() || n.toString().isEmpty())
            return Status::failure(
                InventoryText::tr("The group %1 lists %2 that are not names.").arg(groupName, key));
        out << n.toString();
    }
    return out;
}

// Depth-first over children: a group met again on its own path is a cycle.
bool hasCycle(const QString &group, const QMap<QString, QStringList> &children, QSet<QString> &onPath,
              QSet<QString> &done, QString &where) {
    if (done.contains(group))
        return false;
    if (onPath.contains(group)) {
        where = group;
        return true;
    }
    onPath.insert(group);
    for (const QString &child : children.value(group))
        if (hasCycle(child, children, onPath, done, where))
            return true;
    onPath.remove(group);
    done.insert(group);
    return false;
}

} // namespace

Result<InventoryContent> parseAnsibleInventoryJson(const QByteArray &json) {
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return Status::failure(
            InventoryText::tr("ansible-inventory did not print an inventory (%1 at byte %2).")
                .arg(error.errorString())
                .arg(error.offset));
    const QJsonObject root = doc.object();
    InventoryContent content;
    const QJsonObject hostvars =
        root.value(QStringLiteral("_meta")).toObject().value(QStringLiteral("hostvars")).toObject();
    for (auto it = hostvars.begin(); it != hostvars.end(); ++it) {
        if (!it.value().isObject())
            return Status::failure(
                InventoryText::tr("The variables of host %1 are not a mapping.").arg(it.key()));
        content.hosts.insert(it.key(), it.value().toObject());
    }
    QMap<QString, QStringList> children;
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() == QLatin1String("_meta"))
            continue;
        if (!it.value().isObject())
            return Status::failure(InventoryText::tr("The group %1 is not a mapping.").arg(it.key()));
        const QJsonObject g = it.value().toObject();
        auto hosts = names(g, QStringLiteral("hosts"), it.key());
        if (!hosts)
            return hosts.status();
        auto kids = names(g, QStringLiteral("children"), it.key());
        if (!kids)
            return kids.status();
        if (g.contains(QStringLiteral("vars")) && !g.value(QStringLiteral("vars")).isObject())
            return Status::failure(
                InventoryText::tr("The variables of group %1 are not a mapping.").arg(it.key()));
        for (const QString &h : hosts.value())
            if (!content.hosts.contains(h))
                content.hosts.insert(h, QJsonObject());
        if (it.key() == QLatin1String("all")) {
            content.vars = g.value(QStringLiteral("vars")).toObject();
            continue;
        }
        if (it.key() == QLatin1String("ungrouped"))
            continue;
        QStringList real = kids.value();
        real.removeAll(QStringLiteral("ungrouped"));
        children.insert(it.key(), real);
        content.groups.append({it.key(), g.value(QStringLiteral("vars")).toObject(), hosts.value(), real});
    }
    // A child listed but never described is a group without hosts of its own.
    for (const auto &kids : std::as_const(children))
        for (const QString &child : kids)
            if (!children.contains(child) && child != QLatin1String("all"))
                return Status::failure(
                    InventoryText::tr("The group %1 is listed as a child but not described.").arg(child));
    QSet<QString> onPath, done;
    QString where;
    for (auto it = children.begin(); it != children.end(); ++it)
        if (hasCycle(it.key(), children, onPath, done, where))
            return Status::failure(InventoryText::tr("The group %1 is its own ancestor.").arg(where));
    std::sort(
        content.groups.begin(), content.groups.end(),
        [](const InventoryContent::Group &a, const InventoryContent::Group &b) { return a.name < b.name; });
    return content;
}

namespace {

void collectHosts(const QJsonObject &group, QSet<QString> &hosts, int depth) {
    if (depth > 64) // a snapshot is a tree written by Playdeck; this only guards against a bad row
        return;
    const QJsonObject own = group.value(QLatin1String("hosts")).toObject();
    for (auto it = own.begin(); it != own.end(); ++it)
        hosts.insert(it.key());
    const QJsonObject children = group.value(QLatin1String("children")).toObject();
    for (auto it = children.begin(); it != children.end(); ++it)
        collectHosts(it.value().toObject(), hosts, depth + 1);
}

} // namespace

Status checkGroupTree(const InventoryContent &content) {
    QHash<QString, QStringList> children;
    for (const InventoryContent::Group &g : content.groups)
        children.insert(g.name, g.children);
    for (const InventoryContent::Group &g : content.groups)
        for (const QString &child : g.children)
            if (!children.contains(child))
                return Status::failure(
                    InventoryText::tr("The group \"%1\" has a child group \"%2\" that does not exist.")
                        .arg(g.name, child));
    // Depth first from every group; a group met again on its own path is a loop.
    enum Mark { Unseen, OnPath, Done };
    QHash<QString, Mark> marks;
    QStringList path;
    std::function<Status(const QString &)> visit = [&](const QString &name) -> Status {
        if (marks.value(name, Unseen) == Done)
            return {};
        if (marks.value(name, Unseen) == OnPath)
            return Status::failure(
                InventoryText::tr("The groups form a loop: %1.")
                    .arg((path.mid(path.indexOf(name)) << name).join(QStringLiteral(" → "))));
        marks.insert(name, OnPath);
        path << name;
        for (const QString &child : children.value(name))
            if (Status s = visit(child); !s)
                return s;
        path.removeLast();
        marks.insert(name, Done);
        return {};
    };
    for (const InventoryContent::Group &g : content.groups)
        if (Status s = visit(g.name); !s)
            return s;
    return {};
}

int hostCountOfRunInventory(const QJsonObject &inventory) {
    QSet<QString> hosts;
    collectHosts(inventory.value(QLatin1String("all")).toObject(), hosts, 0);
    return int(hosts.size());
}

} // namespace playdeck

#include "ResourceStore.h"

#include "bus/Publisher.h"
#include "db/Connections.h"
#include "launch/ExtraVars.h"
#include "resources/PlaybookDiscovery.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace playdeck {

namespace {

// lupdate files ResourceStoreText::tr's strings under "Resources", the context they are looked up in.
class ResourceStoreText {
    Q_DECLARE_TR_FUNCTIONS(Resources)
};

const QString &tableOf(ResourceKind kind) {
    return resourceSpec(kind).table;
}

// What the lists show of a resource's last job: for a template its last job, for a project its last
// update, for an inventory source its last update, for an inventory the last job on it.
QString lastJobCondition(ResourceKind kind) {
    switch (kind) {
    case ResourceKind::JobTemplate:
        return QStringLiteral("j.job_template_id = t.id AND j.kind = 'job'");
    case ResourceKind::Project:
        return QStringLiteral("j.project_id = t.id AND j.kind = 'project_update'");
    case ResourceKind::InventorySource:
        return QStringLiteral("j.inventory_source_id = t.id");
    case ResourceKind::Inventory:
        return QStringLiteral("j.inventory_id = t.id AND j.kind = 'job'");
    case ResourceKind::Credential:
        break;
    }
    return {};
}

QJsonObject parseObjectText(const QString &text) {
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

// Variables as text for the JSON form: the stored object, written as JSON ("{}" when empty reads
// back as nothing).
QString varsText(const QString &jsonText) {
    const QJsonObject o = parseObjectText(jsonText);
    return o.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

Status friendly(const Status &s, const ResourceSpec &spec, const QString &name) {
    if (s.code() == QLatin1String("23505"))
        return Status::failure(
            spec.parentField.isEmpty()
                ? ResourceStoreText::tr("There is already a %1 named \"%2\".")
                      .arg(describeKind(spec.kind), name)
                : ResourceStoreText::tr("Its inventory already has a source named \"%1\".").arg(name));
    return s;
}

} // namespace

QString ResourceStore::selectSql() const {
    QStringList columns{QStringLiteral("t.id"), QStringLiteral("t.created"), QStringLiteral("t.modified")};
    for (const FieldSpec &f : m_spec.fields) {
        const QString column = QStringLiteral("t.") + f.columnName();
        switch (f.type) {
        case FieldType::Vars:
        case FieldType::Object:
            columns << column + QStringLiteral("::text");
            break;
        case FieldType::Ref:
            columns
                << QStringLiteral("(SELECT r.name FROM %1 r WHERE r.id = %2)").arg(tableOf(*f.ref), column);
            break;
        case FieldType::RefList:
            columns << QStringLiteral(
                           "coalesce((SELECT json_agg(r.name ORDER BY l.position) FROM %1 l JOIN %2 r"
                           " ON r.id = l.%3 WHERE l.%4 = t.id)::text, '[]')")
                           .arg(m_spec.linkTable, tableOf(*f.ref), m_spec.linkRefColumn,
                                m_spec.linkOwnerColumn);
            break;
        default:
            columns << column;
        }
    }
    const QString last = lastJobCondition(m_spec.kind);
    columns << (last.isEmpty() ? QStringLiteral("NULL")
                               : QStringLiteral("(SELECT row_to_json(x)::text FROM (SELECT j.id, j.status,"
                                                " coalesce(j.finished, j.started, j.created) AS at FROM"
                                                " unified_job j WHERE %1 ORDER BY j.id DESC LIMIT 1) x)")
                                     .arg(last));
    if (m_spec.kind == ResourceKind::Inventory)
        columns << QStringLiteral("(SELECT count(*) FROM host h WHERE h.inventory_id = t.id)")
                << QStringLiteral("(SELECT count(*) FROM inventory_group g WHERE g.inventory_id = t.id)");
    if (m_spec.kind == ResourceKind::Project)
        columns << QStringLiteral("t.checkout_path");
    return QStringLiteral("SELECT ") + columns.join(QStringLiteral(", ")) + QStringLiteral(" FROM ") +
           m_spec.table + QStringLiteral(" t");
}

QJsonObject ResourceStore::read(const QSqlQuery &q) const {
    QJsonObject o{{QStringLiteral("id"), q.value(0).toLongLong()},
                  {QStringLiteral("type"), m_spec.table},
                  {QStringLiteral("created"), q.value(1).toDateTime().toUTC().toString(Qt::ISODateWithMs)},
                  {QStringLiteral("modified"), q.value(2).toDateTime().toUTC().toString(Qt::ISODateWithMs)}};
    int i = 3;
    for (const FieldSpec &f : m_spec.fields) {
        const QVariant v = q.value(i++);
        switch (f.type) {
        case FieldType::Bool:
            o.insert(f.name, v.toBool());
            break;
        case FieldType::Int:
            o.insert(f.name, v.toLongLong());
            break;
        case FieldType::Vars:
            o.insert(f.name, varsText(v.toString()));
            break;
        case FieldType::Object:
            o.insert(f.name, parseObjectText(v.toString()));
            break;
        case FieldType::RefList:
            o.insert(f.name, QJsonDocument::fromJson(v.toString().toUtf8()).array());
            break;
        default:
            o.insert(f.name, v.isNull() ? QString() : v.toString());
        }
    }
    const QJsonObject last = parseObjectText(q.value(i++).toString());
    o.insert(QStringLiteral("last_job"), last.isEmpty() ? QJsonValue() : last.value(QStringLiteral("id")));
    o.insert(QStringLiteral("last_job_status"), last.value(QStringLiteral("status")).toString());
    o.insert(QStringLiteral("last_job_run"),
             last.isEmpty()
                 ? QString()
                 : QDateTime::fromString(last.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs)
                       .toUTC()
                       .toString(Qt::ISODateWithMs));
    if (m_spec.kind == ResourceKind::Inventory) {
        o.insert(QStringLiteral("total_hosts"), q.value(i++).toLongLong());
        o.insert(QStringLiteral("total_groups"), q.value(i++).toLongLong());
    }
    if (m_spec.kind == ResourceKind::Project)
        o.insert(QStringLiteral("checkout_path"), q.value(i++).toString());
    return o;
}

Result<QList<QJsonObject>> ResourceStore::list(const QString &parentName) {
    QString sql = selectSql();
    QVariantList binds;
    if (!m_spec.parentField.isEmpty() && !parentName.isEmpty()) {
        sql += QStringLiteral(" WHERE t.inventory_id = (SELECT id FROM inventory WHERE name = ?)");
        binds << parentName;
    }
    auto q = exec(m_db, sql + QStringLiteral(" ORDER BY lower(t.name), t.id"), binds);
    if (!q)
        return q.status();
    QList<QJsonObject> out;
    while (q.value().next())
        out << read(q.value());
    return out;
}

Result<qint64> ResourceStore::idOf(QSqlDatabase &db, ResourceKind kind, const QString &name,
                                   const QString &parentName) {
    const ResourceSpec &spec = resourceSpec(kind);
    auto q = spec.parentField.isEmpty()
                 ? exec(db, QStringLiteral("SELECT id FROM %1 WHERE name = ?").arg(spec.table), {name})
                 : exec(db,
                        QStringLiteral("SELECT s.id FROM %1 s JOIN inventory i ON i.id = s.inventory_id"
                                       " WHERE s.name = ? AND (? = '' OR i.name = ?) ORDER BY s.id")
                            .arg(spec.table),
                        {name, parentName, parentName});
    if (!q)
        return q.status();
    if (!q.value().next())
        return qint64(0);
    const qint64 id = q.value().value(0).toLongLong();
    if (q.value().next())
        return Status::failure(
            ResourceStoreText::tr("Several inventories have a source named \"%1\": name the inventory too.")
                .arg(name));
    return id;
}

Result<std::optional<QJsonObject>> ResourceStore::find(const QString &name, const QString &parentName) {
    auto id = idOf(m_db, m_spec.kind, name, parentName);
    if (!id)
        return id.status();
    if (id.value() == 0)
        return std::optional<QJsonObject>();
    auto r = get(id.value());
    if (!r)
        return r.status();
    return std::optional<QJsonObject>(r.value());
}

Result<QJsonObject> ResourceStore::get(qint64 id) {
    auto q = exec(m_db, selectSql() + QStringLiteral(" WHERE t.id = ?"), {id});
    if (!q)
        return q.status();
    if (!q.value().next())
        return Status::failure(
            ResourceStoreText::tr("There is no %1 with id %2.").arg(describeKind(m_spec.kind)).arg(id));
    return read(q.value());
}

Status ResourceStore::checkReferences(const QJsonObject &r, QVariantList &refIds) {
    for (const FieldSpec &f : m_spec.fields) {
        if (f.readOnly || (f.type != FieldType::Ref && f.type != FieldType::RefList))
            continue;
        const QJsonArray names =
            f.type == FieldType::RefList ? r.value(f.name).toArray() : QJsonArray{r.value(f.name).toString()};
        for (const QJsonValue &n : names) {
            if (n.toString().isEmpty()) {
                refIds << QVariant(QMetaType::fromType<qint64>());
                continue;
            }
            auto id = idOf(m_db, *f.ref, n.toString());
            if (!id)
                return id.status();
            if (id.value() == 0)
                return Status::failure(ResourceStoreText::tr("There is no %1 named \"%2\" (%3).")
                                           .arg(describeKind(*f.ref), n.toString(), f.name));
            refIds << id.value();
        }
    }
    // A secret never reaches the database: only the keychain's marker, or ASK.
    if (m_spec.kind == ResourceKind::Credential) {
        const auto kind = credentialKind(r.value(QStringLiteral("kind")).toString());
        const QJsonObject inputs = r.value(QStringLiteral("inputs")).toObject();
        for (const CredentialInput &input : kind ? kind->inputs : QList<CredentialInput>()) {
            const QString value = inputs.value(input.id).toString();
            if (input.secret && !value.isEmpty() && value != kEncrypted && value != kAsk)
                return Status::failure(
                    ResourceStoreText::tr("The secret %1 must go to the keychain, not to the database.")
                        .arg(input.id));
        }
    }
    // What only the database can tell.
    if (m_spec.kind == ResourceKind::Project && !r.value(QStringLiteral("credential")).toString().isEmpty()) {
        auto kind = exec(m_db, QStringLiteral("SELECT kind FROM credential WHERE name = ?"),
                         {r.value(QStringLiteral("credential")).toString()});
        if (!kind)
            return kind.status();
        if (kind.value().next() && kind.value().value(0).toString() != QLatin1String("scm"))
            return Status::failure(
                ResourceStoreText::tr("A project's credential must be a Source Control credential."));
    }
    if (m_spec.kind == ResourceKind::Project && r.value(QStringLiteral("scm_type")).toString().isEmpty() &&
        !QFileInfo(r.value(QStringLiteral("local_path")).toString()).isDir())
        return Status::failure(
            ResourceStoreText::tr("The project directory %1 does not exist on this machine.")
                .arg(r.value(QStringLiteral("local_path")).toString()));
    if (m_spec.kind == ResourceKind::JobTemplate) {
        bool machine = false;
        QStringList vaultIds;
        for (const QJsonValue &n : r.value(QStringLiteral("credentials")).toArray()) {
            auto c =
                exec(m_db,
                     QStringLiteral(
                         "SELECT kind, coalesce(inputs->>'vault_id', '') FROM credential WHERE name = ?"),
                     {n.toString()});
            if (!c)
                return c.status();
            if (!c.value().next())
                continue;
            const QString kind = c.value().value(0).toString();
            if (kind == QLatin1String("scm"))
                return Status::failure(
                    ResourceStoreText::tr("\"%1\" is a Source Control credential: a template takes Machine "
                                          "and Vault credentials; "
                                          "give it to the project instead.")
                        .arg(n.toString()));
            if (kind == QLatin1String("ssh") && std::exchange(machine, true))
                return Status::failure(
                    ResourceStoreText::tr("A template takes one Machine credential, not two."));
            const QString vaultId = c.value().value(1).toString();
            if (kind == QLatin1String("vault")) {
                if (vaultIds.contains(vaultId))
                    return Status::failure(
                        ResourceStoreText::tr("Two Vault credentials with the same vault id (\"%1\"): "
                                              "ansible could use only one.")
                            .arg(vaultId));
                vaultIds << vaultId;
            }
        }
        auto dir = exec(m_db,
                        QStringLiteral("SELECT CASE WHEN scm_type = '' THEN local_path ELSE checkout_path END"
                                       " FROM project WHERE name = ?"),
                        {r.value(QStringLiteral("project")).toString()});
        if (!dir)
            return dir.status();
        const QString projectDir = dir.value().next() ? dir.value().value(0).toString() : QString();
        const QString playbook = r.value(QStringLiteral("playbook")).toString();
        // A git project that was never updated has no files yet: its playbook is checked at launch.
        if (!projectDir.isEmpty()) {
            const QStringList playbooks = discoverPlaybooks(projectDir);
            if (!playbooks.contains(playbook))
                return Status::failure(
                    playbooks.isEmpty()
                        ? ResourceStoreText::tr("The project \"%1\" has no playbooks.")
                              .arg(r.value(QStringLiteral("project")).toString())
                        : ResourceStoreText::tr("The project \"%1\" has no playbook %2. Its playbooks: %3.")
                              .arg(r.value(QStringLiteral("project")).toString(), playbook,
                                   playbooks.join(QStringLiteral(", "))));
        }
    }
    return {};
}

Status ResourceStore::writeLinks(qint64 id, const QJsonObject &r) {
    if (m_spec.linkTable.isEmpty())
        return {};
    if (auto d = exec(
            m_db, QStringLiteral("DELETE FROM %1 WHERE %2 = ?").arg(m_spec.linkTable, m_spec.linkOwnerColumn),
            {id});
        !d)
        return d.status();
    for (const FieldSpec &f : m_spec.fields) {
        if (f.type != FieldType::RefList)
            continue;
        int position = 0;
        for (const QJsonValue &n : r.value(f.name).toArray()) {
            auto ins = exec(
                m_db,
                QStringLiteral("INSERT INTO %1 (%2, %3, position) SELECT ?, id, ? FROM %4 WHERE name = ?")
                    .arg(m_spec.linkTable, m_spec.linkOwnerColumn, m_spec.linkRefColumn, tableOf(*f.ref)),
                {id, position++, n.toString()});
            if (!ins)
                return ins.status();
        }
    }
    return {};
}

Result<qint64> ResourceStore::write(qint64 id, const QJsonObject &r,
                                    const QList<QPair<QString, QVariant>> &extraColumns) {
    QVariantList refIds;
    if (Status s = checkReferences(r, refIds); !s)
        return s;
    QStringList columns, values;
    QVariantList binds;
    int ref = 0;
    for (const FieldSpec &f : m_spec.fields) {
        if (f.readOnly)
            continue;
        if (f.type == FieldType::RefList) {
            ref += int(r.value(f.name).toArray().size());
            continue;
        }
        columns << f.columnName();
        switch (f.type) {
        case FieldType::Bool:
            values << QStringLiteral("?");
            binds << r.value(f.name).toBool();
            break;
        case FieldType::Int:
            values << QStringLiteral("?");
            binds << qint64(r.value(f.name).toDouble());
            break;
        case FieldType::Vars: {
            auto parsed = parseExtraVars(r.value(f.name).toString());
            if (!parsed)
                return Status::failure(
                    ResourceStoreText::tr("%1 is not valid YAML or JSON: %2").arg(f.name, parsed.error()));
            values << QStringLiteral("?::jsonb");
            binds << QString::fromUtf8(QJsonDocument(parsed.value()).toJson(QJsonDocument::Compact));
            break;
        }
        case FieldType::Object:
            values << QStringLiteral("?::jsonb");
            binds << QString::fromUtf8(
                QJsonDocument(r.value(f.name).toObject()).toJson(QJsonDocument::Compact));
            break;
        case FieldType::Ref:
            values << QStringLiteral("?");
            binds << refIds.value(ref++);
            break;
        default:
            values << QStringLiteral("?");
            binds << r.value(f.name).toString();
        }
    }
    for (const auto &[column, value] : extraColumns) {
        columns << column;
        values << QStringLiteral("?");
        binds << value;
    }
    const QString name = r.value(QStringLiteral("name")).toString();
    return atomically<qint64>(m_db, [&]() -> Result<qint64> {
        qint64 written = id;
        if (id == 0) {
            auto q = exec(
                m_db,
                QStringLiteral("INSERT INTO %1 (%2) VALUES (%3) RETURNING id")
                    .arg(m_spec.table, columns.join(QStringLiteral(", ")), values.join(QStringLiteral(", "))),
                binds);
            if (!q)
                return friendly(q.status(), m_spec, name);
            q.value().next();
            written = q.value().value(0).toLongLong();
        } else {
            QStringList sets;
            for (qsizetype i = 0; i < columns.size(); ++i)
                sets << columns.at(i) + QStringLiteral(" = ") + values.at(i);
            sets << QStringLiteral("modified = now()");
            auto q = exec(m_db,
                          QStringLiteral("UPDATE %1 SET %2 WHERE id = ?")
                              .arg(m_spec.table, sets.join(QStringLiteral(", "))),
                          binds + QVariantList{id});
            if (!q)
                return friendly(q.status(), m_spec, name);
            if (q.value().numRowsAffected() == 0)
                return Status::failure(ResourceStoreText::tr("The %1 \"%2\" no longer exists.")
                                           .arg(describeKind(m_spec.kind), name));
        }
        if (Status s = writeLinks(written, r); !s)
            return s;
        if (Status s = bus::publish(m_db, bus::ResourcesChanged{m_spec.kind}); !s)
            return s;
        return written;
    });
}

Result<qint64> ResourceStore::create(const QJsonObject &resource,
                                     const QList<QPair<QString, QVariant>> &extraColumns) {
    return write(0, resource, extraColumns);
}

Status ResourceStore::update(qint64 id, const QJsonObject &resource) {
    return write(id, resource).status();
}

Result<QStringList> ResourceStore::usedBy(qint64 id) {
    struct Use {
        QString sql;
        const char *label;
    };
    QList<Use> uses;
    switch (m_spec.kind) {
    case ResourceKind::Credential:
        uses = {{QStringLiteral("SELECT t.name FROM job_template t JOIN job_template_credential l ON"
                                " l.job_template_id = t.id WHERE l.credential_id = ? ORDER BY t.name"),
                 QT_TRANSLATE_NOOP("Resources", "job template \"%1\"")},
                {QStringLiteral("SELECT name FROM project WHERE credential_id = ? ORDER BY name"),
                 QT_TRANSLATE_NOOP("Resources", "project \"%1\"")}};
        break;
    case ResourceKind::Project:
        uses = {{QStringLiteral("SELECT name FROM job_template WHERE project_id = ? ORDER BY name"),
                 QT_TRANSLATE_NOOP("Resources", "job template \"%1\"")},
                {QStringLiteral(
                     "SELECT s.name FROM inventory_source s WHERE s.source_project_id = ? ORDER BY s.name"),
                 QT_TRANSLATE_NOOP("Resources", "inventory source \"%1\"")},
                {QStringLiteral("SELECT id::text FROM unified_job WHERE project_id = ? AND status IN"
                                " ('pending', 'waiting', 'running') ORDER BY id"),
                 QT_TRANSLATE_NOOP("Resources", "unfinished job %1")}};
        break;
    case ResourceKind::Inventory:
        uses = {{QStringLiteral("SELECT name FROM job_template WHERE inventory_id = ? ORDER BY name"),
                 QT_TRANSLATE_NOOP("Resources", "job template \"%1\"")},
                {QStringLiteral("SELECT id::text FROM unified_job WHERE inventory_id = ? AND status IN"
                                " ('pending', 'waiting', 'running') ORDER BY id"),
                 QT_TRANSLATE_NOOP("Resources", "unfinished job %1")}};
        break;
    case ResourceKind::InventorySource:
        uses = {{QStringLiteral("SELECT id::text FROM unified_job WHERE inventory_source_id = ? AND status IN"
                                " ('pending', 'waiting', 'running') ORDER BY id"),
                 QT_TRANSLATE_NOOP("Resources", "unfinished update %1")}};
        break;
    case ResourceKind::JobTemplate:
        uses = {{QStringLiteral("SELECT id::text FROM unified_job WHERE job_template_id = ? AND status IN"
                                " ('pending', 'waiting', 'running') ORDER BY id"),
                 QT_TRANSLATE_NOOP("Resources", "unfinished job %1")}};
        break;
    }
    QStringList out;
    for (const Use &use : uses) {
        auto q = exec(m_db, use.sql, {id});
        if (!q)
            return q.status();
        while (q.value().next())
            out << ResourceStoreText::tr(use.label).arg(q.value().value(0).toString());
    }
    return out;
}

Status ResourceStore::remove(qint64 id) {
    return atomically<bool>(
               m_db,
               [&]() -> Result<bool> {
                   // Locks the row first: nothing starts using it between the check and the delete.
                   auto row = exec(
                       m_db, QStringLiteral("SELECT name FROM %1 WHERE id = ? FOR UPDATE").arg(m_spec.table),
                       {id});
                   if (!row)
                       return row.status();
                   if (!row.value().next())
                       return Status::failure(ResourceStoreText::tr("There is no %1 with id %2.")
                                                  .arg(describeKind(m_spec.kind))
                                                  .arg(id));
                   const QString name = row.value().value(0).toString();
                   auto users = usedBy(id);
                   if (!users)
                       return users.status();
                   if (!users.value().isEmpty())
                       return Status::failure(
                           ResourceStoreText::tr(
                               "The %1 \"%2\" is in use by %3; change or delete those first.")
                               .arg(describeKind(m_spec.kind), name,
                                    users.value().join(QStringLiteral(", "))));
                   auto q = exec(m_db, QStringLiteral("DELETE FROM %1 WHERE id = ?").arg(m_spec.table), {id});
                   if (!q)
                       return q.code() == QLatin1String("23503")
                                  ? Status::failure(ResourceStoreText::tr("The %1 \"%2\" is still in use: %3")
                                                        .arg(describeKind(m_spec.kind), name, q.error()))
                                  : q.status();
                   if (Status s = bus::publish(m_db, bus::ResourcesChanged{m_spec.kind}); !s)
                       return s;
                   return true;
               })
        .status();
}

} // namespace playdeck

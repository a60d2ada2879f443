#include "AwxFormat.h"

#include "launch/ExtraVars.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>

namespace playdeck {

namespace {

// lupdate files AwxText::tr's strings under "Awx", the context they are looked up in.
class AwxText {
    Q_DECLARE_TR_FUNCTIONS(Awx)
};

const QJsonObject kOrganization{{QStringLiteral("name"), QStringLiteral("Default")},
                                {QStringLiteral("type"), QStringLiteral("organization")}};

// A natural key (or a plain name) as the referenced resource's name.
QJsonValue nameOf(const QJsonValue &v) {
    if (v.isObject())
        return v.toObject().value(QStringLiteral("name")).toString();
    if (v.isNull())
        return QString();
    return v;
}

// The fields of `object` that Playdeck has for `kind`, references turned into names.
QJsonObject fieldsOf(ResourceKind kind, const QJsonObject &object) {
    QJsonObject out;
    for (const FieldSpec &f : resourceSpec(kind).fields) {
        if (f.readOnly || !object.contains(f.name))
            continue;
        QJsonValue v = object.value(f.name);
        if (f.type == FieldType::Ref || v.isObject())
            v = f.type == FieldType::Object ? v : nameOf(v);
        if ((f.type == FieldType::Vars || f.type == FieldType::VarsText) && v.isString() &&
            v.toString().trimmed() == QLatin1String("---"))
            v = QString(); // AWX's empty variables
        if (v.isNull())
            v = f.type == FieldType::Bool ? QJsonValue(false) : QJsonValue(QString());
        out.insert(f.name, v);
    }
    return out;
}

QJsonObject naturalKey(const QString &type, const QString &name, const QJsonObject &extra = {}) {
    QJsonObject key = extra;
    key.insert(QStringLiteral("name"), name);
    key.insert(QStringLiteral("type"), type);
    return key;
}

QJsonObject organizationKey(const QString &type, const QString &name) {
    return naturalKey(type, name, {{QStringLiteral("organization"), kOrganization}});
}

QJsonObject credentialTypeKey(const QString &kind) {
    const auto spec = credentialKind(kind);
    return {{QStringLiteral("name"), spec ? spec->awxName : kind},
            {QStringLiteral("kind"), kind},
            {QStringLiteral("type"), QStringLiteral("credential_type")}};
}

QJsonObject credentialKey(const QString &name, const QString &kind) {
    return naturalKey(QStringLiteral("credential"), name,
                      {{QStringLiteral("organization"), kOrganization},
                       {QStringLiteral("credential_type"), credentialTypeKey(kind)}});
}

Result<QJsonObject> variablesOf(const QJsonValue &v, const QString &what) {
    const QString text = v.toString();
    if (text.trimmed().isEmpty() || text.trimmed() == QLatin1String("---"))
        return QJsonObject();
    auto parsed = parseExtraVars(text);
    if (!parsed)
        return Status::failure(
            AwxText::tr("The variables of %1 are not valid YAML or JSON: %2").arg(what, parsed.error()));
    return parsed.value();
}

QStringList namesIn(const QJsonValue &list) {
    QStringList out;
    for (const QJsonValue &k : list.toArray())
        out << nameOf(k).toString();
    return out;
}

Result<InventoryContent> contentOf(const QJsonObject &inventory) {
    InventoryContent content;
    auto inventoryVars =
        variablesOf(inventory.value(QStringLiteral("variables")),
                    AwxText::tr("inventory %1").arg(inventory.value(QStringLiteral("name")).toString()));
    if (!inventoryVars)
        return inventoryVars.status();
    content.vars = inventoryVars.value(); // the import writes them with the hosts and groups
    const QJsonObject related = inventory.value(QStringLiteral("related")).toObject();
    QMap<QString, QStringList> membersOf;
    for (const QJsonValue &h : related.value(QStringLiteral("hosts")).toArray()) {
        const QJsonObject host = h.toObject();
        const QString name = host.value(QStringLiteral("name")).toString();
        auto vars = variablesOf(host.value(QStringLiteral("variables")), AwxText::tr("host %1").arg(name));
        if (!vars)
            return vars.status();
        content.hosts.insert(name, vars.value());
        if (host.contains(QStringLiteral("enabled")) && !host.value(QStringLiteral("enabled")).toBool())
            content.disabledHosts << name;
        for (const QString &group :
             namesIn(host.value(QStringLiteral("related")).toObject().value(QStringLiteral("groups"))))
            membersOf[group] << name;
    }
    for (const QJsonValue &g : related.value(QStringLiteral("groups")).toArray()) {
        const QJsonObject group = g.toObject();
        const QString name = group.value(QStringLiteral("name")).toString();
        auto vars = variablesOf(group.value(QStringLiteral("variables")), AwxText::tr("group %1").arg(name));
        if (!vars)
            return vars.status();
        const QJsonObject groupRelated = group.value(QStringLiteral("related")).toObject();
        QStringList hosts = namesIn(groupRelated.value(QStringLiteral("hosts")));
        for (const QString &h : membersOf.value(name))
            if (!hosts.contains(h))
                hosts << h;
        content.groups.append(
            {name, vars.value(), hosts, namesIn(groupRelated.value(QStringLiteral("children")))});
    }
    std::sort(
        content.groups.begin(), content.groups.end(),
        [](const InventoryContent::Group &a, const InventoryContent::Group &b) { return a.name < b.name; });
    return content;
}

} // namespace

QString AwxItem::label() const {
    return QStringLiteral("%1 \"%2\"")
        .arg(describeKind(kind), fields.value(QStringLiteral("name")).toString());
}

Result<AwxImportPlan> readAwxExport(const QJsonObject &doc, const QString &projectsRoot) {
    AwxImportPlan plan;
    const auto list = [&doc](const char *key) { return doc.value(QLatin1String(key)).toArray(); };
    for (const QJsonValue &v : list("credentials")) {
        const QJsonObject c = v.toObject();
        const QString name = c.value(QStringLiteral("name")).toString();
        const QJsonObject type = c.value(QStringLiteral("credential_type")).toObject();
        const auto kind = credentialKind(type.value(QStringLiteral("kind")).toString());
        if (!kind || (kind->awxName != type.value(QStringLiteral("name")).toString() &&
                      !type.value(QStringLiteral("name")).toString().isEmpty())) {
            plan.warnings
                << AwxText::tr(
                       "Credential \"%1\" is of type \"%2\", which Playdeck does not have: not imported.")
                       .arg(name, type.value(QStringLiteral("name")).toString());
            continue;
        }
        QJsonObject inputs;
        QStringList missing;
        const QJsonObject given = c.value(QStringLiteral("inputs")).toObject();
        for (const CredentialInput &input : kind->inputs) {
            const QString value = given.value(input.id).toString();
            if (input.secret && (value == kEncrypted || (value.isEmpty() && given.contains(input.id)))) {
                missing << input.id;
                continue;
            }
            if (given.contains(input.id) && !value.isEmpty())
                inputs.insert(input.id, value);
        }
        if (!missing.isEmpty())
            plan.warnings
                << AwxText::tr(
                       "Credential \"%1\" comes without its secrets (%2), as every AWX export: set them with "
                       "playdeck credential update \"%1\" --%3_file FILE, or in its editor.")
                       .arg(name, missing.join(QStringLiteral(", ")), missing.constFirst());
        plan.items.append(
            {ResourceKind::Credential,
             {{QStringLiteral("name"), name},
              {QStringLiteral("description"), c.value(QStringLiteral("description")).toString()},
              {QStringLiteral("kind"), kind->kind},
              {QStringLiteral("inputs"), inputs}},
             {},
             std::nullopt});
    }
    for (const QJsonValue &v : list("projects")) {
        const QJsonObject p = v.toObject();
        QJsonObject fields = fieldsOf(ResourceKind::Project, p);
        const QString type = fields.value(QStringLiteral("scm_type")).toString();
        if (!type.isEmpty() && type != QLatin1String("git")) {
            plan.warnings << AwxText::tr(
                                 "Project \"%1\" uses %2, which Playdeck does not have (only git and local "
                                 "directories): "
                                 "not imported.")
                                 .arg(fields.value(QStringLiteral("name")).toString(), type);
            continue;
        }
        if (type.isEmpty()) {
            const QString path = fields.value(QStringLiteral("local_path")).toString();
            fields.insert(QStringLiteral("local_path"), QDir(projectsRoot).absoluteFilePath(path));
        } else {
            fields.remove(QStringLiteral("local_path")); // Playdeck keeps git checkouts itself
        }
        plan.items.append({ResourceKind::Project, fields, {}, std::nullopt});
    }
    for (const QJsonValue &v : list("inventory")) {
        const QJsonObject i = v.toObject();
        const QString kind = i.value(QStringLiteral("kind")).toString();
        if (!kind.isEmpty()) {
            plan.warnings
                << AwxText::tr(
                       "Inventory \"%1\" is a %2 inventory, which Playdeck does not have: not imported.")
                       .arg(i.value(QStringLiteral("name")).toString(), kind);
            continue;
        }
        auto content = contentOf(i);
        if (!content)
            return content.status();
        plan.items.append(
            {ResourceKind::Inventory, fieldsOf(ResourceKind::Inventory, i), {}, content.value()});
    }
    for (const QJsonValue &v : list("inventory_sources")) {
        const QJsonObject s = v.toObject();
        QJsonObject fields = fieldsOf(ResourceKind::InventorySource, s);
        const QString source = s.value(QStringLiteral("source")).toString();
        if (source != QLatin1String("scm") && source != QLatin1String("file")) {
            plan.warnings
                << AwxText::tr(
                       "Inventory source \"%1\" reads from %2, which Playdeck does not have: not imported.")
                       .arg(fields.value(QStringLiteral("name")).toString(), source);
            continue;
        }
        plan.items.append({ResourceKind::InventorySource, fields,
                           fields.value(QStringLiteral("inventory")).toString(), std::nullopt});
    }
    for (const QJsonValue &v : list("job_templates")) {
        const QJsonObject t = v.toObject();
        QJsonObject fields = fieldsOf(ResourceKind::JobTemplate, t);
        const QJsonObject related = t.value(QStringLiteral("related")).toObject();
        fields.insert(QStringLiteral("credentials"),
                      QJsonArray::fromStringList(namesIn(related.value(QStringLiteral("credentials")))));
        QJsonObject survey = related.value(QStringLiteral("survey_spec")).toObject();
        if (!survey.isEmpty()) {
            QJsonArray questions;
            for (const QJsonValue &q : survey.value(QStringLiteral("spec")).toArray()) {
                QJsonObject question = q.toObject();
                question.remove(QStringLiteral("new_question")); // the old AWX UI's
                if (question.value(QStringLiteral("default")).toString() == kEncrypted)
                    question.remove(QStringLiteral("default")); // a password default AWX does not export
                questions.append(question);
            }
            survey.insert(QStringLiteral("spec"), questions);
        }
        fields.insert(QStringLiteral("survey_spec"), survey);
        plan.items.append({ResourceKind::JobTemplate, fields, {}, std::nullopt});
    }
    return plan;
}

QJsonObject writeAwxExport(const QMap<ResourceKind, QList<QJsonObject>> &resources,
                           const QMap<QString, InventoryContent> &contents) {
    QJsonObject doc;
    const auto plain = [](ResourceKind kind, const QJsonObject &r, const QStringList &skip = {}) {
        QJsonObject out;
        for (const FieldSpec &f : resourceSpec(kind).fields)
            if (!f.readOnly && f.type != FieldType::Ref && f.type != FieldType::RefList &&
                !skip.contains(f.name))
                out.insert(f.name, r.value(f.name));
        return out;
    };
    QHash<QString, QString> credentialKinds;
    QJsonArray credentials;
    for (const QJsonObject &c : resources.value(ResourceKind::Credential)) {
        const QString kind = c.value(QStringLiteral("kind")).toString();
        credentialKinds.insert(c.value(QStringLiteral("name")).toString(), kind);
        credentials.append(
            QJsonObject{{QStringLiteral("name"), c.value(QStringLiteral("name"))},
                        {QStringLiteral("description"), c.value(QStringLiteral("description"))},
                        {QStringLiteral("inputs"), c.value(QStringLiteral("inputs"))},
                        {QStringLiteral("organization"), kOrganization},
                        {QStringLiteral("credential_type"), credentialTypeKey(kind)},
                        {QStringLiteral("natural_key"),
                         credentialKey(c.value(QStringLiteral("name")).toString(), kind)}});
    }
    const auto credentialRef = [&](const QString &name) -> QJsonValue {
        if (name.isEmpty())
            return QJsonValue::Null;
        return credentialKey(name, credentialKinds.value(name, QStringLiteral("scm")));
    };
    QJsonArray projects;
    for (const QJsonObject &p : resources.value(ResourceKind::Project)) {
        QJsonObject o = plain(ResourceKind::Project, p);
        o.insert(QStringLiteral("credential"),
                 credentialRef(p.value(QStringLiteral("credential")).toString()));
        o.insert(QStringLiteral("organization"), kOrganization);
        o.insert(QStringLiteral("natural_key"),
                 organizationKey(QStringLiteral("project"), p.value(QStringLiteral("name")).toString()));
        projects.append(o);
    }
    QJsonArray inventories;
    for (const QJsonObject &i : resources.value(ResourceKind::Inventory)) {
        const QString name = i.value(QStringLiteral("name")).toString();
        const QJsonObject inventoryKey = organizationKey(QStringLiteral("inventory"), name);
        QJsonObject o = plain(ResourceKind::Inventory, i);
        o.insert(QStringLiteral("kind"), QString());
        o.insert(QStringLiteral("organization"), kOrganization);
        const InventoryContent c = contents.value(name);
        const auto key = [&](const QString &type, const QString &member) {
            return naturalKey(type, member, {{QStringLiteral("inventory"), inventoryKey}});
        };
        const auto vars = [](const QJsonObject &v) {
            return v.isEmpty() ? QString()
                               : QString::fromUtf8(QJsonDocument(v).toJson(QJsonDocument::Indented));
        };
        QJsonArray hosts, groups;
        for (auto it = c.hosts.begin(); it != c.hosts.end(); ++it) {
            QJsonArray memberOf;
            for (const InventoryContent::Group &g : c.groups)
                if (g.hosts.contains(it.key()))
                    memberOf.append(key(QStringLiteral("group"), g.name));
            hosts.append(
                QJsonObject{{QStringLiteral("name"), it.key()},
                            {QStringLiteral("description"), QString()},
                            {QStringLiteral("enabled"), !c.disabledHosts.contains(it.key())},
                            {QStringLiteral("instance_id"), QString()},
                            {QStringLiteral("variables"), vars(it.value())},
                            {QStringLiteral("inventory"), inventoryKey},
                            {QStringLiteral("related"), QJsonObject{{QStringLiteral("groups"), memberOf}}},
                            {QStringLiteral("natural_key"), key(QStringLiteral("host"), it.key())}});
        }
        for (const InventoryContent::Group &g : c.groups) {
            QJsonArray members, children;
            for (const QString &h : g.hosts)
                members.append(key(QStringLiteral("host"), h));
            for (const QString &child : g.children)
                children.append(key(QStringLiteral("group"), child));
            groups.append(
                QJsonObject{{QStringLiteral("name"), g.name},
                            {QStringLiteral("description"), QString()},
                            {QStringLiteral("variables"), vars(g.vars)},
                            {QStringLiteral("inventory"), inventoryKey},
                            {QStringLiteral("related"), QJsonObject{{QStringLiteral("hosts"), members},
                                                                    {QStringLiteral("children"), children}}},
                            {QStringLiteral("natural_key"), key(QStringLiteral("group"), g.name)}});
        }
        o.insert(QStringLiteral("related"), QJsonObject{{QStringLiteral("hosts"), hosts},
                                                        {QStringLiteral("labels"), QJsonArray()},
                                                        {QStringLiteral("groups"), groups}});
        o.insert(QStringLiteral("natural_key"), inventoryKey);
        inventories.append(o);
    }
    QJsonArray sources;
    for (const QJsonObject &s : resources.value(ResourceKind::InventorySource)) {
        QJsonObject o = plain(ResourceKind::InventorySource, s);
        const QJsonObject inventoryKey =
            organizationKey(QStringLiteral("inventory"), s.value(QStringLiteral("inventory")).toString());
        o.insert(QStringLiteral("inventory"), inventoryKey);
        const QString project = s.value(QStringLiteral("source_project")).toString();
        o.insert(QStringLiteral("source_project"),
                 project.isEmpty() ? QJsonValue(QJsonValue::Null)
                                   : QJsonValue(organizationKey(QStringLiteral("project"), project)));
        o.insert(QStringLiteral("natural_key"),
                 naturalKey(QStringLiteral("inventory_source"), s.value(QStringLiteral("name")).toString(),
                            {{QStringLiteral("inventory"), inventoryKey}}));
        sources.append(o);
    }
    QJsonArray templates;
    for (const QJsonObject &t : resources.value(ResourceKind::JobTemplate)) {
        QJsonObject o =
            plain(ResourceKind::JobTemplate, t,
                  {QStringLiteral("survey_spec"), QStringLiteral("folder"), QStringLiteral("favorite")});
        const QString inventory = t.value(QStringLiteral("inventory")).toString();
        o.insert(QStringLiteral("inventory"),
                 inventory.isEmpty() ? QJsonValue(QJsonValue::Null)
                                     : QJsonValue(organizationKey(QStringLiteral("inventory"), inventory)));
        o.insert(QStringLiteral("project"),
                 organizationKey(QStringLiteral("project"), t.value(QStringLiteral("project")).toString()));
        QJsonArray creds;
        for (const QJsonValue &c : t.value(QStringLiteral("credentials")).toArray())
            creds.append(credentialRef(c.toString()));
        o.insert(QStringLiteral("related"),
                 QJsonObject{{QStringLiteral("labels"), QJsonArray()},
                             {QStringLiteral("credentials"), creds},
                             {QStringLiteral("schedules"), QJsonArray()},
                             {QStringLiteral("survey_spec"), t.value(QStringLiteral("survey_spec"))}});
        o.insert(QStringLiteral("natural_key"),
                 organizationKey(QStringLiteral("job_template"), t.value(QStringLiteral("name")).toString()));
        templates.append(o);
    }
    doc.insert(QStringLiteral("credentials"), credentials);
    doc.insert(QStringLiteral("projects"), projects);
    doc.insert(QStringLiteral("inventory"), inventories);
    doc.insert(QStringLiteral("inventory_sources"), sources);
    doc.insert(QStringLiteral("job_templates"), templates);
    return doc;
}

} // namespace playdeck

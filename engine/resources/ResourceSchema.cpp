#include "ResourceSchema.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>

namespace playdeck {

namespace {

FieldSpec text(const char *name, const char *help, bool required = false) {
    FieldSpec f;
    f.name = QString::fromLatin1(name);
    f.defaultValue = QString();
    f.required = required;
    f.help = help;
    return f;
}

FieldSpec flag(const char *name, const char *help) {
    FieldSpec f;
    f.name = QString::fromLatin1(name);
    f.type = FieldType::Bool;
    f.defaultValue = false;
    f.help = help;
    return f;
}

FieldSpec number(const char *name, qint64 def, qint64 min, qint64 max, const char *help) {
    FieldSpec f;
    f.name = QString::fromLatin1(name);
    f.type = FieldType::Int;
    f.defaultValue = double(def);
    f.min = min;
    f.max = max;
    f.help = help;
    return f;
}

FieldSpec choice(const char *name, QStringList choices, const char *help) {
    FieldSpec f;
    f.name = QString::fromLatin1(name);
    f.type = FieldType::Choice;
    f.defaultValue = choices.value(0);
    f.choices = std::move(choices);
    f.help = help;
    return f;
}

FieldSpec ref(const char *name, ResourceKind kind, const char *help, bool required = false) {
    FieldSpec f;
    f.name = QString::fromLatin1(name);
    f.type = FieldType::Ref;
    f.ref = kind;
    f.defaultValue = QString();
    f.required = required;
    f.help = help;
    return f;
}

FieldSpec typed(const char *name, FieldType type, const char *help) {
    FieldSpec f;
    f.name = QString::fromLatin1(name);
    f.type = type;
    f.defaultValue = type == FieldType::Object ? QJsonValue(QJsonObject()) : QJsonValue(QString());
    f.help = help;
    return f;
}

FieldSpec withColumn(FieldSpec f, const char *column) {
    f.column = QString::fromLatin1(column);
    return f;
}

FieldSpec readOnly(FieldSpec f) {
    f.readOnly = true;
    return f;
}

ResourceSpec credentialSpec() {
    ResourceSpec s{ResourceKind::Credential,
                   QStringLiteral("credential"),
                   QStringLiteral("credential"),
                   QStringLiteral("credentials"),
                   {},
                   {},
                   {},
                   {},
                   {}};
    s.fields = {
        text("name", QT_TRANSLATE_NOOP("Resources", "Unique name."), true),
        text("description", QT_TRANSLATE_NOOP("Resources", "What it is for.")),
        choice("kind", {QStringLiteral("ssh"), QStringLiteral("scm"), QStringLiteral("vault")},
               QT_TRANSLATE_NOOP("Resources", "ssh (Machine), scm (Source Control) or vault (Vault).")),
        typed("inputs", FieldType::Object,
              QT_TRANSLATE_NOOP("Resources",
                                "The credential's fields; secret ones show as $encrypted$ or ASK.")),
    };
    return s;
}

ResourceSpec projectSpec() {
    ResourceSpec s{ResourceKind::Project,
                   QStringLiteral("project"),
                   QStringLiteral("project"),
                   QStringLiteral("projects"),
                   {},
                   {},
                   {},
                   {},
                   {}};
    s.fields = {
        text("name", QT_TRANSLATE_NOOP("Resources", "Unique name."), true),
        text("description", QT_TRANSLATE_NOOP("Resources", "What it is for.")),
        choice("scm_type", {QString(), QStringLiteral("git")},
               QT_TRANSLATE_NOOP("Resources", "Empty for a local directory, or git.")),
        text("local_path", QT_TRANSLATE_NOOP("Resources", "The directory of a local project's playbooks.")),
        text("scm_url", QT_TRANSLATE_NOOP("Resources", "The git repository's URL (or path).")),
        text("scm_branch",
             QT_TRANSLATE_NOOP("Resources",
                               "Branch, tag or commit to check out (default: the remote's HEAD).")),
        text("scm_refspec", QT_TRANSLATE_NOOP("Resources", "Extra refspec to fetch.")),
        ref("credential", ResourceKind::Credential,
            QT_TRANSLATE_NOOP("Resources", "A Source Control credential for the repository.")),
        flag("scm_clean", QT_TRANSLATE_NOOP("Resources", "Discard local changes before an update.")),
        flag("scm_delete_on_update",
             QT_TRANSLATE_NOOP("Resources", "Delete the whole checkout before an update.")),
        flag("scm_track_submodules",
             QT_TRANSLATE_NOOP("Resources", "Update submodules to the latest commit of their branch.")),
        flag("scm_update_on_launch",
             QT_TRANSLATE_NOOP("Resources", "Update the project before each job that uses it.")),
        number("scm_update_cache_timeout", 0, 0, 1LL << 31,
               QT_TRANSLATE_NOOP("Resources", "Seconds an update stays fresh for update on launch.")),
        flag("allow_override", QT_TRANSLATE_NOOP("Resources", "Templates may choose another branch.")),
        number("timeout", 0, -1, 1LL << 31,
               QT_TRANSLATE_NOOP("Resources", "Seconds an update may take; 0: no limit.")),
        readOnly(text("scm_revision", QT_TRANSLATE_NOOP("Resources", "The revision of the last update."))),
    };
    return s;
}

ResourceSpec inventorySpec() {
    ResourceSpec s{ResourceKind::Inventory,
                   QStringLiteral("inventory"),
                   QStringLiteral("inventory"),
                   QStringLiteral("inventory"),
                   {},
                   {},
                   {},
                   {},
                   {}};
    s.fields = {
        text("name", QT_TRANSLATE_NOOP("Resources", "Unique name."), true),
        text("description", QT_TRANSLATE_NOOP("Resources", "What it is for.")),
        typed("variables", FieldType::Vars,
              QT_TRANSLATE_NOOP("Resources", "Variables of all hosts: YAML or JSON.")),
    };
    return s;
}

ResourceSpec inventorySourceSpec() {
    ResourceSpec s{ResourceKind::InventorySource,
                   QStringLiteral("inventory_source"),
                   QStringLiteral("inventory_source"),
                   QStringLiteral("inventory_sources"),
                   {},
                   {},
                   {},
                   {},
                   QStringLiteral("inventory")};
    s.fields = {
        text("name", QT_TRANSLATE_NOOP("Resources", "Name, unique in its inventory."), true),
        text("description", QT_TRANSLATE_NOOP("Resources", "What it is for.")),
        ref("inventory", ResourceKind::Inventory, QT_TRANSLATE_NOOP("Resources", "The inventory it fills."),
            true),
        choice("source", {QStringLiteral("file"), QStringLiteral("scm")},
               QT_TRANSLATE_NOOP("Resources", "file (a path on this machine) or scm (a file in a project).")),
        text("source_path", QT_TRANSLATE_NOOP("Resources", "The inventory file, script or directory."), true),
        withColumn(ref("source_project", ResourceKind::Project,
                       QT_TRANSLATE_NOOP("Resources", "The project the file is in (source scm).")),
                   "source_project_id"),
        flag("overwrite",
             QT_TRANSLATE_NOOP("Resources", "Remove hosts and groups that vanished from the source.")),
        flag("overwrite_vars", QT_TRANSLATE_NOOP("Resources", "Replace variables instead of merging them.")),
        flag("update_on_launch", QT_TRANSLATE_NOOP("Resources", "Update before each job on the inventory.")),
        number("update_cache_timeout", 0, 0, 1LL << 31,
               QT_TRANSLATE_NOOP("Resources", "Seconds an update stays fresh for update on launch.")),
        number("timeout", 0, -1, 1LL << 31,
               QT_TRANSLATE_NOOP("Resources", "Seconds an update may take; 0: no limit.")),
        number("verbosity", 1, 0, 2, QT_TRANSLATE_NOOP("Resources", "0 (warnings) to 2 (debug).")),
    };
    return s;
}

ResourceSpec jobTemplateSpec() {
    ResourceSpec s{ResourceKind::JobTemplate,
                   QStringLiteral("job_template"),
                   QStringLiteral("template"),
                   QStringLiteral("job_templates"),
                   {},
                   QStringLiteral("job_template_credential"),
                   QStringLiteral("job_template_id"),
                   QStringLiteral("credential_id"),
                   {}};
    FieldSpec credentials = ref("credentials", ResourceKind::Credential,
                                QT_TRANSLATE_NOOP("Resources", "Credentials, comma-separated."));
    credentials.type = FieldType::RefList;
    credentials.defaultValue = QJsonArray();
    s.fields = {
        text("name", QT_TRANSLATE_NOOP("Resources", "Unique name."), true),
        text("description", QT_TRANSLATE_NOOP("Resources", "What it is for.")),
        choice("job_type", {QStringLiteral("run"), QStringLiteral("check")},
               QT_TRANSLATE_NOOP("Resources", "run, or check (no changes are made).")),
        ref("inventory", ResourceKind::Inventory, QT_TRANSLATE_NOOP("Resources", "The hosts to run on.")),
        ref("project", ResourceKind::Project, QT_TRANSLATE_NOOP("Resources", "Where the playbook is."), true),
        text("playbook", QT_TRANSLATE_NOOP("Resources", "The playbook, relative to the project."), true),
        text("scm_branch", QT_TRANSLATE_NOOP("Resources", "Another branch (if the project allows it).")),
        number("forks", 0, 0, 200, QT_TRANSLATE_NOOP("Resources", "Parallel hosts; 0: ansible's default.")),
        withColumn(text("limit", QT_TRANSLATE_NOOP("Resources", "Host pattern to limit the run to.")),
                   "host_limit"),
        number("verbosity", 0, 0, 5, QT_TRANSLATE_NOOP("Resources", "0 (normal) to 5.")),
        typed("extra_vars", FieldType::VarsText,
              QT_TRANSLATE_NOOP("Resources", "Extra variables: YAML or JSON.")),
        text("job_tags", QT_TRANSLATE_NOOP("Resources", "Only tasks with these tags.")),
        text("skip_tags", QT_TRANSLATE_NOOP("Resources", "Skip tasks with these tags.")),
        number("timeout", 0, -1, 1LL << 31,
               QT_TRANSLATE_NOOP("Resources", "Seconds a job may take; 0: no limit.")),
        flag("diff_mode", QT_TRANSLATE_NOOP("Resources", "Show the changes tasks make (--diff).")),
        flag("become_enabled", QT_TRANSLATE_NOOP("Resources", "Run with privilege escalation (--become).")),
        flag("allow_simultaneous", QT_TRANSLATE_NOOP("Resources", "Jobs of it may run at the same time.")),
        credentials,
        flag("survey_enabled", QT_TRANSLATE_NOOP("Resources", "Ask the survey at launch.")),
        typed("survey_spec", FieldType::Object,
              QT_TRANSLATE_NOOP("Resources",
                                "The survey: {\"name\", \"description\", \"spec\": [questions]}.")),
        flag("ask_inventory_on_launch", QT_TRANSLATE_NOOP("Resources", "Prompt for the inventory.")),
        flag("ask_credential_on_launch", QT_TRANSLATE_NOOP("Resources", "Prompt for credentials.")),
        flag("ask_limit_on_launch", QT_TRANSLATE_NOOP("Resources", "Prompt for the limit.")),
        flag("ask_tags_on_launch", QT_TRANSLATE_NOOP("Resources", "Prompt for job tags.")),
        flag("ask_skip_tags_on_launch", QT_TRANSLATE_NOOP("Resources", "Prompt for skip tags.")),
        flag("ask_verbosity_on_launch", QT_TRANSLATE_NOOP("Resources", "Prompt for the verbosity.")),
        flag("ask_job_type_on_launch", QT_TRANSLATE_NOOP("Resources", "Prompt for the job type.")),
        flag("ask_variables_on_launch", QT_TRANSLATE_NOOP("Resources", "Prompt for extra variables.")),
        flag("ask_diff_mode_on_launch", QT_TRANSLATE_NOOP("Resources", "Prompt for diff mode.")),
        flag("ask_forks_on_launch", QT_TRANSLATE_NOOP("Resources", "Prompt for forks.")),
        flag("ask_timeout_on_launch", QT_TRANSLATE_NOOP("Resources", "Prompt for the timeout.")),
        flag("ask_scm_branch_on_launch", QT_TRANSLATE_NOOP("Resources", "Prompt for the branch.")),
        text("folder", QT_TRANSLATE_NOOP("Resources", "Where the template is filed, as \"Web/Deploy\".")),
        flag("favorite", QT_TRANSLATE_NOOP("Resources", "Shown first among the templates.")),
    };
    return s;
}

} // namespace

QString FieldSpec::columnName() const {
    if (!column.isEmpty())
        return column;
    return type == FieldType::Ref ? name + QStringLiteral("_id") : name;
}

const FieldSpec *ResourceSpec::field(const QString &name) const {
    for (const FieldSpec &f : fields)
        if (f.name == name)
            return &f;
    return nullptr;
}

const ResourceSpec &resourceSpec(ResourceKind kind) {
    static const ResourceSpec specs[] = {credentialSpec(), projectSpec(), inventorySpec(),
                                         inventorySourceSpec(), jobTemplateSpec()};
    return specs[int(kind)];
}

QList<ResourceKind> allResourceKinds() {
    return {ResourceKind::Credential, ResourceKind::Project, ResourceKind::Inventory,
            ResourceKind::InventorySource, ResourceKind::JobTemplate};
}

std::optional<ResourceKind> resourceKindFromName(const QString &singular) {
    for (ResourceKind kind : allResourceKinds())
        if (resourceSpec(kind).singular == singular)
            return kind;
    return std::nullopt;
}

QString describeKind(ResourceKind kind) {
    switch (kind) {
    case ResourceKind::Credential:
        return QCoreApplication::translate("Resources", "credential");
    case ResourceKind::Project:
        return QCoreApplication::translate("Resources", "project");
    case ResourceKind::Inventory:
        return QCoreApplication::translate("Resources", "inventory");
    case ResourceKind::InventorySource:
        return QCoreApplication::translate("Resources", "inventory source");
    case ResourceKind::JobTemplate:
        return QCoreApplication::translate("Resources", "job template");
    }
    return {};
}

QList<CredentialKindSpec> credentialKinds() {
    const QStringList becomeMethods = {QString(),
                                       QStringLiteral("sudo"),
                                       QStringLiteral("su"),
                                       QStringLiteral("pbrun"),
                                       QStringLiteral("pfexec"),
                                       QStringLiteral("dzdo"),
                                       QStringLiteral("pmrun"),
                                       QStringLiteral("runas"),
                                       QStringLiteral("enable"),
                                       QStringLiteral("doas"),
                                       QStringLiteral("ksu"),
                                       QStringLiteral("machinectl"),
                                       QStringLiteral("sesu")};
    return {
        {QStringLiteral("ssh"),
         QStringLiteral(QT_TRANSLATE_NOOP("Resources", "Machine")),
         {{QStringLiteral("username"), false, {}, QT_TRANSLATE_NOOP("Resources", "Username")},
          {QStringLiteral("password"), true, {}, QT_TRANSLATE_NOOP("Resources", "Password")},
          {QStringLiteral("ssh_key_data"), true, {}, QT_TRANSLATE_NOOP("Resources", "SSH private key")},
          {QStringLiteral("ssh_key_unlock"),
           true,
           {},
           QT_TRANSLATE_NOOP("Resources", "Private key passphrase")},
          {QStringLiteral("become_method"), false, becomeMethods,
           QT_TRANSLATE_NOOP("Resources", "Privilege escalation method")},
          {QStringLiteral("become_username"),
           false,
           {},
           QT_TRANSLATE_NOOP("Resources", "Privilege escalation username")},
          {QStringLiteral("become_password"),
           true,
           {},
           QT_TRANSLATE_NOOP("Resources", "Privilege escalation password")}}},
        {QStringLiteral("scm"),
         QStringLiteral(QT_TRANSLATE_NOOP("Resources", "Source Control")),
         {{QStringLiteral("username"), false, {}, QT_TRANSLATE_NOOP("Resources", "Username")},
          {QStringLiteral("password"), true, {}, QT_TRANSLATE_NOOP("Resources", "Password")},
          {QStringLiteral("ssh_key_data"), true, {}, QT_TRANSLATE_NOOP("Resources", "SSH private key")},
          {QStringLiteral("ssh_key_unlock"),
           true,
           {},
           QT_TRANSLATE_NOOP("Resources", "Private key passphrase")}}},
        {QStringLiteral("vault"),
         QStringLiteral(QT_TRANSLATE_NOOP("Resources", "Vault")),
         {{QStringLiteral("vault_password"), true, {}, QT_TRANSLATE_NOOP("Resources", "Vault password")},
          {QStringLiteral("vault_id"), false, {}, QT_TRANSLATE_NOOP("Resources", "Vault identifier")}}},
    };
}

std::optional<CredentialKindSpec> credentialKind(const QString &kindOrAwxName) {
    for (const CredentialKindSpec &k : credentialKinds())
        if (k.kind == kindOrAwxName || k.awxName.compare(kindOrAwxName, Qt::CaseInsensitive) == 0)
            return k;
    return std::nullopt;
}

} // namespace playdeck

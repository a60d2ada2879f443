#pragma once

#include <QJsonValue>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace playdeck {

// The objects an operator brings: AWX's resources of the same names.
enum class ResourceKind { Credential, Project, Inventory, InventorySource, JobTemplate };

// How a field's value is written in JSON (the CLI's --json, `awx export`, the editors) and checked.
enum class FieldType {
    Text,     // a string
    Choice,   // a string out of `choices`
    Bool,     // true/false
    Int,      // an integer in [min, max]
    Vars,     // variables: YAML or JSON text (an object), stored as jsonb
    VarsText, // variables kept as the text the operator wrote (a template's extra_vars)
    Object,   // a JSON object (a survey spec, a credential's inputs)
    Ref,      // another resource, by name
    RefList,  // several other resources, by name, in order
};

// One field of a resource, named as AWX names it: the JSON key, the command-line option
// (--scm_url or --scm-url) and, unless `column` says otherwise, the column.
struct FieldSpec {
    QString name;
    FieldType type = FieldType::Text;
    QString column;                  // empty: `name` (a Ref's column is name + "_id")
    QJsonValue defaultValue;         // what a new resource gets when the field is not given
    QStringList choices;             // Choice only
    std::optional<ResourceKind> ref; // Ref and RefList
    qint64 min = 0, max = 0;         // Int only (min == max: no bounds)
    bool required = false;
    bool readOnly = false; // computed: shown, never written by a caller
    const char *help = ""; // for the command line's help and the editors' tooltips (translated)

    QString columnName() const;
};

struct ResourceSpec {
    ResourceKind kind;
    QString table;
    QString singular; // "project": the CLI noun and NOTIFY payload
    QString awxKey;   // the key of `awx export`: "projects", "inventory", ...
    QList<FieldSpec> fields;
    // For a RefList field: the link table and its two columns.
    QString linkTable, linkOwnerColumn, linkRefColumn;
    // A resource that lives inside another (an inventory source in its inventory): the parent's Ref
    // field. Its name is unique only within the parent.
    QString parentField;

    const FieldSpec *field(const QString &name) const;
};

const ResourceSpec &resourceSpec(ResourceKind kind);
QList<ResourceKind> allResourceKinds();
std::optional<ResourceKind> resourceKindFromName(const QString &singular);
// "project", "inventory", "credential", "inventory source", "job template", for messages.
QString describeKind(ResourceKind kind);

// A credential kind's inputs (AWX's managed credential types Machine, Source Control and Vault).
struct CredentialInput {
    QString id;
    bool secret = false;
    QStringList choices; // become_method's
    const char *label = "";
};
struct CredentialKindSpec {
    QString kind;    // ssh, scm, vault
    QString awxName; // Machine, Source Control, Vault
    QList<CredentialInput> inputs;
};
QList<CredentialKindSpec> credentialKinds();
std::optional<CredentialKindSpec> credentialKind(const QString &kindOrAwxName);

// AWX's marker for a secret kept elsewhere, and for one asked at launch.
inline const QString kEncrypted = QStringLiteral("$encrypted$");
inline const QString kAsk = QStringLiteral("ASK");

} // namespace playdeck

Q_DECLARE_METATYPE(playdeck::ResourceKind)

#include "ResourceRules.h"

#include "launch/ExtraVars.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

namespace playdeck {

namespace {

// lupdate files ResourceRulesText::tr's strings under "Resources", the context they are looked up in.
class ResourceRulesText {
    Q_DECLARE_TR_FUNCTIONS(Resources)
};

QStringList fieldNames(const ResourceSpec &spec) {
    QStringList names;
    for (const FieldSpec &f : spec.fields)
        if (!f.readOnly)
            names << f.name;
    return names;
}

Result<QJsonValue> coerce(const FieldSpec &f, const QJsonValue &v) {
    const auto wrong = [&](const QString &expected) {
        return Result<QJsonValue>::failure(ResourceRulesText::tr("%1 must be %2.").arg(f.name, expected));
    };
    switch (f.type) {
    case FieldType::Text:
    case FieldType::Ref:
        if (v.isNull())
            return QJsonValue(QString());
        if (!v.isString())
            return wrong(ResourceRulesText::tr("text"));
        return v;
    case FieldType::Choice:
        if (v.isNull())
            return QJsonValue(QString());
        if (!v.isString() || !f.choices.contains(v.toString())) {
            QStringList shown;
            for (const QString &c : f.choices)
                shown << (c.isEmpty() ? ResourceRulesText::tr("(empty)") : c);
            return wrong(ResourceRulesText::tr("one of %1").arg(shown.join(QStringLiteral(", "))));
        }
        return v;
    case FieldType::Bool:
        if (v.isBool())
            return v;
        if (v.isString()) {
            const QString s = v.toString().toLower();
            if (s == QLatin1String("true") || s == QLatin1String("yes") || s == QLatin1String("1") ||
                s == QLatin1String("on"))
                return QJsonValue(true);
            if (s == QLatin1String("false") || s == QLatin1String("no") || s == QLatin1String("0") ||
                s == QLatin1String("off"))
                return QJsonValue(false);
        }
        return wrong(ResourceRulesText::tr("true or false"));
    case FieldType::Int: {
        qint64 n = 0;
        bool ok = false;
        if (v.isDouble()) {
            const double d = v.toDouble();
            ok = d == double(qint64(d)) && std::abs(d) < 9.0e15;
            n = qint64(d);
        } else if (v.isString()) {
            n = v.toString().trimmed().toLongLong(&ok);
        }
        if (!ok)
            return wrong(ResourceRulesText::tr("a whole number"));
        if (f.min != f.max && (n < f.min || n > f.max))
            return wrong(ResourceRulesText::tr("between %1 and %2").arg(f.min).arg(f.max));
        return QJsonValue(double(n));
    }
    case FieldType::Vars:
    case FieldType::VarsText: {
        if (v.isNull())
            return QJsonValue(QString());
        if (v.isObject())
            return QJsonValue(QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)));
        if (!v.isString())
            return wrong(ResourceRulesText::tr("YAML or JSON text"));
        auto parsed = parseExtraVars(v.toString());
        if (!parsed)
            return Result<QJsonValue>::failure(
                ResourceRulesText::tr("%1 is not valid YAML or JSON: %2").arg(f.name, parsed.error()));
        return v;
    }
    case FieldType::Object: {
        if (v.isObject())
            return v;
        if (v.isString()) {
            if (v.toString().trimmed().isEmpty())
                return QJsonValue(QJsonObject());
            QJsonParseError error{};
            const QJsonDocument doc = QJsonDocument::fromJson(v.toString().toUtf8(), &error);
            if (error.error == QJsonParseError::NoError && doc.isObject())
                return QJsonValue(doc.object());
        }
        return wrong(ResourceRulesText::tr("a JSON object"));
    }
    case FieldType::RefList: {
        QJsonArray names;
        if (v.isArray()) {
            for (const QJsonValue &item : v.toArray()) {
                if (!item.isString() || item.toString().isEmpty())
                    return wrong(ResourceRulesText::tr("a list of names"));
                names.append(item);
            }
        } else if (v.isString()) {
            for (const QString &part : v.toString().split(QLatin1Char(','), Qt::SkipEmptyParts))
                if (!part.trimmed().isEmpty())
                    names.append(part.trimmed());
        } else if (!v.isNull()) {
            return wrong(ResourceRulesText::tr("a list of names"));
        }
        QSet<QString> seen;
        for (const QJsonValue &n : names) {
            if (seen.contains(n.toString()))
                return Result<QJsonValue>::failure(
                    ResourceRulesText::tr("%1 names \"%2\" twice.").arg(f.name, n.toString()));
            seen.insert(n.toString());
        }
        return QJsonValue(names);
    }
    }
    return v;
}

bool isIdentifier(const QString &s) {
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return re.match(s).hasMatch();
}

Status validatePlaybookPath(const QString &playbook) {
    if (playbook.startsWith(QLatin1Char('/')) ||
        playbook.split(QLatin1Char('/')).contains(QStringLiteral("..")))
        return Status::failure(
            ResourceRulesText::tr("The playbook must be a path inside the project, not %1.").arg(playbook));
    return {};
}

QStringList choicesOf(const QJsonValue &v) {
    QStringList out;
    if (v.isArray()) {
        for (const QJsonValue &c : v.toArray())
            out << (c.isDouble() ? QString::number(c.toDouble()) : c.toString());
    } else if (v.isString()) {
        out = v.toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }
    return out;
}

std::optional<qint64> integerOf(const QJsonValue &v) {
    if (v.isDouble() && v.toDouble() == double(qint64(v.toDouble())))
        return qint64(v.toDouble());
    if (v.isString()) {
        bool ok = false;
        const qint64 n = v.toString().toLongLong(&ok);
        if (ok)
            return n;
    }
    return std::nullopt;
}

Status validateQuestion(const QJsonObject &q, int index, QSet<QString> &variables) {
    static const QStringList kTypes = {QStringLiteral("text"),       QStringLiteral("textarea"),
                                       QStringLiteral("password"),   QStringLiteral("integer"),
                                       QStringLiteral("float"),      QStringLiteral("multiplechoice"),
                                       QStringLiteral("multiselect")};
    const QString where = ResourceRulesText::tr("Survey question %1").arg(index + 1);
    const QString type = q.value(QStringLiteral("type")).toString();
    if (!kTypes.contains(type))
        return Status::failure(ResourceRulesText::tr("%1: type must be one of %2.")
                                   .arg(where, kTypes.join(QStringLiteral(", "))));
    if (q.value(QStringLiteral("question_name")).toString().trimmed().isEmpty())
        return Status::failure(ResourceRulesText::tr("%1: question_name is missing.").arg(where));
    const QString variable = q.value(QStringLiteral("variable")).toString();
    if (!isIdentifier(variable))
        return Status::failure(
            ResourceRulesText::tr(
                "%1: variable \"%2\" is not a valid variable name (letters, digits and _, not starting "
                "with a digit).")
                .arg(where, variable));
    if (variables.contains(variable))
        return Status::failure(
            ResourceRulesText::tr("%1: variable \"%2\" is asked twice.").arg(where, variable));
    variables.insert(variable);
    if (q.contains(QStringLiteral("required")) && !q.value(QStringLiteral("required")).isBool())
        return Status::failure(ResourceRulesText::tr("%1: required must be true or false.").arg(where));

    std::optional<qint64> min, max;
    for (const QString &key : {QStringLiteral("min"), QStringLiteral("max")}) {
        const QJsonValue v = q.value(key);
        if (v.isUndefined() || v.isNull() || (v.isString() && v.toString().isEmpty()))
            continue;
        const auto n = integerOf(v);
        if (!n)
            return Status::failure(ResourceRulesText::tr("%1: %2 must be a whole number.").arg(where, key));
        (key == QLatin1String("min") ? min : max) = n;
    }
    if (min && max && *min > *max)
        return Status::failure(
            ResourceRulesText::tr("%1: min (%2) is greater than max (%3).").arg(where).arg(*min).arg(*max));

    const QJsonValue def = q.value(QStringLiteral("default"));
    const bool hasDefault =
        !def.isUndefined() && !def.isNull() && !(def.isString() && def.toString().isEmpty());
    if (type == QLatin1String("multiplechoice") || type == QLatin1String("multiselect")) {
        const QString from = q.value(QStringLiteral("choices_from")).toString();
        if (!from.isEmpty() && from != QLatin1String("hosts") && from != QLatin1String("groups"))
            return Status::failure(
                ResourceRulesText::tr("%1: choices_from must be hosts or groups.").arg(where));
        const QStringList choices = choicesOf(q.value(QStringLiteral("choices")));
        if (from.isEmpty() && choices.isEmpty())
            return Status::failure(
                ResourceRulesText::tr("%1: a %2 question needs choices.").arg(where, type));
        if (hasDefault && from.isEmpty()) {
            const QStringList defaults = type == QLatin1String("multiselect")
                                             ? choicesOf(def.isArray() ? def : QJsonValue(def.toString()))
                                             : QStringList{def.toString()};
            for (const QString &d : defaults)
                if (!choices.contains(d))
                    return Status::failure(
                        ResourceRulesText::tr("%1: the default \"%2\" is not one of the choices.")
                            .arg(where, d));
        }
    } else if (type == QLatin1String("integer") || type == QLatin1String("float")) {
        if (hasDefault) {
            bool ok = false;
            const double d = def.isDouble() ? def.toDouble() : def.toString().toDouble(&ok);
            if (!def.isDouble() && !ok)
                return Status::failure(ResourceRulesText::tr("%1: the default must be a number.").arg(where));
            if (type == QLatin1String("integer") && d != double(qint64(d)))
                return Status::failure(
                    ResourceRulesText::tr("%1: the default must be a whole number.").arg(where));
            if ((min && d < *min) || (max && d > *max))
                return Status::failure(
                    ResourceRulesText::tr("%1: the default is outside min and max.").arg(where));
        }
    } else {
        const QString pattern = q.value(QStringLiteral("regex")).toString();
        if (!pattern.isEmpty()) {
            const QRegularExpression re(pattern);
            if (!re.isValid())
                return Status::failure(
                    ResourceRulesText::tr("%1: the regex is invalid: %2").arg(where, re.errorString()));
        }
        if (hasDefault && type != QLatin1String("password")) {
            const qsizetype length = def.toString().size();
            if ((min && length < *min) || (max && length > *max))
                return Status::failure(
                    ResourceRulesText::tr("%1: the default's length is outside min and max.").arg(where));
        }
    }
    return {};
}

Status requireText(const QJsonObject &r, const char *field, const QString &message) {
    if (r.value(QLatin1String(field)).toString().trimmed().isEmpty())
        return Status::failure(message);
    return {};
}

} // namespace

QJsonObject resourceDefaults(const ResourceSpec &spec) {
    QJsonObject o;
    for (const FieldSpec &f : spec.fields)
        if (!f.readOnly)
            o.insert(f.name, f.defaultValue);
    return o;
}

Result<QJsonObject> applyPatch(const ResourceSpec &spec, QJsonObject base, const QJsonObject &patch) {
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        const FieldSpec *f = spec.field(it.key());
        if (!f || f->readOnly)
            return Status::failure(
                ResourceRulesText::tr("A %1 has no field \"%2\" that can be set. Fields: %3.")
                    .arg(describeKind(spec.kind), it.key(), fieldNames(spec).join(QStringLiteral(", "))));
        auto value = coerce(*f, it.value());
        if (!value)
            return value.status();
        base.insert(f->name, value.value());
    }
    return base;
}

Status validateSurveySpec(const QJsonObject &survey) {
    if (survey.isEmpty())
        return {};
    for (const QString &key : {QStringLiteral("name"), QStringLiteral("description")})
        if (survey.contains(key) && !survey.value(key).isString())
            return Status::failure(ResourceRulesText::tr("The survey's %1 must be text.").arg(key));
    const QJsonValue spec = survey.value(QStringLiteral("spec"));
    if (!spec.isArray())
        return Status::failure(ResourceRulesText::tr("The survey needs a \"spec\": a list of questions."));
    QSet<QString> variables;
    int index = 0;
    for (const QJsonValue &q : spec.toArray()) {
        if (!q.isObject())
            return Status::failure(
                ResourceRulesText::tr("Survey question %1 is not an object.").arg(index + 1));
        if (Status s = validateQuestion(q.toObject(), index, variables); !s)
            return s;
        ++index;
    }
    return {};
}

Status validateCredentialInputs(const QString &kind, const QJsonObject &inputs) {
    const auto spec = credentialKind(kind);
    if (!spec)
        return Status::failure(
            ResourceRulesText::tr("There is no credential kind \"%1\"; use ssh, scm or vault.").arg(kind));
    QStringList known;
    for (const CredentialInput &i : spec->inputs)
        known << i.id;
    for (auto it = inputs.begin(); it != inputs.end(); ++it) {
        const auto input = std::find_if(spec->inputs.begin(), spec->inputs.end(),
                                        [&](const CredentialInput &i) { return i.id == it.key(); });
        if (input == spec->inputs.end())
            return Status::failure(ResourceRulesText::tr("A %1 credential has no input \"%2\". Inputs: %3.")
                                       .arg(spec->awxName, it.key(), known.join(QStringLiteral(", "))));
        if (!it.value().isString())
            return Status::failure(
                ResourceRulesText::tr("The credential input %1 must be text.").arg(it.key()));
        const QString value = it.value().toString();
        if (!input->choices.isEmpty() && !input->choices.contains(value))
            return Status::failure(ResourceRulesText::tr("%1 must be one of %2.")
                                       .arg(it.key(), input->choices.mid(1).join(QStringLiteral(", "))));
        if (!input->secret && value == kAsk && it.key() != QLatin1String("username"))
            return Status::failure(
                ResourceRulesText::tr("%1 is not a secret and cannot be asked at launch.").arg(it.key()));
        if (it.key() == QLatin1String("ssh_key_data") && value != kAsk && value != kEncrypted &&
            !value.isEmpty() && !value.contains(QLatin1String("PRIVATE KEY-----")))
            return Status::failure(
                ResourceRulesText::tr("ssh_key_data is not a private key in PEM or OpenSSH format "
                                      "(\"-----BEGIN … PRIVATE KEY-----\")."));
    }
    return {};
}

Status validateResource(ResourceKind kind, const QJsonObject &r) {
    const ResourceSpec &spec = resourceSpec(kind);
    for (const FieldSpec &f : spec.fields)
        if (f.required && r.value(f.name).toString().trimmed().isEmpty())
            return Status::failure(ResourceRulesText::tr("A %1 needs %2.").arg(describeKind(kind), f.name));
    switch (kind) {
    case ResourceKind::Project:
        if (r.value(QStringLiteral("scm_type")).toString() == QLatin1String("git")) {
            if (Status s = requireText(
                    r, "scm_url",
                    ResourceRulesText::tr("A git project needs scm_url: the repository to clone."));
                !s)
                return s;
        } else if (Status s = requireText(
                       r, "local_path",
                       ResourceRulesText::tr("A local project needs local_path: the directory of its "
                                             "playbooks (or set scm_type git and scm_url)."));
                   !s) {
            return s;
        }
        return {};
    case ResourceKind::Credential:
        return validateCredentialInputs(r.value(QStringLiteral("kind")).toString(),
                                        r.value(QStringLiteral("inputs")).toObject());
    case ResourceKind::InventorySource:
        if (r.value(QStringLiteral("source")).toString() == QLatin1String("scm")) {
            if (Status s = requireText(
                    r, "source_project",
                    ResourceRulesText::tr("An inventory source of type scm needs source_project."));
                !s)
                return s;
            if (Status s = validatePlaybookPath(r.value(QStringLiteral("source_path")).toString()); !s)
                return Status::failure(
                    ResourceRulesText::tr("source_path must be a path inside the project."));
        } else if (!r.value(QStringLiteral("source_path")).toString().startsWith(QLatin1Char('/'))) {
            return Status::failure(
                ResourceRulesText::tr("A file inventory source needs an absolute source_path."));
        }
        return {};
    case ResourceKind::JobTemplate: {
        if (Status s = validatePlaybookPath(r.value(QStringLiteral("playbook")).toString()); !s)
            return s;
        if (Status s = validateSurveySpec(r.value(QStringLiteral("survey_spec")).toObject()); !s)
            return s;
        if (r.value(QStringLiteral("survey_enabled")).toBool() && r.value(QStringLiteral("survey_spec"))
                                                                      .toObject()
                                                                      .value(QStringLiteral("spec"))
                                                                      .toArray()
                                                                      .isEmpty())
            return Status::failure(
                ResourceRulesText::tr("survey_enabled is set but the survey has no questions."));
        if (r.value(QStringLiteral("ask_inventory_on_launch")).toBool() == false &&
            r.value(QStringLiteral("inventory")).toString().isEmpty())
            return Status::failure(
                ResourceRulesText::tr("A job template needs an inventory, or ask_inventory_on_launch."));
        return {};
    }
    case ResourceKind::Inventory:
        return {};
    }
    return {};
}

} // namespace playdeck

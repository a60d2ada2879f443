#include "ExtraVars.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

namespace playdeck {

namespace {

// Plain (unquoted) YAML scalars get YAML 1.1's types, as PyYAML, and so ansible, reads them.
QJsonValue plainScalar(const std::string &raw) {
    const QString s = QString::fromStdString(raw);
    static const QRegularExpression intRe(QStringLiteral("^[-+]?(0|[1-9][0-9_]*)$"));
    static const QRegularExpression floatRe(
        QStringLiteral("^[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?$"));
    const QString lower = s.toLower();
    if (s.isEmpty() || s == QLatin1String("~") || lower == QLatin1String("null"))
        return QJsonValue::Null;
    if (lower == QLatin1String("true") || lower == QLatin1String("yes") || lower == QLatin1String("on"))
        return true;
    if (lower == QLatin1String("false") || lower == QLatin1String("no") || lower == QLatin1String("off"))
        return false;
    if (intRe.match(s).hasMatch()) {
        bool ok = false;
        const qint64 v = QString(s).remove(QLatin1Char('_')).toLongLong(&ok);
        if (ok)
            return v;
    }
    if (floatRe.match(s).hasMatch() && s != QLatin1String(".")) {
        bool ok = false;
        const double v = QString(s).remove(QLatin1Char('_')).toDouble(&ok);
        if (ok)
            return v;
    }
    return s;
}

QJsonValue toJson(const YAML::Node &node) {
    switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        return QJsonValue::Null;
    case YAML::NodeType::Scalar:
        // "!" is yaml-cpp's tag for a quoted scalar: always a string.
        if (node.Tag() == "!" || (!node.Tag().empty() && node.Tag() != "?"))
            return QString::fromStdString(node.Scalar());
        return plainScalar(node.Scalar());
    case YAML::NodeType::Sequence: {
        QJsonArray array;
        for (const auto &item : node)
            array.append(toJson(item));
        return array;
    }
    case YAML::NodeType::Map: {
        QJsonObject object;
        for (const auto &item : node)
            object.insert(QString::fromStdString(item.first.as<std::string>()), toJson(item.second));
        return object;
    }
    }
    return QJsonValue::Null;
}

void writeUnsafe(QByteArray &out, const QJsonValue &value) {
    switch (value.type()) {
    case QJsonValue::String:
        out += "!unsafe " + QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
        break;
    case QJsonValue::Array: {
        out += '[';
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i)
                out += ", ";
            writeUnsafe(out, array.at(i));
        }
        out += ']';
        break;
    }
    case QJsonValue::Object: {
        out += '{';
        const QJsonObject object = value.toObject();
        bool first = true;
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!first)
                out += ", ";
            first = false;
            writeUnsafe(out, it.key());
            out += ": ";
            writeUnsafe(out, it.value());
        }
        out += '}';
        break;
    }
    default:
        out += QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    }
}

} // namespace

Result<QJsonObject> parseExtraVars(const QString &text) {
    if (text.trimmed().isEmpty())
        return QJsonObject();
    YAML::Node root;
    try {
        root = YAML::Load(text.toStdString());
    } catch (const YAML::Exception &e) {
        return Result<QJsonObject>::failure(
            QObject::tr("Extra variables are neither valid YAML nor JSON: %1 (line %2, column %3)")
                .arg(QString::fromStdString(e.msg))
                .arg(e.mark.line + 1)
                .arg(e.mark.column + 1));
    }
    if (root.IsNull())
        return QJsonObject();
    if (!root.IsMap())
        return Result<QJsonObject>::failure(
            QObject::tr("Extra variables must be a mapping of names to values, like {\"name\": \"value\"} or "
                        "name: value."));
    try {
        return toJson(root).toObject();
    } catch (const YAML::Exception &e) {
        return Result<QJsonObject>::failure(
            QObject::tr("Extra variables cannot be read: %1").arg(QString::fromStdString(e.msg)));
    }
}

QByteArray extraVarsYaml(const QJsonObject &safe, const QJsonObject &unsafe) {
    QByteArray out = "---\n";
    for (auto it = safe.begin(); it != safe.end(); ++it) {
        if (unsafe.contains(it.key()))
            continue;
        out += QJsonDocument(QJsonArray{it.key()}).toJson(QJsonDocument::Compact).mid(1).chopped(1) + ": " +
               QJsonDocument(QJsonArray{it.value()}).toJson(QJsonDocument::Compact).mid(1).chopped(1) + '\n';
    }
    for (auto it = unsafe.begin(); it != unsafe.end(); ++it) {
        writeUnsafe(out, it.key());
        out += ": ";
        writeUnsafe(out, it.value());
        out += '\n';
    }
    return out;
}

} // namespace playdeck

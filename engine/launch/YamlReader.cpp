#include "launch/YamlReader.h"

#include "launch/TreeBuilder.h"
#include "launch/YamlScalars.h"

#include <QObject>
#include <QScopeGuard>

#include <yaml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace playdeck::extravars {

// ---- libyaml events ----

namespace {

QString at(Mark mark) {
    return markText(mark);
}

// QString::fromUtf8 drops a leading byte order mark; in a scalar ("\uFEFFx") it is text.
QString textOf(std::string_view utf8) {
    if (utf8.starts_with("\xEF\xBB\xBF"))
        return QChar(0xFEFF) + QString::fromUtf8(utf8.data() + 3, qsizetype(utf8.size() - 3));
    return QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
}

enum class Shape { Scalar, Sequence, Mapping };

QString shapeName(Shape shape) {
    switch (shape) {
    case Shape::Scalar:
        return QObject::tr("a single value");
    case Shape::Sequence:
        return QObject::tr("a list");
    case Shape::Mapping:
        return QObject::tr("a mapping");
    }
    return {};
}

QString fromYaml(const yaml_char_t *text) {
    return text ? textOf(reinterpret_cast<const char *>(text)) : QString();
}

Mark markOf(const yaml_mark_t &mark) {
    return Mark{qint64(mark.line) + 1, qint64(mark.column) + 1};
}

// libyaml's reader reports a byte offset, not a line: count as libyaml does (a line break is \r\n,
// \r, \n, U+0085, U+2028 or U+2029; a column is a character).
Mark markAtOffset(const QByteArray &utf8, size_t offset) {
    Mark mark;
    const auto *p = reinterpret_cast<const unsigned char *>(utf8.constData());
    const size_t end = std::min(offset, size_t(utf8.size()));
    for (size_t i = 0; i < end;) {
        const bool crlf = p[i] == '\r' && i + 1 < end && p[i + 1] == '\n';
        const bool nel = p[i] == 0xC2 && i + 1 < end && p[i + 1] == 0x85;
        const bool lsps =
            p[i] == 0xE2 && i + 2 < end && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9);
        if (p[i] == '\n' || p[i] == '\r' || nel || lsps) {
            ++mark.line;
            mark.column = 1;
            i += crlf || nel ? 2 : lsps ? 3 : 1;
            continue;
        }
        ++mark.column;
        i += p[i] < 0x80 ? 1 : p[i] >= 0xF0 ? 4 : p[i] >= 0xE0 ? 3 : p[i] >= 0xC0 ? 2 : 1;
    }
    return mark;
}

QString syntaxMessage(const yaml_parser_t &parser, const QByteArray &utf8) {
    if (parser.error == YAML_MEMORY_ERROR || !parser.problem)
        return QObject::tr("Extra variables cannot be read: the YAML parser ran out of memory.");
    QString problem = QString::fromUtf8(parser.problem);
    Mark mark = markOf(parser.problem_mark);
    if (parser.error == YAML_READER_ERROR) {
        mark = markAtOffset(utf8, parser.problem_offset);
        if (parser.problem_value != -1)
            problem += QStringLiteral(" (#x%1)").arg(parser.problem_value, 0, 16);
    }
    QString message =
        QObject::tr("Extra variables are neither valid YAML nor JSON: %1 (%2)").arg(problem, at(mark));
    if (parser.context)
        message += QObject::tr(", %1 that starts at %2")
                       .arg(QString::fromUtf8(parser.context), at(markOf(parser.context_mark)));
    return message;
}

constexpr std::string_view kYamlTag = "tag:yaml.org,2002:";

QString tagName(std::string_view tag) {
    if (tag.starts_with(kYamlTag))
        return QStringLiteral("!!") + QString::fromUtf8(tag.substr(kYamlTag.size()));
    return QString::fromUtf8(tag);
}

bool isYamlTag(std::string_view tag, std::string_view name) {
    return tag.size() == kYamlTag.size() + name.size() && tag.starts_with(kYamlTag) && tag.ends_with(name);
}

bool isVaultTag(std::string_view tag) {
    return tag == "!vault" || tag == "!vault-encrypted";
}

QString vaultMessage(const QString &where, Mark mark) {
    return QObject::tr("Extra variables cannot be read: the value at %1 (%2) is encrypted with ansible-vault "
                       "(!vault); extra variables cannot carry vaulted values.")
        .arg(where, at(mark));
}

QString unsupportedTagMessage(std::string_view tag, const QString &where, Mark mark) {
    return QObject::tr("Extra variables cannot be read: the tag %1 at %2 (%3) is not supported in extra "
                       "variables.")
        .arg(shortened(tagName(tag)), where, at(mark));
}

Status checkCollectionTag(std::string_view tag, Shape kind, const TreeBuilder &builder, Mark mark) {
    // ansible's !unsafe on a list or mapping marks what it holds; the values themselves are the same.
    if (tag.empty() || tag == "!" || tag == "!unsafe")
        return {};
    if (kind == Shape::Mapping && (isYamlTag(tag, "map") || isYamlTag(tag, "python/dict")))
        return {};
    if (kind == Shape::Sequence && isYamlTag(tag, "seq"))
        return {};
    if (isVaultTag(tag))
        return Status::failure(vaultMessage(builder.where(), mark));
    for (std::string_view scalarTag : {"str", "python/unicode", "int", "float", "bool", "null", "timestamp",
                                       "binary", "merge", "value", "map", "seq"}) {
        if (isYamlTag(tag, scalarTag))
            return Status::failure(
                QObject::tr("Extra variables cannot be read: the tag %1 at %2 (%3) does not go "
                            "with %4.")
                    .arg(tagName(tag), builder.where(), at(mark), shapeName(kind)));
    }
    return Status::failure(unsupportedTagMessage(tag, builder.where(), mark));
}

Status numberError(NumberError error, std::string_view literal, const char *what, const TreeBuilder &builder,
                   Mark mark) {
    const auto text = [&] { return textOf(literal); };
    switch (error) {
    case NumberError::None:
        break;
    case NumberError::Invalid:
        return Status::failure(QObject::tr("Extra variables cannot be read: %1 at %2 (%3) is not a valid %4.")
                                   .arg(shortened(text()), builder.where(), at(mark), QObject::tr(what)));
    case NumberError::OutOfRange:
        return Status::failure(integerRangeMessage(text(), builder.where(), mark));
    case NumberError::NotFinite:
        return Status::failure(notFiniteMessage(text(), builder.where(), mark));
    }
    return {};
}

Status intScalar(std::string_view text, Scalar &out, const TreeBuilder &builder, Mark mark) {
    out.type = ScalarType::Int;
    const NumberError error = constructYamlInt(text, out.integer);
    // A float-sized integer is out of range too: Python keeps it exactly, JSON (and we) cannot.
    return numberError(error, text, QT_TRANSLATE_NOOP("QObject", "integer"), builder, mark);
}

Status floatScalar(std::string_view text, Scalar &out, const TreeBuilder &builder, Mark mark) {
    out.type = ScalarType::Float;
    return numberError(constructYamlFloat(text, out.number), text, QT_TRANSLATE_NOOP("QObject", "number"),
                       builder, mark);
}

Status resolveScalar(const yaml_event_t &event, Scalar &out, const TreeBuilder &builder, Mark mark) {
    const auto &data = event.data.scalar;
    const std::string_view text(reinterpret_cast<const char *>(data.value), data.length);
    const std::string_view tag = data.tag ? std::string_view(reinterpret_cast<const char *>(data.tag)) : "";
    // libyaml marks a plain untagged scalar, and any scalar tagged just "!", as plain_implicit; PyYAML
    // resolves exactly those (so `! "123"` is the integer 123, as in PyYAML).
    if (tag.empty() || tag == "!") {
        if (!data.plain_implicit) {
            out.type = ScalarType::String;
        } else {
            switch (resolvePlainScalar(text)) {
            case PlainType::Null:
                out.type = ScalarType::Null;
                return {};
            case PlainType::Bool:
                out.type = ScalarType::Bool;
                out.boolean = yamlBoolValue(text).value_or(false);
                return {};
            case PlainType::Int:
                return intScalar(text, out, builder, mark);
            case PlainType::Float:
                return floatScalar(text, out, builder, mark);
            case PlainType::Merge:
                out.type = ScalarType::Merge;
                return {};
            case PlainType::Value:
                out.type = ScalarType::Value;
                return {};
            case PlainType::String:
                // Timestamps (2001-12-14) stay strings: PyYAML makes datetime objects of them, which
                // neither JSON nor AWX's extra_vars can hold.
                out.type = ScalarType::String;
                break;
            }
        }
    } else if (isYamlTag(tag, "str") || isYamlTag(tag, "python/unicode") || tag == "!unsafe" ||
               isYamlTag(tag, "timestamp")) {
        // !unsafe is ansible's: the text as it is, never templated. An explicit !!timestamp stays
        // text for the reason above.
        out.type = ScalarType::String;
    } else if (isYamlTag(tag, "null")) {
        out.type = ScalarType::Null; // PyYAML's construct_yaml_null ignores the text
        return {};
    } else if (isYamlTag(tag, "bool")) {
        const std::optional<bool> value = yamlBoolValue(text);
        if (!value)
            return numberError(NumberError::Invalid, text,
                               QT_TRANSLATE_NOOP("QObject", "boolean (yes, no, true, false, on, off)"),
                               builder, mark);
        out.type = ScalarType::Bool;
        out.boolean = *value;
        return {};
    } else if (isYamlTag(tag, "int")) {
        return intScalar(text, out, builder, mark);
    } else if (isYamlTag(tag, "float")) {
        return floatScalar(text, out, builder, mark);
    } else if (isYamlTag(tag, "merge")) {
        out.type = ScalarType::Merge;
        return {};
    } else if (isYamlTag(tag, "value")) {
        out.type = ScalarType::Value;
        return {};
    } else if (isVaultTag(tag)) {
        return Status::failure(vaultMessage(builder.where(), mark));
    } else if (isYamlTag(tag, "map") || isYamlTag(tag, "seq") || isYamlTag(tag, "python/dict")) {
        return Status::failure(
            QObject::tr("Extra variables cannot be read: the tag %1 at %2 (%3) does not go "
                        "with %4.")
                .arg(tagName(tag), builder.where(), at(mark), shapeName(Shape::Scalar)));
    } else {
        return Status::failure(unsupportedTagMessage(tag, builder.where(), mark));
    }
    out.text = textOf(text);
    return {};
}

} // namespace

Result<QJsonValue> readYaml(const QByteArray &utf8, const ExtraVarsLimits &limits) {
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return Result<QJsonValue>::failure(
            QObject::tr("Extra variables cannot be read: the YAML parser ran out of memory."));
    const auto deleteParser = qScopeGuard([&] { yaml_parser_delete(&parser); });
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char *>(utf8.constData()),
                                 size_t(utf8.size()));
    TreeBuilder builder(limits);
    int documents = 0;
    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event))
            return Result<QJsonValue>::failure(syntaxMessage(parser, utf8));
        const auto deleteEvent = qScopeGuard([&] { yaml_event_delete(&event); });
        const Mark mark = markOf(event.start_mark);
        Status step;
        switch (event.type) {
        case YAML_STREAM_END_EVENT:
            return builder.root();
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1)
                return Result<QJsonValue>::failure(
                    QObject::tr(
                        "Extra variables must be one YAML document, but a second document starts at %1.")
                        .arg(at(mark)));
            break;
        case YAML_ALIAS_EVENT:
            step = builder.alias(fromYaml(event.data.alias.anchor), mark);
            break;
        case YAML_SCALAR_EVENT: {
            Scalar scalar;
            step = resolveScalar(event, scalar, builder, mark);
            if (step)
                step = builder.scalar(scalar, qint64(event.data.scalar.length),
                                      fromYaml(event.data.scalar.anchor), mark);
            break;
        }
        case YAML_SEQUENCE_START_EVENT: {
            const auto *tag = reinterpret_cast<const char *>(event.data.sequence_start.tag);
            step = checkCollectionTag(tag ? tag : "", Shape::Sequence, builder, mark);
            if (step)
                step = builder.beginSequence(fromYaml(event.data.sequence_start.anchor), mark);
            break;
        }
        case YAML_MAPPING_START_EVENT: {
            const auto *tag = reinterpret_cast<const char *>(event.data.mapping_start.tag);
            step = checkCollectionTag(tag ? tag : "", Shape::Mapping, builder, mark);
            if (step)
                step = builder.beginMapping(fromYaml(event.data.mapping_start.anchor), mark);
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            step = builder.end();
            break;
        case YAML_NO_EVENT: // only after the end of the stream
            return builder.root();
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
            break;
        }
        if (!step)
            return Result<QJsonValue>::failure(step.error());
    }
}

} // namespace playdeck::extravars

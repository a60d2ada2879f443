#include "launch/YamlReader.h"

#include "launch/TreeBuilder.h"

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

// ---- YAML 1.1 scalars, as PyYAML's resolver and SafeConstructor type them ----

namespace {

enum class PlainType { Null, Bool, Int, Float, String, Merge, Value };
enum class NumberError { None, Invalid, OutOfRange, NotFinite };

__extension__ typedef __int128 Int128; // Python's ints are unbounded; this holds all we must tell apart
constexpr Int128 kHuge = Int128(1) << 100;
constexpr size_t npos = std::string_view::npos;

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isDigitOrUnderscore(char c) {
    return isDigit(c) || c == '_';
}
char asciiLower(char c) {
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

size_t skipDigitsOrUnderscores(std::string_view s, size_t pos) {
    while (pos < s.size() && isDigitOrUnderscore(s[pos]))
        ++pos;
    return pos;
}

// One or more `:[0-5]?[0-9]` from pos; the position after them, or npos.
size_t skipSexagesimalGroups(std::string_view s, size_t pos) {
    size_t groups = 0;
    while (pos < s.size() && s[pos] == ':') {
        size_t digits = 0;
        while (pos + 1 + digits < s.size() && isDigit(s[pos + 1 + digits]))
            ++digits;
        if (digits == 0 || digits > 2 || (digits == 2 && s[pos + 1] > '5'))
            return npos;
        pos += 1 + digits;
        ++groups;
    }
    return groups ? pos : npos;
}

// `(?:[eE][-+][0-9]+)?$` from pos.
bool exponentToEnd(std::string_view s, size_t pos) {
    if (pos == s.size())
        return true;
    if ((s[pos] != 'e' && s[pos] != 'E') || pos + 2 >= s.size() || (s[pos + 1] != '-' && s[pos + 1] != '+'))
        return false;
    return std::all_of(s.begin() + qsizetype(pos + 2), s.end(), isDigit);
}

// [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)? | \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
// | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
// So "1e5" and "-.5" are strings, and "1.e+5" is a float.
bool isYamlFloat(std::string_view s) {
    const bool signedText = !s.empty() && (s[0] == '-' || s[0] == '+');
    const std::string_view r = s.substr(signedText ? 1 : 0);
    if (r.empty())
        return false;
    if (r[0] == '.') {
        const std::string_view t = r.substr(1);
        if (t == "inf" || t == "Inf" || t == "INF")
            return true;
        if (signedText)
            return false;
        if (t == "nan" || t == "NaN" || t == "NAN")
            return true;
        return !t.empty() && isDigit(t[0]) && exponentToEnd(r, skipDigitsOrUnderscores(r, 2));
    }
    if (!isDigit(r[0]))
        return false;
    size_t pos = skipDigitsOrUnderscores(r, 1);
    if (pos < r.size() && r[pos] == ':') {
        pos = skipSexagesimalGroups(r, pos);
        return pos != npos && pos < r.size() && r[pos] == '.' &&
               skipDigitsOrUnderscores(r, pos + 1) == r.size();
    }
    return pos < r.size() && r[pos] == '.' && exponentToEnd(r, skipDigitsOrUnderscores(r, pos + 1));
}

// [-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(?:0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+
// | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
bool isYamlInt(std::string_view s) {
    const std::string_view r = s.substr(!s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0);
    if (r.empty())
        return false;
    const auto restIs = [&](size_t from, bool (*ok)(char)) {
        return r.size() > from && std::all_of(r.begin() + qsizetype(from), r.end(), ok);
    };
    if (r[0] == '0') {
        if (r.size() == 1)
            return true;
        if (r[1] == 'b')
            return restIs(2, [](char c) { return c == '0' || c == '1' || c == '_'; });
        if (r[1] == 'x')
            return restIs(2, [](char c) {
                return isDigitOrUnderscore(c) || (asciiLower(c) >= 'a' && asciiLower(c) <= 'f');
            });
        return restIs(1, [](char c) { return (c >= '0' && c <= '7') || c == '_'; });
    }
    if (!isDigit(r[0]))
        return false;
    const size_t pos = skipDigitsOrUnderscores(r, 1);
    return pos == r.size() || skipSexagesimalGroups(r, pos) == r.size();
}

PlainType resolvePlainScalar(std::string_view s) {
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
        return PlainType::Null;
    for (std::string_view word : {"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false",
                                  "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"}) {
        if (s == word)
            return PlainType::Bool;
    }
    if (s == "<<")
        return PlainType::Merge;
    if (s == "=")
        return PlainType::Value;
    if (isYamlFloat(s))
        return PlainType::Float;
    if (isYamlInt(s))
        return PlainType::Int;
    return PlainType::String;
}

// PyYAML's bool_values[value.lower()]; a plain scalar only gets here when it matched the bool regex.
std::optional<bool> yamlBoolValue(std::string_view s) {
    std::string lower(s);
    std::transform(lower.begin(), lower.end(), lower.begin(), asciiLower);
    if (lower == "yes" || lower == "true" || lower == "on")
        return true;
    if (lower == "no" || lower == "false" || lower == "off")
        return false;
    return std::nullopt;
}

std::string_view stripPythonSpace(std::string_view s) {
    const auto isSpace = [](char c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
    };
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> splitColons(std::string_view s) {
    std::vector<std::string_view> parts;
    for (size_t from = 0;;) {
        const size_t colon = s.find(':', from);
        parts.push_back(s.substr(from, colon == npos ? npos : colon - from));
        if (colon == npos)
            return parts;
        from = colon + 1;
    }
}

// Python's int(text, base) on text without underscores.
NumberError pythonInt(std::string_view s, int base, Int128 &out) {
    s = stripPythonSpace(s);
    const bool negative = !s.empty() && s[0] == '-';
    if (!s.empty() && (s[0] == '-' || s[0] == '+'))
        s.remove_prefix(1);
    const char prefix = base == 2 ? 'b' : base == 8 ? 'o' : base == 16 ? 'x' : 0;
    if (prefix && s.size() >= 2 && s[0] == '0' && asciiLower(s[1]) == prefix)
        s.remove_prefix(2);
    if (s.empty())
        return NumberError::Invalid;
    Int128 value = 0;
    bool huge = false;
    for (char c : s) {
        const int digit = isDigit(c)                                     ? c - '0'
                          : asciiLower(c) >= 'a' && asciiLower(c) <= 'z' ? asciiLower(c) - 'a' + 10
                                                                         : 99;
        if (digit >= base)
            return NumberError::Invalid;
        if (!huge) {
            value = value * base + digit;
            huge = value > kHuge;
        }
    }
    if (huge)
        return NumberError::OutOfRange;
    out = negative ? -value : value;
    return NumberError::None;
}

// PyYAML's construct_yaml_int.
NumberError constructYamlInt(std::string_view text, qint64 &out) {
    std::string value;
    std::copy_if(text.begin(), text.end(), std::back_inserter(value), [](char c) { return c != '_'; });
    if (value.empty())
        return NumberError::Invalid;
    const bool negative = value[0] == '-';
    std::string_view s(value);
    if (s[0] == '-' || s[0] == '+')
        s.remove_prefix(1);
    Int128 result = 0;
    NumberError error = NumberError::None;
    if (s == "0") {
        result = 0;
    } else if (s.starts_with("0b")) {
        error = pythonInt(s.substr(2), 2, result);
    } else if (s.starts_with("0x")) {
        error = pythonInt(s.substr(2), 16, result);
    } else if (!s.empty() && s[0] == '0') {
        error = pythonInt(s, 8, result);
    } else if (s.find(':') != npos) {
        // Sexagesimal, "1:30" = 90: every part is read first (as Python's list comprehension does).
        std::vector<Int128> digits;
        bool huge = false;
        for (std::string_view part : splitColons(s)) {
            Int128 digit = 0;
            const NumberError partError = pythonInt(part, 10, digit);
            if (partError == NumberError::Invalid)
                return partError;
            huge = huge || partError == NumberError::OutOfRange;
            digits.push_back(digit);
        }
        Int128 base = 1;
        bool baseHuge = false;
        for (auto it = digits.rbegin(); it != digits.rend() && !huge; ++it) {
            const Int128 magnitude = *it < 0 ? -*it : *it;
            if (magnitude != 0 && (baseHuge || magnitude > kHuge / base))
                huge = true;
            else
                result += *it * base;
            huge = huge || result > kHuge || result < -kHuge;
            baseHuge = baseHuge || base > kHuge / 60;
            if (!baseHuge)
                base *= 60;
        }
        error = huge ? NumberError::OutOfRange : NumberError::None;
    } else {
        error = pythonInt(s, 10, result);
    }
    if (error != NumberError::None)
        return error;
    if (negative)
        result = -result;
    if (result > Int128(std::numeric_limits<qint64>::max()) ||
        result < Int128(std::numeric_limits<qint64>::min()))
        return NumberError::OutOfRange;
    out = qint64(result);
    return NumberError::None;
}

// Python's float(text) on lowercase text without underscores.
NumberError pythonFloat(std::string_view s, double &out) {
    s = stripPythonSpace(s);
    std::string_view body = s.substr(!s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0);
    if (body == "inf" || body == "infinity" || body == "nan") {
        out = std::numeric_limits<double>::infinity();
        return NumberError::None;
    }
    size_t pos = 0;
    const auto digits = [&] {
        const size_t from = pos;
        while (pos < body.size() && isDigit(body[pos]))
            ++pos;
        return pos - from;
    };
    size_t mantissa = digits();
    if (pos < body.size() && body[pos] == '.') {
        ++pos;
        mantissa += digits();
    }
    if (mantissa == 0)
        return NumberError::Invalid;
    if (pos < body.size() && body[pos] == 'e') {
        ++pos;
        if (pos < body.size() && (body[pos] == '-' || body[pos] == '+'))
            ++pos;
        if (digits() == 0)
            return NumberError::Invalid;
    }
    if (pos != body.size())
        return NumberError::Invalid;
    out = decimalToDouble(std::string(s));
    return NumberError::None;
}

// float(60 ** k), correctly rounded as Python converts the exact integer; 60 ** 174 is past the
// largest double, where Python raises OverflowError.
const std::array<double, 174> &powersOf60() {
    static const std::array<double, 174> powers = [] {
        std::array<double, 174> table{};
        std::vector<int> digits{1}; // decimal, least significant first
        for (size_t k = 0; k < table.size(); ++k) {
            std::string text;
            for (auto it = digits.rbegin(); it != digits.rend(); ++it)
                text += char('0' + *it);
            table[k] = decimalToDouble(text);
            int carry = 0;
            for (int &digit : digits) {
                const int product = digit * 60 + carry;
                digit = product % 10;
                carry = product / 10;
            }
            for (; carry; carry /= 10)
                digits.push_back(carry % 10);
        }
        return table;
    }();
    return powers;
}

// PyYAML's construct_yaml_float.
NumberError constructYamlFloat(std::string_view text, double &out) {
    std::string value;
    for (char c : text) {
        if (c != '_')
            value += asciiLower(c);
    }
    if (value.empty())
        return NumberError::Invalid;
    const double sign = value[0] == '-' ? -1.0 : 1.0;
    if (value[0] == '-' || value[0] == '+')
        value.erase(0, 1);
    if (value == ".inf" || value == ".nan")
        return NumberError::NotFinite;
    double result = 0;
    if (value.find(':') != std::string::npos) {
        const std::vector<std::string_view> parts = splitColons(value);
        std::vector<double> digits(parts.size());
        for (size_t i = 0; i < parts.size(); ++i) {
            if (pythonFloat(parts[i], digits[i]) != NumberError::None)
                return NumberError::Invalid;
        }
        if (parts.size() > powersOf60().size())
            return NumberError::NotFinite;
        for (size_t k = 0; k < digits.size(); ++k) {
            // Two statements, so no compiler fuses them into one rounding (Python rounds twice).
            const double term = digits[digits.size() - 1 - k] * powersOf60()[k];
            result += term;
        }
    } else if (pythonFloat(value, result) != NumberError::None) {
        return NumberError::Invalid;
    }
    result *= sign;
    if (!std::isfinite(result))
        return NumberError::NotFinite;
    out = result;
    return NumberError::None;
}

} // namespace

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

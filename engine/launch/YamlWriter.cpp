#include "launch/YamlWriter.h"

#include "launch/ExtraVars.h"

#include <QCborValue>
#include <QJsonArray>
#include <QJsonObject>

#include <charconv>
#include <cmath>
#include <vector>

namespace playdeck::extravars {

QString pythonFloatRepr(double value) {
    if (std::isnan(value))
        return QStringLiteral("nan");
    if (std::isinf(value))
        return value < 0 ? QStringLiteral("-inf") : QStringLiteral("inf");
    // The shortest round-trip digits (as Python's repr picks them), then Python's layout: plain
    // notation for exponents -4..15, otherwise d.ddde±XX.
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    const std::string_view text(buffer, size_t(result.ptr - buffer));
    const size_t e = text.find('e');
    const bool negative = text.front() == '-';
    std::string digits;
    for (char c : text.substr(negative ? 1 : 0, e - (negative ? 1 : 0))) {
        if (c != '.')
            digits += c;
    }
    int exponent = 0;
    std::from_chars(text.data() + e + 1 + (text[e + 1] == '+' ? 1 : 0), text.data() + text.size(), exponent);
    const int point = exponent + 1; // digits before the decimal point
    std::string out = negative ? "-" : "";
    if (point > -4 && point <= 16) {
        if (point <= 0)
            out += "0." + std::string(size_t(-point), '0') + digits;
        else if (size_t(point) >= digits.size())
            out += digits + std::string(size_t(point) - digits.size(), '0') + ".0";
        else
            out += digits.substr(0, size_t(point)) + "." + digits.substr(size_t(point));
    } else {
        out += digits.substr(0, 1);
        if (digits.size() > 1)
            out += "." + digits.substr(1);
        const int shown = point - 1;
        out += shown < 0 ? "e-" : "e+";
        const std::string magnitude = std::to_string(std::abs(shown));
        out += (magnitude.size() < 2 ? "0" : "") + magnitude;
    }
    return QString::fromLatin1(out.data(), qsizetype(out.size()));
}

namespace {

// Printable for PyYAML's reader (and libyaml's): everything else must be escaped. U+0085, U+2028 and
// U+2029 are printable but line breaks, which a quoted scalar folds; U+FEFF is a byte order mark to
// some readers. Those are escaped too.
bool writtenAsIs(char32_t c) {
    if (c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xFEFF)
        return false;
    return (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0x10FFFF);
}

void appendUtf8(QByteArray &out, char32_t c) {
    if (c < 0x80) {
        out += char(c);
    } else if (c < 0x800) {
        out += char(0xC0 | (c >> 6));
        out += char(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += char(0xE0 | (c >> 12));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    } else {
        out += char(0xF0 | (c >> 18));
        out += char(0x80 | ((c >> 12) & 0x3F));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    }
}

void appendEscape(QByteArray &out, char32_t c) {
    switch (c) {
    case '"':
        out += "\\\"";
        return;
    case '\\':
        out += "\\\\";
        return;
    case '\n':
        out += "\\n";
        return;
    case '\t':
        out += "\\t";
        return;
    case '\r':
        out += "\\r";
        return;
    default:
        break;
    }
    static const char hex[] = "0123456789ABCDEF";
    const int width = c < 0x100 ? 2 : c < 0x10000 ? 4 : 8;
    out += width == 2 ? "\\x" : width == 4 ? "\\u" : "\\U";
    for (int shift = (width - 1) * 4; shift >= 0; shift -= 4)
        out += hex[(c >> shift) & 0xF];
}

void appendNumber(QByteArray &out, const QJsonValue &value) {
    // QJsonValue keeps every whole number in the 64-bit range as an integer.
    const QCborValue number = QCborValue::fromJsonValue(value);
    if (number.isInteger()) {
        out += QByteArray::number(number.toInteger());
        return;
    }
    const double d = value.toDouble();
    if (std::isnan(d)) {
        out += ".nan";
    } else if (std::isinf(d)) {
        out += d < 0 ? "-.inf" : ".inf";
    } else {
        // YAML 1.1 reads a float only with a dot ("1e+16" would be a string), so Python's own
        // representer writes "1.0e+16"; so do we.
        QByteArray text = pythonFloatRepr(d).toLatin1();
        if (!text.contains('.'))
            text.replace("e", ".0e");
        out += text;
    }
}

void appendScalar(QByteArray &out, const QJsonValue &value, bool unsafe) {
    switch (value.type()) {
    case QJsonValue::Bool:
        out += value.toBool() ? "true" : "false";
        break;
    case QJsonValue::Double:
        appendNumber(out, value);
        break;
    case QJsonValue::String:
        appendYamlString(out, value.toString(), unsafe);
        break;
    default:
        out += "null";
        break;
    }
}

} // namespace

void appendYamlString(QByteArray &out, QStringView text, bool unsafe) {
    if (unsafe)
        out += "!unsafe ";
    out += '"';
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text[i], text[i + 1]);
            ++i;
        } else if (QChar::isSurrogate(c))
            c = QChar::ReplacementCharacter; // half a pair: no YAML text can carry it
        if (writtenAsIs(c) && c != '"' && c != '\\')
            appendUtf8(out, c);
        else
            appendEscape(out, c);
    }
    out += '"';
}

void appendYamlKey(QByteArray &out, QStringView key, bool unsafe, bool block) {
    // YAML allows an implicit key ("key": value) up to 1024 characters on its line; libyaml and PyYAML
    // refuse a longer one, so a long key is written as an explicit one ("? key" then ": value").
    // Written, a UTF-16 unit takes at most 6 bytes ("\\uXXXX"): most keys are surely short enough.
    constexpr qsizetype kLongestImplicitKey = 1000;
    if (key.size() * 6 + 10 <= kLongestImplicitKey) {
        appendYamlString(out, key, unsafe);
        out += ": ";
        return;
    }
    QByteArray written;
    appendYamlString(written, key, unsafe);
    if (written.size() <= kLongestImplicitKey) {
        out += written + ": ";
        return;
    }
    out += "? " + written + (block ? "\n: " : " : ");
}

void appendYamlValue(QByteArray &out, const QJsonValue &value, bool unsafe) {
    struct Open {
        QJsonArray array;
        QJsonObject object;
        bool isObject;
        qsizetype next;
    };
    std::vector<Open> stack;
    const auto start = [&](const QJsonValue &v) {
        if (v.isArray()) {
            out += '[';
            stack.push_back(Open{v.toArray(), {}, false, 0});
        } else if (v.isObject()) {
            out += '{';
            stack.push_back(Open{{}, v.toObject(), true, 0});
        } else {
            appendScalar(out, v, unsafe);
        }
    };
    start(value);
    while (!stack.empty()) {
        Open &open = stack.back();
        const qsizetype size = open.isObject ? open.object.size() : open.array.size();
        if (open.next == size) {
            out += open.isObject ? '}' : ']';
            stack.pop_back();
            continue;
        }
        if (open.next > 0)
            out += ", ";
        const qsizetype index = open.next++;
        if (open.isObject) {
            // Index, not a kept iterator: an iterator points at its object, which moves with the stack.
            const auto it = open.object.constBegin() + index;
            appendYamlKey(out, it.key(), unsafe, /*block=*/false);
            start(it.value()); // may grow the stack: `open` is not used after this
        } else {
            start(open.array.at(index));
        }
    }
}

} // namespace playdeck::extravars

namespace playdeck {

QByteArray extraVarsYaml(const QJsonObject &safe, const QJsonObject &unsafe) {
    using namespace extravars;
    QByteArray out = "---\n";
    const qsizetype header = out.size();
    const auto appendLine = [&](const QString &key, const QJsonValue &value, bool isUnsafe) {
        appendYamlKey(out, key, isUnsafe, /*block=*/true);
        appendYamlValue(out, value, isUnsafe);
        out += '\n';
    };
    for (auto it = safe.constBegin(); it != safe.constEnd(); ++it) {
        if (!unsafe.contains(it.key()))
            appendLine(it.key(), it.value(), false);
    }
    for (auto it = unsafe.constBegin(); it != unsafe.constEnd(); ++it)
        appendLine(it.key(), it.value(), true);
    // "---" alone is an empty document, which ansible-runner reads as None rather than a mapping.
    if (out.size() == header)
        out += "{}\n";
    return out;
}

} // namespace playdeck

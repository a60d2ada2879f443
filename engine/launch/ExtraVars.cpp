#include "launch/ExtraVars.h"

#include "launch/TreeBuilder.h"
#include "launch/YamlReader.h"

#include <QObject>

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

// parseExtraVars: JSON first, as AWX's parse_yaml_or_json does, then YAML; both feed one TreeBuilder.
namespace playdeck {

namespace {

using namespace extravars;

// A QString can hold half a surrogate pair, which neither UTF-8 nor YAML can carry: it becomes
// U+FFFD, as the writer does too.
QString withoutLoneSurrogates(const QString &text) {
    QString result;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        const bool paired = c.isHighSurrogate()  ? i + 1 < text.size() && text[i + 1].isLowSurrogate()
                            : c.isLowSurrogate() ? i > 0 && text[i - 1].isHighSurrogate()
                                                 : true;
        if (!paired) {
            if (result.isEmpty())
                result = text;
            result[i] = QChar::ReplacementCharacter;
        }
    }
    return result.isEmpty() ? text : result;
}

qint64 utf8Size(QStringView text) {
    qint64 bytes = 0;
    for (QChar c : text)
        bytes += c.unicode() < 0x80 ? 1 : c.unicode() < 0x800 ? 2 : c.isSurrogate() ? 2 : 3;
    return bytes;
}

Scalar stringScalar(const QString &text) {
    Scalar scalar;
    scalar.type = ScalarType::String;
    scalar.text = text;
    return scalar;
}

// Strict JSON as Python's json.loads reads it. Text that is not JSON goes on to the YAML reader, as
// in AWX, so a value JSON refuses only counts once the whole text is known to be JSON.
class JsonReader {
public:
    enum class Outcome { NotJson, Parsed, Refused };

    JsonReader(QStringView text, const ExtraVarsLimits &limits)
        : m_text(text)
        , m_builder(limits) {}

    Outcome read();
    QJsonValue root() const { return m_builder.root(); }
    const QString &refusal() const { return m_refusal; }

private:
    struct Open {
        bool object;
        bool first;
    };

    QChar peek(qsizetype ahead = 0) const {
        return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : QChar();
    }
    Mark mark() const { return Mark{m_line, m_pos - m_lineStart + 1}; }
    void skipSpace();
    void refuse(const QString &message) {
        if (m_refusal.isEmpty())
            m_refusal = message;
    }
    void feed(const auto &step) {
        if (m_refusal.isEmpty()) {
            if (const Status status = step(); !status)
                m_refusal = status.error();
        }
    }
    bool value();
    bool string(QString &out);
    bool number();
    bool word(QLatin1StringView expected);

    QStringView m_text;
    qsizetype m_pos = 0;
    qint64 m_line = 1;
    qsizetype m_lineStart = 0;
    TreeBuilder m_builder;
    QString m_refusal;
    std::vector<Open> m_open; // the syntax's own stack: it goes on after the builder has refused
};

void JsonReader::skipSpace() {
    for (; m_pos < m_text.size(); ++m_pos) {
        const char16_t c = m_text[m_pos].unicode();
        if (c == u'\n') {
            ++m_line;
            m_lineStart = m_pos + 1;
        } else if (c != u' ' && c != u'\t' && c != u'\r') {
            return;
        }
    }
}

bool JsonReader::word(QLatin1StringView expected) {
    if (!m_text.sliced(m_pos).startsWith(expected))
        return false;
    m_pos += expected.size();
    return true;
}

JsonReader::Outcome JsonReader::read() {
    skipSpace();
    if (peek() != u'{' || !value())
        return Outcome::NotJson;
    while (!m_open.empty()) {
        skipSpace();
        Open &open = m_open.back();
        const QChar close = open.object ? u'}' : u']';
        if (peek() == close) {
            ++m_pos;
            m_open.pop_back();
            feed([&] { return m_builder.end(); });
            continue;
        }
        if (!open.first) {
            if (peek() != u',')
                return Outcome::NotJson;
            ++m_pos;
            skipSpace();
        }
        open.first = false;
        if (open.object) {
            const Mark keyMark = mark();
            QString key;
            if (peek() != u'"' || !string(key))
                return Outcome::NotJson;
            feed([&] { return m_builder.scalar(stringScalar(key), key.size(), QString(), keyMark); });
            skipSpace();
            if (peek() != u':')
                return Outcome::NotJson;
            ++m_pos;
            skipSpace();
        }
        if (!value())
            return Outcome::NotJson;
    }
    skipSpace();
    if (m_pos != m_text.size())
        return Outcome::NotJson;
    return m_refusal.isEmpty() ? Outcome::Parsed : Outcome::Refused;
}

bool JsonReader::value() {
    const Mark at = mark();
    Scalar scalar;
    switch (peek().unicode()) {
    case u'{':
    case u'[': {
        const bool object = peek() == u'{';
        ++m_pos;
        m_open.push_back(Open{object, true});
        feed([&] {
            return object ? m_builder.beginMapping(QString(), at) : m_builder.beginSequence(QString(), at);
        });
        return true;
    }
    case u'"': {
        QString text;
        if (!string(text))
            return false;
        feed([&] { return m_builder.scalar(stringScalar(text), text.size(), QString(), at); });
        return true;
    }
    case u't':
    case u'f':
        scalar.type = ScalarType::Bool;
        scalar.boolean = peek() == u't';
        if (!word(scalar.boolean ? QLatin1StringView("true") : QLatin1StringView("false")))
            return false;
        break;
    case u'n':
        if (!word(QLatin1StringView("null")))
            return false;
        break;
    case u'N':
    case u'I': {
        // Python's json reads these as floats; no JSON document can hold them.
        const QLatin1StringView literal =
            peek() == u'N' ? QLatin1StringView("NaN") : QLatin1StringView("Infinity");
        if (!word(literal))
            return false;
        refuse(notFiniteMessage(QString(literal), m_builder.where(), at));
        return true;
    }
    default:
        return number();
    }
    feed([&] { return m_builder.scalar(scalar, 0, QString(), at); });
    return true;
}

bool JsonReader::number() {
    const Mark at = mark();
    const qsizetype start = m_pos;
    const auto digits = [&] {
        const qsizetype from = m_pos;
        while (m_pos < m_text.size() && m_text[m_pos] >= u'0' && m_text[m_pos] <= u'9')
            ++m_pos;
        return m_pos - from;
    };
    if (peek() == u'-') {
        if (word(QLatin1StringView("-Infinity"))) {
            refuse(notFiniteMessage(u"-Infinity", m_builder.where(), at));
            return true;
        }
        ++m_pos;
    }
    if (peek() == u'0')
        ++m_pos;
    else if (digits() == 0)
        return false;
    bool isFloat = false;
    if (peek() == u'.' && peek(1) >= u'0' && peek(1) <= u'9') {
        ++m_pos;
        digits();
        isFloat = true;
    }
    if (peek() == u'e' || peek() == u'E') {
        const qsizetype mantissaEnd = m_pos;
        ++m_pos;
        if (peek() == u'-' || peek() == u'+')
            ++m_pos;
        if (digits() > 0)
            isFloat = true;
        else
            m_pos = mantissaEnd; // not part of the number: the text after it is then not JSON
    }
    const QStringView literal = m_text.sliced(start, m_pos - start);
    const std::string ascii = literal.toLatin1().toStdString();
    Scalar scalar;
    if (isFloat) {
        scalar.type = ScalarType::Float;
        scalar.number = decimalToDouble(ascii);
        if (!std::isfinite(scalar.number)) {
            refuse(notFiniteMessage(literal, m_builder.where(), at));
            return true;
        }
    } else {
        scalar.type = ScalarType::Int;
        const auto [end, error] = std::from_chars(ascii.data(), ascii.data() + ascii.size(), scalar.integer);
        if (error != std::errc() || end != ascii.data() + ascii.size()) {
            refuse(integerRangeMessage(literal, m_builder.where(), at));
            return true;
        }
    }
    feed([&] { return m_builder.scalar(scalar, 0, QString(), at); });
    return true;
}

bool JsonReader::string(QString &out) {
    ++m_pos; // the opening quote
    const auto hex4 = [&](qsizetype at, char32_t &code) {
        if (at + 4 > m_text.size())
            return false;
        code = 0;
        for (qsizetype i = at; i < at + 4; ++i) {
            const char16_t c = m_text[i].unicode();
            const int digit = c >= u'0' && c <= u'9'   ? c - u'0'
                              : c >= u'a' && c <= u'f' ? c - u'a' + 10
                              : c >= u'A' && c <= u'F' ? c - u'A' + 10
                                                       : -1;
            if (digit < 0)
                return false;
            code = code * 16 + char32_t(digit);
        }
        return true;
    };
    for (;;) {
        const qsizetype run = m_pos;
        while (m_pos < m_text.size() && m_text[m_pos] != u'"' && m_text[m_pos] != u'\\' &&
               m_text[m_pos].unicode() >= 0x20)
            ++m_pos;
        out.append(m_text.sliced(run, m_pos - run));
        if (m_pos >= m_text.size() || m_text[m_pos].unicode() < 0x20)
            return false; // unterminated, or a raw control character (Python's json is strict)
        if (m_text[m_pos++] == u'"')
            return true;
        if (m_pos >= m_text.size())
            return false;
        const char16_t escape = m_text[m_pos++].unicode();
        switch (escape) {
        case u'"':
        case u'\\':
        case u'/':
            out.append(QChar(escape));
            break;
        case u'b':
            out.append(u'\b');
            break;
        case u'f':
            out.append(u'\f');
            break;
        case u'n':
            out.append(u'\n');
            break;
        case u'r':
            out.append(u'\r');
            break;
        case u't':
            out.append(u'\t');
            break;
        case u'u': {
            char32_t code = 0;
            if (!hex4(m_pos, code))
                return false;
            m_pos += 4;
            if (QChar::isHighSurrogate(code) && peek() == u'\\' && peek(1) == u'u') {
                char32_t low = 0;
                if (!hex4(m_pos + 2, low))
                    return false;
                if (QChar::isLowSurrogate(low)) {
                    m_pos += 6;
                    out.append(QChar(char16_t(code)));
                    out.append(QChar(char16_t(low)));
                    break;
                }
            }
            out.append(QChar::isSurrogate(code) ? QChar(QChar::ReplacementCharacter) : QChar(char16_t(code)));
            break;
        }
        default:
            return false;
        }
    }
}

} // namespace

Result<QJsonObject> parseExtraVars(const QString &text) {
    return parseExtraVars(text, ExtraVarsLimits());
}

Result<QJsonObject> parseExtraVars(const QString &input, const ExtraVarsLimits &limits) {
    if (input.isEmpty())
        return QJsonObject();
    // A UTF-16 unit is at least one UTF-8 byte: too long text is refused before anything is copied.
    if (input.size() > limits.maxDocumentBytes || utf8Size(input) > limits.maxDocumentBytes)
        return Result<QJsonObject>::failure(
            QObject::tr("Extra variables are longer than %1 bytes (%2 MiB), more than is accepted.")
                .arg(limits.maxDocumentBytes)
                .arg(double(limits.maxDocumentBytes) / (1024 * 1024), 0, 'f', 1));
    const QString text = withoutLoneSurrogates(input);

    JsonReader json(text, limits);
    switch (json.read()) {
    case JsonReader::Outcome::Parsed:
        return json.root().toObject();
    case JsonReader::Outcome::Refused:
        return Result<QJsonObject>::failure(json.refusal());
    case JsonReader::Outcome::NotJson:
        break;
    }

    const Result<QJsonValue> root = readYaml(text.toUtf8(), limits);
    if (!root)
        return Result<QJsonObject>::failure(root.error());
    if (root.value().isNull())
        return QJsonObject();
    if (!root.value().isObject())
        return Result<QJsonObject>::failure(
            QObject::tr("Extra variables must be a mapping of names to values, like {\"name\": \"value\"} or "
                        "name: value."));
    return root.value().toObject();
}

} // namespace playdeck

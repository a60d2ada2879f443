#include "JsonWriter.h"

#include <type_traits>

namespace playdeck {

namespace {

// Appends n characters: bytes to the UTF-8 outputs; ASCII or UTF-16 to a QString.
void append(QByteArray &out, const char *p, qsizetype n) {
    out.append(p, n);
}
void append(std::string &out, const char *p, qsizetype n) {
    out.append(p, size_t(n));
}
void append(QString &out, const char *ascii, qsizetype n) {
    out.append(QLatin1String(ascii, n));
}
void append(QString &out, const char16_t *p, qsizetype n) {
    out.append(reinterpret_cast<const QChar *>(p), n);
}

// One loop for both encodings: runs of characters that need no escape are appended whole.
template <typename Out, typename Char> void appendEscaped(Out &out, const Char *begin, const Char *end) {
    const auto put = [&out](const char *ascii, qsizetype n) { append(out, ascii, n); };
    put("\"", 1);
    const Char *run = begin;
    for (const Char *p = begin; p < end; ++p) {
        const auto c = static_cast<unsigned>(static_cast<std::make_unsigned_t<Char>>(*p));
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        append(out, run, p - run);
        switch (c) {
        case '"':
            put("\\\"", 2);
            break;
        case '\\':
            put("\\\\", 2);
            break;
        case '\n':
            put("\\n", 2);
            break;
        case '\r':
            put("\\r", 2);
            break;
        case '\t':
            put("\\t", 2);
            break;
        default: {
            const char hex[] = "0123456789abcdef";
            const char escape[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            put(escape, 6);
        }
        }
        run = p + 1;
    }
    append(out, run, end - run);
    put("\"", 1);
}

} // namespace

void appendJsonString(QByteArray &out, QByteArrayView text) {
    appendEscaped(out, text.data(), text.data() + text.size());
}

void appendJsonString(std::string &out, QByteArrayView text) {
    appendEscaped(out, text.data(), text.data() + text.size());
}

void appendJsonString(QString &out, QStringView text) {
    appendEscaped(out, text.utf16(), text.utf16() + text.size());
}

} // namespace playdeck

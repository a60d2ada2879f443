#include "JsonText.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <utility>

namespace playdeck {

namespace {

constexpr char kReplacementEscape[] = "\\ufffd";
constexpr qsizetype kReplacementEscapeSize = sizeof kReplacementEscape - 1;
constexpr char kReplacementUtf8[] = "\xEF\xBF\xBD";
constexpr qsizetype kReplacementUtf8Size = sizeof kReplacementUtf8 - 1;

// Copies into a new buffer only from the first change on, so clean text costs no allocation.
class Rewriter {
public:
    explicit Rewriter(const QByteArray &in)
        : m_in(in) {}

    void replace(qsizetype from, qsizetype to, const char *with, qsizetype size) {
        if (!m_changed) {
            m_out.reserve(m_in.size() + 64);
            m_changed = true;
        }
        m_out.append(m_in.constData() + m_copied, from - m_copied);
        m_out.append(with, size);
        m_copied = to;
    }

    bool finish(QByteArray &json) {
        if (!m_changed)
            return false;
        m_out.append(m_in.constData() + m_copied, m_in.size() - m_copied);
        json = std::move(m_out);
        return true;
    }

private:
    const QByteArray &m_in;
    QByteArray m_out;
    qsizetype m_copied = 0;
    bool m_changed = false;
};

// Marks (0x80 in its byte) each of eight bytes that needs a look: '"', '\\', a control byte, a byte
// of a multi-byte sequence. Exact per byte (no borrow crosses bytes), so the scan can go a word at
// a time and step over the quotes, which JSON has every few bytes, without leaving the word.
std::uint64_t bytesToLookAt(std::uint64_t w) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t lows = 0x7F7F7F7F7F7F7F7FULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    const auto zeroBytes = [&](std::uint64_t x) { return ~(((x & lows) + lows) | x | lows); };
    const std::uint64_t control = ~(((w & lows) + ones * (0x80 - 0x20)) | w | lows); // below 0x20
    return (w & highs) | control | zeroBytes(w ^ (ones * '"')) | zeroBytes(w ^ (ones * '\\'));
}

int hexDigit(unsigned char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The code unit of the four hex digits at p[at], or -1.
int hexUnit(const unsigned char *p, qsizetype size, qsizetype at) {
    if (size - at < 4)
        return -1;
    int unit = 0;
    for (qsizetype k = at; k < at + 4; ++k) {
        const int digit = hexDigit(p[k]);
        if (digit < 0)
            return -1;
        unit = unit * 16 + digit;
    }
    return unit;
}

bool isHighSurrogate(int unit) {
    return unit >= 0xD800 && unit <= 0xDBFF;
}
bool isLowSurrogate(int unit) {
    return unit >= 0xDC00 && unit <= 0xDFFF;
}

// The length of the well-formed UTF-8 sequence starting at p[at] (whose first byte is >= 0x80), or
// minus the length of its maximal ill-formed subpart (Unicode 3.9, table 3-7), which one U+FFFD
// replaces.
qsizetype utf8SequenceLength(const unsigned char *p, qsizetype size, qsizetype at) {
    const unsigned char lead = p[at];
    int continuation = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        continuation = 1;
    } else if (lead == 0xE0) {
        continuation = 2;
        low = 0xA0; // below is overlong
    } else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
        continuation = 2;
    } else if (lead == 0xED) {
        continuation = 2;
        high = 0x9F; // above is a surrogate
    } else if (lead == 0xF0) {
        continuation = 3;
        low = 0x90; // below is overlong
    } else if (lead >= 0xF1 && lead <= 0xF3) {
        continuation = 3;
    } else if (lead == 0xF4) {
        continuation = 3;
        high = 0x8F; // above is past U+10FFFF
    } else {
        return -1; // a continuation byte on its own, C0/C1 (always overlong), F5..FF
    }
    for (int k = 1; k <= continuation; ++k) {
        if (at + k >= size)
            return -k;
        const unsigned char byte = p[at + k];
        if (byte < (k == 1 ? low : 0x80) || byte > (k == 1 ? high : 0xBF))
            return -k;
    }
    return continuation + 1;
}

// Handles the escape whose backslash is at p[at], inside a string; returns where scanning goes on.
qsizetype takeEscape(const unsigned char *p, qsizetype size, qsizetype at, Rewriter &out) {
    if (at + 1 >= size)
        return at + 1; // an unterminated string: the parser refuses it
    const unsigned char kind = p[at + 1];
    switch (kind) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        return at + 2;
    case 'u':
        break;
    default:
        if (kind < 0x80) {
            out.replace(at, at + 2, kReplacementEscape, kReplacementEscapeSize);
            return at + 2;
        }
        // A backslash before a multi-byte character: the character itself is checked next.
        out.replace(at, at + 1, kReplacementEscape, kReplacementEscapeSize);
        return at + 1;
    }
    const int unit = hexUnit(p, size, at + 2);
    if (unit < 0)
        return at + 2; // `\u` without four hex digits: the parser refuses it
    if (isHighSurrogate(unit)) {
        const bool escapeFollows = size - at >= 8 && p[at + 6] == '\\' && p[at + 7] == 'u';
        if (escapeFollows && isLowSurrogate(hexUnit(p, size, at + 8)))
            return at + 12; // a valid pair
    }
    if (unit == 0 || isHighSurrogate(unit) || isLowSurrogate(unit))
        out.replace(at, at + 6, kReplacementEscape, kReplacementEscapeSize);
    return at + 6;
}

void escapeControlByte(unsigned char byte, qsizetype at, Rewriter &out) {
    if (byte == 0) {
        out.replace(at, at + 1, kReplacementEscape, kReplacementEscapeSize);
        return;
    }
    static constexpr char hex[] = "0123456789abcdef";
    const char escape[] = {'\\', 'u', '0', '0', hex[byte >> 4], hex[byte & 0xF]};
    out.replace(at, at + 1, escape, sizeof escape);
}

} // namespace

bool sanitizeJsonText(QByteArray &json) {
    const auto *p = reinterpret_cast<const unsigned char *>(json.constData());
    const qsizetype size = json.size();
    Rewriter out(json);
    bool inString = false;
    qsizetype at = 0;
    while (at < size) {
        if constexpr (std::endian::native == std::endian::little) {
            while (size - at >= 8) {
                std::uint64_t word;
                std::memcpy(&word, p + at, sizeof word);
                std::uint64_t marks = bytesToLookAt(word);
                while (marks && p[at + std::countr_zero(marks) / 8] == '"') {
                    inString = !inString;
                    marks &= marks - 1;
                }
                if (marks) {
                    at += std::countr_zero(marks) / 8;
                    break;
                }
                at += 8;
            }
            if (at >= size)
                break;
        }
        const unsigned char c = p[at];
        if (c >= 0x80) {
            const qsizetype length = utf8SequenceLength(p, size, at);
            if (length < 0)
                out.replace(at, at - length, kReplacementUtf8, kReplacementUtf8Size);
            at += length < 0 ? -length : length;
        } else if (c == '"') {
            inString = !inString;
            ++at;
        } else if (!inString) {
            ++at;
        } else if (c == '\\') {
            at = takeEscape(p, size, at, out);
        } else if (c < 0x20) {
            escapeControlByte(c, at, out);
            ++at;
        } else {
            ++at;
        }
    }
    return out.finish(json);
}

bool hasUnstorableEscape(QByteArrayView validJson) {
    const auto *p = reinterpret_cast<const unsigned char *>(validJson.data());
    const qsizetype size = validJson.size();
    for (qsizetype at = 0; at < size;) {
        const void *found = std::memchr(p + at, '\\', size_t(size - at));
        if (!found)
            return false;
        at = static_cast<const unsigned char *>(found) - p;
        if (at + 1 >= size)
            return true;
        if (p[at + 1] != 'u') {
            at += 2; // `\\`, `\"`, `\n`, ...: the escaped character is not a backslash that starts one
            continue;
        }
        const int unit = hexUnit(p, size, at + 2);
        if (unit <= 0 || isLowSurrogate(unit))
            return true;
        if (isHighSurrogate(unit)) {
            const bool escapeFollows = size - at >= 8 && p[at + 6] == '\\' && p[at + 7] == 'u';
            if (!escapeFollows || !isLowSurrogate(hexUnit(p, size, at + 8)))
                return true;
            at += 12;
            continue;
        }
        at += 6;
    }
    return false;
}

} // namespace playdeck

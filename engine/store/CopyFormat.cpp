#include "CopyFormat.h"

#include <QDateTime>
#include <QStringEncoder>

#include <cstdint>

namespace playdeck {

namespace {

// COPY's binary format: each field its length and its bytes, so nothing is escaped on either side
// (the text format made this process escape every event_data and the server unescape it). Text
// that reaches here has no NUL (JsonText's sanitizer replaced it in JSON), but a text column must
// never hold one: the server would refuse the whole batch for it.

void appendBigEndian(QByteArray &out, quint64 v, int bytes) {
    char b[8];
    for (int i = bytes - 1; i >= 0; --i, v >>= 8)
        b[i] = char(v & 0xFF);
    out.append(b, bytes);
}

void putLength(QByteArray &out, qsizetype at, qsizetype length) {
    const auto v = quint32(length);
    char *p = out.data() + at;
    p[0] = char(v >> 24);
    p[1] = char(v >> 16);
    p[2] = char(v >> 8);
    p[3] = char(v);
}

// Replaces each NUL in out[from..] by U+FFFD.
void replaceNuls(QByteArray &out, qsizetype from) {
    for (qsizetype at = out.indexOf('\0', from); at >= 0; at = out.indexOf('\0', at + 3))
        out.replace(at, 1, "\xEF\xBF\xBD", 3);
}

// A text field: its int32 length, then its bytes, written in place (no UTF-8 copy of the QString).
void appendTextField(QByteArray &out, QStringView text, const char *prefix = nullptr, int prefixSize = 0) {
    const qsizetype at = out.size();
    out.resize(at + 4 + prefixSize + text.size() * 3);
    char *begin = out.data() + at + 4;
    if (prefixSize)
        std::memcpy(begin, prefix, size_t(prefixSize));
    QStringEncoder encoder(QStringEncoder::Utf8, QStringEncoder::Flag::Stateless);
    char *end = encoder.appendToBuffer(begin + prefixSize, text);
    out.resize(end - out.constData());
    if (std::memchr(begin, 0, size_t(end - begin)))
        replaceNuls(out, at + 4);
    putLength(out, at, out.size() - at - 4);
}

void appendBytesField(QByteArray &out, QByteArrayView bytes, const char *prefix, int prefixSize) {
    const qsizetype at = out.size();
    out.resize(at + 4);
    out.append(prefix, prefixSize);
    out.append(bytes.data(), bytes.size());
    if (std::memchr(out.constData() + at + 4, 0, size_t(out.size() - at - 4)))
        replaceNuls(out, at + 4);
    putLength(out, at, out.size() - at - 4);
}

void appendInt32Field(QByteArray &out, qint32 n) {
    appendBigEndian(out, 4, 4);
    appendBigEndian(out, quint32(n), 4);
}

void appendBoolField(QByteArray &out, bool b) {
    appendBigEndian(out, 1, 4);
    out += b ? '\1' : '\0';
}

// timestamptz: microseconds since 2000-01-01 00:00 UTC.
void appendTimestampField(QByteArray &out, const QDateTime &t) {
    constexpr qint64 kPostgresEpochMs = 946684800000;
    const qint64 ms = t.isValid() ? t.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
    appendBigEndian(out, 8, 4);
    appendBigEndian(out, quint64((ms - kPostgresEpochMs) * 1000), 8);
}

} // namespace

void appendBinaryCopyHeader(QByteArray &out) {
    out.append("PGCOPY\n\377\r\n\0", 11);
    appendBigEndian(out, 0, 4); // flags: no OIDs
    appendBigEndian(out, 0, 4); // no header extension
}

void appendBinaryCopyTrailer(QByteArray &out) {
    appendBigEndian(out, 0xFFFF, 2);
}

void appendBinaryRow(QByteArray &out, const JobEvent &e) {
    static constexpr char kJsonbVersion = 1;
    appendBigEndian(out, 17, 2);
    appendBigEndian(out, 8, 4);
    appendBigEndian(out, quint64(e.jobId), 8);
    appendInt32Field(out, e.counter);
    appendTextField(out, e.event);
    appendBytesField(out, e.eventData.isEmpty() ? QByteArrayView("{}") : QByteArrayView(e.eventData),
                     &kJsonbVersion, 1);
    for (const QString *text : {&e.uuid, &e.parentUuid, &e.hostName, &e.play, &e.task, &e.role, &e.stdout})
        appendTextField(out, *text);
    for (const int n : {e.startLine, e.endLine, e.verbosity})
        appendInt32Field(out, n);
    appendBoolField(out, e.failed);
    appendBoolField(out, e.changed);
    appendTimestampField(out, e.created);
}

void appendJsonString(QByteArray &out, QByteArrayView text) {
    out += '"';
    const char *run = text.data();
    const char *const end = text.data() + text.size();
    for (const char *p = run; p < end; ++p) {
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(run, p - run);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default: {
            const char hex[] = "0123456789abcdef";
            const char escape[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.append(escape, 6);
        }
        }
        run = p + 1;
    }
    out.append(run, end - run);
    out += '"';
}

} // namespace playdeck

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

void writeBigEndian(char *p, quint64 v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i, v >>= 8)
        p[i] = char(v & 0xFF);
}

void appendBigEndian(QByteArray &out, quint64 v, int bytes) {
    char b[8];
    writeBigEndian(b, v, bytes);
    out.append(b, bytes);
}

// Ends the field whose int32 length goes at out[at]: each NUL in its bytes becomes U+FFFD, then
// the length is written.
void endField(QByteArray &out, qsizetype at) {
    const qsizetype begin = at + 4;
    if (std::memchr(out.constData() + begin, 0, size_t(out.size() - begin)))
        for (qsizetype nul = out.indexOf('\0', begin); nul >= 0; nul = out.indexOf('\0', nul + 3))
            out.replace(nul, 1, "\xEF\xBF\xBD", 3);
    writeBigEndian(out.data() + at, quint32(out.size() - begin), 4);
}

// A text field, its UTF-8 written in place (no copy of the QString in UTF-8 first).
void appendTextField(QByteArray &out, QStringView text) {
    const qsizetype at = out.size();
    out.resize(at + 4 + text.size() * 3);
    QStringEncoder encoder(QStringEncoder::Utf8, QStringEncoder::Flag::Stateless);
    const char *end = encoder.appendToBuffer(out.data() + at + 4, text);
    out.resize(end - out.constData());
    endField(out, at);
}

// A jsonb field: the format's version, 1, then the JSON text.
void appendJsonbField(QByteArray &out, QByteArrayView json) {
    const qsizetype at = out.size();
    out.resize(at + 4);
    out += '\1';
    out.append(json.data(), json.size());
    endField(out, at);
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
    appendBigEndian(out, 17, 2);
    appendBigEndian(out, 8, 4);
    appendBigEndian(out, quint64(e.jobId), 8);
    appendInt32Field(out, e.counter);
    appendTextField(out, e.event);
    appendJsonbField(out, e.eventData.isEmpty() ? QByteArrayView("{}") : QByteArrayView(e.eventData));
    for (const QString *text : {&e.uuid, &e.parentUuid, &e.hostName, &e.play, &e.task, &e.role, &e.stdout})
        appendTextField(out, *text);
    for (const int n : {e.startLine, e.endLine, e.verbosity})
        appendInt32Field(out, n);
    appendBoolField(out, e.failed);
    appendBoolField(out, e.changed);
    appendTimestampField(out, e.created);
}

} // namespace playdeck

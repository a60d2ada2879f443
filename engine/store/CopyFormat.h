#pragma once

#include "model/JobEvent.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QVarLengthArray>

#include <cstring>
#include <functional>

namespace playdeck {

// PostgreSQL's COPY formats, both ways, for the event pipeline's hot paths.

// One job_event row in COPY's binary format, in the column order of EventStore's COPY (job_id,
// counter, event, event_data (jsonb), uuid, parent_uuid, host_name, play, task, role, stdout,
// start_line, end_line, verbosity, failed, changed, created); the rows of one COPY go between its
// header and its trailer.
void appendBinaryCopyHeader(QByteArray &out);
void appendBinaryRow(QByteArray &out, const JobEvent &e);
void appendBinaryCopyTrailer(QByteArray &out);

// Reads the tuples of a binary COPY as they arrive in CopyData messages, whose boundaries it does
// not rely on: the 19-byte header, then per row an int16 field count and per field an int32 length
// (-1: NULL) and the bytes; a count of -1 ends it.
class BinaryCopyReader {
public:
    using Fields = QVarLengthArray<QByteArrayView, 20>;
    // Feeds bytes; calls `row` for each complete row. False on a malformed stream or when `row` is.
    // Rows are read where they lie when nothing is left over from the last call (libpq hands COPY
    // OUT over a row at a time): only an incomplete tail is copied.
    bool feed(const char *data, qsizetype size, const std::function<bool(const Fields &)> &row) {
        bool ok = true;
        if (m_buffer.isEmpty()) {
            const qsizetype used = consume(data, size, row, ok);
            if (ok)
                m_buffer.append(data + used, size - used);
            return ok;
        }
        m_buffer.append(data, size);
        const qsizetype used = consume(m_buffer.constData(), m_buffer.size(), row, ok);
        m_buffer.remove(0, used);
        return ok;
    }
    bool ended() const { return m_ended; }

private:
    // Reads the complete rows at the start of `data`; returns the bytes they took.
    qsizetype consume(const char *data, qsizetype size, const std::function<bool(const Fields &)> &row,
                      bool &ok) {
        qsizetype at = 0;
        while (ok) {
            const qsizetype left = size - at;
            const char *p = data + at;
            if (!m_sawHeader) {
                if (left < 19)
                    break;
                if (std::memcmp(p, "PGCOPY\n\377\r\n\0", 11) != 0 || number(p + 15, 4) != 0) {
                    ok = false;
                    break;
                }
                m_sawHeader = true;
                at += 19;
                continue;
            }
            if (left < 2)
                break;
            const qint64 count = qint16(number(p, 2));
            if (count == -1) {
                m_ended = true;
                at += 2;
                break;
            }
            if (count < 1 || count > 20) {
                ok = false;
                break;
            }
            Fields fields;
            qsizetype used = 2;
            for (qint64 i = 0; i < count; ++i) {
                if (left < used + 4)
                    break;
                const qint64 length = qint32(number(p + used, 4));
                used += 4;
                if (length < 0) {
                    fields.append(QByteArrayView());
                    continue;
                }
                if (left < used + length)
                    break;
                fields.append(QByteArrayView(p + used, qsizetype(length)));
                used += qsizetype(length);
            }
            if (fields.size() < count)
                break; // the rest of the row is still to come
            ok = row(fields);
            at += used;
        }
        return at;
    }
    static quint32 number(const char *p, int bytes) {
        quint32 v = 0;
        for (int i = 0; i < bytes; ++i)
            v = (v << 8) | quint8(p[i]);
        return v;
    }
    QByteArray m_buffer;
    bool m_sawHeader = false;
    bool m_ended = false;
};

} // namespace playdeck

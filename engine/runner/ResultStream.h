#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace playdeck {

// One piece of `ansible-runner worker` output.
struct StreamItem {
    enum Kind { Status, Event, Artifacts, Eof };
    Kind kind = Status;
    QJsonObject object; // Status and Event
    QByteArray zip;     // Artifacts
};

// Parses the worker's result stream as it arrives, in chunks of any size: JSON lines (status lines,
// events), `{"zipfile": N}` followed by base64 of N zip bytes with no line break, then
// `{"eof": true}`. Partial lines wait for the next chunk. Once the stream is malformed the parser
// stops and says where.
class ResultStreamParser {
public:
    QList<StreamItem> feed(const QByteArray &chunk);

    bool failed() const { return !m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    bool sawEof() const { return m_eof; }
    // Bytes of an incomplete line or artifact block still held (non-zero at the end = truncated).
    qsizetype pendingBytes() const { return m_buffer.size() + m_base64.size(); }

private:
    bool takeLine(QList<StreamItem> &items, const QByteArray &line);

    QByteArray m_buffer;
    QByteArray m_base64;
    qint64 m_zipLength = 0;
    qint64 m_base64Remaining = -1;
    qint64 m_lineNumber = 0;
    bool m_eof = false;
    QString m_error;
};

} // namespace playdeck

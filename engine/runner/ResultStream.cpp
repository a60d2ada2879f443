#include "ResultStream.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QObject>

namespace playdeck {

QList<StreamItem> ResultStreamParser::feed(const QByteArray &chunk) {
    QList<StreamItem> items;
    if (failed() || m_eof)
        return items;
    m_buffer.append(chunk);
    qsizetype pos = 0;
    while (pos < m_buffer.size()) {
        if (m_base64Remaining >= 0) {
            const qsizetype take = std::min<qsizetype>(m_base64Remaining, m_buffer.size() - pos);
            m_base64.append(m_buffer.constData() + pos, take);
            pos += take;
            m_base64Remaining -= take;
            if (m_base64Remaining > 0)
                break;
            m_base64Remaining = -1;
            auto decoded = QByteArray::fromBase64Encoding(m_base64, QByteArray::AbortOnBase64DecodingErrors);
            m_base64.clear();
            if (!decoded || decoded.decoded.size() != m_zipLength) {
                m_error =
                    QObject::tr("the artifacts block of the runner's stream is not valid base64 of %1 bytes")
                        .arg(m_zipLength);
                break;
            }
            items.append({StreamItem::Artifacts, {}, decoded.decoded});
            continue;
        }
        const qsizetype newline = m_buffer.indexOf('\n', pos);
        if (newline < 0)
            break;
        const QByteArray line = m_buffer.mid(pos, newline - pos);
        pos = newline + 1;
        if (!takeLine(items, line) || m_eof)
            break;
    }
    m_buffer.remove(0, pos);
    return items;
}

bool ResultStreamParser::takeLine(QList<StreamItem> &items, const QByteArray &rawLine) {
    ++m_lineNumber;
    const QByteArray line = rawLine.trimmed();
    if (line.isEmpty())
        return true;
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        m_error = QObject::tr("line %1 of the runner's stream is not a JSON object (%2): %3")
                      .arg(m_lineNumber)
                      .arg(parseError.errorString(), QString::fromUtf8(line.left(200)));
        return false;
    }
    const QJsonObject object = doc.object();
    if (object.contains(QLatin1String("zipfile"))) {
        m_zipLength = object.value(QLatin1String("zipfile")).toInteger(-1);
        if (m_zipLength < 0) {
            m_error = QObject::tr("line %1 of the runner's stream announces an invalid artifacts size")
                          .arg(m_lineNumber);
            return false;
        }
        m_base64Remaining = 4 * ((m_zipLength + 2) / 3);
        if (m_base64Remaining == 0) {
            m_base64Remaining = -1;
            items.append({StreamItem::Artifacts, {}, {}});
        }
    } else if (object.contains(QLatin1String("eof"))) {
        m_eof = true;
        items.append({StreamItem::Eof, object, {}});
    } else if (object.contains(QLatin1String("status"))) {
        items.append({StreamItem::Status, object, {}});
    } else if (object.contains(QLatin1String("event")) && object.contains(QLatin1String("counter"))) {
        items.append({StreamItem::Event, object, {}});
    }
    // Anything else is a message from a newer runner that we do not know: skip it.
    return true;
}

} // namespace playdeck

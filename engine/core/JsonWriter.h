#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <string>

namespace playdeck {

// JSON written by hand where QJsonDocument is a hot path's cost (the websocket's event messages,
// `playdeck events --json`): a string's quotes, backslashes and control characters are escaped,
// everything else is copied as it is.

// UTF-8 text as a JSON string (the text of a job_event column has no invalid UTF-8 and no NUL: the
// receiver stored it sanitized).
void appendJsonString(QByteArray &out, QByteArrayView text);
// The same into a std::string, whose appends are inline (QByteArray's go through insert()): the
// writer of `playdeck events --json`, where they were a fifth of its time.
void appendJsonString(std::string &out, QByteArrayView text);
// The same for UTF-16, for messages that go out as a QString (QWebSocket's text frames).
void appendJsonString(QString &out, QStringView text);

} // namespace playdeck

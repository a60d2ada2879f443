// libFuzzer target: one event line as the job runner reads it: sanitizeJsonText on arbitrary bytes,
// then the JSON parse, then eventFromRunner (the job_event row). Aborts when the output is not
// UTF-8, when a sanitized text that parses still holds a NUL or a lone surrogate (in the line or in
// the row made of it), when sanitizing twice changes something, or when sanitizing breaks a text
// that parsed.

#include "events/JsonText.h"
#include "events/RunnerEvent.h"
#include "events/RunnerEventReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>
#include <cstdlib>

namespace {

// A UTF-8 check written apart from the sanitizer's: decode each code point, then judge it.
bool isUtf8(const QByteArray &text) {
    const auto *p = reinterpret_cast<const unsigned char *>(text.constData());
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size;) {
        const unsigned char lead = p[i];
        int length = 0;
        char32_t cp = 0;
        if (lead < 0x80) {
            ++i;
            continue;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2;
            cp = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            cp = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            cp = lead & 0x07;
        } else {
            return false;
        }
        if (size - i < length)
            return false;
        for (int k = 1; k < length; ++k) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        const char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < smallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += length;
    }
    return true;
}

bool storable(const QString &s) {
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c.isNull() || c.isLowSurrogate())
            return false;
        if (c.isHighSurrogate()) {
            if (i + 1 >= s.size() || !s.at(i + 1).isLowSurrogate())
                return false;
            ++i;
        }
    }
    return true;
}

bool storable(const QJsonValue &v) {
    if (v.isString())
        return storable(v.toString());
    if (v.isArray()) {
        for (const QJsonValue &item : v.toArray())
            if (!storable(item))
                return false;
    } else if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            if (!storable(it.key()) || !storable(it.value()))
                return false;
    }
    return true;
}

bool parses(const QByteArray &text, QJsonDocument *doc = nullptr) {
    QJsonParseError error{};
    const QJsonDocument parsed = QJsonDocument::fromJson(text, &error);
    if (doc)
        *doc = parsed;
    return error.error == QJsonParseError::NoError;
}

void check(bool invariant) {
    if (!invariant)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    QByteArray once = input;
    const bool changed = playdeck::sanitizeJsonText(once);
    check(changed == (once != input));
    check(once.size() <= 6 * input.size());
    check(isUtf8(once));

    QByteArray twice = once;
    check(!playdeck::sanitizeJsonText(twice));
    check(twice == once);

    QJsonDocument doc;
    if (parses(once, &doc)) {
        check(storable(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array())));
        if (doc.isObject()) {
            // The row the receiver COPYs: every text column storable, event_data a JSON object.
            const playdeck::JobEvent e = playdeck::eventFromRunner(1, doc.object());
            for (const QString *text :
                 {&e.event, &e.uuid, &e.parentUuid, &e.hostName, &e.play, &e.task, &e.role, &e.stdout})
                check(storable(*text));
            QJsonParseError error{};
            check(QJsonDocument::fromJson(e.eventData, &error).isObject() &&
                  error.error == QJsonParseError::NoError);
            check(e.created.isValid());
            // The fast reader, when it takes the line, makes the same row.
            static playdeck::RunnerEventReader reader;
            playdeck::JobEvent fast;
            if (reader.read(once, fast)) {
                check(fast.counter == doc.object().value(QLatin1String("counter")).toInt());
                for (const auto &[a, b] : {std::pair{&fast.event, &e.event},
                                           {&fast.uuid, &e.uuid},
                                           {&fast.parentUuid, &e.parentUuid},
                                           {&fast.hostName, &e.hostName},
                                           {&fast.play, &e.play},
                                           {&fast.task, &e.task},
                                           {&fast.role, &e.role},
                                           {&fast.stdout, &e.stdout},
                                           {&fast.taskAction, &e.taskAction}})
                    check(*a == *b);
                check(fast.startLine == e.startLine && fast.endLine == e.endLine &&
                      fast.verbosity == e.verbosity);
                check(fast.failed == e.failed && fast.changed == e.changed);
                check(QJsonDocument::fromJson(fast.eventData) == QJsonDocument::fromJson(e.eventData));
            }
        }
    }
    if (parses(input))
        check(parses(once));
    return 0;
}

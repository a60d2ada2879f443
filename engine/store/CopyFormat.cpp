#include "CopyFormat.h"

#include <QDateTime>

#include <charconv>
#include <chrono>
#include <cstdint>

namespace playdeck {

namespace {

// COPY's text format: backslash escapes for the characters that delimit rows and columns, copied
// in runs between them (this is on every event's path). Text that reaches here has no NUL
// (JsonText's sanitizer replaced it), but a NUL must never end a row early.
// Whether any of the eight bytes of `w` is one COPY text must escape: a word at a time, since nearly
// all text (event_data's JSON above all) has none of them for hundreds of bytes.
bool hasCopySpecial(std::uint64_t w) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    const auto zero = [&](std::uint64_t x) { return (x - ones) & ~x & highs; };
    return (zero(w) | zero(w ^ (ones * '\\')) | zero(w ^ (ones * '\n')) | zero(w ^ (ones * '\r')) |
            zero(w ^ (ones * '\t'))) != 0;
}

void appendCopyText(QByteArray &out, const char *p, qsizetype n) {
    const char *run = p;
    const char *const end = p + n;
    while (p < end) {
        if (end - p >= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, 8);
            if (!hasCopySpecial(w)) {
                p += 8;
                continue;
            }
        }
        const char c = *p;
        if (c != '\\' && c != '\n' && c != '\r' && c != '\t' && c != '\0') {
            ++p;
            continue;
        }
        out.append(run, p - run);
        switch (c) {
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        default:
            out.append("\xEF\xBF\xBD", 3); // U+FFFD
        }
        run = ++p;
    }
    out.append(run, end - run);
}

void appendCopyText(QByteArray &out, const QByteArray &value) {
    appendCopyText(out, value.constData(), value.size());
}

void appendCopyText(QByteArray &out, const QString &value) {
    if (!value.isEmpty())
        appendCopyText(out, value.toUtf8());
}

void appendNumber(QByteArray &out, qint64 n) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    out.append(digits, end - digits);
}

// "2026-12-01 12:00:00.123+00" without QDateTime::toString (~1 µs an event).
void appendTimestamp(QByteArray &out, const QDateTime &t) {
    using namespace std::chrono;
    const qint64 ms = t.isValid() ? t.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
    const sys_time<milliseconds> at{milliseconds(ms)};
    const auto day = floor<days>(at);
    const year_month_day date{day};
    const hh_mm_ss<milliseconds> time{at - day};
    const int year = int(date.year());
    if (year < 1 || year > 9999) { // never from a runner: as before, Qt's ISO text
        out += QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8();
        return;
    }
    char text[] = "0000-00-00 00:00:00.000+00";
    const auto put = [&text](int at, int width, int value) {
        for (int i = at + width - 1; i >= at; --i, value /= 10)
            text[i] = char('0' + value % 10);
    };
    put(0, 4, year);
    put(5, 2, int(unsigned(date.month())));
    put(8, 2, int(unsigned(date.day())));
    put(11, 2, int(time.hours().count()));
    put(14, 2, int(time.minutes().count()));
    put(17, 2, int(time.seconds().count()));
    put(20, 3, int(time.subseconds().count()));
    out.append(text, sizeof text - 1);
}

} // namespace

void appendCopyRow(QByteArray &out, const JobEvent &e) {
    appendNumber(out, e.jobId);
    out += '\t';
    appendNumber(out, e.counter);
    out += '\t';
    appendCopyText(out, e.event);
    out += '\t';
    if (e.eventData.isEmpty())
        out += "{}";
    else
        appendCopyText(out, e.eventData);
    for (const QString *text : {&e.uuid, &e.parentUuid, &e.hostName, &e.play, &e.task, &e.role, &e.stdout}) {
        out += '\t';
        appendCopyText(out, *text);
    }
    for (const int n : {e.startLine, e.endLine, e.verbosity}) {
        out += '\t';
        appendNumber(out, n);
    }
    out += e.failed ? "\tt" : "\tf";
    out += e.changed ? "\tt\t" : "\tf\t";
    appendTimestamp(out, e.created);
    out += '\n';
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

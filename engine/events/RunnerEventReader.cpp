#include "RunnerEventReader.h"

#include "RunnerEvent.h"

#include <simdjson.h>

#include <array>
#include <chrono>
#include <climits>
#include <cstring>
#include <string_view>
#include <utility>

namespace playdeck {

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// A line past this size is parsed by a parser of its own that is freed afterwards: the one kept
// per job grows to the largest line it has read and would hold a 60 MB loop summary's worth.
constexpr size_t kKeptParserBytes = 4 << 20;

int digits(const char *p, int n) {
    int v = 0;
    for (int i = 0; i < n; ++i) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

// The runner's naive UTC "2026-12-01T12:00:00.123456" without QDateTime::fromString (~1 µs): the
// fraction rounded to milliseconds as Qt's ISO reader does (.9996 is the next second). Anything else goes to
// Qt.
QDateTime createdTime(std::string_view s) {
    using namespace std::chrono;
    const char *p = s.data();
    if (s.size() >= 19 && p[4] == '-' && p[7] == '-' && p[10] == 'T' && p[13] == ':' && p[16] == ':') {
        const int y = digits(p, 4), mo = digits(p + 5, 2), d = digits(p + 8, 2);
        const int h = digits(p + 11, 2), mi = digits(p + 14, 2), sec = digits(p + 17, 2);
        int ms = 0;
        bool plain = s.size() == 19;
        if (s.size() > 20 && s.size() <= 29 && p[19] == '.') {
            const int n = int(s.size()) - 20;
            const int fraction = digits(p + 20, n);
            plain = fraction >= 0;
            int scale = 1; // 10^|n - 3|
            for (int i = 3; i < n; ++i)
                scale *= 10;
            for (int i = n; i < 3; ++i)
                scale *= 10;
            ms = n <= 3 ? fraction * scale : (fraction + scale / 2) / scale; // 1000 carries into the second
        }
        const year_month_day date{year(y), month(unsigned(mo)), day(unsigned(d))};
        if (plain && y >= 0 && mo >= 0 && d >= 0 && date.ok() && h >= 0 && h < 24 && mi >= 0 && mi < 60 &&
            sec >= 0 && sec < 60) {
            const qint64 days = sys_days(date).time_since_epoch().count();
            return QDateTime::fromMSecsSinceEpoch(((days * 24 + h) * 60 + mi) * 60000 + sec * 1000 + ms,
                                                  Qt::UTC);
        }
    }
    QDateTime t = QDateTime::fromString(QString::fromUtf8(p, qsizetype(s.size())), Qt::ISODateWithMs);
    if (!t.isValid())
        return QDateTime::currentDateTimeUtc();
    t.setTimeSpec(Qt::UTC);
    return t;
}

QString fromUtf8(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QString text(const element &v) {
    std::string_view s;
    return v.get_string().get(s) ? QString() : fromUtf8(s);
}

// The names an event shares with the events around it (its event, parent, host, play, task, role,
// action) as QStrings shared with those events: a job repeats a few dozen of them thousands of
// times, and each would otherwise be a UTF-16 conversion, an allocation here and a free in the
// receiver's thread. A direct-mapped table; a collision replaces the older entry.
class SharedTexts {
public:
    QString text(const element &v) {
        std::string_view s;
        return v.get_string().get(s) ? QString() : text(s);
    }

    QString text(std::string_view s) {
        if (s.empty() || s.size() > kLongest)
            return fromUtf8(s);
        Entry &entry = m_entries[std::hash<std::string_view>{}(s) % kEntries];
        if (entry.utf8 != s) {
            entry.utf8.assign(s);
            entry.value = fromUtf8(s);
        }
        return entry.value;
    }

private:
    static constexpr size_t kEntries = 256;
    static constexpr size_t kLongest = 256;
    struct Entry {
        std::string utf8;
        QString value;
    };
    std::array<Entry, kEntries> m_entries;
};

// QJsonValue::toInt(): a number that is a whole int, anything else 0.
int wholeNumber(const element &e) {
    int64_t i = 0;
    if (!e.get_int64().get(i))
        return i >= INT_MIN && i <= INT_MAX ? int(i) : 0;
    double d = 0;
    if (!e.get_double().get(d) && d >= INT_MIN && d <= INT_MAX && d == double(int(d)))
        return int(d);
    return 0;
}

bool flag(const element &e) {
    bool b = false;
    return !e.get_bool().get(b) && b;
}

bool nonEmptyObject(const element &e) {
    object o;
    return !e.get_object().get(o) && o.begin() != o.end();
}

// Raw spans of a JSON text the parser has accepted (so it is well formed, and nothing is checked).

// The index after the string whose opening quote is at p[i]: memchr from quote to quote, since a
// result's strings are most of an event.
size_t skipString(const char *p, size_t n, size_t i) {
    for (++i;;) {
        const auto *quote = static_cast<const char *>(std::memchr(p + i, '"', n - i));
        if (!quote)
            return n;
        const size_t at = size_t(quote - p);
        size_t backslashes = 0;
        while (at - backslashes > i && p[at - backslashes - 1] == '\\')
            ++backslashes;
        if (backslashes % 2 == 0)
            return at + 1;
        i = at + 1;
    }
}

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

size_t skipSpace(const char *p, size_t n, size_t i) {
    while (i < n && isSpace(p[i]))
        ++i;
    return i;
}

// The index after the value that starts at p[i].
size_t skipValue(const char *p, size_t n, size_t i) {
    if (p[i] == '"')
        return skipString(p, n, i);
    if (p[i] != '{' && p[i] != '[') {
        while (i < n && p[i] != ',' && p[i] != '}' && p[i] != ']' && !isSpace(p[i]))
            ++i;
        return i;
    }
    int depth = 0;
    while (i < n) {
        const char c = p[i];
        if (c == '"') {
            i = skipString(p, n, i);
            continue;
        }
        if (c == '{' || c == '[') {
            ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            return i + 1;
        }
        ++i;
    }
    return n;
}

// The text of the top-level member spelled `key` (its last one), and how many there are: the
// runner's event_data as it came, so that it is not serialised again (PostgreSQL's jsonb reads it
// the same either way). With `isLast` (the parser saw `key` once, as the object's last member, as
// ansible-runner writes event_data) the value runs to the object's closing brace and is not walked:
// walking it was a quarter of reading an event.
std::pair<std::string_view, int> rawMember(std::string_view json, std::string_view key, bool isLast) {
    const char *p = json.data();
    const size_t n = json.size();
    std::string_view found;
    int count = 0;
    size_t i = skipSpace(p, n, 0);
    if (i >= n || p[i] != '{')
        return {found, 0};
    for (i = skipSpace(p, n, i + 1); i < n && p[i] == '"';) {
        const size_t keyEnd = skipString(p, n, i);
        const std::string_view name = json.substr(i + 1, keyEnd - i - 2);
        i = skipSpace(p, n, keyEnd);
        i = skipSpace(p, n, i + 1); // the colon
        if (isLast && name == key) {
            size_t end = json.find_last_of('}');
            while (end > i && isSpace(p[end - 1]))
                --end;
            return {json.substr(i, end - i), 1};
        }
        const size_t valueEnd = skipValue(p, n, i);
        if (name == key) {
            found = json.substr(i, valueEnd - i);
            ++count;
        }
        i = skipSpace(p, n, valueEnd);
        if (i >= n || p[i] != ',')
            break;
        i = skipSpace(p, n, i + 1);
    }
    return {found, count};
}

// One pass over the keys (a lookup per key would walk the object a dozen times); a repeated key
// counts by its last value, as in QJsonObject.
bool readEvent(simdjson::dom::parser &parser, SharedTexts &shared, const QByteArray &line, JobEvent &e) {
    const bool padded = line.capacity() - line.size() >= qsizetype(simdjson::SIMDJSON_PADDING);
    object top;
    if (parser.parse(line.constData(), size_t(line.size()), !padded).get_object().get(top))
        return false;
    std::string_view event, created, lastKey;
    bool hasEvent = false, hasCounter = false, hasData = false;
    int dataKeys = 0;
    int64_t counter = 0;
    object data;
    e = JobEvent();
    for (const auto field : top) {
        const std::string_view key = field.key;
        const element &v = field.value;
        lastKey = key;
        if (key == "event") {
            hasEvent = !v.get_string().get(event);
        } else if (key == "counter") {
            hasCounter = !v.get_int64().get(counter);
        } else if (key == "status" || key == "zipfile" || key == "eof") {
            return false; // not an event line, whatever else it has
        } else if (key == "uuid") {
            e.uuid = text(v);
        } else if (key == "parent_uuid") {
            e.parentUuid = shared.text(v);
        } else if (key == "stdout") {
            e.stdout = text(v);
        } else if (key == "start_line") {
            e.startLine = wholeNumber(v);
        } else if (key == "end_line") {
            e.endLine = wholeNumber(v);
        } else if (key == "verbosity") {
            e.verbosity = wholeNumber(v);
        } else if (key == "created") {
            if (v.get_string().get(created))
                created = {};
        } else if (key == "event_data") {
            hasData = !v.get_object().get(data);
            ++dataKeys;
        }
    }
    if (!hasEvent || !hasCounter || counter < 1 || counter > INT_MAX)
        return false;
    e.counter = int(counter);
    e.event = shared.text(event);
    e.created = created.empty() ? QDateTime::currentDateTimeUtc() : createdTime(created);
    const bool stats = event == "playbook_on_stats";
    bool ignoreErrors = false;
    if (hasData) {
        // As it came; serialised again only if its key is spelled with escapes.
        const auto [raw, rawKeys] = rawMember({line.constData(), size_t(line.size())}, "event_data",
                                              dataKeys == 1 && lastKey == "event_data");
        if (rawKeys == dataKeys && raw.starts_with('{')) {
            e.eventData = QByteArray(raw.data(), qsizetype(raw.size()));
        } else {
            const std::string compact = simdjson::minify(data);
            e.eventData = QByteArray(compact.data(), qsizetype(compact.size()));
        }
        for (const auto field : data) {
            const std::string_view key = field.key;
            const element &v = field.value;
            if (key == "host") {
                e.hostName = shared.text(v);
            } else if (key == "play") {
                e.play = shared.text(v);
            } else if (key == "task") {
                e.task = shared.text(v);
            } else if (key == "role") {
                e.role = shared.text(v);
            } else if (key == "task_action") {
                e.taskAction = shared.text(v);
            } else if (key == "ignore_errors") {
                ignoreErrors = flag(v);
            } else if (stats && (key == "failures" || key == "dark")) {
                e.failed = e.failed || nonEmptyObject(v);
            } else if (stats && key == "changed") {
                e.changed = nonEmptyObject(v);
            } else if (!stats && key == "res") {
                object res;
                element changed;
                e.changed = !v.get_object().get(res) && !res["changed"].get(changed) && flag(changed);
            }
        }
    } else {
        e.eventData = QByteArrayLiteral("{}");
    }
    if (!stats)
        e.failed = isFailedEvent(e.event) && !ignoreErrors;
    return true;
}

} // namespace

struct RunnerEventReader::Parsers {
    simdjson::dom::parser kept{kKeptParserBytes};
    SharedTexts shared;
};

RunnerEventReader::RunnerEventReader()
    : m_parsers(std::make_unique<Parsers>()) {}

RunnerEventReader::~RunnerEventReader() = default;

qsizetype RunnerEventReader::padding() {
    return qsizetype(simdjson::SIMDJSON_PADDING);
}

bool RunnerEventReader::read(const QByteArray &line, JobEvent &event) {
    if (size_t(line.size()) <= kKeptParserBytes)
        return readEvent(m_parsers->kept, m_parsers->shared, line, event);
    simdjson::dom::parser large;
    return readEvent(large, m_parsers->shared, line, event);
}

} // namespace playdeck

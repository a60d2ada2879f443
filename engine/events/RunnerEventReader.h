#pragma once

#include "model/JobEvent.h"

#include <QByteArray>

#include <memory>

namespace playdeck {

// Reads an event line of the runner's output into a job_event row in one pass of simdjson, the hot
// path of every job (QJsonDocument costs ~8 µs a line and builds a tree nobody keeps). It takes only
// what the row needs and event_data as compact text. A line is read here only when it is plainly an
// ordinary event: a JSON object with an "event" key, no "status", "zipfile" or "eof" key, and a
// counter that is a positive integer. Anything else (not JSON, a status line, a counter of 3.0 or
// "7") is left to the QJsonDocument path, so that the stream's rules and messages stay in one place
// (ResultStreamParser) and this reader only has to agree with eventFromRunner() on ordinary events.
class RunnerEventReader {
public:
    RunnerEventReader();
    ~RunnerEventReader();
    RunnerEventReader(const RunnerEventReader &) = delete;
    RunnerEventReader &operator=(const RunnerEventReader &) = delete;

    // Fills `event` (jobId stays 0) from `line`, sanitized JSON text (events/JsonText.h); false when
    // the line is not an ordinary event as described above. Lines whose capacity leaves simdjson's
    // padding after their bytes are read in place, others are copied once.
    bool read(const QByteArray &line, JobEvent &event);

    // The padding simdjson reads past the end of a line: reserve it to be read in place.
    static qsizetype padding();

private:
    struct Parsers;
    std::unique_ptr<Parsers> m_parsers;
};

} // namespace playdeck

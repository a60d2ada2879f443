#pragma once

#include "model/JobEvent.h"

#include <QList>

namespace playdeck {

// How far one reader of a job's committed events is, and what it should read next: the one set of
// rules that `launch --follow` (JobFollower) and every websocket client (EventSocketServer) follow
// a job by. Readers learn what is committed from notifications and from reads of the job; they
// read pages of events after their position, in counter order, from the database.
class EventCursor {
public:
    static constexpr int PageSize = 1000;

    // A page to read: the events with counters in (after, after + limit]. A range of counters, not
    // "the next limit events": the database reads that range and no more whatever its plan (the
    // statistics of a job's partition lag behind while it grows), and a range of counters the
    // database refused is simply empty.
    struct Page {
        int after = 0;
        int limit = PageSize;
        int committed = 0; // what was known committed when it was asked for
    };

    EventCursor() = default;

    int position() const { return m_position; }
    int committed() const { return m_committed; }
    // The job's event processing has finished: committed() is its last counter.
    bool isFinal() const { return m_final; }

    // Events up to `counter` are committed (a notification, or a read of the job).
    void committedUpTo(int counter);
    // The job's event processing finished; `lastCounter` is the highest counter stored.
    void finishedAt(int lastCounter);

    // Events are known to be committed that this reader has not read.
    bool hasUnread() const { return m_position < m_committed; }
    // Every event is read and none will come.
    bool atEnd() const { return m_final && m_position >= m_committed; }
    // Whether an event is new to this reader (a page read for several readers starts at the lowest).
    bool isNew(int counter) const { return counter > m_position; }

    Page nextPage() const { return {m_position, PageSize, m_committed}; }
    // This reader has `counter` (events come in counter order).
    void advanceTo(int counter);
    // `page` came back with `got` events, the last of them `lastCounter`: every counter of its range
    // that was committed when it was asked for has been read, so the position moves over those the
    // database refused (gaps, never filled) as well.
    void pageRead(const Page &page, int got, int lastCounter);
    // The same, from the events the page came back with.
    void pageRead(const Page &page, const QList<JobEvent> &events) {
        pageRead(page, int(events.size()), events.isEmpty() ? 0 : events.last().counter);
    }
    // Whether events may lie after the page just read (its range was full, or more is known
    // committed than the reader has).
    bool mayHaveMoreAfter(const Page &page, int got) const;

private:
    int m_position = 0;
    int m_committed = 0;
    bool m_final = false;
};

} // namespace playdeck

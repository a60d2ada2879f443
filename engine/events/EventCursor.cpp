#include "EventCursor.h"

#include <algorithm>
#include <limits>

namespace playdeck {

void EventCursor::committedUpTo(int counter) {
    m_committed = std::max(m_committed, counter);
}

void EventCursor::finishedAt(int lastCounter) {
    m_final = true;
    m_committed = std::max(m_committed, lastCounter);
}

void EventCursor::advanceTo(int counter) {
    m_position = std::max(m_position, counter);
    m_committed = std::max(m_committed, m_position);
}

namespace {

int rangeEnd(const EventCursor::Page &page) {
    return int(std::min<qint64>(qint64(page.after) + page.limit, std::numeric_limits<int>::max()));
}

} // namespace

void EventCursor::pageRead(const Page &page, int got, int lastCounter) {
    if (got > 0)
        advanceTo(lastCounter);
    m_position = std::max(m_position, std::min(rangeEnd(page), page.committed));
}

bool EventCursor::mayHaveMoreAfter(const Page &page, int got) const {
    return got >= page.limit || hasUnread();
}

} // namespace playdeck

#include "EventCursor.h"

#include <algorithm>

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

void EventCursor::pageRead(const Page &page, int got, int lastCounter) {
    if (got > 0)
        advanceTo(lastCounter);
    if (!wasFull(page, got))
        m_position = std::max(m_position, page.committed);
}

} // namespace playdeck

#pragma once

#include <QObject>

#include <atomic>

namespace playdeck {

// How many events job runners have handed the callback receiver that it has not stored yet. Runners
// stop reading their workers' output while it is above kHighWater and go on once the receiver has
// brought it below kLowWater: a fast job slows down to the speed of the database instead of growing
// Playdeck's memory without bound.
class EventBacklog : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kHighWater = 4000;
    static constexpr qint64 kLowWater = 1000;

    void add(qint64 events) { m_pending.fetch_add(events, std::memory_order_relaxed); }
    // From the receiver's thread, once events are stored (or refused).
    void release(qint64 events) {
        const qint64 before = m_pending.fetch_sub(events, std::memory_order_relaxed);
        if (before >= kLowWater && before - events < kLowWater)
            Q_EMIT drained();
    }
    qint64 pending() const { return m_pending.load(std::memory_order_relaxed); }
    bool full() const { return pending() >= kHighWater; }

Q_SIGNALS:
    void drained();

private:
    std::atomic<qint64> m_pending{0};
};

} // namespace playdeck

#pragma once

#include <QObject>

#include <atomic>

namespace playdeck {

// How many events job runners have handed the callback receiver that it has not stored yet. Runners
// stop reading their workers' output while it is above kHighWater and go on once the receiver has
// brought it below kLowWater: a fast job slows down to the speed of the database instead of growing
// Playdeck's memory without bound.
// Events are counted and weighed: a few thousand ordinary events, or fewer large ones (a task that
// registers megabytes of output), whichever fills first.
class EventBacklog : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kHighWater = 8000;
    static constexpr qint64 kLowWater = 4000;
    static constexpr qint64 kHighWaterBytes = 64 << 20;
    static constexpr qint64 kLowWaterBytes = 16 << 20;

    void add(qint64 events, qint64 bytes) {
        m_pending.fetch_add(events, std::memory_order_relaxed);
        m_bytes.fetch_add(bytes, std::memory_order_relaxed);
    }
    // From the receiver's thread, once events are stored (or refused).
    void release(qint64 events, qint64 bytes) {
        const bool wasAbove = !belowLowWater();
        m_pending.fetch_sub(events, std::memory_order_relaxed);
        m_bytes.fetch_sub(bytes, std::memory_order_relaxed);
        if (wasAbove && belowLowWater())
            Q_EMIT drained();
    }
    qint64 pending() const { return m_pending.load(std::memory_order_relaxed); }
    qint64 pendingBytes() const { return m_bytes.load(std::memory_order_relaxed); }
    bool full() const { return pending() >= kHighWater || pendingBytes() >= kHighWaterBytes; }

Q_SIGNALS:
    void drained();

private:
    bool belowLowWater() const { return pending() < kLowWater && pendingBytes() < kLowWaterBytes; }
    std::atomic<qint64> m_pending{0};
    std::atomic<qint64> m_bytes{0};
};

} // namespace playdeck

// The rules every follower of a job's committed events shares (EventCursor): pages after the
// position, gaps the database left, and the end.
#include "events/EventCursor.h"

#include <QTest>

using namespace playdeck;

class EventCursorTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsPagesUntilCaughtUp() {
        EventCursor c;
        QVERIFY(!c.hasUnread());
        QVERIFY(!c.atEnd());
        c.committedUpTo(2500);
        QVERIFY(c.hasUnread());
        EventCursor::Page p = c.nextPage();
        QCOMPARE(p.after, 0);
        QCOMPARE(p.limit, EventCursor::PageSize);
        c.pageRead(p, 1000, 1000);
        QCOMPARE(c.position(), 1000);
        QVERIFY(c.hasUnread());
        p = c.nextPage();
        QCOMPARE(p.after, 1000);
        c.pageRead(p, 1000, 2000);
        c.pageRead(c.nextPage(), 500, 2500);
        QCOMPARE(c.position(), 2500);
        QVERIFY(!c.hasUnread());
        QVERIFY(!c.atEnd()); // the job may still make events
    }

    void aShortPageStepsOverRefusedCounters() {
        // 7 and 8 were refused by the database: the page up to 10 holds 8 events, ending at 10;
        // one that ends before the committed counter (refused at the end) still caught up.
        EventCursor c;
        c.committedUpTo(12);
        const EventCursor::Page p = c.nextPage();
        c.pageRead(p, 9, 10);
        QCOMPARE(c.position(), 12);
        QVERIFY(!c.hasUnread());
        // A page asked for before a commit arrived does not skip what came after it.
        c.committedUpTo(20);
        const EventCursor::Page before = c.nextPage();
        c.committedUpTo(30);
        c.pageRead(before, 8, 20);
        QCOMPARE(c.position(), 20);
        QVERIFY(c.hasUnread());
    }

    void aFullPageLeavesTheRestToTheNext() {
        EventCursor c;
        c.committedUpTo(5000);
        const EventCursor::Page p = c.nextPage();
        // Counters refused inside the page: a full page says nothing of what lies behind it.
        c.pageRead(p, EventCursor::PageSize, 1010);
        QCOMPARE(c.position(), 1010);
        QVERIFY(c.hasUnread());
    }

    void endsOnlyWhenFinalAndRead() {
        EventCursor c;
        c.committedUpTo(10);
        c.pageRead(c.nextPage(), 10, 10);
        QVERIFY(!c.atEnd());
        c.finishedAt(14); // the last events came with the final status
        QVERIFY(c.isFinal());
        QVERIFY(c.hasUnread());
        QVERIFY(!c.atEnd());
        c.pageRead(c.nextPage(), 4, 14);
        QVERIFY(c.atEnd());
        // A job that ran nothing is at its end at once.
        EventCursor none;
        none.finishedAt(0);
        QVERIFY(none.atEnd());
    }

    void sharedPagesSkipWhatAReaderHas() {
        // A page read from the lowest of several readers' positions: each takes only what is new.
        EventCursor ahead;
        ahead.advanceTo(50);
        QVERIFY(!ahead.isNew(50));
        QVERIFY(ahead.isNew(51));
        ahead.advanceTo(40);
        QCOMPARE(ahead.position(), 50);
        QCOMPARE(ahead.committed(), 50);
    }
};

QTEST_GUILESS_MAIN(EventCursorTest)
#include "tst_eventcursor.moc"

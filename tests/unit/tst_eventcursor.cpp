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
        const EventCursor::Page third = c.nextPage();
        QCOMPARE(third.after, 2000);
        c.pageRead(third, 500, 2500);
        QCOMPARE(c.position(), 2500);
        QVERIFY(!c.mayHaveMoreAfter(third, 500));
        QVERIFY(!c.hasUnread());
        QVERIFY(!c.atEnd()); // the job may still make events
    }

    void aPageStepsOverRefusedCounters() {
        // 7 and 8 were refused by the database: the range up to 12 holds 10 events, ending at 10
        // (11 and 12 refused too); the reader is past all of them.
        EventCursor c;
        c.committedUpTo(12);
        const EventCursor::Page p = c.nextPage();
        c.pageRead(p, 8, 10);
        QCOMPARE(c.position(), 12);
        QVERIFY(!c.hasUnread());
        QVERIFY(!c.mayHaveMoreAfter(p, 8));
        // A page asked for before a commit arrived does not skip what came after it.
        c.committedUpTo(20);
        const EventCursor::Page before = c.nextPage();
        c.committedUpTo(30);
        c.pageRead(before, 8, 20);
        QCOMPARE(c.position(), 20);
        QVERIFY(c.hasUnread());
        QVERIFY(c.mayHaveMoreAfter(before, 8));
    }

    void aRangeOfGapsIsStillRead() {
        // A whole page of refused counters (a burst the database would not take) is an empty range,
        // not the end: the next page starts after it.
        EventCursor c;
        c.committedUpTo(2500);
        const EventCursor::Page p = c.nextPage();
        c.pageRead(p, 0, 0);
        QCOMPARE(c.position(), EventCursor::PageSize);
        QVERIFY(c.mayHaveMoreAfter(p, 0));
        QCOMPARE(c.nextPage().after, EventCursor::PageSize);
    }

    void aFullRangeLeavesTheRestToTheNext() {
        // Known committed or not (a follower that read before any notice), a full range may have
        // more behind it.
        EventCursor c;
        const EventCursor::Page p = c.nextPage();
        c.pageRead(p, EventCursor::PageSize, EventCursor::PageSize);
        QCOMPARE(c.position(), EventCursor::PageSize);
        QVERIFY(c.mayHaveMoreAfter(p, EventCursor::PageSize));
        // Without counters past the range known committed, a range that was not full is the end
        // for now.
        const EventCursor::Page q = c.nextPage();
        c.pageRead(q, 10, EventCursor::PageSize + 10);
        QVERIFY(!c.mayHaveMoreAfter(q, 10));
        QCOMPARE(c.position(), EventCursor::PageSize + 10);
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

// The stores against a real PostgreSQL, without a GUI and without ansible: the transition function
// keeps to the lifecycle and always announces, typed updates write what they say, prompts are
// stored once as given; and the database pool keeps a lane's work in order and answers only live
// callers.

#include "TestEngine.h"

#include "bus/NotifyBus.h"
#include "bus/Publisher.h"
#include "db/Connections.h"
#include "db/DbPool.h"
#include "dispatch/InstanceRegistry.h"
#include "store/EventStore.h"
#include "store/TemplateStore.h"
#include "store/UnifiedJobStore.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <algorithm>

using namespace playdeck;
using playdeck::test::TestEngine;

class StoresTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void aJobMovesOnlyAlongTheLifecycleAndEveryMoveIsAnnounced();
    void promptsAreStoredOnceAsGiven();
    void cancelOfAJobNobodyRunsIsImmediate();
    void requeueHandsWaitingJobsBack();
    void aCanceledJobWaitingForALostInstanceIsCanceledNotRequeued();
    void eventsAFinishedJobsLostInstanceNeverStoredAreCounted();
    void aLanesWorkRunsInOrder();
    void aGoneCallerIsNotAnswered();
    void afterAReconnectEachNotificationArrivesOnce();
    void pagesOfAGrownJobStillReadOnePage();
    void outputAndTreePagesWalkTheirIndexWhateverTheStatisticsSay();
    // Last: it drops the partitions of every job before it.
    void oldJobsEventsGoWithTheirPartition();

private:
    qint64 newJob(const LaunchConfig &prompts = {});
    std::unique_ptr<TestEngine> m_engine;
    std::unique_ptr<NotifyBus> m_bus;
    QThread m_busThread;
};

void StoresTest::initTestCase() {
    // Runs no jobs, so that nothing but the test moves them.
    m_engine =
        std::make_unique<TestEngine>([](EngineOptions &o) { o.runJobs = EngineOptions::RunJobs::Never; });
    QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
    m_bus = std::make_unique<NotifyBus>(m_engine->engine().databaseConfig(), bus::broadcastChannels());
    m_bus->moveToThread(&m_busThread);
    m_busThread.start();
    QSignalSpy resynced(m_bus.get(), &NotifyBus::resynced);
    QMetaObject::invokeMethod(m_bus.get(), &NotifyBus::start, Qt::QueuedConnection);
    QVERIFY(resynced.wait(10000));
}

void StoresTest::cleanupTestCase() {
    QMetaObject::invokeMethod(m_bus.get(), &NotifyBus::stop, Qt::BlockingQueuedConnection);
    m_busThread.quit();
    m_busThread.wait();
    m_bus.reset();
    m_engine.reset();
}

qint64 StoresTest::newJob(const LaunchConfig &prompts) {
    QSqlDatabase db = m_engine->db();
    auto tmpl = TemplateStore(db).find(0, QStringLiteral("Demo Job Template"));
    if (!tmpl)
        return 0;
    auto id = UnifiedJobStore(db).createFromTemplate(tmpl.value(), prompts, QStringLiteral("manual"), 3);
    return id ? id.value() : 0;
}

void StoresTest::aJobMovesOnlyAlongTheLifecycleAndEveryMoveIsAnnounced() {
    QSignalSpy changed(m_bus.get(), &NotifyBus::jobChanged);
    QSignalSpy schedule(m_bus.get(), &NotifyBus::scheduleRequested);
    const qint64 id = newJob();
    QVERIFY(id > 0);
    QCOMPARE(m_engine->status(id), JobStatus::Pending);
    QTRY_VERIFY(!changed.isEmpty());
    QCOMPARE(changed.last().first().value<bus::JobChanged>(), (bus::JobChanged{id, JobStatus::Pending}));
    QTRY_VERIFY(!schedule.isEmpty()); // signal_start asks for a task-manager run

    QSqlDatabase db = m_engine->db();
    UnifiedJobStore jobs(db);
    // Pending cannot become running without the task manager's waiting in between.
    auto skipped = jobs.transition(id, {JobStatus::Running, {}, {}, {}});
    QVERIFY(skipped);
    QVERIFY(!skipped.value());
    QCOMPARE(m_engine->status(id), JobStatus::Pending);

    JobTransition waiting{JobStatus::Waiting, {JobStatus::Pending}, {}, {}};
    waiting.fields.executionNode = QStringLiteral("node-a");
    QVERIFY(jobs.transition(id, waiting).value());
    QVERIFY(jobs.transition(id, {JobStatus::Running, {}, {}, {}}).value());
    QVERIFY(m_engine->scalar(QStringLiteral("SELECT started IS NOT NULL FROM unified_job WHERE id = ?"), {id})
                .toBool());

    JobTransition done{JobStatus::Failed, {JobStatus::Running}, {}, {}};
    done.fields.explanation = QStringLiteral("it broke");
    done.fields.emittedEvents = 12;
    QVERIFY(jobs.transition(id, done).value());
    QCOMPARE(m_engine
                 ->scalar(QStringLiteral("SELECT failed AND finished IS NOT NULL AND emitted_events = 12"
                                         " AND job_explanation = 'it broke' AND execution_node = 'node-a'"
                                         " FROM unified_job WHERE id = ?"),
                          {id})
                 .toBool(),
             true);
    // Nothing leaves a final status.
    for (JobStatus to : {JobStatus::Running, JobStatus::Successful, JobStatus::Canceled, JobStatus::Pending})
        QVERIFY(!jobs.transition(id, {to, {}, {}, {}}).value());
    QCOMPARE(m_engine->status(id), JobStatus::Failed);

    QTRY_VERIFY(std::any_of(changed.cbegin(), changed.cend(), [&](const QList<QVariant> &args) {
        return args.first().value<bus::JobChanged>() == bus::JobChanged{id, JobStatus::Failed};
    }));
    // Exactly one announcement per move that happened: pending, waiting, running, failed.
    const auto forThisJob = std::count_if(changed.cbegin(), changed.cend(), [&](const QList<QVariant> &args) {
        return args.first().value<bus::JobChanged>().jobId == id;
    });
    QCOMPARE(forThisJob, 4);

    // A typed update of other fields is announced without a status.
    JobUpdate prompt;
    prompt.inputPrompt = QStringLiteral("Continue?");
    QVERIFY(jobs.update(id, prompt));
    QTRY_VERIFY(std::any_of(changed.cbegin(), changed.cend(), [&](const QList<QVariant> &args) {
        return args.first().value<bus::JobChanged>() == bus::JobChanged{id, std::nullopt};
    }));
}

void StoresTest::promptsAreStoredOnceAsGiven() {
    LaunchConfig prompts;
    prompts.extraVars = QStringLiteral("# as typed\ncolor: blue   # with its comment\n");
    prompts.limit = QStringLiteral("web*");
    prompts.verbosity = 3;
    const qint64 id = newJob(prompts);
    QSqlDatabase db = m_engine->db();
    auto job = UnifiedJobStore(db).load(id);
    QVERIFY(job);
    QCOMPARE(job.value().launch, prompts);
    // The template's options stay the template's; the prompts apply only where they are used.
    QCOMPARE(job.value().options.limit, QString());
    QCOMPARE(job.value().effectiveOptions().limit, QStringLiteral("web*"));
    QCOMPARE(job.value().effectiveOptions().verbosity, 3);
    QCOMPARE(job.value().effectiveOptions().jobType, QStringLiteral("run"));
    QCOMPARE(
        m_engine->scalar(QStringLiteral("SELECT host_limit FROM unified_job WHERE id = ?"), {id}).toString(),
        QString());
}

void StoresTest::cancelOfAJobNobodyRunsIsImmediate() {
    const qint64 id = newJob();
    QSqlDatabase db = m_engine->db();
    UnifiedJobStore jobs(db);
    auto outcome = jobs.requestCancel(id);
    QVERIFY(outcome);
    QCOMPARE(outcome.value(), CancelOutcome::CanceledAtOnce);
    QCOMPARE(m_engine->status(id), JobStatus::Canceled);
    QVERIFY(
        m_engine
            ->scalar(QStringLiteral("SELECT event_processing_finished FROM unified_job WHERE id = ?"), {id})
            .toBool());
    auto again = jobs.requestCancel(id);
    QVERIFY(!again);
    QVERIFY(again.error().contains(QStringLiteral("already finished")));

    // A running job is told through the bus instead.
    QSignalSpy cancels(m_bus.get(), &NotifyBus::cancelRequested);
    const qint64 running = newJob();
    QVERIFY(jobs.transition(running, {JobStatus::Waiting, {}, {}, {}}).value());
    QVERIFY(jobs.transition(running, {JobStatus::Running, {}, {}, {}}).value());
    QCOMPARE(jobs.requestCancel(running).value(), CancelOutcome::RunnerTold);
    QTRY_VERIFY(!cancels.isEmpty());
    QCOMPARE(cancels.last().first().toLongLong(), running);
    QCOMPARE(m_engine->status(running), JobStatus::Running);
    QVERIFY(jobs.transition(running, {JobStatus::Canceled, {}, {}, {}}).value());
}

void StoresTest::requeueHandsWaitingJobsBack() {
    const qint64 id = newJob();
    QSqlDatabase db = m_engine->db();
    UnifiedJobStore jobs(db);
    JobTransition waiting{JobStatus::Waiting, {}, {}, {}};
    waiting.fields.executionNode = QStringLiteral("gone:1");
    QVERIFY(jobs.transition(id, waiting).value());
    auto moved = jobs.requeueWaiting(QStringLiteral("gone:1"));
    QVERIFY(moved);
    QCOMPARE(moved.value(), 1);
    QCOMPARE(m_engine->status(id), JobStatus::Pending);
    QCOMPARE(m_engine->scalar(QStringLiteral("SELECT execution_node FROM unified_job WHERE id = ?"), {id})
                 .toString(),
             QString());
    QVERIFY(jobs.requestCancel(id));
}

void StoresTest::aCanceledJobWaitingForALostInstanceIsCanceledNotRequeued() {
    const qint64 id = newJob();
    QSqlDatabase db = m_engine->db();
    UnifiedJobStore jobs(db);
    JobTransition waiting{JobStatus::Waiting, {}, {}, {}};
    waiting.fields.executionNode = QStringLiteral("gone:2");
    QVERIFY(jobs.transition(id, waiting).value());
    auto told = jobs.requestCancel(id);
    QVERIFY(told);
    QCOMPARE(told.value(), CancelOutcome::RunnerTold); // but that runner is gone
    QVERIFY(instances::reapLost(db, instances::Timing{}, false));
    QCOMPARE(m_engine->status(id), JobStatus::Canceled);
}

// Its instance committed the final status and then died before its last events were stored: the
// job must not wait for them for ever; it says how many are missing and why.
void StoresTest::eventsAFinishedJobsLostInstanceNeverStoredAreCounted() {
    const qint64 id = newJob();
    QVERIFY(m_engine
                ->scalar(QStringLiteral("UPDATE unified_job SET status = 'successful', started = now(),"
                                        " finished = now(), execution_node = 'gone:3', emitted_events = 5,"
                                        " event_processing_finished = false WHERE id = ? RETURNING id"),
                         {id})
                .isValid());
    QSqlDatabase db = m_engine->db();
    QVERIFY(instances::reapLost(db, instances::Timing{}, false));
    QVERIFY(
        m_engine
            ->scalar(QStringLiteral("SELECT event_processing_finished FROM unified_job WHERE id = ?"), {id})
            .toBool());
    QCOMPARE(
        m_engine->scalar(QStringLiteral("SELECT refused_events FROM unified_job WHERE id = ?"), {id}).toInt(),
        5);
    const QString reason =
        m_engine->scalar(QStringLiteral("SELECT refused_reason FROM unified_job WHERE id = ?"), {id})
            .toString();
    QVERIFY2(reason.contains(QStringLiteral("gone:3")), qPrintable(reason));
}

void StoresTest::pagesOfAGrownJobStillReadOnePage() {
    // A job's partition is small when the readers first page through it, and its statistics lag
    // behind while it grows: whatever plan the database makes of a page then (a scan and a sort
    // of the whole job, seen in the websocket bench at 0.5 s a page), a page reads its page.
    const qint64 job = newJob();
    QSqlDatabase db = m_engine->db();
    QSqlQuery q(db);
    QVERIFY(q.exec(QStringLiteral("ANALYZE job_event")));
    QVERIFY(q.exec(QStringLiteral("INSERT INTO job_event (job_id, counter, event, created, event_data)"
                                  " SELECT %1, g, 'runner_on_ok', now(), jsonb_build_object('res', g)"
                                  " FROM generate_series(1, 50000) g")
                       .arg(job)));
    // The page EventStore::load reads, planned for these values and as one plan for any.
    for (const char *mode : {"force_custom_plan", "force_generic_plan"}) {
        QVERIFY(q.exec(QStringLiteral("SET plan_cache_mode = %1").arg(QLatin1String(mode))));
        QVERIFY(q.exec(
            QStringLiteral("PREPARE page(bigint, int, int) AS SELECT counter, event_data FROM job_event"
                           " WHERE job_id = $1 AND counter > $2 AND counter <= $3 ORDER BY counter")));
        QVERIFY(q.exec(QStringLiteral("EXPLAIN (ANALYZE, TIMING OFF) EXECUTE page(%1, 0, 1000)").arg(job)));
        int mostRows = 0;
        QString plan;
        static const QRegularExpression actual(QStringLiteral("actual rows=(\\d+)"));
        while (q.next()) {
            plan += q.value(0).toString() + QLatin1Char('\n');
            for (auto m = actual.globalMatch(q.value(0).toString()); m.hasNext();)
                mostRows = std::max(mostRows, m.next().captured(1).toInt());
        }
        QVERIFY(q.exec(QStringLiteral("DEALLOCATE page")));
        QVERIFY2(mostRows == 1000, qPrintable(QStringLiteral("%1:\n%2").arg(QLatin1String(mode), plan)));
        auto page = EventStore(db).load(job, 49500, 1000);
        QVERIFY(page);
        QCOMPARE(page.value().size(), 500);
        QCOMPARE(page.value().first().counter, 49501);
    }
    QVERIFY(q.exec(QStringLiteral("RESET plan_cache_mode")));
}

void StoresTest::outputAndTreePagesWalkTheirIndexWhateverTheStatisticsSay() {
    constexpr int kGrown = 200000;
    // The output view's pages (by line) and the tree's (children by counter) cannot be ranges of a
    // key as event pages are. Statistics taken while the job was small make the planner read
    // every matching row and sort them for a page (a 1M-line job: a page 0.6 -> 32 ms); the
    // store's page queries walk the index and stop after a page whatever the statistics say.
    // A job alone in its partition (a new range of job ids), as the first job of a range is.
    const qint64 job = 150500;
    QVERIFY(
        m_engine
            ->scalar(QStringLiteral("INSERT INTO unified_job (id, name) VALUES (?, 'grown') RETURNING id"),
                     {job})
            .isValid());
    const QString partition = QStringLiteral("job_event_p%1").arg(job / 1000);
    QSqlDatabase db = m_engine->db();
    QSqlQuery q(db);
    QVERIFY(q.exec(QStringLiteral("ALTER TABLE %1 SET (autovacuum_enabled = false)").arg(partition)));
    const auto insert = [&](int from, int to) {
        return q.exec(
            QStringLiteral("INSERT INTO job_event (job_id, counter, event, created, uuid, parent_uuid,"
                           " stdout, start_line, end_line) SELECT %1, g, 'runner_on_ok', now(),"
                           " 'u' || g, 'play', 'ok: [h' || g || ']', g - 1, g"
                           " FROM generate_series(%2, %3) g")
                .arg(job)
                .arg(from)
                .arg(to));
    };
    QVERIFY(q.exec(QStringLiteral("ANALYZE %1").arg(partition)));
    QVERIFY(insert(1, kGrown));
    static const QRegularExpression actual(QStringLiteral("actual rows=(\\d+)"));
    const auto mostRows = [](const QString &plan) {
        int most = 0;
        for (auto m = actual.globalMatch(plan); m.hasNext();)
            most = std::max(most, m.next().captured(1).toInt());
        return most;
    };
    // The case this is about: planned as it comes, a page far into the job sorts all after it.
    QVERIFY(q.exec(QStringLiteral("EXPLAIN SELECT counter FROM job_event WHERE job_id = %1 AND end_line > %2"
                                  " AND end_line > start_line ORDER BY end_line LIMIT 200")
                       .arg(job)
                       .arg(kGrown / 2)));
    QString unguarded;
    while (q.next())
        unguarded += q.value(0).toString() + QLatin1Char('\n');
    QVERIFY2(unguarded.contains(QLatin1String("Sort")), qPrintable(unguarded));

    EventStore store(db);
    auto outputPlan = store.outputEventsPlan(job, kGrown / 2, 200);
    QVERIFY2(outputPlan, qPrintable(outputPlan.error()));
    QVERIFY2(!outputPlan.value().contains(QLatin1String("Sort")), qPrintable(outputPlan.value()));
    QVERIFY2(mostRows(outputPlan.value()) <= 200, qPrintable(outputPlan.value()));
    auto treePlan = store.eventChildrenPlan(job, QStringLiteral("play"), kGrown / 2, 200);
    QVERIFY2(treePlan, qPrintable(treePlan.error()));
    QVERIFY2(!treePlan.value().contains(QLatin1String("Sort")), qPrintable(treePlan.value()));
    QVERIFY2(mostRows(treePlan.value()) <= 200, qPrintable(treePlan.value()));

    // The pages themselves, and the connection keeps sorting for other queries.
    auto lines = store.outputEvents(job, kGrown / 2, 200);
    QVERIFY2(lines, qPrintable(lines.error()));
    QCOMPARE(lines.value().size(), 200);
    QCOMPARE(lines.value().first().endLine, kGrown / 2 + 1);
    auto children = store.eventChildren(job, QStringLiteral("play"), kGrown / 2, 200);
    QVERIFY2(children, qPrintable(children.error()));
    QCOMPARE(children.value().size(), 200);
    QCOMPARE(children.value().first().counter, kGrown / 2 + 1);
    QVERIFY(q.exec(QStringLiteral("SHOW enable_sort")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("on"));
    QVERIFY(q.exec(QStringLiteral("ALTER TABLE %1 RESET (autovacuum_enabled)").arg(partition)));
}

void StoresTest::oldJobsEventsGoWithTheirPartition() {
    // Jobs far apart, as months of work would leave them: each range of a thousand job ids has
    // its partition, made when its first job is.
    const auto partition = [this](int n) {
        return m_engine
            ->scalar(QStringLiteral("SELECT to_regclass(?) IS NOT NULL"),
                     {QStringLiteral("job_event_p%1").arg(n)})
            .toBool();
    };
    const auto events = [this](qint64 job) {
        return m_engine->scalar(QStringLiteral("SELECT count(*) FROM job_event WHERE job_id = ?"), {job})
            .toInt();
    };
    for (const qint64 job : {201500, 202500}) {
        QVERIFY(
            m_engine
                ->scalar(QStringLiteral("INSERT INTO unified_job (id, name) VALUES (?, 'old') RETURNING id"),
                         {job})
                .isValid());
        QVERIFY(m_engine
                    ->scalar(QStringLiteral("INSERT INTO job_event (job_id, counter, event, created, stdout)"
                                            " SELECT ?, g, 'runner_on_ok', now(), 'line' FROM"
                                            " generate_series(1, 50) g RETURNING job_id"),
                             {job})
                    .isValid());
    }
    QVERIFY(partition(201));
    QVERIFY(partition(202));
    QVERIFY(!partition(203));
    // Near the end of a range the next partition is made ahead of its first job.
    QVERIFY(m_engine
                ->scalar(
                    QStringLiteral("INSERT INTO unified_job (id, name) VALUES (202950, 'late') RETURNING id"))
                .isValid());
    QVERIFY(partition(203));
    // A duplicate counter is still stored once.
    QVERIFY(
        !m_engine
             ->scalar(QStringLiteral("INSERT INTO job_event (job_id, counter, event, created) VALUES"
                                     " (202500, 7, 'again', now()) ON CONFLICT DO NOTHING RETURNING job_id"))
             .isValid());
    QCOMPARE(events(202500), 50);

    QSqlDatabase db = m_engine->db();
    auto dropped = EventStore(db).dropEventsOfJobsBefore(202000);
    QVERIFY2(dropped, qPrintable(dropped.error()));
    QVERIFY(dropped.value() >= 1);
    QVERIFY(!partition(201));
    QCOMPARE(events(201500), 0);
    QVERIFY(partition(202));
    QCOMPARE(events(202500), 50);
    // The jobs stay; a second call finds nothing more to do.
    QCOMPARE(m_engine->scalar(QStringLiteral("SELECT count(*) FROM unified_job WHERE id = 201500")).toInt(),
             1);
    auto again = EventStore(db).dropEventsOfJobsBefore(202000);
    QVERIFY(again);
    QCOMPARE(again.value(), 0);
}

void StoresTest::aLanesWorkRunsInOrder() {
    DbPool pool(QStringLiteral("test-pool"), 3);
    pool.start(m_engine->engine().databaseConfig());
    QList<int> order;
    QMutex mutex;
    QList<QFuture<int>> futures;
    for (int i = 0; i < 60; ++i)
        futures << pool.run<int>(
            [i, &order, &mutex](QSqlDatabase &db) {
                // Some work takes longer than other work; the lane's order must still hold.
                (void)exec(db, QStringLiteral("SELECT pg_sleep(?)"), {(i % 3) * 0.002});
                QMutexLocker lock(&mutex);
                order << i;
                return i;
            },
            7);
    for (QFuture<int> &f : futures)
        f.waitForFinished();
    QList<int> expected;
    for (int i = 0; i < 60; ++i)
        expected << i;
    QCOMPARE(order, expected);
    pool.stop();
}

void StoresTest::aGoneCallerIsNotAnswered() {
    DbPool pool(QStringLiteral("test-pool"), 1);
    pool.start(m_engine->engine().databaseConfig());
    bool called = false;
    auto *context = new QObject;
    QFuture<int> slow = pool.run<int>([](QSqlDatabase &db) {
        (void)exec(db, QStringLiteral("SELECT pg_sleep(0.2)"));
        return 1;
    });
    whenReady(slow, context, [&](int) { called = true; });
    delete context; // the window closed before the answer came
    slow.waitForFinished();
    QCoreApplication::processEvents();
    QVERIFY(!called);
    // A live caller is answered on its own thread.
    QObject live;
    int answer = 0;
    whenReady(pool.run<int>([](QSqlDatabase &) { return 42; }), &live, [&](int v) {
        QCOMPARE(QThread::currentThread(), live.thread());
        answer = v;
    });
    QTRY_COMPARE(answer, 42);
    pool.stop();
}

// The bus reopens the same driver after a lost connection; it must not listen to it twice.
void StoresTest::afterAReconnectEachNotificationArrivesOnce() {
    for (int reconnect = 0; reconnect < 2; ++reconnect) {
        QSignalSpy resynced(m_bus.get(), &NotifyBus::resynced);
        QVERIFY(m_engine->terminateEngineConnections() > 0);
        QVERIFY(resynced.wait(20000));
    }
    QSignalSpy cancels(m_bus.get(), &NotifyBus::cancelRequested);
    QSqlDatabase db = m_engine->db();
    QVERIFY(bus::publish(db, bus::CancelRequested{4242}));
    QVERIFY(bus::publish(db, bus::CancelRequested{4343})); // same channel: delivered after the first
    QTRY_VERIFY(std::any_of(cancels.cbegin(), cancels.cend(),
                            [](const QList<QVariant> &args) { return args.first().toLongLong() == 4343; }));
    const auto first = std::count_if(cancels.cbegin(), cancels.cend(), [](const QList<QVariant> &args) {
        return args.first().toLongLong() == 4242;
    });
    QCOMPARE(first, 1);
}

QTEST_GUILESS_MAIN(StoresTest)
#include "tst_stores.moc"

#include "scheduling/SchedulingRules.h"

#include <QTest>

using namespace playdeck;

namespace {
ActiveJob pending(qint64 id, qint64 tmpl, int impact = 3, bool simultaneous = false) {
    return {id, JobStatus::Pending, tmpl, simultaneous, impact, {}};
}
ActiveJob running(qint64 id, qint64 tmpl, const QString &node, int impact = 3) {
    return {id, JobStatus::Running, tmpl, false, impact, node};
}
} // namespace

class SchedulingRulesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oldestFirstOnTheRoomiestInstance() {
        const auto plan = planJobs({pending(1, 10), pending(2, 20)},
                                   {{QStringLiteral("a"), 10}, {QStringLiteral("b"), 20}});
        QCOMPARE(plan.start.size(), 2);
        QCOMPARE(plan.start.at(0).jobId, 1);
        QCOMPARE(plan.start.at(0).instance, QStringLiteral("b"));
    }
    void oneJobPerTemplateUnlessSimultaneous() {
        auto plan = planJobs({running(1, 10, QStringLiteral("a")), pending(2, 10), pending(3, 20)},
                             {{QStringLiteral("a"), 100}});
        QCOMPARE(plan.start.size(), 1);
        QCOMPARE(plan.start.at(0).jobId, 3);
        QCOMPARE(plan.blocked.size(), 1);
        QCOMPARE(plan.blocked.at(0).reason, QStringLiteral("waiting for job-1 to finish"));

        plan = planJobs({pending(4, 30, 3, true), pending(5, 30, 3, true)}, {{QStringLiteral("a"), 100}});
        QCOMPARE(plan.start.size(), 2);
    }
    void twoPendingOfOneTemplateStartOneAtATime() {
        const auto plan = planJobs({pending(1, 10), pending(2, 10)}, {{QStringLiteral("a"), 100}});
        QCOMPARE(plan.start.size(), 1);
        QCOMPARE(plan.start.at(0).jobId, 1);
        QCOMPARE(plan.blocked.at(0).jobId, 2);
    }
    void capacityIsRespectedButAnIdleInstanceTakesOneJob() {
        // Impact 50 on capacity 10: too big, but the instance is idle, so it runs.
        auto plan = planJobs({pending(1, 10, 50), pending(2, 20, 5)}, {{QStringLiteral("a"), 10}});
        QCOMPARE(plan.start.size(), 1);
        QCOMPARE(plan.start.at(0).jobId, 1);
        QVERIFY(plan.blocked.at(0).reason.contains(QStringLiteral("capacity")));

        plan = planJobs({running(1, 10, QStringLiteral("a"), 8), pending(2, 20, 3)},
                        {{QStringLiteral("a"), 10}});
        QVERIFY(plan.start.isEmpty());
    }
    void taskImpactAsAwx() {
        // min(hosts, forks or 5) + 1, plus 1 for the controlling process.
        QCOMPARE(playbookTaskImpact(0, 1, true), 3);
        QCOMPARE(playbookTaskImpact(0, 50, true), 7);
        QCOMPARE(playbookTaskImpact(10, 50, true), 12);
        QCOMPARE(playbookTaskImpact(10, 0, true), 2);
        QCOMPARE(playbookTaskImpact(0, 0, false), 7);
    }
    void oneUpdatePerProjectInLaunchOrder() {
        ActiveJob first{1, JobStatus::Running, 0, false, 1, QStringLiteral("a"), 7};
        ActiveJob second{2, JobStatus::Pending, 0, false, 1, {}, 7};
        ActiveJob other{3, JobStatus::Pending, 0, false, 1, {}, 8};
        auto plan = planJobs({first, second, other}, {{QStringLiteral("a"), 100}});
        QCOMPARE(plan.start.size(), 1);
        QCOMPARE(plan.start.at(0).jobId, 3);
        QCOMPARE(plan.blocked.at(0).jobId, 2);
        QCOMPARE(plan.blocked.at(0).reason, QStringLiteral("waiting for job-1 to finish"));
        // A project's id is not a template's: an update of project 10 does not block template 10.
        plan =
            planJobs({ActiveJob{4, JobStatus::Running, 0, false, 1, QStringLiteral("a"), 10}, pending(5, 10)},
                     {{QStringLiteral("a"), 100}});
        QCOMPARE(plan.start.size(), 1);
    }
    void oneUpdatePerInventorySource() {
        ActiveJob first{1, JobStatus::Running, 0, false, 1, QStringLiteral("a"), 0, 4};
        ActiveJob second{2, JobStatus::Pending, 0, false, 1, {}, 0, 4};
        ActiveJob otherSource{3, JobStatus::Pending, 0, false, 1, {}, 0, 5};
        ActiveJob projectFour{6, JobStatus::Pending, 0, false, 1, {}, 4, 0}; // project 4 is not source 4
        auto plan = planJobs({first, second, otherSource, projectFour}, {{QStringLiteral("a"), 100}});
        QCOMPARE(plan.start.size(), 2);
        QCOMPARE(plan.start.at(0).jobId, 3);
        QCOMPARE(plan.start.at(1).jobId, 6);
        QCOMPARE(plan.blocked.size(), 1);
        QCOMPARE(plan.blocked.at(0).jobId, 2);
    }
    void noInstanceNoStart() {
        const auto plan = planJobs({pending(1, 10)}, {});
        QVERIFY(plan.start.isEmpty());
        QCOMPARE(plan.blocked.size(), 1);
    }
};

QTEST_GUILESS_MAIN(SchedulingRulesTest)
#include "tst_schedulingrules.moc"

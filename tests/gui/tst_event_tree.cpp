// The job view's tree of plays, tasks and host results, from a real ansible-runner job: paged by
// parent, filtered with the output, growing while the job runs, and the recap's link into it.
#include "EventTreeModel.h"
#include "HostRecapModel.h"
#include "JobOutputPane.h"
#include "JobView.h"
#include "OutputFindBar.h"
#include "OutputLineModel.h"
#include "OutputText.h"

#include "TestEngine.h"

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace playdeck;
using playdeck::test::TestEngine;

namespace {

const QString kPlaybook = QStringLiteral(R"(- name: First
  hosts: all
  gather_facts: false
  tasks:
    - name: Greet
      debug: msg=hello
    - name: Loop
      debug: msg={{ item }}
      loop: [a, b, c]
    - name: Fail softly
      fail: msg=expected
      ignore_errors: true
    - name: Add the other host
      add_host: name=other ansible_connection=local ansible_python_interpreter={{ ansible_playbook_python }}
- name: Second
  hosts: other
  gather_facts: false
  tasks:
    - name: Skip
      debug: msg=never
      when: false
    - name: Change
      command: "true"
    - name: Break
      fail:
        msg: broken on purpose
)");

const QString kTicking = QStringLiteral(R"(- name: Ticking
  hosts: all
  gather_facts: false
  tasks:
    - name: Tick
      command: sleep 0.3
      loop: "{{ range(12) | list }}"
)");

QStringList labels(const QAbstractItemModel *model, const QModelIndex &parent = {}) {
    QStringList out;
    for (int row = 0; row < model->rowCount(parent); ++row)
        out << model->index(row, 0, parent).data().toString();
    return out;
}

QModelIndex child(const QAbstractItemModel *model, const QModelIndex &parent, const QString &label) {
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex index = model->index(row, 0, parent);
        if (index.data().toString() == label)
            return index;
    }
    return {};
}

} // namespace

class EventTreeTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        m_engine = std::make_unique<TestEngine>();
        QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
        QVERIFY(m_engine->addTemplate(QStringLiteral("Tree"), kPlaybook) > 0);
        QVERIFY(m_engine->addTemplate(QStringLiteral("Ticking"), kTicking) > 0);
    }
    void cleanupTestCase() { m_engine.reset(); }

    void playsTasksAndResultsByParent() {
        const qint64 job = m_engine->launch(QStringLiteral("Tree"));
        QCOMPARE(m_engine->waitForFinished(job), JobStatus::Failed); // "Break" fails on other
        JobView view(m_engine->controller(), job);
        view.resize(1100, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        JobOutputPane *pane = view.outputPane();
        EventTreeModel *tree = pane->treeModel();
        QAbstractItemModelTester tester(tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTreeView *treeView = pane->treeView();
        QVERIFY(treeView->isVisible());

        QTRY_COMPARE(labels(tree),
                     (QStringList{QStringLiteral("Play: First"), QStringLiteral("Play: Second")}));
        const QModelIndex first = tree->index(0, 0);
        QVERIFY(tree->hasChildren(first));
        // Plays open by themselves; the view then asks for their tasks (fetchMore).
        QTRY_VERIFY(treeView->isExpanded(first));
        QTRY_COMPARE(
            labels(tree, first),
            (QStringList{QStringLiteral("Task: Greet"), QStringLiteral("Task: Loop"),
                         QStringLiteral("Task: Fail softly"), QStringLiteral("Task: Add the other host")}));
        const QModelIndex loop = child(tree, first, QStringLiteral("Task: Loop"));
        treeView->expand(loop);
        // The items, then the loop's own result (runner_on_start is not a result).
        QTRY_COMPARE(
            labels(tree, loop),
            (QStringList{QStringLiteral("localhost (item=a): ok"), QStringLiteral("localhost (item=b): ok"),
                         QStringLiteral("localhost (item=c): ok"), QStringLiteral("localhost: ok")}));
        const QModelIndex softly = child(tree, first, QStringLiteral("Task: Fail softly"));
        treeView->expand(softly);
        QTRY_COMPARE(tree->rowCount(softly), 1);
        const QModelIndex failure = tree->index(0, 0, softly);
        QCOMPARE(failure.data().toString(), QStringLiteral("localhost: failed"));
        QCOMPARE(LineOutcome(failure.data(EventTreeModel::OutcomeRole).toInt()), LineOutcome::Failed);
        QVERIFY(!tree->hasChildren(failure));

        // Choosing a result shows its event_data and goes to its line in the output.
        treeView->setCurrentIndex(failure);
        auto *data = view.findChild<QPlainTextEdit *>(QStringLiteral("eventDataView"));
        QVERIFY(data);
        QTRY_VERIFY(data->toPlainText().contains(QStringLiteral("\"msg\": \"expected\"")));
        // Beside the tree and the output, wide enough to read.
        QTRY_VERIFY(data->isVisible() && data->width() > 150);
        QCOMPARE(pane->shownEvent(), failure.data(EventTreeModel::CounterRole).toInt());
        QTRY_VERIFY(test::currentLine(&view).startsWith(QStringLiteral("fatal: [localhost]: FAILED!")));

        // The recap links into the tree: activating a host (Enter or a double-click) shows its lines
        // only and opens its first failure.
        QTRY_COMPARE(view.recapModel()->rowCount(), 2);
        view.pages()->setCurrentIndex(1);
        auto *recap = view.findChild<QTableView *>(QStringLiteral("recapTable"));
        QVERIFY(recap);
        int otherRow = -1;
        for (int row = 0; row < view.recapModel()->rowCount(); ++row) {
            if (view.recapModel()->summaries().at(row).host == QLatin1String("other"))
                otherRow = row;
        }
        QVERIFY(otherRow >= 0);
        QTRY_VERIFY(recap->isVisible());
        recap->setFocus();
        recap->setCurrentIndex(view.recapModel()->index(otherRow, 0));
        QTest::keyClick(recap, Qt::Key_Return); // activates the row, as a double-click does
        QCOMPARE(view.pages()->currentIndex(), 0);
        QCOMPARE(pane->findBar()->findChild<QLineEdit *>(QStringLiteral("filterHostEdit"))->text(),
                 QStringLiteral("other"));
        QTRY_COMPARE(treeView->currentIndex().data().toString(), QStringLiteral("other: failed"));
        QCOMPARE(treeView->currentIndex().parent().data().toString(), QStringLiteral("Task: Break"));
        QTRY_VERIFY(data->toPlainText().contains(QStringLiteral("broken on purpose")));
        // Filtered, a play keeps only the tasks that have a result of the host.
        QTRY_COMPARE(tree->rowCount(tree->index(0, 0)), 0);
        const QModelIndex second = tree->index(1, 0);
        QTRY_COMPARE(labels(tree, second),
                     (QStringList{QStringLiteral("Task: Skip"), QStringLiteral("Task: Change"),
                                  QStringLiteral("Task: Break")}));
        QTRY_COMPARE(labels(tree, child(tree, second, QStringLiteral("Task: Change"))),
                     QStringList{QStringLiteral("other: changed")});
        QTRY_COMPARE(labels(tree, child(tree, second, QStringLiteral("Task: Skip"))),
                     QStringList{QStringLiteral("other: skipped")});
        // The output shows the same host's lines.
        QVERIFY(pane->model()->isFiltered());
        QTRY_VERIFY(test::outputText(&view).contains(QStringLiteral("fatal: [other]: FAILED!")));
        QVERIFY(!test::outputText(&view).contains(QStringLiteral("[localhost]")));
    }

    void theTreeGrowsWhileTheJobRuns() {
        const qint64 job = m_engine->launch(QStringLiteral("Ticking"));
        QVERIFY(job > 0);
        JobView view(m_engine->controller(), job);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        EventTreeModel *tree = view.outputPane()->treeModel();
        QAbstractItemModelTester tester(tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTreeView *treeView = view.outputPane()->treeView();
        // Opened as soon as each node is there, long before the loop is done.
        QTRY_VERIFY_WITH_TIMEOUT(tree->rowCount() == 1, 30000);
        treeView->expand(tree->index(0, 0));
        QTRY_VERIFY_WITH_TIMEOUT(tree->rowCount(tree->index(0, 0)) == 1, 30000);
        const QModelIndex tick = tree->index(0, 0, tree->index(0, 0));
        treeView->expand(tick);
        QTRY_VERIFY(tree->rowCount(tick) >= 1);
        QVERIFY2(m_engine->status(job) == JobStatus::Running, "the loop ended before the tree was open");
        // Its twelve items and the loop's result come in without asking again.
        QTRY_COMPARE_WITH_TIMEOUT(tree->rowCount(tick), 13, 30000);
        QCOMPARE(tree->index(11, 0, tick).data().toString(), QStringLiteral("localhost (item=11): changed"));
        QCOMPARE(m_engine->waitForFinished(job), JobStatus::Successful);
    }

private:
    std::unique_ptr<TestEngine> m_engine;
};

QTEST_MAIN(EventTreeTest)
#include "tst_event_tree.moc"

#include "JobListModel.h"
#include "JobOutputPane.h"
#include "JobPresentation.h"
#include "JobView.h"
#include "LaunchDialog.h"
#include "MainWindow.h"
#include "OutputLinesView.h"
#include "TemplateListModel.h"

#include "Controller.h"
#include "Mnemonics.h"
#include "OutputText.h"
#include "TestEngine.h"
#include "services/JobService.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include <memory>

using namespace playdeck;

namespace {

const QString DemoTemplate = QStringLiteral("Demo Job Template");

int rowOfTemplate(const TemplateListModel &model, const QString &name) {
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, 0).data(Qt::EditRole).toString() == name)
            return row;
    }
    return -1;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void launchDemoTemplate();
    void modelsPassTester();
    void cancelAndRelaunchFromTheJobView();
    void theJobViewSaysWhenAPlaybookWaitsForInput();
    void pastingAnAliasBombNeverBlocksTheWindow();
    void theWindowOpensAtOnceWhileTheDatabaseStarts();
    void quittingWithARunningJobAsksFirst();
    void theJobsListFiltersSortsAndPages();
    void findInTheOutputAndKeyboardShortcuts();
    void cleanupTestCase();

private:
    std::unique_ptr<test::TestEngine> m_engine;
};

void TestMainWindow::initTestCase() {
    // The window remembers its tabs and splitters: this test starts from none and keeps its own.
    QCoreApplication::setApplicationName(QStringLiteral("playdeck-test-mainwindow"));
    QSettings().clear();
    m_engine = std::make_unique<test::TestEngine>();
    QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
}

void TestMainWindow::cancelAndRelaunchFromTheJobView() {
    QVERIFY(m_engine->addTemplate(QStringLiteral("GUI Sleep"),
                                  QStringLiteral("- hosts: all\n  gather_facts: false\n  tasks:\n"
                                                 "    - name: Sleep\n      command: sleep 60\n")));
    MainWindow window(m_engine->controller());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const qint64 id = m_engine->launch(QStringLiteral("GUI Sleep"));
    QVERIFY(id > 0);
    JobView *view = window.openJob(id);
    QVERIFY(view);
    auto *statusLabel = view->findChild<QLabel *>(QStringLiteral("statusLabel"));
    auto *cancelButton = view->findChild<QPushButton *>(QStringLiteral("cancelButton"));
    auto *relaunchButton = view->findChild<QPushButton *>(QStringLiteral("relaunchButton"));
    QVERIFY(statusLabel && cancelButton && relaunchButton);

    // The output arrives live while the job runs, and the job can be canceled from here.
    QTRY_VERIFY_WITH_TIMEOUT(test::outputText(view).contains(QStringLiteral("TASK [Sleep]")), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(statusLabel->text(), statusText(JobStatus::Running), 10000);
    QTRY_VERIFY(cancelButton->isEnabled());
    QTest::mouseClick(cancelButton, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(statusLabel->text(), statusText(JobStatus::Canceled), 5000);
    QCOMPARE(m_engine->status(id), JobStatus::Canceled);

    // Relaunch opens the new job's tab.
    QSignalSpy relaunched(view, &JobView::relaunched);
    QTRY_VERIFY(relaunchButton->isEnabled());
    QTest::mouseClick(relaunchButton, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(relaunched.count(), 1, 10000);
    const qint64 second = relaunched.first().first().toLongLong();
    QVERIFY(second > id);
    QTRY_VERIFY_WITH_TIMEOUT(window.jobView(second) != nullptr, 5000);
    (void)m_engine->controller().jobs().cancel(second);
    QCOMPARE(m_engine->waitForFinished(second), JobStatus::Canceled);
}

void TestMainWindow::theJobsListFiltersSortsAndPages() {
    // More jobs than one page holds, of two statuses and two names.
    QCOMPARE(
        m_engine
            ->scalar(QStringLiteral(
                "WITH made AS (INSERT INTO unified_job (name, status, playbook) SELECT CASE WHEN g % 2 = 0 "
                "THEN 'Bulk even' ELSE 'Bulk odd' END, CASE WHEN g % 3 = 0 THEN 'failed' ELSE 'successful' "
                "END, 'x.yml' FROM generate_series(1, 450) g RETURNING 1) SELECT count(*) FROM made"))
            .toInt(),
        450);
    MainWindow window(m_engine->controller());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *jobs = window.jobModel();
    QAbstractItemModelTester tester(jobs, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto *label = window.findChild<QLabel *>(QStringLiteral("jobsPageLabel"));
    auto *older = window.findChild<QToolButton *>(QStringLiteral("jobsOlder"));
    auto *newer = window.findChild<QToolButton *>(QStringLiteral("jobsNewer"));
    auto *status = window.findChild<QComboBox *>(QStringLiteral("jobStatusFilter"));
    auto *search = window.findChild<QLineEdit *>(QStringLiteral("jobSearch"));
    QVERIFY(label && older && newer && status && search);
    const int all = m_engine->scalar(QStringLiteral("SELECT count(*) FROM unified_job")).toInt();
    QTRY_COMPARE_WITH_TIMEOUT(jobs->total(), all, 15000);
    QCOMPARE(jobs->rowCount(), JobListModel::FetchLimit);
    QVERIFY2(label->text().startsWith(QStringLiteral("1–200 of ")), qPrintable(label->text()));
    QVERIFY(!newer->isEnabled() && older->isEnabled());

    // Beyond 200: the next pages, down to the oldest job.
    const qint64 newest = jobs->jobAt(0).id;
    QTest::mouseClick(older, Qt::LeftButton);
    QTRY_COMPARE(jobs->query().offset, 200);
    QTRY_VERIFY(jobs->jobAt(0).id < newest - 199);
    QTest::mouseClick(older, Qt::LeftButton);
    QTRY_COMPARE(jobs->rowCount(), all - 400);
    QTRY_VERIFY(!older->isEnabled());
    QCOMPARE(jobs->jobAt(jobs->rowCount() - 1).id,
             m_engine->scalar(QStringLiteral("SELECT min(id) FROM unified_job")).toLongLong());

    // Filtered by status and text: the first page of what matches.
    status->setCurrentIndex(status->findText(statusText(JobStatus::Failed)));
    QTRY_COMPARE(
        jobs->total(),
        m_engine->scalar(QStringLiteral("SELECT count(*) FROM unified_job WHERE status = 'failed'")).toInt());
    QCOMPARE(jobs->query().offset, 0);
    QTest::keyClicks(search, QStringLiteral("bulk EVEN"));
    QTRY_COMPARE(jobs->total(), 75); // g even and divisible by 3: 6, 12, ..., 450
    for (int row = 0; row < jobs->rowCount(); ++row)
        QCOMPARE(jobs->jobAt(row).name, QStringLiteral("Bulk even"));

    // Sorted by the database, by a header click: oldest first.
    auto *table = window.findChild<QTableView *>(QStringLiteral("jobTable"));
    table->sortByColumn(JobListModel::IdColumn, Qt::AscendingOrder);
    QTRY_VERIFY(jobs->rowCount() > 1 && jobs->jobAt(0).id < jobs->jobAt(1).id);
    QCOMPARE(jobs->jobAt(0).id, m_engine
                                    ->scalar(QStringLiteral("SELECT min(id) FROM unified_job WHERE status = "
                                                            "'failed' AND name = 'Bulk even'"))
                                    .toLongLong());
    QCOMPARE(m_engine->scalar(QStringLiteral("DELETE FROM unified_job WHERE name LIKE 'Bulk %' RETURNING 1"))
                 .toInt(),
             1);
}

void TestMainWindow::findInTheOutputAndKeyboardShortcuts() {
    MainWindow window(m_engine->controller());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const qint64 id = m_engine->launch(DemoTemplate);
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Successful);
    JobView *view = window.openJob(id);
    QTRY_VERIFY_WITH_TIMEOUT(test::outputText(view).contains(QStringLiteral("PLAY RECAP")), 15000);

    // Ctrl+F opens the find bar; Enter goes to the match (the search runs on the engine's threads).
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    auto *find = view->findChild<QLineEdit *>(QStringLiteral("findEdit"));
    auto *findStatus = view->findChild<QLabel *>(QStringLiteral("findStatus"));
    QTRY_VERIFY(find->isVisible());
    QTRY_VERIFY(find->hasFocus());
    QTest::keyClicks(find, QStringLiteral("Hello World"));
    QTest::keyClick(find, Qt::Key_Return);
    QTRY_VERIFY(test::currentLine(view).contains(QStringLiteral("Hello World")));
    QVERIFY(!view->isFollowing());
    find->clear();
    QTest::keyClicks(find, QStringLiteral("no such text anywhere"));
    QTest::keyClick(find, Qt::Key_Return);
    QTRY_COMPARE(findStatus->text(), QStringLiteral("Not found"));
    QTest::keyClick(find, Qt::Key_Escape);
    QTRY_VERIFY(!find->isVisible());

    // Ctrl+G in the output asks for a line and goes there (Ctrl+L is the window's launch: one key
    // for both would be ambiguous, and Qt fires neither).
    view->outputPane()->view()->setFocus();
    QTRY_VERIFY(view->outputPane()->view()->hasFocus());
    bool asked = false;
    QTimer::singleShot(0, &window, [&asked] {
        auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        asked = true;
        dialog->setIntValue(2);
        dialog->accept();
    });
    QTest::keyClick(view->outputPane()->view(), Qt::Key_G, Qt::ControlModifier);
    QTRY_VERIFY(asked);
    QTRY_COMPARE(view->outputPane()->view()->currentRow(), 1);
    // The offscreen platform does not give the window back its activation when a dialog closes.
    window.activateWindow();
    QTRY_VERIFY(window.isActiveWindow());

    // With a job open, no two controls of the window share an Alt+letter.
    const QStringList clashes = test::mnemonicClashes(&window);
    QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(QLatin1Char('\n'))));

    // Ctrl+W closes the job's tab; the dashboard stays whatever is pressed.
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("jobTabs"));
    QCOMPARE(tabs->count(), 2);
    QTest::keyClick(&window, Qt::Key_W, Qt::ControlModifier);
    QTRY_COMPARE(tabs->count(), 1);
    QTest::keyClick(&window, Qt::Key_W, Qt::ControlModifier);
    QCOMPARE(tabs->count(), 1);

    // Tab walks out of the jobs table (it used to be a trap) and every control has a name.
    auto *table = window.findChild<QTableView *>(QStringLiteral("jobTable"));
    table->setFocus();
    QTRY_VERIFY(table->hasFocus());
    QTest::keyClick(table, Qt::Key_Tab);
    QTRY_VERIFY(!table->hasFocus());
    for (QWidget *w : window.findChildren<QWidget *>()) {
        if (!w->isVisible() || w->focusPolicy() == Qt::NoFocus || qobject_cast<QTabBar *>(w) ||
            qobject_cast<QScrollBar *>(w) || w->inherits("QAbstractButton") ||
            w->inherits("QComboBoxPrivateContainer") || !w->accessibleName().isEmpty() || w->focusProxy())
            continue;
        if (w->inherits("QAbstractScrollArea") && w->parentWidget() &&
            w->parentWidget()->inherits("QComboBox"))
            continue;
        QFAIL(qPrintable(QStringLiteral("%1 (%2) has no accessible name")
                             .arg(w->objectName(), QString::fromLatin1(w->metaObject()->className()))));
    }
}

void TestMainWindow::cleanupTestCase() {
    m_engine.reset();
}

void TestMainWindow::launchDemoTemplate() {
    MainWindow window(m_engine->controller());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.windowTitle(), QStringLiteral("Playdeck"));

    auto *templateList = window.findChild<QListView *>(QStringLiteral("templateList"));
    auto *launchButton = window.findChild<QPushButton *>(QStringLiteral("launchButton"));
    auto *jobTable = window.findChild<QTableView *>(QStringLiteral("jobTable"));
    auto *jobTabs = window.findChild<QTabWidget *>(QStringLiteral("jobTabs"));
    QVERIFY(templateList);
    QVERIFY(launchButton);
    QVERIFY(jobTable);
    QVERIFY(jobTabs);
    QCOMPARE(jobTabs->count(), 1); // the dashboard, always there
    QCOMPARE(jobTabs->widget(0)->objectName(), QStringLiteral("dashboardView"));

    auto *templates = qobject_cast<TemplateListModel *>(templateList->model());
    QVERIFY(templates);
    QTRY_VERIFY_WITH_TIMEOUT(rowOfTemplate(*templates, DemoTemplate) >= 0, 15000);

    templateList->setCurrentIndex(templates->index(rowOfTemplate(*templates, DemoTemplate), 0));
    QVERIFY(launchButton->isEnabled());
    QTest::mouseClick(launchButton, Qt::LeftButton);

    LaunchDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<LaunchDialog *>(QStringLiteral("launchDialog"))) != nullptr);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->jobTemplate().name, DemoTemplate);
    QTRY_VERIFY(dialog->extraVarsValid());

    // Invalid extra variables disable the launch until they are fixed.
    auto *extraVars = dialog->findChild<QPlainTextEdit *>(QStringLiteral("extraVarsEdit"));
    auto *extraVarsError = dialog->findChild<QLabel *>(QStringLiteral("extraVarsError"));
    QVERIFY(extraVars);
    QVERIFY(extraVarsError);
    // Checked off the GUI thread: the answer arrives a moment later.
    extraVars->setPlainText(QStringLiteral("[1, 2"));
    QVERIFY(!dialog->extraVarsValid());
    QTRY_VERIFY(extraVarsError->isVisible());
    QVERIFY(!extraVarsError->text().isEmpty());
    QVERIFY(!dialog->extraVarsValid());
    extraVars->setPlainText(QStringLiteral("greeting: hello"));
    QTRY_VERIFY(dialog->extraVarsValid());
    QVERIFY(!extraVarsError->isVisible());

    QSignalSpy accepted(dialog, &QDialog::accepted);
    QTRY_VERIFY(dialog->isReady());
    dialog->accept();
    QTRY_COMPARE_WITH_TIMEOUT(accepted.count(), 1, 15000);

    // The new job opens in a tab of its own.
    QTRY_COMPARE_WITH_TIMEOUT(jobTabs->count(), 2, 15000);
    auto *view = qobject_cast<JobView *>(jobTabs->currentWidget());
    QVERIFY(view);
    QVERIFY(view->jobId() > 0);

    auto *statusLabel = view->findChild<QLabel *>(QStringLiteral("statusLabel"));
    QVERIFY(statusLabel);

    QTRY_VERIFY_WITH_TIMEOUT(test::outputText(view).contains(QStringLiteral("Hello World!")), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(statusLabel->text(), statusText(JobStatus::Successful), 30000);
    QVERIFY(!test::outputText(view).contains(QChar(0x1b)));

    auto *cancelButton = view->findChild<QPushButton *>(QStringLiteral("cancelButton"));
    auto *relaunchButton = view->findChild<QPushButton *>(QStringLiteral("relaunchButton"));
    QVERIFY(cancelButton);
    QVERIFY(relaunchButton);
    QVERIFY(!cancelButton->isEnabled());
    QVERIFY(relaunchButton->isEnabled());

    // The job table shows it too, finished.
    auto *jobs = qobject_cast<JobListModel *>(jobTable->model());
    QVERIFY(jobs);
    QTRY_VERIFY_WITH_TIMEOUT(jobs->rowOfId(view->jobId()) >= 0, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(jobs->jobAt(jobs->rowOfId(view->jobId())).status, JobStatus::Successful, 15000);

    // Opening the job from the table brings its tab back instead of opening another.
    jobTabs->setCurrentIndex(0);
    QCOMPARE(window.openJob(view->jobId()), view);
    QCOMPARE(jobTabs->count(), 2);

    // For people and docs: PLAYDECK_SCREENSHOT=path.png saves what the window shows now.
    if (qEnvironmentVariableIsSet("PLAYDECK_SCREENSHOT"))
        QVERIFY(window.grab().save(qEnvironmentVariable("PLAYDECK_SCREENSHOT")));
}

void TestMainWindow::modelsPassTester() {
    Controller &controller = m_engine->controller();
    TemplateListModel templates(controller);
    JobListModel jobs(controller);
    QAbstractItemModelTester templatesTester(&templates,
                                             QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester jobsTester(&jobs, QAbstractItemModelTester::FailureReportingMode::QtTest);

    QSignalSpy templatesRefreshed(&templates, &TemplateListModel::refreshed);
    templates.refresh();
    QVERIFY(templatesRefreshed.wait(15000));
    QVERIFY(rowOfTemplate(templates, DemoTemplate) >= 0);

    QSignalSpy jobsRefreshed(&jobs, &JobListModel::refreshed);
    jobs.refresh();
    QVERIFY(jobsRefreshed.wait(15000));

    // A new job is inserted at the top and then updated in place as it runs, all under the tester.
    QString launchError;
    const qint64 jobId = m_engine->launch(DemoTemplate, QString(), &launchError);
    QVERIFY2(jobId > 0, qPrintable(launchError));

    QTRY_VERIFY_WITH_TIMEOUT(jobs.rowOfId(jobId) >= 0, 15000);
    QCOMPARE(jobs.rowOfId(jobId), 0);
    QTRY_VERIFY_WITH_TIMEOUT(isFinished(jobs.jobAt(jobs.rowOfId(jobId)).status), 30000);
    QCOMPARE(jobs.jobAt(0).status, JobStatus::Successful);
    const QModelIndex statusIndex = jobs.index(0, JobListModel::StatusColumn);
    QCOMPARE(statusIndex.data().toString(), statusText(JobStatus::Successful));
    QVERIFY(!statusIndex.data(Qt::DecorationRole).value<QIcon>().isNull());
    QCOMPARE(jobs.index(0, JobListModel::IdColumn).data(JobListModel::IdRole).toLongLong(), jobId);
}

void TestMainWindow::theJobViewSaysWhenAPlaybookWaitsForInput() {
    QVERIFY(m_engine->addTemplate(
        QStringLiteral("GUI Prompt"),
        // A pause with a prompt: Playdeck answers a playbook's vars_prompt before
        // the run, but a pause can only be answered while it waits.
        QStringLiteral("- hosts: all\n  gather_facts: false\n  tasks:\n"
                       "    - name: Ask\n      pause:\n        prompt: Favourite colour?\n")));
    MainWindow window(m_engine->controller());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const qint64 id = m_engine->launch(QStringLiteral("GUI Prompt"));
    JobView *view = window.openJob(id);
    auto *input = view->findChild<QLabel *>(QStringLiteral("inputLabel"));
    QVERIFY(input);
    QTRY_VERIFY_WITH_TIMEOUT(input->isVisible(), 30000);
    QVERIFY2(input->text().contains(QStringLiteral("Waiting for input at: ")) &&
                 input->text().contains(QStringLiteral("Favourite colour?")),
             qPrintable(input->text()));
    QVERIFY(input->text().contains(QStringLiteral("cancel")));
    view->cancelJob();
    QCOMPARE(m_engine->waitForFinished(id), JobStatus::Canceled);
    QTRY_VERIFY(!input->isVisible());
}

void TestMainWindow::pastingAnAliasBombNeverBlocksTheWindow() {
    MainWindow window(m_engine->controller());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *templateList = window.findChild<QListView *>(QStringLiteral("templateList"));
    auto *templates = qobject_cast<TemplateListModel *>(templateList->model());
    QTRY_VERIFY_WITH_TIMEOUT(rowOfTemplate(*templates, DemoTemplate) >= 0, 15000);
    templateList->setCurrentIndex(templates->index(rowOfTemplate(*templates, DemoTemplate), 0));
    window.launchSelectedTemplate();
    LaunchDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<LaunchDialog *>(QStringLiteral("launchDialog"))) != nullptr);
    auto *extraVars = dialog->findChild<QPlainTextEdit *>(QStringLiteral("extraVarsEdit"));
    auto *error = dialog->findChild<QLabel *>(QStringLiteral("extraVarsError"));

    // 14 bytes that used to crash the process hosting every running job, then a "billion laughs".
    extraVars->setPlainText(QStringLiteral("a: &x [1, *x]\n"));
    QTRY_VERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("alias")), qPrintable(error->text()));
    QString bomb =
        QStringLiteral("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'i'; ++c)
        bomb += QStringLiteral("%1: &%1 [*%2,*%2,*%2,*%2,*%2,*%2,*%2,*%2,*%2]\n")
                    .arg(QLatin1Char(c))
                    .arg(QLatin1Char(c - 1));
    extraVars->setPlainText(bomb);
    QTRY_VERIFY(dialog->extraVarsChecked());
    QVERIFY(!dialog->extraVarsValid());
    QVERIFY2(error->text().contains(QStringLiteral("alias")), qPrintable(error->text()));
    // The window is alive and the text can be fixed.
    extraVars->setPlainText(QStringLiteral("fine: true"));
    QTRY_VERIFY(dialog->extraVarsValid());
    dialog->reject();
}

void TestMainWindow::theWindowOpensAtOnceWhileTheDatabaseStarts() {
    QTemporaryDir dir;
    EngineOptions options;
    options.dataDir = dir.path();
    Engine engine(options);
    MainWindow window(engine.controller());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *label = window.findChild<QLabel *>(QStringLiteral("engineLabel"));
    auto *launchButton = window.findChild<QPushButton *>(QStringLiteral("launchButton"));
    QVERIFY(label && launchButton);

    QSignalSpy started(&engine, &Engine::started);
    engine.start(); // returns at once: the database starts in the engine's own thread
    QCOMPARE(engine.controller().engineState(), Controller::EngineState::Starting);
    QCOMPARE(label->text(), QStringLiteral("Starting the database…"));
    QVERIFY(!launchButton->isEnabled());
    bool ticked = false;
    QTimer::singleShot(0, &window, [&] { ticked = true; });
    QTRY_VERIFY(ticked);          // the event loop runs while the cluster is created...
    QCOMPARE(started.count(), 0); // ...which takes longer than that

    QVERIFY(started.wait(120000));
    QVERIFY(started.first().first().value<Status>().ok());
    QTRY_VERIFY(label->text().isEmpty());
    auto *templateList = window.findChild<QListView *>(QStringLiteral("templateList"));
    QTRY_VERIFY_WITH_TIMEOUT(templateList->model()->rowCount() > 0, 15000);
    QTRY_VERIFY(launchButton->isEnabled());
    QSignalSpy stopped(&engine, &Engine::stopped);
    engine.stop();
    QVERIFY(stopped.wait(60000));
    test::removeClusterWhenStopped(engine.clusterDir());
}

void TestMainWindow::quittingWithARunningJobAsksFirst() {
    test::TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    QVERIFY(engine.addTemplate(QStringLiteral("Quit Sleep"),
                               QStringLiteral("- hosts: all\n  gather_facts: false\n  tasks:\n"
                                              "    - name: Sleep\n      command: sleep 60\n")));
    // Stays on the cluster after the window's engine stops, to look at the outcome.
    test::TestEngine observer([&](EngineOptions &o) {
        o.dataDir = engine.dataDir();
        o.runJobs = EngineOptions::RunJobs::Never;
    });
    QVERIFY2(observer.ok(), qPrintable(observer.error()));
    MainWindow window(engine.controller());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const qint64 id = engine.launch(QStringLiteral("Quit Sleep"));
    QTRY_COMPARE_WITH_TIMEOUT(engine.controller().activeJobsHere(), 1, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(engine.status(id), JobStatus::Running, 30000);

    QSignalSpy quit(&window, &MainWindow::quitRequested);
    const auto askToQuit = [&]() -> QMessageBox * {
        window.close(); // Ctrl+Q does the same
        QMessageBox *box = nullptr;
        if (!QTest::qWaitFor([&] {
                return (box = window.findChild<QMessageBox *>(QStringLiteral("quitBox"))) != nullptr;
            }))
            return nullptr;
        return box;
    };
    QMessageBox *box = askToQuit();
    QVERIFY(box);
    QVERIFY(box->text().contains(QStringLiteral("A job is running")));
    // This window is the only Playdeck that takes work: new jobs have nowhere else to go.
    QVERIFY2(box->informativeText().contains(QStringLiteral("No other Playdeck takes work")),
             qPrintable(box->informativeText()));
    QVERIFY(window.isVisible());
    QTest::mouseClick(box->findChild<QPushButton *>(QStringLiteral("dontQuitButton")), Qt::LeftButton);
    QTRY_VERIFY(!window.findChild<QMessageBox *>(QStringLiteral("quitBox")));
    QVERIFY(window.isVisible());
    QCOMPARE(quit.count(), 0);
    QCOMPARE(engine.status(id), JobStatus::Running);

    box = askToQuit();
    QVERIFY(box);
    QTest::mouseClick(box->findChild<QPushButton *>(QStringLiteral("cancelAndQuitButton")), Qt::LeftButton);
    QTRY_COMPARE(quit.count(), 1);
    QCOMPARE(quit.first().first().value<MainWindow::QuitMode>(), MainWindow::QuitMode::CancelJobs);
    // What the composition root then does: the job ends canceled, not failed.
    engine.engine().stop(true);
    QTRY_COMPARE_WITH_TIMEOUT(observer.status(id), JobStatus::Canceled, 30000);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

// The operator's own automation through the window, offscreen, each step asserting what they see:
// an inventory filled from an INI file, a machine credential whose secret goes to the keychain, a
// project from a git repository, a template with a survey, a launch that the survey's regex and
// the playbook's vars_prompt are answered in, and a relaunch on the failed hosts only.
// PLAYDECK_SCREENSHOTS=DIR saves each screen as a PNG there (docs/screenshots).

#include "CredentialInputsEditor.h"
#include "DashboardView.h"
#include "DesktopNotifier.h"
#include "HostRecapModel.h"
#include "InventoryContentEditor.h"
#include "JobDetailsPanel.h"
#include "JobListModel.h"
#include "JobPresentation.h"
#include "JobView.h"
#include "LaunchDialog.h"
#include "MainWindow.h"
#include "OutputText.h"
#include "ResourceActions.h"
#include "ResourceEditor.h"
#include "ResourceListModel.h"
#include "ResourcesPane.h"
#include "SurveyEditor.h"
#include "SurveyForm.h"
#include "TemplateListModel.h"

#include "Controller.h"
#include "Processes.h"
#include "TestEngine.h"
#include "services/CredentialService.h"
#include "services/JobService.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace playdeck;
using playdeck::test::await;
using playdeck::test::git;

namespace {

const QString kPassword = QStringLiteral("machine-Pass-%1").arg(QCoreApplication::applicationPid());

void writeFile(const QString &path, const QByteArray &text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

void screenshot(QWidget *w, const QString &name) {
    const QString dir = qEnvironmentVariable("PLAYDECK_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QTest::qWait(0); // let the last layout settle (no timing: one pass of the event loop)
    QVERIFY(w->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png")));
}

template <typename T> T *field(ResourceEditor *editor, const QString &name) {
    return qobject_cast<T *>(editor->fieldWidget(name));
}

} // namespace

class OwnAutomationTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setApplicationName(QStringLiteral("playdeck-test-own-automation"));
        QSettings().clear();
        m_engine = std::make_unique<test::TestEngine>();
        QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
        m_window = std::make_unique<MainWindow>(m_engine->controller());
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->figures().resources.jobTemplates > 0, 15000);
        screenshot(m_window.get(), QStringLiteral("dashboard"));
    }
    void cleanupTestCase() {
        m_window.reset();
        m_engine.reset();
    }

    void step1_anInventoryFromAnIniFile() {
        m_window->showResources(ResourceKind::Inventory);
        ResourcesPane *pane = m_window->resourcesPane(ResourceKind::Inventory);
        QAbstractItemModelTester tester(pane->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        ResourceEditor *editor = openNew(pane);
        field<QLineEdit>(editor, QStringLiteral("name"))->setText(QStringLiteral("Lab"));
        screenshot(editor, QStringLiteral("editor-inventory"));
        save(editor);
        QTRY_VERIFY_WITH_TIMEOUT(pane->model()->rowOfName(QStringLiteral("Lab")) >= 0, 10000);

        const QString ini = m_engine->dataDir() + QStringLiteral("/lab.ini");
        writeFile(ini, "[lab]\nfirst\nsecond\n[all:vars]\nansible_connection=local\n"
                       "ansible_python_interpreter=/usr/bin/python3\n");
        pane->view()->selectRow(pane->model()->rowOfName(QStringLiteral("Lab")));
        QTest::mouseClick(pane->findChild<QPushButton *>(QStringLiteral("importButton")), Qt::LeftButton);
        QFileDialog *files = nullptr;
        QTRY_VERIFY((files = pane->findChild<QFileDialog *>(QStringLiteral("importDialog"))) != nullptr);
        files->selectFile(ini);
        static_cast<QDialog *>(files)->accept(); // as the Open button does
        // The operator sees the hosts counted in the list.
        QTRY_VERIFY_WITH_TIMEOUT(
            pane->model()
                ->index(pane->model()->rowOfName(QStringLiteral("Lab")), ResourceListModel::DetailsColumn)
                .data()
                .toString()
                .startsWith(QLatin1String("2 hosts")),
            30000);
    }

    void step1a_hostsAndGroupsByHand() {
        ResourcesPane *pane = m_window->resourcesPane(ResourceKind::Inventory);
        pane->view()->selectRow(pane->model()->rowOfName(QStringLiteral("Lab")));
        QTest::mouseClick(pane->findChild<QPushButton *>(QStringLiteral("hostsButton")), Qt::LeftButton);
        InventoryContentEditor *editor = nullptr;
        QTRY_VERIFY((editor = pane->contentEditor()) != nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(editor->isLoaded(), 10000);
        QCOMPARE(editor->content().hosts.keys(),
                 (QStringList{QStringLiteral("first"), QStringLiteral("second")}));
        // A group nested in "lab", and a host in it with variables of its own.
        editor->addGroup();
        auto *name = editor->findChild<QLineEdit *>(QStringLiteral("itemName"));
        name->setText(QStringLiteral("canary"));
        QVERIFY(editor->select(QStringLiteral("lab"), true));
        auto *members = editor->findChild<QListWidget *>(QStringLiteral("itemMembers"));
        members->findItems(QStringLiteral("canary"), Qt::MatchExactly).first()->setCheckState(Qt::Checked);
        editor->addHost();
        name->setText(QStringLiteral("probe"));
        editor->findChild<QPlainTextEdit *>(QStringLiteral("itemVariables"))
            ->setPlainText(QStringLiteral("role: probe"));
        QVERIFY(editor->select(QStringLiteral("probe"), false));
        members->findItems(QStringLiteral("canary"), Qt::MatchExactly).first()->setCheckState(Qt::Checked);
        // A loop is refused, with nothing saved.
        QVERIFY(editor->select(QStringLiteral("canary"), true));
        members->findItems(QStringLiteral("lab"), Qt::MatchExactly).first()->setCheckState(Qt::Checked);
        editor->accept();
        QVERIFY2(editor->errorText().contains(QLatin1String("loop")), qPrintable(editor->errorText()));
        members->findItems(QStringLiteral("lab"), Qt::MatchExactly).first()->setCheckState(Qt::Unchecked);
        screenshot(editor, QStringLiteral("editor-hosts"));
        QSignalSpy saved(editor, &InventoryContentEditor::saved);
        editor->accept();
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 10000);
        QCOMPARE(m_engine->scalar(QStringLiteral("SELECT variables->>'role' FROM host WHERE name = 'probe'"))
                     .toString(),
                 QStringLiteral("probe"));
        QCOMPARE(m_engine
                     ->scalar(QStringLiteral(
                         "SELECT count(*) FROM group_parent gp JOIN inventory_group p ON p.id = "
                         "gp.parent_id JOIN inventory_group c ON c.id = gp.child_id WHERE p.name = "
                         "'lab' AND c.name = 'canary'"))
                     .toInt(),
                 1);
        QTRY_VERIFY_WITH_TIMEOUT(
            pane->model()
                ->index(pane->model()->rowOfName(QStringLiteral("Lab")), ResourceListModel::DetailsColumn)
                .data()
                .toString()
                .startsWith(QLatin1String("3 hosts, 2 groups")),
            10000);
        // Removed again by hand: the template below runs on two hosts.
        QTest::mouseClick(pane->findChild<QPushButton *>(QStringLiteral("hostsButton")), Qt::LeftButton);
        QTRY_VERIFY((editor = pane->contentEditor()) != nullptr && editor->isLoaded());
        QVERIFY(editor->select(QStringLiteral("probe"), false));
        editor->removeCurrent();
        QVERIFY(editor->select(QStringLiteral("canary"), true));
        editor->removeCurrent();
        QSignalSpy savedAgain(editor, &InventoryContentEditor::saved);
        editor->accept();
        QTRY_COMPARE_WITH_TIMEOUT(savedAgain.count(), 1, 10000);
        QCOMPARE(m_engine
                     ->scalar(QStringLiteral(
                         "SELECT count(*) FROM host h JOIN inventory i ON i.id = h.inventory_id "
                         "WHERE i.name = 'Lab'"))
                     .toInt(),
                 2);
    }

    void step1b_anInventorySourceAndItsUpdate() {
        ResourcesPane *pane = m_window->resourcesPane(ResourceKind::Inventory);
        pane->view()->selectRow(pane->model()->rowOfName(QStringLiteral("Lab")));
        const QString ini = m_engine->dataDir() + QStringLiteral("/more.ini");
        writeFile(ini, "[lab]\nthird\n[all:vars]\nansible_connection=local\n"
                       "ansible_python_interpreter=/usr/bin/python3\n");
        QTest::mouseClick(pane->findChild<QPushButton *>(QStringLiteral("newSourceButton")), Qt::LeftButton);
        ResourceEditor *editor = m_window->resourceActions()->currentEditor();
        QVERIFY(editor);
        QCOMPARE(field<QComboBox>(editor, QStringLiteral("inventory"))->currentData().toString(),
                 QStringLiteral("Lab"));
        field<QLineEdit>(editor, QStringLiteral("name"))->setText(QStringLiteral("More hosts"));
        field<QLineEdit>(editor, QStringLiteral("source_path"))->setText(ini);
        screenshot(editor, QStringLiteral("editor-inventory-source"));
        save(editor);
        QSignalSpy started(pane, &ResourcesPane::jobStarted);
        QTest::mouseClick(pane->findChild<QPushButton *>(QStringLiteral("updateSourcesButton")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 10000);
        const qint64 update = started.first().first().toLongLong();
        QCOMPARE(m_engine->waitForFinished(update), JobStatus::Successful);
        QTRY_VERIFY(m_window->jobView(update) != nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(
            pane->model()
                ->index(pane->model()->rowOfName(QStringLiteral("Lab")), ResourceListModel::DetailsColumn)
                .data()
                .toString()
                .startsWith(QLatin1String("3 hosts")),
            15000);
        // The sources have a list of their own, with their last update, and update from there too.
        m_window->showResources(ResourceKind::InventorySource);
        ResourcesPane *sources = m_window->resourcesPane(ResourceKind::InventorySource);
        QTRY_VERIFY_WITH_TIMEOUT(sources->model()->rowOfName(QStringLiteral("More hosts")) >= 0, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!sources->model()
                                      ->index(sources->model()->rowOfName(QStringLiteral("More hosts")),
                                              ResourceListModel::LastRunColumn)
                                      .data()
                                      .toString()
                                      .startsWith(QStringLiteral("never")),
                                 10000);
        sources->view()->selectRow(sources->model()->rowOfName(QStringLiteral("More hosts")));
        QCOMPARE(sources->selectedParent(), QStringLiteral("Lab"));
        QSignalSpy again(sources, &ResourcesPane::jobStarted);
        QTest::mouseClick(sources->findChild<QPushButton *>(QStringLiteral("syncButton")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(again.count(), 1, 10000);
        QCOMPARE(m_engine->waitForFinished(again.first().first().toLongLong()), JobStatus::Successful);
        screenshot(m_window.get(), QStringLiteral("sources"));
        m_window->showResources(ResourceKind::Inventory);

        // The job and its template below keep to two hosts: the third goes again.
        QVERIFY(
            m_engine->scalar(QStringLiteral("DELETE FROM host WHERE name = 'third' RETURNING 1")).toInt() ==
            1);
    }

    void step2_aMachineCredentialWhoseSecretGoesToTheKeychain() {
        m_window->showResources(ResourceKind::Credential);
        ResourcesPane *pane = m_window->resourcesPane(ResourceKind::Credential);
        ResourceEditor *editor = openNew(pane);
        field<QLineEdit>(editor, QStringLiteral("name"))->setText(QStringLiteral("Lab login"));
        auto *kind = field<QComboBox>(editor, QStringLiteral("kind"));
        kind->setCurrentIndex(kind->findData(QStringLiteral("ssh")));
        CredentialInputsEditor *inputs = editor->credentialInputs();
        QVERIFY(inputs);
        qobject_cast<QLineEdit *>(inputs->inputWidget(QStringLiteral("username")))
            ->setText(QStringLiteral("deploy"));
        auto *password = qobject_cast<QLineEdit *>(inputs->inputWidget(QStringLiteral("password")));
        QVERIFY(password);
        QCOMPARE(password->echoMode(), QLineEdit::Password);
        QTest::keyClicks(password, kPassword);
        screenshot(editor, QStringLiteral("editor-credential"));
        save(editor);
        QTRY_VERIFY_WITH_TIMEOUT(pane->model()->rowOfName(QStringLiteral("Lab login")) >= 0, 10000);
        const qint64 id =
            m_engine->scalar(QStringLiteral("SELECT id FROM credential WHERE name = 'Lab login'"))
                .toLongLong();
        auto secrets = await(m_engine->controller().credentials().secrets(id));
        QVERIFY2(secrets.ok(), qPrintable(secrets.error()));
        QCOMPARE(secrets.value().value(QStringLiteral("password")), kPassword);
        QVERIFY(!m_engine->databaseDump().contains(kPassword.toUtf8()));
    }

    void step3_aProjectFromGit() {
        const QString work = m_engine->dataDir() + QStringLiteral("/site");
        const QString bare = m_engine->dataDir() + QStringLiteral("/site.git");
        QDir().mkpath(work);
        git(work,
            {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("main")});
        writeFile(work + QStringLiteral("/deploy.yml"),
                  "- hosts: all\n  gather_facts: false\n  vars_prompt:\n    - name: who\n"
                  "      prompt: Who deploys?\n      private: false\n  tasks:\n"
                  "    - debug:\n        msg: \"ticket={{ ticket }} who={{ who }} note={{ note }}\"\n"
                  "    - fail:\n        msg: second is broken\n      when: inventory_hostname == 'second'\n");
        git(work, {QStringLiteral("add"), QStringLiteral(".")});
        git(work, {QStringLiteral("commit"), QStringLiteral("-qm"), QStringLiteral("one")});
        git(m_engine->dataDir(),
            {QStringLiteral("clone"), QStringLiteral("-q"), QStringLiteral("--bare"), work, bare});
        const QString revision = git(work, {QStringLiteral("rev-parse"), QStringLiteral("HEAD")});

        m_window->showResources(ResourceKind::Project);
        ResourcesPane *pane = m_window->resourcesPane(ResourceKind::Project);
        ResourceEditor *editor = openNew(pane);
        field<QLineEdit>(editor, QStringLiteral("name"))->setText(QStringLiteral("Site"));
        auto *type = field<QComboBox>(editor, QStringLiteral("scm_type"));
        type->setCurrentIndex(type->findData(QStringLiteral("git")));
        QVERIFY(editor->fieldWidget(QStringLiteral("scm_url"))->isEnabled());
        field<QLineEdit>(editor, QStringLiteral("scm_url"))->setText(bare);
        screenshot(editor, QStringLiteral("editor-project"));
        save(editor);
        // Created, then updated at once: the list shows the revision it checked out.
        QTRY_VERIFY_WITH_TIMEOUT(pane->model()->rowOfName(QStringLiteral("Site")) >= 0, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            pane->model()
                ->index(pane->model()->rowOfName(QStringLiteral("Site")), ResourceListModel::DetailsColumn)
                .data()
                .toString()
                .contains(revision.left(12)),
            60000);
        QCOMPARE(m_engine->scalar(QStringLiteral("SELECT scm_revision FROM project WHERE name = 'Site'"))
                     .toString(),
                 revision);
    }

    void step3b_listsFollowAnotherPlaydeckProcess() {
        // The command line is another process on the same database: the window's list hears of it.
        ResourcesPane *pane = m_window->resourcesPane(ResourceKind::Inventory);
        auto made =
            test::runPlaydeck(m_engine->dataDir(), {QStringLiteral("inventory"), QStringLiteral("create"),
                                                    QStringLiteral("From the CLI")});
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        QTRY_VERIFY_WITH_TIMEOUT(pane->model()->rowOfName(QStringLiteral("From the CLI")) >= 0, 15000);
        auto gone =
            test::runPlaydeck(m_engine->dataDir(), {QStringLiteral("inventory"), QStringLiteral("delete"),
                                                    QStringLiteral("From the CLI")});
        QVERIFY2(gone.exitCode == 0, qPrintable(gone.err));
        QTRY_VERIFY_WITH_TIMEOUT(pane->model()->rowOfName(QStringLiteral("From the CLI")) < 0, 15000);
    }

    void step4_aTemplateWithASurvey() {
        m_window->showResources(ResourceKind::JobTemplate);
        QTest::mouseClick(m_window->findChild<QPushButton *>(QStringLiteral("newTemplateButton")),
                          Qt::LeftButton);
        ResourceEditor *editor = nullptr;
        QTRY_VERIFY((editor = m_window->resourceActions()->currentEditor()) != nullptr);
        field<QLineEdit>(editor, QStringLiteral("name"))->setText(QStringLiteral("Deploy"));
        auto *project = field<QComboBox>(editor, QStringLiteral("project"));
        auto *inventory = field<QComboBox>(editor, QStringLiteral("inventory"));
        auto *credentials = field<QListWidget>(editor, QStringLiteral("credentials"));
        QTRY_VERIFY(project->findData(QStringLiteral("Site")) >= 0);
        QTRY_VERIFY(inventory->findData(QStringLiteral("Lab")) >= 0);
        QTRY_VERIFY(!credentials->findItems(QStringLiteral("Lab login"), Qt::MatchExactly).isEmpty());
        project->setCurrentIndex(project->findData(QStringLiteral("Site")));
        inventory->setCurrentIndex(inventory->findData(QStringLiteral("Lab")));
        credentials->findItems(QStringLiteral("Lab login"), Qt::MatchExactly)
            .first()
            ->setCheckState(Qt::Checked);
        // The project's playbooks are offered.
        auto *playbook = field<QComboBox>(editor, QStringLiteral("playbook"));
        QTRY_VERIFY_WITH_TIMEOUT(playbook->findText(QStringLiteral("deploy.yml")) >= 0, 10000);
        playbook->setCurrentIndex(playbook->findText(QStringLiteral("deploy.yml")));
        field<QCheckBox>(editor, QStringLiteral("ask_limit_on_launch"))->setChecked(true);

        // The survey, question by question.
        QTest::mouseClick(editor->findChild<QPushButton *>(QStringLiteral("editSurveyButton")),
                          Qt::LeftButton);
        SurveyEditor *survey = nullptr;
        QTRY_VERIFY((survey = editor->surveyEditor()) != nullptr);
        const auto type = [](QLineEdit *edit, const QString &text) {
            edit->selectAll();
            QTest::keyClicks(edit, text);
        };
        survey->findChild<QLineEdit *>(QStringLiteral("surveyName"))->setText(QStringLiteral("Deploy"));
        survey->findChild<QLineEdit *>(QStringLiteral("surveyDescription"))
            ->setText(QStringLiteral("What to deploy"));
        survey->addQuestion();
        type(survey->findChild<QLineEdit *>(QStringLiteral("questionName")), QStringLiteral("Change ticket"));
        type(survey->findChild<QLineEdit *>(QStringLiteral("questionVariable")), QStringLiteral("ticket"));
        type(survey->findChild<QLineEdit *>(QStringLiteral("questionRegex")),
             QStringLiteral("[A-Z]+-[0-9]+"));
        type(survey->findChild<QLineEdit *>(QStringLiteral("questionMin")), QStringLiteral("9"));
        type(survey->findChild<QLineEdit *>(QStringLiteral("questionMax")), QStringLiteral("3"));
        survey->accept(); // refused, saying why
        QVERIFY(survey->isVisible());
        QVERIFY2(survey->errorText().contains(QLatin1String("greater than max")),
                 qPrintable(survey->errorText()));
        type(survey->findChild<QLineEdit *>(QStringLiteral("questionMin")), QStringLiteral("3"));
        type(survey->findChild<QLineEdit *>(QStringLiteral("questionMax")), QStringLiteral("20"));
        survey->addQuestion();
        type(survey->findChild<QLineEdit *>(QStringLiteral("questionName")), QStringLiteral("Note"));
        type(survey->findChild<QLineEdit *>(QStringLiteral("questionVariable")), QStringLiteral("note"));
        auto *questionType = survey->findChild<QComboBox *>(QStringLiteral("questionType"));
        questionType->setCurrentIndex(questionType->findData(QStringLiteral("textarea")));
        survey->findChild<QCheckBox *>(QStringLiteral("questionRequired"))->setChecked(false);
        QCOMPARE(survey->questionList()->count(), 2);
        survey->questionList()->setCurrentRow(0);
        screenshot(survey, QStringLiteral("editor-survey"));
        survey->accept();
        QVERIFY2(!survey->isVisible(), qPrintable(survey->errorText()));
        QVERIFY(field<QCheckBox>(editor, QStringLiteral("survey_enabled"))->isChecked());
        screenshot(editor, QStringLiteral("editor-template"));
        save(editor);
        QTRY_VERIFY_WITH_TIMEOUT(rowOfTemplate(QStringLiteral("Deploy")) >= 0, 10000);

        // Filed as a favourite, from the list's own menu: it comes first, marked.
        auto *list = m_window->findChild<QListView *>(QStringLiteral("templateList"));
        list->setCurrentIndex(m_window->templateModel()->index(rowOfTemplate(QStringLiteral("Deploy")), 0));
        auto *favorite = list->findChild<QAction *>(QStringLiteral("favoriteAction"));
        QVERIFY(favorite && favorite->isEnabled() && !favorite->isChecked());
        favorite->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(rowOfTemplate(QStringLiteral("Deploy")), 0, 10000);
        QCOMPARE(m_window->templateModel()->index(0, 0).data().toString(), QStringLiteral("\u2605 Deploy"));
    }

    void step5_launchAnsweringTheSurveyAndThePlaybook() {
        auto *list = m_window->findChild<QListView *>(QStringLiteral("templateList"));
        list->setCurrentIndex(m_window->templateModel()->index(rowOfTemplate(QStringLiteral("Deploy")), 0));
        QTest::mouseClick(m_window->findChild<QPushButton *>(QStringLiteral("launchButton")), Qt::LeftButton);
        LaunchDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->launchDialog()) != nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isReady(), 10000);
        // The survey's questions, and the playbook's own vars_prompt asked here instead of in the run.
        auto *ticket = qobject_cast<QLineEdit *>(dialog->survey()->editor(QStringLiteral("ticket")));
        auto *note = qobject_cast<QPlainTextEdit *>(dialog->survey()->editor(QStringLiteral("note")));
        auto *who = qobject_cast<QLineEdit *>(dialog->playbookQuestions()->editor(QStringLiteral("who")));
        QVERIFY(ticket && note && who);
        QVERIFY(dialog->findChild<QLineEdit *>(QStringLiteral("limitEdit"))->isVisibleTo(dialog));
        QVERIFY(!dialog->findChild<QComboBox *>(QStringLiteral("inventoryCombo"))->isVisibleTo(dialog));

        // A regex failure blocks the launch and says why, beside the question.
        const int jobsBefore = m_engine->scalar(QStringLiteral("SELECT count(*) FROM unified_job")).toInt();
        QTest::keyClicks(ticket, QStringLiteral("ops 12"));
        QTest::keyClicks(who, QStringLiteral("alice"));
        // Typed into a survey, Jinja is only text: never evaluated.
        const QString marker = m_engine->dataDir() + QStringLiteral("/pwned");
        note->setPlainText(QStringLiteral("{{ lookup('pipe', 'touch %1') }}").arg(marker));
        dialog->accept();
        QVERIFY(dialog->isVisible());
        QVERIFY2(
            dialog->survey()->errorOf(QStringLiteral("ticket")).contains(QLatin1String("does not match")),
            qPrintable(dialog->survey()->errorOf(QStringLiteral("ticket"))));
        screenshot(dialog, QStringLiteral("launch-dialog"));
        QCOMPARE(m_engine->scalar(QStringLiteral("SELECT count(*) FROM unified_job")).toInt(), jobsBefore);

        ticket->setText(QStringLiteral("OPS-12"));
        m_notified = std::make_unique<QSignalSpy>(m_window->notifier(), &DesktopNotifier::notified);
        QSignalSpy launched(dialog, &LaunchDialog::launched);
        dialog->accept();
        QTRY_COMPARE_WITH_TIMEOUT(launched.count(), 1, 15000);
        m_job = launched.first().first().toLongLong();
        QVERIFY(m_job > 0);
    }

    void step6_watchTheOutputAndRelaunchOnTheFailedHosts() {
        JobView *view = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((view = m_window->jobView(m_job)) != nullptr, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            test::outputText(view).contains(QLatin1String("ticket=OPS-12 who=alice note={{ lookup")), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(view->status(), JobStatus::Failed, 60000);
        QVERIFY(!QFile::exists(QDir(m_engine->dataDir()).filePath(QStringLiteral("pwned"))));
        // A job launched here ends with a desktop notification: its status and its hosts.
        QTRY_VERIFY_WITH_TIMEOUT(!m_notified->isEmpty(), 10000);
        QCOMPARE(m_notified->first().at(0).toLongLong(), m_job);
        QVERIFY2(m_notified->first().at(1).toString().contains(statusText(JobStatus::Failed)),
                 qPrintable(m_notified->first().at(1).toString()));
        QVERIFY2(m_notified->first().at(2).toString().contains(QLatin1String("failed: 1")),
                 qPrintable(m_notified->first().at(2).toString()));

        // The recap per host, and what the job ran with.
        QTRY_COMPARE_WITH_TIMEOUT(view->recapModel()->rowCount(), 2, 15000);
        QAbstractItemModelTester tester(view->recapModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(view->recapModel()->failedHosts(), 1);
        QTRY_COMPARE(view->detailsPanel()->value(QStringLiteral("inventory")), QStringLiteral("Lab"));
        QCOMPARE(view->detailsPanel()->value(QStringLiteral("revision")),
                 m_engine->scalar(QStringLiteral("SELECT scm_revision FROM project WHERE name = 'Site'"))
                     .toString());
        QVERIFY(view->detailsPanel()->variablesText().contains(QLatin1String("OPS-12")));
        // The jobs list has it finished too (before the screenshots show it).
        JobListModel *jobs = m_window->jobModel();
        QTRY_VERIFY_WITH_TIMEOUT(jobs->rowOfId(m_job) >= 0 &&
                                     jobs->jobAt(jobs->rowOfId(m_job)).status == JobStatus::Failed,
                                 10000);
        screenshot(m_window.get(), QStringLiteral("job-view"));
        view->pages()->setCurrentIndex(1);
        screenshot(m_window.get(), QStringLiteral("job-recap"));
        view->pages()->setCurrentIndex(2);
        screenshot(m_window.get(), QStringLiteral("job-details"));
        view->pages()->setCurrentIndex(0);

        QSignalSpy relaunched(view, &JobView::relaunched);
        auto *more = view->findChild<QToolButton *>(QStringLiteral("relaunchModeButton"));
        QTRY_VERIFY(more->isEnabled());
        QAction *failedOnly = more->menu()->findChild<QAction *>(QStringLiteral("relaunchFailedAction"));
        QVERIFY(failedOnly);
        failedOnly->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(relaunched.count(), 1, 10000);
        const qint64 again = relaunched.first().first().toLongLong();
        QCOMPARE(m_engine->waitForFinished(again), JobStatus::Failed);
        QCOMPARE(m_engine
                     ->scalar(QStringLiteral(
                                  "SELECT string_agg(host_name, ',') FROM job_host_summary WHERE job_id = ?"),
                              {again})
                     .toString(),
                 QStringLiteral("second"));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->jobView(again) != nullptr, 5000);
        // The answers came along from the keychain-free launch config; none is a secret here.
        QVERIFY(!m_engine->databaseDump().contains(kPassword.toUtf8()));

        // Every list shows the last run: the template's says it failed.
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->templateModel()
                ->index(rowOfTemplate(QStringLiteral("Deploy")), 0)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("Last run: %1").arg(statusText(JobStatus::Failed))),
            10000);

        // The dashboard counts the failures of the last day.
        m_window->showDashboard();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->figures().failedHosts.size() >= 2, 15000);
        screenshot(m_window.get(), QStringLiteral("dashboard-after-runs"));
    }

private:
    ResourceEditor *openNew(ResourcesPane *pane) {
        QTest::mouseClick(pane->findChild<QPushButton *>(QStringLiteral("newButton")), Qt::LeftButton);
        ResourceEditor *editor = m_window->resourceActions()->currentEditor();
        if (editor)
            (void)QTest::qWaitForWindowExposed(editor);
        return editor;
    }
    void save(ResourceEditor *editor) {
        QSignalSpy saved(editor, &ResourceEditor::saved);
        const QPointer<ResourceEditor> open(editor); // it closes itself once saved
        editor->accept();
        QTRY_VERIFY2_WITH_TIMEOUT(saved.count() == 1, qPrintable(open ? open->errorText() : QString()),
                                  15000);
    }
    int rowOfTemplate(const QString &name) {
        TemplateListModel *model = m_window->templateModel();
        for (int row = 0; row < model->rowCount(); ++row)
            if (model->templateAt(row).name == name)
                return row;
        return -1;
    }

    std::unique_ptr<test::TestEngine> m_engine;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_job = 0;
    std::unique_ptr<QSignalSpy> m_notified;
};

QTEST_MAIN(OwnAutomationTest)
#include "tst_own_automation.moc"

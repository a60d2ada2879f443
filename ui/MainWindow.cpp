#include "MainWindow.h"

#include "Controller.h"
#include "JobListModel.h"
#include "JobPresentation.h"
#include "JobView.h"
#include "LaunchDialog.h"
#include "TemplateListModel.h"
#include "db/DbPool.h"
#include "services/JobService.h"

#include <QAction>
#include <QCloseEvent>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace playdeck {

MainWindow::MainWindow(Controller &controller, QWidget *parent)
    : QMainWindow(parent)
    , m_controller(controller) {
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Playdeck"));

    m_templateModel = new TemplateListModel(m_controller, this);
    m_jobModel = new JobListModel(m_controller, this);

    // Templates
    auto *templatesLabel = new QLabel(tr("&Templates"));
    m_templateList = new QListView;
    m_templateList->setObjectName(QStringLiteral("templateList"));
    m_templateList->setModel(m_templateModel);
    m_templateList->setSelectionMode(QAbstractItemView::SingleSelection);
    m_templateList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_templateList->setUniformItemSizes(true);
    templatesLabel->setBuddy(m_templateList);

    m_launchButton = new QPushButton(tr("&Launch…"));
    m_launchButton->setObjectName(QStringLiteral("launchButton"));
    m_launchButton->setToolTip(tr("Launch a job from the selected template"));

    auto *templatesPane = new QWidget;
    auto *templatesLayout = new QVBoxLayout(templatesPane);
    templatesLayout->setContentsMargins(4, 4, 0, 0);
    templatesLayout->addWidget(templatesLabel);
    templatesLayout->addWidget(m_templateList, 1);
    templatesLayout->addWidget(m_launchButton);

    // Jobs
    auto *jobsLabel = new QLabel(tr("J&obs"));
    m_jobTable = new QTableView;
    m_jobTable->setObjectName(QStringLiteral("jobTable"));
    m_jobTable->setModel(m_jobModel);
    m_jobTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_jobTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_jobTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_jobTable->setShowGrid(false);
    m_jobTable->setWordWrap(false);
    m_jobTable->verticalHeader()->hide();
    m_jobTable->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_jobTable->horizontalHeader()->setHighlightSections(false);
    m_jobTable->horizontalHeader()->setSectionResizeMode(JobListModel::NameColumn, QHeaderView::Stretch);
    const int charWidth = m_jobTable->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_jobTable->setColumnWidth(JobListModel::IdColumn, charWidth * 6);
    m_jobTable->setColumnWidth(JobListModel::StatusColumn, charWidth * 14);
    m_jobTable->setColumnWidth(JobListModel::StartedColumn, charWidth * 12);
    m_jobTable->setColumnWidth(JobListModel::ElapsedColumn, charWidth * 9);
    jobsLabel->setBuddy(m_jobTable);

    auto *jobsPane = new QWidget;
    auto *jobsLayout = new QVBoxLayout(jobsPane);
    jobsLayout->setContentsMargins(4, 0, 0, 4);
    jobsLayout->addWidget(jobsLabel);
    jobsLayout->addWidget(m_jobTable, 1);

    auto *leftSplitter = new QSplitter(Qt::Vertical);
    leftSplitter->setObjectName(QStringLiteral("leftSplitter"));
    leftSplitter->setChildrenCollapsible(false);
    leftSplitter->addWidget(templatesPane);
    leftSplitter->addWidget(jobsPane);
    leftSplitter->setStretchFactor(0, 1);
    leftSplitter->setStretchFactor(1, 2);

    // Job tabs
    m_jobTabs = new QTabWidget;
    m_jobTabs->setObjectName(QStringLiteral("jobTabs"));
    m_jobTabs->setTabsClosable(true);
    m_jobTabs->setMovable(true);
    m_jobTabs->setDocumentMode(true);

    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(leftSplitter);
    splitter->addWidget(m_jobTabs);
    // Both panes grow with the window, two to three, starting from these proportions.
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({480, 720});
    setCentralWidget(splitter);

    createActions();
    createMenus();

    connect(m_launchButton, &QPushButton::clicked, this, &MainWindow::launchSelectedTemplate);
    connect(m_templateList, &QListView::activated, this, &MainWindow::launchSelectedTemplate);
    connect(m_templateList->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);
    connect(m_templateModel, &TemplateListModel::refreshed, this, [this] {
        if (!m_templateList->selectionModel()->hasSelection() && m_templateModel->rowCount() > 0)
            m_templateList->setCurrentIndex(m_templateModel->index(0, 0));
        updateActions();
    });
    connect(m_jobTable, &QTableView::activated, this,
            [this](const QModelIndex &index) { openJob(index.data(JobListModel::IdRole).toLongLong()); });
    connect(m_jobTabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeJobTab);
    connect(m_jobTabs, &QTabWidget::currentChanged, this, &MainWindow::updateActions);
    connect(m_templateModel, &TemplateListModel::refreshFailed, this, [this](const QString &message) {
        statusBar()->showMessage(tr("Templates could not be loaded: %1").arg(message));
    });
    connect(m_jobModel, &JobListModel::refreshFailed, this, [this](const QString &message) {
        statusBar()->showMessage(tr("Jobs could not be loaded: %1").arg(message));
    });

    m_engineLabel = new QLabel(this);
    m_engineLabel->setObjectName(QStringLiteral("engineLabel"));
    statusBar()->addPermanentWidget(m_engineLabel);
    connect(&m_controller, &Controller::engineStateChanged, this, &MainWindow::onEngineState);
    resize(1200, 800);
    onEngineState();
}

void MainWindow::onEngineState() {
    // The window opens at once; the engine says when its database is there.
    switch (m_controller.engineState()) {
    case Controller::EngineState::Starting:
        m_engineLabel->setText(tr("Starting the database…"));
        break;
    case Controller::EngineState::Ready:
        m_engineLabel->clear();
        m_templateModel->refresh();
        m_jobModel->refresh();
        break;
    case Controller::EngineState::Failed:
        m_engineLabel->setText(tr("Playdeck cannot start"));
        showError(tr("Playdeck cannot start"), m_controller.engineMessage());
        break;
    case Controller::EngineState::Stopping:
        m_engineLabel->setText(tr("Stopping…"));
        break;
    }
    updateActions();
}

void MainWindow::closeEvent(QCloseEvent *event) {
    // Closing is the composition root's to do, once the engine is told how to treat running jobs.
    event->ignore();
    if (m_quitting)
        return;
    if (m_controller.activeJobsHere() == 0) {
        m_quitting = true;
        Q_EMIT quitRequested(QuitMode::Now);
        return;
    }
    askHowToQuit();
}

void MainWindow::askHowToQuit() {
    // Whether new work has somewhere else to go decides what "let them finish" means to the operator.
    m_quitting = true; // one question at a time
    whenReady(m_controller.jobs().otherWorkerAlive(m_controller.instanceId()), this,
              [this](Result<bool> other) {
                  m_quitting = false;
                  // Unknown (the database does not answer): say nothing about where new jobs go.
                  showQuitQuestion(other.ok() ? std::optional<bool>(other.value()) : std::nullopt);
              });
}

void MainWindow::showQuitQuestion(std::optional<bool> otherWorker) {
    const int running = m_controller.activeJobsHere();
    if (running == 0) {
        m_quitting = true;
        Q_EMIT quitRequested(QuitMode::Now);
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question, tr("Quit Playdeck"),
                                running == 1 ? tr("A job is running in this window.")
                                             : tr("%1 jobs are running in this window.").arg(running),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("quitBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    const QString elsewhere = !otherWorker   ? QString()
                              : *otherWorker ? tr("New jobs go to the other Playdeck that takes work.")
                                             : tr("No other Playdeck takes work: new jobs wait until one "
                                                  "does (the window, or `playdeck serve`).");
    box->setInformativeText(
        (running == 1 ? tr("Canceling stops its playbook now. Letting it finish closes the window at once; "
                           "Playdeck quits when the job is done.")
                      : tr("Canceling stops their playbooks now. Letting them finish closes the window at "
                           "once; Playdeck quits when they are done.")) +
        (elsewhere.isEmpty() ? QString() : QLatin1Char(' ') + elsewhere));
    QPushButton *cancelJobs = box->addButton(
        running == 1 ? tr("&Cancel It and Quit") : tr("&Cancel Them and Quit"), QMessageBox::DestructiveRole);
    cancelJobs->setObjectName(QStringLiteral("cancelAndQuitButton"));
    QPushButton *finish =
        box->addButton(running == 1 ? tr("Let It &Finish, Then Quit") : tr("Let Them &Finish, Then Quit"),
                       QMessageBox::AcceptRole);
    finish->setObjectName(QStringLiteral("finishThenQuitButton"));
    QPushButton *stay = box->addButton(tr("&Don't Quit"), QMessageBox::RejectRole);
    stay->setObjectName(QStringLiteral("dontQuitButton"));
    box->setDefaultButton(stay);
    box->setEscapeButton(stay);
    connect(box, &QMessageBox::buttonClicked, this, [this, cancelJobs, finish](QAbstractButton *button) {
        if (button == cancelJobs) {
            m_quitting = true;
            Q_EMIT quitRequested(QuitMode::CancelJobs);
        } else if (button == finish) {
            m_quitting = true;
            Q_EMIT quitRequested(QuitMode::FinishFirst);
        }
    });
    box->open();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_launchAction = new QAction(tr("&Launch…"), this);
    m_launchAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_launchAction->setStatusTip(tr("Launch a job from the selected template"));
    connect(m_launchAction, &QAction::triggered, this, &MainWindow::launchSelectedTemplate);

    m_cancelAction = new QAction(tr("&Cancel"), this);
    m_cancelAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_cancelAction->setStatusTip(tr("Stop the job shown"));
    connect(m_cancelAction, &QAction::triggered, this, &MainWindow::cancelCurrentJob);

    m_relaunchAction = new QAction(tr("&Relaunch"), this);
    m_relaunchAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_relaunchAction->setStatusTip(tr("Launch the job shown again with the same settings"));
    connect(m_relaunchAction, &QAction::triggered, this, &MainWindow::relaunchCurrentJob);
}

void MainWindow::createMenus() {
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(m_quitAction);

    QMenu *jobMenu = menuBar()->addMenu(tr("&Job"));
    jobMenu->addAction(m_launchAction);
    jobMenu->addSeparator();
    jobMenu->addAction(m_cancelAction);
    jobMenu->addAction(m_relaunchAction);
}

JobView *MainWindow::currentJobView() const {
    return qobject_cast<JobView *>(m_jobTabs->currentWidget());
}

JobView *MainWindow::jobView(qint64 jobId) const {
    for (int i = 0; i < m_jobTabs->count(); ++i) {
        auto *view = qobject_cast<JobView *>(m_jobTabs->widget(i));
        if (view && view->jobId() == jobId)
            return view;
    }
    return nullptr;
}

void MainWindow::launchSelectedTemplate() {
    const QModelIndex current = m_templateList->currentIndex();
    if (!current.isValid() || !m_templateList->selectionModel()->isSelected(current))
        return;
    if (m_launchDialog) {
        m_launchDialog->raise();
        m_launchDialog->activateWindow();
        return;
    }
    const JobTemplate jobTemplate = m_templateModel->templateAt(current.row());
    auto *dialog = new LaunchDialog(jobTemplate, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { launch(dialog->request()); });
    m_launchDialog = dialog;
    dialog->open();
}

void MainWindow::launch(const LaunchRequest &request) {
    statusBar()->showMessage(tr("Launching…"));
    whenReady(m_controller.jobs().launch(request), this, [this](Result<qint64> result) {
        if (!result) {
            statusBar()->clearMessage();
            showError(tr("Launch failed"), result.error());
            return;
        }
        statusBar()->showMessage(tr("Job %1 launched.").arg(result.value()), 5000);
        openJob(result.value());
        m_jobModel->scheduleRefresh();
    });
}

JobView *MainWindow::openJob(qint64 jobId) {
    if (jobId <= 0)
        return nullptr;
    if (JobView *existing = jobView(jobId)) {
        m_jobTabs->setCurrentWidget(existing);
        return existing;
    }
    auto *view = new JobView(m_controller, jobId);
    const int index = m_jobTabs->addTab(view, view->title());
    m_jobTabs->setTabToolTip(index, view->title());
    connect(view, &JobView::titleChanged, this, [this, view](const QString &title) {
        const int i = m_jobTabs->indexOf(view);
        m_jobTabs->setTabText(i, title);
        m_jobTabs->setTabToolTip(i, title);
    });
    connect(view, &JobView::statusChanged, this, [this, view](JobStatus status) {
        m_jobTabs->setTabIcon(m_jobTabs->indexOf(view), statusIcon(status));
    });
    connect(view, &JobView::actionsChanged, this, &MainWindow::updateActions);
    connect(view, &JobView::relaunched, this, [this](qint64 newJobId) {
        openJob(newJobId);
        m_jobModel->scheduleRefresh();
    });
    m_jobTabs->setCurrentIndex(index);
    return view;
}

void MainWindow::cancelCurrentJob() {
    if (JobView *view = currentJobView())
        view->cancelJob();
}

void MainWindow::relaunchCurrentJob() {
    if (JobView *view = currentJobView())
        view->relaunchJob();
}

void MainWindow::closeJobTab(int index) {
    QWidget *page = m_jobTabs->widget(index);
    m_jobTabs->removeTab(index);
    if (page)
        page->deleteLater();
}

void MainWindow::updateActions() {
    const bool templateSelected = m_controller.isReady() && m_templateList->selectionModel()->hasSelection();
    m_launchButton->setEnabled(templateSelected);
    m_launchAction->setEnabled(templateSelected);
    JobView *view = currentJobView();
    m_cancelAction->setEnabled(view && view->canCancel());
    m_relaunchAction->setEnabled(view && view->canRelaunch());
}

void MainWindow::showError(const QString &title, const QString &message) {
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace playdeck

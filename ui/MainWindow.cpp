#include "MainWindow.h"

#include "Controller.h"
#include "DashboardView.h"
#include "DesktopNotifier.h"
#include "JobFilterBar.h"
#include "JobListModel.h"
#include "JobPresentation.h"
#include "JobView.h"
#include "LaunchDialog.h"
#include "ResourceActions.h"
#include "ResourceEditor.h"
#include "ResourceListModel.h"
#include "ResourcesPane.h"
#include "TemplateListModel.h"
#include "TemplatesPane.h"
#include "WebSocketSettingsDialog.h"
#include "db/DbPool.h"
#include "services/JobService.h"
#include "services/ResourceService.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace playdeck {

MainWindow::MainWindow(Controller &controller, WebSocketControl *webSocket, QWidget *parent)
    : QMainWindow(parent)
    , m_controller(controller)
    , m_webSocket(webSocket) {
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Playdeck"));
    setWindowIcon(appIcon());

    m_templateModel = new TemplateListModel(m_controller, this);
    m_jobModel = new JobListModel(m_controller, this);
    m_resourceActions = new ResourceActions(m_controller, this);
    m_notifier = new DesktopNotifier(m_controller, this);

    // Templates, projects, inventories, credentials
    m_sideTabs = new QTabWidget;
    m_sideTabs->setObjectName(QStringLiteral("sideTabs"));
    m_sideTabs->setDocumentMode(true);
    m_templatesPane = new TemplatesPane(m_controller, *m_templateModel, *m_resourceActions);
    m_sideTabs->addTab(m_templatesPane, tr("&Templates"));
    const std::pair<ResourceKind, QString> kinds[] = {{ResourceKind::Project, tr("&Projects")},
                                                      {ResourceKind::Inventory, tr("&Inventories")},
                                                      {ResourceKind::InventorySource, tr("&Sources")},
                                                      {ResourceKind::Credential, tr("Cr&edentials")}};
    for (const auto &[kind, title] : kinds) {
        auto *pane = new ResourcesPane(m_controller, kind, *m_resourceActions);
        m_panes.insert(int(kind), pane);
        m_sideTabs->addTab(pane, title);
        connect(pane, &ResourcesPane::jobStarted, this, [this](qint64 job) {
            m_notifier->watch(job);
            openJob(job);
        });
        connect(pane, &ResourcesPane::message, this,
                [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    }

    // Jobs
    auto *jobsLabel = new QLabel(tr("J&obs"));
    m_jobTable = new QTableView;
    m_jobTable->setObjectName(QStringLiteral("jobTable"));
    m_jobTable->setModel(m_jobModel);
    m_jobTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_jobTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_jobTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_jobTable->setTabKeyNavigation(false); // Tab leaves the table (it used to be a trap)
    m_jobTable->setAccessibleName(tr("Recent jobs"));
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

    m_jobTable->setSortingEnabled(true);
    m_jobTable->sortByColumn(JobListModel::IdColumn, Qt::DescendingOrder);
    m_jobFilter = new JobFilterBar(*m_jobModel, *m_templateModel);

    auto *jobsPane = new QWidget;
    auto *jobsLayout = new QVBoxLayout(jobsPane);
    jobsLayout->setContentsMargins(4, 0, 0, 4);
    jobsLayout->addWidget(jobsLabel);
    jobsLayout->addWidget(m_jobFilter);
    jobsLayout->addWidget(m_jobTable, 1);

    m_leftSplitter = new QSplitter(Qt::Vertical);
    m_leftSplitter->setObjectName(QStringLiteral("leftSplitter"));
    m_leftSplitter->setChildrenCollapsible(false);
    m_leftSplitter->addWidget(m_sideTabs);
    m_leftSplitter->addWidget(jobsPane);
    m_leftSplitter->setStretchFactor(0, 1);
    m_leftSplitter->setStretchFactor(1, 2);

    // The dashboard, then one tab per job
    m_jobTabs = new QTabWidget;
    m_jobTabs->setObjectName(QStringLiteral("jobTabs"));
    m_jobTabs->setTabsClosable(true);
    m_jobTabs->setMovable(true);
    m_jobTabs->setDocumentMode(true);
    m_dashboard = new DashboardView(m_controller);
    m_jobTabs->addTab(m_dashboard, tr("Dashboard"));
    m_jobTabs->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr); // it stays
    m_jobTabs->tabBar()->setTabButton(0, QTabBar::LeftSide, nullptr);
    connect(m_dashboard, &DashboardView::openJobRequested, this, [this](qint64 job) { openJob(job); });
    connect(m_dashboard, &DashboardView::startRequested, this, [this](ResourceKind kind) {
        showResources(kind);
        m_resourceActions->createNew(kind);
    });

    m_mainSplitter = new QSplitter(Qt::Horizontal);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->setChildrenCollapsible(false);
    m_mainSplitter->addWidget(m_leftSplitter);
    m_mainSplitter->addWidget(m_jobTabs);
    // Both panes grow with the window, two to three, starting from these proportions.
    m_mainSplitter->setStretchFactor(0, 2);
    m_mainSplitter->setStretchFactor(1, 3);
    m_mainSplitter->setSizes({480, 720});
    setCentralWidget(m_mainSplitter);

    createActions();
    createMenus();

    connect(m_templatesPane, &TemplatesPane::launchRequested, this, &MainWindow::launchSelectedTemplate);
    connect(m_templatesPane, &TemplatesPane::selectionChanged, this, &MainWindow::updateActions);
    connect(m_templatesPane, &TemplatesPane::failed, this, &MainWindow::showError);
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
    connect(m_resourceActions, &ResourceActions::failed, this, &MainWindow::showError);
    connect(m_resourceActions, &ResourceActions::done, this,
            [this](const QString &text) { statusBar()->showMessage(text, 5000); });
    connect(m_notifier, &DesktopNotifier::notified, this,
            [this](qint64, const QString &summary, const QString &body) {
                statusBar()->showMessage(body.isEmpty() ? summary : tr("%1 — %2").arg(summary, body), 15000);
            });

    m_engineLabel = new QLabel(this);
    m_engineLabel->setObjectName(QStringLiteral("engineLabel"));
    statusBar()->addPermanentWidget(m_engineLabel);
    connect(&m_controller, &Controller::engineStateChanged, this, &MainWindow::onEngineState);
    resize(1200, 800);
    restoreSettings();
    onEngineState();
}

ResourcesPane *MainWindow::resourcesPane(ResourceKind kind) const {
    return m_panes.value(int(kind));
}

void MainWindow::showResources(ResourceKind kind) {
    if (kind == ResourceKind::JobTemplate)
        m_sideTabs->setCurrentIndex(0);
    else if (ResourcesPane *pane = resourcesPane(kind))
        m_sideTabs->setCurrentWidget(pane);
}

LaunchDialog *MainWindow::launchDialog() const {
    return m_launchDialog;
}

void MainWindow::showDashboard() {
    m_jobTabs->setCurrentWidget(m_dashboard);
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
        m_dashboard->refresh();
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
    saveSettings();
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

    m_relaunchFailedAction = new QAction(tr("Relaunch on &Failed Hosts"), this);
    m_relaunchFailedAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_relaunchFailedAction->setStatusTip(tr("Launch the job shown again on the hosts that failed only"));
    connect(m_relaunchFailedAction, &QAction::triggered, this, [this] {
        if (JobView *view = currentJobView())
            view->relaunchJob(RelaunchMode::FailedHosts);
    });
    m_relaunchExactAction = new QAction(tr("Relaunch &Exactly As It Ran"), this);
    m_relaunchExactAction->setStatusTip(
        tr("The same project revision, inventory and variables as the job shown, whatever changed since"));
    connect(m_relaunchExactAction, &QAction::triggered, this, [this] {
        if (JobView *view = currentJobView())
            view->relaunchJob(RelaunchMode::Exact);
    });

    m_closeTabAction = new QAction(tr("Close &Tab"), this);
    // Not QKeySequence::Close: on some desktops that is Ctrl+F4 alone.
    m_closeTabAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_W), QKeySequence(Qt::CTRL | Qt::Key_F4)});
    connect(m_closeTabAction, &QAction::triggered, this, [this] {
        if (currentJobView())
            closeJobTab(m_jobTabs->currentIndex());
    });

    m_findAction = new QAction(tr("&Find in Output…"), this);
    m_findAction->setShortcut(QKeySequence::Find);
    connect(m_findAction, &QAction::triggered, this, [this] {
        if (JobView *view = currentJobView())
            view->showFind();
        else
            m_jobFilter->searchEdit()->setFocus(); // no job shown: find a job
    });

    m_refreshAction = new QAction(tr("&Refresh"), this);
    m_refreshAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_refreshAction->setStatusTip(tr("Read the lists and the job shown again"));
    connect(m_refreshAction, &QAction::triggered, this, [this] {
        m_templateModel->refresh();
        m_jobModel->refresh();
        m_dashboard->refresh();
        for (ResourcesPane *pane : std::as_const(m_panes))
            pane->model()->refresh();
        if (JobView *view = currentJobView())
            view->refreshJob();
    });

    m_dashboardAction = new QAction(tr("&Dashboard"), this);
    m_dashboardAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(m_dashboardAction, &QAction::triggered, this, &MainWindow::showDashboard);

    m_aboutAction = new QAction(tr("&About Playdeck"), this);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus() {
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QMenu *newMenu = fileMenu->addMenu(tr("&New"));
    const std::pair<ResourceKind, QString> kinds[] = {{ResourceKind::JobTemplate, tr("&Template…")},
                                                      {ResourceKind::Project, tr("&Project…")},
                                                      {ResourceKind::Inventory, tr("&Inventory…")},
                                                      {ResourceKind::Credential, tr("&Credential…")}};
    for (const auto &[kind, text] : kinds) {
        QAction *action = newMenu->addAction(text);
        if (kind == ResourceKind::JobTemplate)
            action->setShortcut(QKeySequence::New);
        connect(action, &QAction::triggered, this, [this, kind = kind] {
            showResources(kind);
            m_resourceActions->createNew(kind);
        });
    }
    if (m_webSocket) {
        QAction *webSocket = fileMenu->addAction(tr("&Websocket Server…"));
        webSocket->setObjectName(QStringLiteral("webSocketAction"));
        connect(webSocket, &QAction::triggered, this, [this] {
            WebSocketSettingsDialog dialog(*m_webSocket, this);
            dialog.exec();
        });
    }
    fileMenu->addSeparator();
    fileMenu->addAction(m_quitAction);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addAction(m_dashboardAction);
    viewMenu->addAction(m_findAction);
    viewMenu->addAction(m_refreshAction);

    QMenu *jobMenu = menuBar()->addMenu(tr("&Job"));
    jobMenu->addAction(m_launchAction);
    jobMenu->addSeparator();
    jobMenu->addAction(m_cancelAction);
    jobMenu->addAction(m_relaunchAction);
    jobMenu->addAction(m_relaunchFailedAction);
    jobMenu->addAction(m_relaunchExactAction);
    jobMenu->addSeparator();
    jobMenu->addAction(m_closeTabAction);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(m_aboutAction);
    QAction *aboutQt = helpMenu->addAction(tr("About &Qt"));
    aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
}

void MainWindow::showAbout() {
    auto *box = new QMessageBox(this);
    box->setObjectName(QStringLiteral("aboutBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("About Playdeck"));
    box->setIconPixmap(appIcon().pixmap(64, 64));
    box->setText(tr("<b>Playdeck %1</b>").arg(QStringLiteral(PLAYDECK_VERSION)));
    box->setInformativeText(tr("An Ansible automation controller on the desktop: AWX's engine, its projects, "
                               "inventories, credentials and templates, in one window. Secrets stay in the "
                               "keychain; jobs run with ansible-runner.<br><br>Built with Qt %1.")
                                .arg(QString::fromLatin1(qVersion())));
    box->open();
}

void MainWindow::saveSettings() {
    QSettings settings;
    settings.beginGroup(QStringLiteral("MainWindow"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), saveState());
    settings.setValue(QStringLiteral("mainSplitter"), m_mainSplitter->saveState());
    settings.setValue(QStringLiteral("leftSplitter"), m_leftSplitter->saveState());
    settings.setValue(QStringLiteral("sideTab"), m_sideTabs->currentIndex());
    QVariantList open;
    for (int i = 0; i < m_jobTabs->count(); ++i)
        if (auto *view = qobject_cast<JobView *>(m_jobTabs->widget(i)))
            open << view->jobId();
    settings.setValue(QStringLiteral("openJobs"), open);
    settings.endGroup();
}

void MainWindow::restoreSettings() {
    QSettings settings;
    settings.beginGroup(QStringLiteral("MainWindow"));
    restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("state")).toByteArray());
    m_mainSplitter->restoreState(settings.value(QStringLiteral("mainSplitter")).toByteArray());
    m_leftSplitter->restoreState(settings.value(QStringLiteral("leftSplitter")).toByteArray());
    m_sideTabs->setCurrentIndex(settings.value(QStringLiteral("sideTab"), 0).toInt());
    // The jobs open last time open again (once the engine answers, they load themselves).
    for (const QVariant &id : settings.value(QStringLiteral("openJobs")).toList())
        openJob(id.toLongLong());
    m_jobTabs->setCurrentWidget(m_dashboard);
    settings.endGroup();
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
    const auto selected = m_templatesPane->selectedTemplate();
    if (!selected)
        return;
    if (m_launchDialog) {
        m_launchDialog->raise();
        m_launchDialog->activateWindow();
        return;
    }
    auto *dialog = new LaunchDialog(m_controller, *selected, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &LaunchDialog::launched, this, &MainWindow::onLaunched);
    m_launchDialog = dialog;
    dialog->open();
}

void MainWindow::onLaunched(qint64 jobId) {
    statusBar()->showMessage(tr("Job %1 launched.").arg(jobId), 5000);
    m_notifier->watch(jobId);
    openJob(jobId);
    m_jobModel->scheduleRefresh();
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
    connect(view, &JobView::relaunched, this, &MainWindow::onLaunched);
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
    if (page == m_dashboard)
        return;
    m_jobTabs->removeTab(index);
    if (page)
        page->deleteLater();
}

void MainWindow::updateActions() {
    m_templatesPane->updateActions(m_controller.isReady());
    m_launchAction->setEnabled(m_controller.isReady() && m_templatesPane->selectedTemplate().has_value());
    JobView *view = currentJobView();
    m_cancelAction->setEnabled(view && view->canCancel());
    m_relaunchAction->setEnabled(view && view->canRelaunch());
    const bool playbookJob = view && view->canRelaunch() && view->job().kind == QLatin1String("job");
    m_relaunchFailedAction->setEnabled(playbookJob);
    m_relaunchExactAction->setEnabled(playbookJob);
    m_closeTabAction->setEnabled(view != nullptr);
}

void MainWindow::showError(const QString &title, const QString &message) {
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace playdeck

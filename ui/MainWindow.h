#pragma once

#include <QHash>
#include <QJsonObject>
#include <QMainWindow>
#include <QPointer>

#include "resources/ResourceSchema.h"

#include <optional>

class QAction;
class QCloseEvent;
class QLabel;
class QListView;
class QPushButton;
class QSplitter;
class QTabWidget;
class QTableView;

namespace playdeck {

class Controller;
class DashboardView;
class DesktopNotifier;
class JobFilterBar;
class JobListModel;
class JobView;
class LaunchDialog;
class ResourceActions;
class ResourcesPane;
class TemplateListModel;
class TemplatesPane;
class WebSocketControl;

// Templates, projects, inventories and credentials on the left with the recent jobs below them;
// the dashboard and one tab per opened job in the middle.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // How to quit when jobs run in this process.
    enum class QuitMode {
        Now,         // nothing runs here
        CancelJobs,  // cancel the jobs running here, then quit
        FinishFirst, // close the window, take no new work, quit once the running jobs have finished
    };
    Q_ENUM(QuitMode)

    // `webSocket`: the websocket server's settings, when this process may serve it.
    explicit MainWindow(Controller &controller, WebSocketControl *webSocket = nullptr,
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    TemplateListModel *templateModel() const { return m_templateModel; }
    JobListModel *jobModel() const { return m_jobModel; }
    // The job tab in front, or nullptr.
    JobView *currentJobView() const;
    // The tab showing `jobId`, or nullptr.
    JobView *jobView(qint64 jobId) const;
    DashboardView *dashboard() const { return m_dashboard; }
    DesktopNotifier *notifier() const { return m_notifier; }
    ResourceActions *resourceActions() const { return m_resourceActions; }
    // The list of projects, inventories or credentials.
    ResourcesPane *resourcesPane(ResourceKind kind) const;
    // Shows the side tab of templates (JobTemplate) or of another kind.
    void showResources(ResourceKind kind);
    LaunchDialog *launchDialog() const;

Q_SIGNALS:
    // The operator wants to quit; the composition root stops the engine the way asked and closes us.
    void quitRequested(playdeck::MainWindow::QuitMode mode);

public Q_SLOTS:
    // Opens the launch dialog for the selected template (non-modal; the job starts once accepted).
    void launchSelectedTemplate();
    // Brings the job's tab to the front, opening it if needed.
    JobView *openJob(qint64 jobId);
    void cancelCurrentJob();
    void relaunchCurrentJob();
    void showDashboard();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void onEngineState();
    void askHowToQuit();
    void showQuitQuestion(std::optional<bool> otherWorker);
    void createActions();
    void createMenus();
    void onLaunched(qint64 jobId);
    void closeJobTab(int index);
    void saveSettings();
    void restoreSettings();
    void showAbout();
    void updateActions();
    void showError(const QString &title, const QString &message);

    Controller &m_controller;
    WebSocketControl *m_webSocket = nullptr;
    TemplateListModel *m_templateModel = nullptr;
    JobListModel *m_jobModel = nullptr;

    TemplatesPane *m_templatesPane = nullptr;
    QTabWidget *m_sideTabs = nullptr;
    QHash<int, ResourcesPane *> m_panes; // by ResourceKind
    ResourceActions *m_resourceActions = nullptr;
    DashboardView *m_dashboard = nullptr;
    DesktopNotifier *m_notifier = nullptr;
    JobFilterBar *m_jobFilter = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_leftSplitter = nullptr;
    QTableView *m_jobTable = nullptr;
    QTabWidget *m_jobTabs = nullptr;
    QPointer<LaunchDialog> m_launchDialog;
    QLabel *m_engineLabel = nullptr;
    bool m_quitting = false;

    QAction *m_quitAction = nullptr;
    QAction *m_launchAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_relaunchAction = nullptr;
    QAction *m_relaunchFailedAction = nullptr;
    QAction *m_relaunchExactAction = nullptr;
    QAction *m_closeTabAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_dashboardAction = nullptr;
    QAction *m_aboutAction = nullptr;
};

} // namespace playdeck

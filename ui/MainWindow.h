#pragma once

#include <QMainWindow>
#include <QPointer>

#include <optional>

class QAction;
class QCloseEvent;
class QLabel;
class QListView;
class QPushButton;
class QTabWidget;
class QTableView;

namespace playdeck {

class Controller;
class JobListModel;
class JobView;
class LaunchDialog;
class TemplateListModel;
struct LaunchRequest;

// Templates and recent jobs on the left, one tab per opened job in the middle.
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

    explicit MainWindow(Controller &controller, QWidget *parent = nullptr);
    ~MainWindow() override;

    TemplateListModel *templateModel() const { return m_templateModel; }
    JobListModel *jobModel() const { return m_jobModel; }
    // The job tab in front, or nullptr.
    JobView *currentJobView() const;
    // The tab showing `jobId`, or nullptr.
    JobView *jobView(qint64 jobId) const;

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

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void onEngineState();
    void askHowToQuit();
    void showQuitQuestion(std::optional<bool> otherWorker);
    void createActions();
    void createMenus();
    void launch(const LaunchRequest &request);
    void closeJobTab(int index);
    void updateActions();
    void showError(const QString &title, const QString &message);

    Controller &m_controller;
    TemplateListModel *m_templateModel = nullptr;
    JobListModel *m_jobModel = nullptr;

    QListView *m_templateList = nullptr;
    QPushButton *m_launchButton = nullptr;
    QTableView *m_jobTable = nullptr;
    QTabWidget *m_jobTabs = nullptr;
    QPointer<LaunchDialog> m_launchDialog;
    QLabel *m_engineLabel = nullptr;
    bool m_quitting = false;

    QAction *m_quitAction = nullptr;
    QAction *m_launchAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_relaunchAction = nullptr;
};

} // namespace playdeck

#pragma once

#include <QMainWindow>
#include <QPointer>

class QAction;
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
    explicit MainWindow(Controller &controller, QWidget *parent = nullptr);
    ~MainWindow() override;

    TemplateListModel *templateModel() const { return m_templateModel; }
    JobListModel *jobModel() const { return m_jobModel; }
    // The job tab in front, or nullptr.
    JobView *currentJobView() const;
    // The tab showing `jobId`, or nullptr.
    JobView *jobView(qint64 jobId) const;

public Q_SLOTS:
    // Opens the launch dialog for the selected template (non-modal; the job starts once accepted).
    void launchSelectedTemplate();
    // Brings the job's tab to the front, opening it if needed.
    JobView *openJob(qint64 jobId);
    void cancelCurrentJob();
    void relaunchCurrentJob();

private:
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

    QAction *m_quitAction = nullptr;
    QAction *m_launchAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_relaunchAction = nullptr;
};

} // namespace playdeck

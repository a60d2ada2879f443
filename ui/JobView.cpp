#include "JobView.h"

#include "Controller.h"
#include "HostRecapModel.h"
#include "JobDetailsPanel.h"
#include "JobOutputPane.h"
#include "JobPresentation.h"
#include "db/DbPool.h"
#include "runner/InputWait.h"
#include "services/JobService.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace playdeck {

JobView::JobView(Controller &controller, qint64 jobId, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_jobId(jobId) {
    setObjectName(QStringLiteral("jobView"));

    m_titleLabel = new QLabel(this);
    m_titleLabel->setObjectName(QStringLiteral("titleLabel"));
    m_titleLabel->setTextFormat(Qt::PlainText);
    m_titleLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_titleLabel->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    m_titleLabel->setFont(titleFont);
    // Long names and details are cut off rather than widening the whole window.
    m_titleLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    m_cancelButton = new QPushButton(tr("&Cancel Job"), this);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_cancelButton->setToolTip(tr("Stop this job"));
    connect(m_cancelButton, &QPushButton::clicked, this, &JobView::cancelJob);

    m_relaunchButton = new QPushButton(tr("&Relaunch"), this);
    m_relaunchButton->setObjectName(QStringLiteral("relaunchButton"));
    m_relaunchButton->setToolTip(tr("Launch a new job with the same settings"));
    connect(m_relaunchButton, &QPushButton::clicked, this, [this] { relaunchJob(); });

    // AWX's other relaunch, and Playdeck's replay.
    m_relaunchModeButton = new QToolButton(this);
    m_relaunchModeButton->setObjectName(QStringLiteral("relaunchModeButton"));
    m_relaunchModeButton->setText(tr("More"));
    m_relaunchModeButton->setAccessibleName(tr("Other ways to relaunch"));
    m_relaunchModeButton->setPopupMode(QToolButton::InstantPopup);
    auto *relaunchMenu = new QMenu(m_relaunchModeButton);
    QAction *failedHosts = relaunchMenu->addAction(tr("Relaunch on &Failed Hosts"));
    failedHosts->setObjectName(QStringLiteral("relaunchFailedAction"));
    failedHosts->setToolTip(tr("Only on the hosts that failed or were unreachable"));
    connect(failedHosts, &QAction::triggered, this, [this] { relaunchJob(RelaunchMode::FailedHosts); });
    QAction *exact = relaunchMenu->addAction(tr("Relaunch &Exactly As It Ran"));
    exact->setObjectName(QStringLiteral("relaunchExactAction"));
    exact->setToolTip(tr("The same project revision, inventory and variables, whatever changed since"));
    connect(exact, &QAction::triggered, this, [this] { relaunchJob(RelaunchMode::Exact); });
    m_relaunchModeButton->setMenu(relaunchMenu);

    m_statusIcon = new QLabel(this);
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("statusLabel"));
    m_statusLabel->setTextFormat(Qt::PlainText);
    QFont statusFont = m_statusLabel->font();
    statusFont.setBold(true);
    m_statusLabel->setFont(statusFont);

    auto *elapsedCaption = new QLabel(tr("Elapsed:"), this);
    m_elapsedLabel = new QLabel(this);
    m_elapsedLabel->setObjectName(QStringLiteral("elapsedLabel"));
    m_elapsedLabel->setTextFormat(Qt::PlainText);
    elapsedCaption->setBuddy(m_elapsedLabel);

    m_detailsLabel = new QLabel(this);
    m_detailsLabel->setObjectName(QStringLiteral("detailsLabel"));
    m_detailsLabel->setTextFormat(Qt::PlainText);
    m_detailsLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detailsLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    m_explanationLabel = new QLabel(this);
    m_explanationLabel->setObjectName(QStringLiteral("explanationLabel"));
    m_explanationLabel->setTextFormat(Qt::PlainText);
    m_explanationLabel->setWordWrap(true);
    m_explanationLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_explanationLabel->hide();

    m_inputLabel = new QLabel(this);
    m_inputLabel->setObjectName(QStringLiteral("inputLabel"));
    m_inputLabel->setTextFormat(Qt::PlainText);
    m_inputLabel->setWordWrap(true);
    m_inputLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_inputLabel->setAutoFillBackground(true);
    m_inputLabel->setMargin(6);
    QPalette inputPalette = m_inputLabel->palette();
    inputPalette.setColor(QPalette::Window, QColor(0xff, 0xf3, 0xcd));
    inputPalette.setColor(QPalette::WindowText, QColor(0x66, 0x4d, 0x03));
    m_inputLabel->setPalette(inputPalette);
    m_inputLabel->hide();

    m_eventsLabel = new QLabel(this);
    m_eventsLabel->setObjectName(QStringLiteral("eventsLabel"));
    m_eventsLabel->setTextFormat(Qt::PlainText);
    m_eventsLabel->setWordWrap(true);
    m_eventsLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_eventsLabel->hide();

    m_messageLabel = new QLabel(this);
    m_messageLabel->setObjectName(QStringLiteral("messageLabel"));
    m_messageLabel->setTextFormat(Qt::PlainText);
    m_messageLabel->setWordWrap(true);
    QPalette messagePalette = m_messageLabel->palette();
    messagePalette.setColor(QPalette::WindowText, readableOn(statusColor(JobStatus::Failed),
                                                             messagePalette.color(QPalette::Window)));
    m_messageLabel->setPalette(messagePalette);
    m_messageLabel->hide();

    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(m_titleLabel, 1);
    titleRow->addWidget(m_cancelButton);
    titleRow->addWidget(m_relaunchButton);
    titleRow->addWidget(m_relaunchModeButton);

    auto *stateRow = new QHBoxLayout;
    stateRow->addWidget(m_statusIcon);
    stateRow->addWidget(m_statusLabel);
    stateRow->addSpacing(16);
    stateRow->addWidget(elapsedCaption);
    stateRow->addWidget(m_elapsedLabel);
    stateRow->addSpacing(16);
    stateRow->addWidget(m_detailsLabel, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(titleRow);
    layout->addLayout(stateRow);
    layout->addWidget(m_explanationLabel);
    layout->addWidget(m_inputLabel);
    layout->addWidget(m_eventsLabel);
    layout->addWidget(m_messageLabel);
    m_recapModel = new HostRecapModel(this);
    m_recapView = new QTableView;
    m_recapView->setObjectName(QStringLiteral("recapTable"));
    m_recapView->setModel(m_recapModel);
    m_recapView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_recapView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_recapView->setTabKeyNavigation(false);
    m_recapView->setSortingEnabled(false);
    m_recapView->verticalHeader()->hide();
    m_recapView->horizontalHeader()->setSectionResizeMode(HostRecapModel::HostColumn, QHeaderView::Stretch);
    m_recapView->setAccessibleName(tr("Recap per host"));
    m_recapView->setToolTip(tr("Double-click a host to see its results"));
    // A host's row leads to its results: the output shows its lines and the tree opens its first
    // failure (or its first result).
    connect(m_recapView, &QTableView::activated, this, [this](const QModelIndex &index) {
        if (index.row() < 0 || index.row() >= m_recapModel->summaries().size())
            return;
        const QString host = m_recapModel->summaries().at(index.row()).host;
        m_pages->setCurrentIndex(0);
        m_output->showHost(host);
    });
    m_detailsPanel = new JobDetailsPanel(m_controller);
    auto *detailsScroll = new QScrollArea;
    detailsScroll->setWidget(m_detailsPanel);
    detailsScroll->setWidgetResizable(true);
    detailsScroll->setFrameShape(QFrame::NoFrame);

    m_output = new JobOutputPane(m_controller.jobs(), m_jobId);

    m_pages = new QTabWidget;
    m_pages->setObjectName(QStringLiteral("jobPages"));
    m_pages->setDocumentMode(true);
    m_pages->addTab(m_output, tr("O&utput"));
    m_pages->addTab(m_recapView, tr("Rec&ap"));
    m_pages->addTab(detailsScroll, tr("&Details"));
    layout->addWidget(m_pages, 1);

    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &JobView::updateElapsed);

    connect(&m_controller, &Controller::jobChanged, this, &JobView::onJobChanged);
    connect(&m_controller, &Controller::eventsCommitted, this, &JobView::onEventsCommitted);
    connect(&m_controller, &Controller::resynced, this, [this] {
        // The bus was deaf for a while: whatever changed meanwhile was not announced to us.
        refreshJob();
        m_output->jobAdvanced();
    });

    updateHeader();
    refreshJob();
}

int JobView::lastCounter() const {
    return m_output->lastCounter();
}

QString JobView::title() const {
    if (!m_loaded || m_job.name.isEmpty())
        return tr("Job #%1").arg(m_jobId);
    return tr("%1 #%2").arg(m_job.name, QString::number(m_jobId));
}

bool JobView::canCancel() const {
    return m_loaded && !m_cancelling && (isActive(m_job.status) || m_job.status == JobStatus::New);
}

bool JobView::canRelaunch() const {
    return m_loaded && !m_relaunching;
}

bool JobView::isFollowing() const {
    return m_output->isFollowing();
}

void JobView::setFollowing(bool follow) {
    m_output->setFollowing(follow);
}

void JobView::cancelJob() {
    if (!canCancel())
        return;
    m_cancelling = true;
    updateActions();
    whenReady(m_controller.jobs().cancel(m_jobId), this, [this](Result<CancelOutcome> outcome) {
        m_cancelling = false;
        if (!outcome)
            showMessage(
                tr("Job %1 could not be canceled: %2").arg(QString::number(m_jobId), outcome.error()));
        updateActions();
        refreshJob();
    });
}

void JobView::relaunchJob(RelaunchMode mode) {
    if (!canRelaunch())
        return;
    m_relaunching = true;
    updateActions();
    whenReady(m_controller.jobs().relaunch(m_jobId, mode), this, [this](Result<qint64> result) {
        m_relaunching = false;
        updateActions();
        if (!result) {
            showMessage(
                tr("Job %1 could not be relaunched: %2").arg(QString::number(m_jobId), result.error()));
            return;
        }
        showMessage(QString());
        Q_EMIT relaunched(result.value());
    });
}

void JobView::refreshJob() {
    if (m_jobFetching) {
        m_jobFetchAgain = true;
        return;
    }
    m_jobFetching = true;
    m_jobFetchAgain = false;
    whenReady(m_controller.jobs().job(m_jobId), this, [this](Result<JobDetail> result) {
        m_jobFetching = false;
        if (result)
            applyJob(result.take());
        else
            showMessage(tr("Job %1 could not be loaded: %2").arg(QString::number(m_jobId), result.error()));
        if (m_jobFetchAgain)
            refreshJob();
    });
}

void JobView::applyJob(JobDetail job) {
    const bool wasLoaded = m_loaded;
    const JobStatus oldStatus = m_job.status;
    const QString oldTitle = title();
    m_job = std::move(job);
    m_loaded = true;
    updateHeader();
    m_detailsPanel->setJob(m_job);
    // The recap is stored with the job's last events: once they all are, it is complete.
    if (!m_recapFetched && isFinished(m_job.status) && m_job.eventProcessingFinished) {
        m_recapFetched = true;
        fetchRecap();
    }
    if (title() != oldTitle)
        Q_EMIT titleChanged(title());
    if (!wasLoaded || m_job.status != oldStatus) {
        Q_EMIT statusChanged(m_job.status);
        // The last events may have been committed just before the job finished.
        if (wasLoaded && isFinished(m_job.status))
            m_output->jobAdvanced();
    }
    m_output->setJobRunning(m_job.status == JobStatus::Running);
}

void JobView::onEventsCommitted(qint64 jobId, int counter) {
    if (jobId == m_jobId && counter > lastCounter())
        m_output->jobAdvanced();
}

void JobView::onJobChanged(const bus::JobChanged &change) {
    if (change.jobId == m_jobId)
        refreshJob();
}

void JobView::updateHeader() {
    m_titleLabel->setText(title());
    if (!m_loaded) {
        m_statusLabel->setText(tr("loading…"));
        m_statusIcon->clear();
    } else {
        m_statusLabel->setText(statusText(m_job.status));
        const int size = m_statusLabel->fontMetrics().height();
        m_statusIcon->setPixmap(statusIcon(m_job.status).pixmap(size, size));
    }

    QStringList details;
    QStringList fullDetails;
    if (!m_job.options.playbook.isEmpty()) {
        details << tr("Playbook: %1").arg(m_job.options.playbook);
        fullDetails << details.last();
    }
    if (m_job.started.isValid()) {
        details << tr("Started: %1").arg(shortTimestamp(m_job.started));
        fullDetails
            << tr("Started: %1").arg(QLocale().toString(m_job.started.toLocalTime(), QLocale::LongFormat));
    }
    if (m_job.finished.isValid()) {
        details << tr("Finished: %1").arg(shortTimestamp(m_job.finished));
        fullDetails
            << tr("Finished: %1").arg(QLocale().toString(m_job.finished.toLocalTime(), QLocale::LongFormat));
    }
    if (!m_job.executionNode.isEmpty()) {
        details << tr("Node: %1").arg(m_job.executionNode);
        fullDetails << details.last();
    }
    m_detailsLabel->setText(details.join(QStringLiteral("   ")));
    m_detailsLabel->setToolTip(fullDetails.join(QLatin1Char('\n')));

    m_explanationLabel->setText(m_job.explanation);
    m_explanationLabel->setToolTip(m_job.resultTraceback);
    m_explanationLabel->setVisible(!m_job.explanation.isEmpty());

    m_inputLabel->setText(m_job.inputPrompt.isEmpty() ? QString() : inputWaitMessage(m_job.inputPrompt));
    m_inputLabel->setVisible(!m_job.inputPrompt.isEmpty() && isActive(m_job.status));

    const QString refused =
        m_job.refusedEvents > 0
            ? (m_job.refusedEvents == 1
                   ? tr("1 event of this job is not stored: %1")
                   : tr("%1 events of this job are not stored: %2").arg(m_job.refusedEvents))
                  .arg(m_job.refusedReason)
            : QString();
    m_eventsLabel->setText(refused);
    m_eventsLabel->setVisible(!refused.isEmpty());

    updateElapsed();
    if (m_loaded && isActive(m_job.status) && m_job.started.isValid()) {
        if (!m_clock.isActive())
            m_clock.start();
    } else {
        m_clock.stop();
    }
    updateActions();
}

void JobView::updateElapsed() {
    m_elapsedLabel->setText(formatElapsed(elapsedSeconds(m_job, QDateTime::currentDateTimeUtc())));
}

void JobView::showFind() {
    m_pages->setCurrentIndex(0);
    m_output->showFind();
}

void JobView::fetchRecap() {
    whenReady(m_controller.jobs().hostSummaries(m_jobId), this, [this](Result<QList<HostSummary>> recap) {
        if (!recap)
            return showMessage(tr("The recap of job %1 could not be loaded: %2")
                                   .arg(QString::number(m_jobId), recap.error()));
        m_recapModel->setSummaries(recap.value());
        m_pages->setTabText(1, recap.value().isEmpty() ? tr("Rec&ap")
                                                       : tr("Rec&ap (%1)").arg(recap.value().size()));
    });
}

void JobView::updateActions() {
    m_cancelButton->setEnabled(canCancel());
    m_relaunchButton->setEnabled(canRelaunch());
    m_relaunchModeButton->setEnabled(canRelaunch() && m_job.kind == QLatin1String("job"));
    Q_EMIT actionsChanged();
}

void JobView::showMessage(const QString &message) {
    m_messageLabel->setText(message);
    m_messageLabel->setVisible(!message.isEmpty());
}

} // namespace playdeck

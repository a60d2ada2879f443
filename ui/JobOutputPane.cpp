#include "JobOutputPane.h"

#include "EventTreeModel.h"
#include "OutputFindBar.h"
#include "OutputLineModel.h"
#include "OutputLinesView.h"
#include "OutputSearch.h"
#include "db/DbPool.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <limits>

namespace playdeck {

JobOutputPane::JobOutputPane(JobService &jobs, qint64 jobId, QWidget *parent)
    : QWidget(parent)
    , m_jobs(jobs)
    , m_jobId(jobId) {
    setObjectName(QStringLiteral("outputPane"));
    m_model = new OutputLineModel(jobs, jobId, this);
    m_search = new OutputSearch(jobs, jobId, this);
    m_treeModel = new EventTreeModel(jobs, jobId, this);

    m_view = new OutputLinesView;
    m_view->setObjectName(QStringLiteral("outputView"));
    m_view->setAccessibleName(tr("Output"));
    m_view->setModel(m_model);

    m_followBox = new QCheckBox(tr("Follo&w"));
    m_followBox->setObjectName(QStringLiteral("followBox"));
    m_followBox->setToolTip(tr("Keep the newest output in view (End)"));
    m_followBox->setChecked(m_view->isFollowing());
    connect(m_followBox, &QCheckBox::toggled, m_view, &OutputLinesView::setFollowing);
    connect(m_view, &OutputLinesView::followingChanged, m_followBox, &QCheckBox::setChecked);

    m_tree = new QTreeView;
    m_tree->setObjectName(QStringLiteral("eventTree"));
    m_tree->setAccessibleName(tr("Plays, tasks and host results"));
    m_tree->setHeaderHidden(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setModel(m_treeModel);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { onTreeCurrent(current); });
    connect(m_tree, &QTreeView::activated, this, &JobOutputPane::onTreeCurrent);
    connect(m_treeModel, &QAbstractItemModel::rowsInserted, this, &JobOutputPane::onTreeRowsInserted);
    connect(m_treeModel, &EventTreeModel::revealed, this, [this](const QModelIndex &index) {
        for (QModelIndex up = index.parent(); up.isValid(); up = up.parent())
            m_tree->expand(up);
        m_tree->setCurrentIndex(index);
        m_tree->scrollTo(index);
    });
    connect(m_treeModel, &EventTreeModel::loadFailed, this, [this](const QString &message) {
        showStatus(tr("The plays and tasks could not be loaded: %1").arg(message), true);
    });

    m_treeBox = new QCheckBox(tr("Tas&ks"));
    m_treeBox->setObjectName(QStringLiteral("treeBox"));
    m_treeBox->setToolTip(tr("Show the plays, tasks and host results beside the output"));
    m_treeBox->setChecked(true);
    connect(m_treeBox, &QCheckBox::toggled, m_tree, &QWidget::setVisible);

    m_wrapBox = new QCheckBox(tr("Wrap lines"));
    m_wrapBox->setObjectName(QStringLiteral("wrapBox"));
    connect(m_wrapBox, &QCheckBox::toggled, m_view, &OutputLinesView::setWrap);

    auto *goTo = new QToolButton;
    goTo->setObjectName(QStringLiteral("goToLineButton"));
    goTo->setText(tr("Go to Line…"));
    goTo->setToolTip(tr("Jump to a line of the output (Ctrl+G)"));
    connect(goTo, &QToolButton::clicked, this, &JobOutputPane::askGoToLine);
    auto *goToKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_G), this);
    goToKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(goToKey, &QShortcut::activated, this, &JobOutputPane::askGoToLine);

    auto *download = new QToolButton;
    download->setObjectName(QStringLiteral("downloadButton"));
    download->setText(tr("Download"));
    download->setToolTip(tr("Save the whole output to a file"));
    download->setPopupMode(QToolButton::InstantPopup);
    auto *downloads = new QMenu(download);
    connect(downloads->addAction(tr("Plain Text…")), &QAction::triggered, this,
            [this] { askSave(JobService::OutputFormat::Plain); });
    connect(downloads->addAction(tr("With ANSI Colours…")), &QAction::triggered, this,
            [this] { askSave(JobService::OutputFormat::Ansi); });
    connect(downloads->addAction(tr("JSON Lines with Timestamps…")), &QAction::triggered, this,
            [this] { askSave(JobService::OutputFormat::JsonLines); });
    download->setMenu(downloads);

    m_lagLabel = new QLabel;
    m_lagLabel->setObjectName(QStringLiteral("lagLabel"));
    m_lagLabel->setTextFormat(Qt::PlainText);
    m_lagLabel->setToolTip(tr("How long ago the newest event shown was made, and how many events "
                              "arrive a second"));
    m_lagLabel->hide();
    m_statusLabel = new QLabel;
    m_statusLabel->setObjectName(QStringLiteral("outputStatus"));
    m_statusLabel->setTextFormat(Qt::PlainText);
    m_statusLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    auto *tools = new QHBoxLayout;
    tools->addWidget(m_treeBox);
    tools->addWidget(m_followBox);
    tools->addWidget(m_wrapBox);
    tools->addWidget(goTo);
    tools->addWidget(download);
    tools->addWidget(m_statusLabel, 1);
    tools->addWidget(m_lagLabel);

    m_findBar = new OutputFindBar;
    m_findBar->hide();
    connect(m_findBar, &OutputFindBar::filterChanged, this, &JobOutputPane::applyFilter);
    connect(m_findBar, &OutputFindBar::nextRequested, this, &JobOutputPane::findNext);
    connect(m_findBar, &OutputFindBar::closed, this, [this] { m_view->setFocus(); });
    connect(m_search, &OutputSearch::progressed, this, &JobOutputPane::onSearchProgress);
    connect(m_search, &OutputSearch::matchesAdded, this, [this](const QList<LineRange> &ranges) {
        m_model->appendFilterRanges(ranges);
        if (m_pendingNext) {
            m_pendingNext = false;
            findNext(m_pendingBackwards);
        }
    });

    // The event behind the current line.
    m_eventPanel = new QWidget;
    m_eventPanel->setObjectName(QStringLiteral("eventPanel"));
    m_eventTitle = new QLabel;
    m_eventTitle->setObjectName(QStringLiteral("eventTitle"));
    m_eventTitle->setTextFormat(Qt::PlainText);
    m_eventTitle->setWordWrap(true);
    m_eventTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_eventData = new QPlainTextEdit;
    m_eventData->setObjectName(QStringLiteral("eventDataView"));
    m_eventData->setReadOnly(true);
    m_eventData->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_eventData->setAccessibleName(tr("The event's data"));
    auto *closeEvent = new QToolButton;
    closeEvent->setText(tr("Close"));
    closeEvent->setAccessibleName(tr("Close the event"));
    connect(closeEvent, &QToolButton::clicked, m_eventPanel, &QWidget::hide);
    auto *eventHead = new QHBoxLayout;
    eventHead->addWidget(m_eventTitle, 1);
    eventHead->addWidget(closeEvent);
    auto *eventColumn = new QVBoxLayout(m_eventPanel);
    eventColumn->setContentsMargins(0, 0, 0, 0);
    eventColumn->addLayout(eventHead);
    eventColumn->addWidget(m_eventData, 1);
    m_eventPanel->hide();
    connect(m_view, &OutputLinesView::activated, this, &JobOutputPane::showEventOf);
    connect(m_view, &OutputLinesView::currentRowChanged, this, [this](int row) {
        if (m_eventPanel->isVisible())
            showEventOf(row);
    });
    connect(m_view, &OutputLinesView::copied, this, [this](int rows) {
        showStatus(rows == 1 ? tr("Copied 1 line.") : tr("Copied %1 lines.").arg(QLocale().toString(rows)));
    });

    m_splitter = new QSplitter;
    m_splitter->addWidget(m_tree);
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_eventPanel);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setStretchFactor(2, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(tools);
    layout->addWidget(m_findBar);
    layout->addWidget(m_splitter, 1);

    connect(m_model, &OutputLineModel::extentChanged, this, &JobOutputPane::onExtent);
    connect(m_model, &OutputLineModel::loadFailed, this, [this](const QString &message) {
        showStatus(tr("The output could not be loaded: %1").arg(message), true);
    });
    m_lagClock.setInterval(1000);
    connect(&m_lagClock, &QTimer::timeout, this, &JobOutputPane::updateLag);
    m_since.start();
    m_model->refresh();
}

int JobOutputPane::lastCounter() const {
    return m_model->extent().lastCounter;
}

bool JobOutputPane::isFollowing() const {
    return m_view->isFollowing();
}

void JobOutputPane::setFollowing(bool follow) {
    m_view->setFollowing(follow);
}

void JobOutputPane::jobAdvanced() {
    m_model->refresh();
    m_search->jobAdvanced();
    m_treeModel->refresh();
}

void JobOutputPane::setJobRunning(bool running) {
    if (running == m_running)
        return;
    m_running = running;
    m_samples.clear();
    onSearchProgress();
    if (running)
        m_lagClock.start();
    else
        m_lagClock.stop();
    updateLag();
}

void JobOutputPane::onExtent(const OutputExtent &extent) {
    m_samples.append({m_since.elapsed(), extent.lastCounter});
    updateLag();
}

QString JobOutputPane::lagText() const {
    return m_lagLabel->isVisible() || m_running ? m_lagLabel->text() : QString();
}

void JobOutputPane::updateLag() {
    const OutputExtent &extent = m_model->extent();
    if (!m_running || !extent.newestCreated.isValid()) {
        m_lagLabel->clear();
        m_lagLabel->hide();
        return;
    }
    const qint64 now = m_since.elapsed();
    if (m_samples.isEmpty() || now - m_samples.last().ms >= 500)
        m_samples.append({now, extent.lastCounter}); // a quiet second counts as one
    while (m_samples.size() > 2 && now - m_samples.first().ms > 5000)
        m_samples.removeFirst();
    double rate = 0;
    const Sample &first = m_samples.first();
    const Sample &last = m_samples.last();
    if (last.ms - first.ms >= 200)
        rate = (last.counter - first.counter) * 1000.0 / double(last.ms - first.ms);
    const qint64 lag = qMax<qint64>(0, extent.newestCreated.msecsTo(QDateTime::currentDateTimeUtc()));
    const QString lagPart =
        lag < 1000 ? tr("%1 ms").arg(lag) : tr("%1 s").arg(QLocale().toString(lag / 1000.0, 'f', 1));
    m_lagLabel->setText(tr("Lag %1 · %2 events/s").arg(lagPart, QLocale().toString(qRound(rate))));
    m_lagLabel->show();
}

void JobOutputPane::showFind() {
    m_findBar->activate();
}

void JobOutputPane::applyFilter() {
    const OutputFilter filter = m_findBar->filter();
    m_pendingNext = false;
    QRegularExpression highlight;
    if (!filter.text.isEmpty()) {
        highlight.setPattern(filter.regex ? filter.text : QRegularExpression::escape(filter.text));
        if (!filter.caseSensitive)
            highlight.setPatternOptions(QRegularExpression::CaseInsensitiveOption);
    }
    m_view->setHighlight(highlight);
    m_autoExpanded = 0;
    m_treeModel->setFilter(filter);
    if (m_findBar->onlyMatching() && !filter.isEmpty())
        m_model->setFilterRanges({});
    else
        m_model->clearFilter();
    m_search->start(filter);
}

void JobOutputPane::onSearchProgress() {
    if (!m_search->isActive()) {
        m_findBar->setStatus(QString());
        return;
    }
    if (!m_search->error().isEmpty()) {
        m_findBar->setStatus(m_search->error());
        return;
    }
    const int n = m_search->matchCount();
    QString status;
    if (n == 0 && m_search->isCaughtUp())
        status = m_running ? tr("Not found yet") : tr("Not found");
    else
        status = n == 1 ? tr("1 match") : tr("%1 matches").arg(QLocale().toString(n));
    if (!m_search->isCaughtUp())
        status = tr("%1, searching…").arg(status);
    m_findBar->setStatus(status);
}

void JobOutputPane::findNext(bool backwards) {
    if (!m_search->isActive())
        return;
    const int row = m_view->currentRow();
    const int from = row < 0 ? (backwards ? std::numeric_limits<int>::max() : -1) : m_model->lineOfRow(row);
    int line = m_search->nextMatch(from, backwards);
    if (line < 0 && m_search->error().isEmpty() && (!m_search->isCaughtUp() || (m_running && !backwards))) {
        // Not that far yet, or not printed yet: go there when the search finds it.
        m_pendingNext = true;
        m_pendingBackwards = backwards;
        return;
    }
    if (line < 0) // around again, from the other end
        line = m_search->nextMatch(backwards ? std::numeric_limits<int>::max() : -1, backwards);
    if (line >= 0)
        goToMatch(line);
}

void JobOutputPane::goToMatch(int line) {
    m_view->setFollowing(false); // the operator is reading where the match is
    m_model->growTo(line + 1);
    m_view->setCurrentRow(m_model->rowOfLine(line));
    const QString at = QLocale().toString(m_search->matchesBefore(line) + 1);
    const QString all = QLocale().toString(m_search->matchCount());
    m_findBar->setStatus(m_search->isCaughtUp() ? tr("%1 of %2").arg(at, all)
                                                : tr("%1 of %2, searching…").arg(at, all));
}

void JobOutputPane::goToLine(int line) {
    if (m_model->rowCount() == 0)
        return;
    m_view->setFollowing(false);
    m_view->setCurrentRow(m_model->rowOfLine(qMax(0, line - 1)));
}

void JobOutputPane::askGoToLine() {
    const int lines = m_model->lineCount();
    if (lines == 0)
        return;
    const int current = m_view->currentRow() < 0 ? 1 : m_model->lineOfRow(m_view->currentRow()) + 1;
    bool ok = false;
    const int line =
        QInputDialog::getInt(this, tr("Go to Line"), tr("Line (1 to %1):").arg(QLocale().toString(lines)),
                             current, 1, lines, 1, &ok);
    if (ok)
        goToLine(line);
}

void JobOutputPane::askSave(JobService::OutputFormat format) {
    QString name = QStringLiteral("job-%1").arg(m_jobId);
    QString filter;
    switch (format) {
    case JobService::OutputFormat::Plain:
        name += QStringLiteral(".txt");
        filter = tr("Text (*.txt)");
        break;
    case JobService::OutputFormat::Ansi:
        name += QStringLiteral(".ansi.txt");
        filter = tr("Text with ANSI colours (*.txt *.ansi)");
        break;
    case JobService::OutputFormat::JsonLines:
        name += QStringLiteral(".jsonl");
        filter = tr("JSON lines (*.jsonl *.json)");
        break;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the Output"), name, filter);
    if (!path.isEmpty())
        saveOutput(format, path);
}

void JobOutputPane::saveOutput(JobService::OutputFormat format, const QString &path) {
    showStatus(tr("Saving %1…").arg(path));
    whenReady(m_jobs.saveOutput(m_jobId, format, path), this, [this, path](Result<qint64> result) {
        if (!result) {
            showStatus(result.error(), true);
            Q_EMIT saveFailed(result.error());
            return;
        }
        showStatus(tr("Saved to %1.").arg(path));
        Q_EMIT saved(path, result.value());
    });
}

void JobOutputPane::showEventOf(int row) {
    showEvent(m_model->index(row, 0).data(OutputLineModel::CounterRole).toInt());
}

void JobOutputPane::onTreeCurrent(const QModelIndex &index) {
    if (!index.isValid())
        return;
    showEvent(index.data(EventTreeModel::CounterRole).toInt());
    const int line = index.data(EventTreeModel::StartLineRole).toInt();
    // A result that printed nothing (ansible's default callback hides skipped hosts, say) has no
    // line of its own to go to.
    if (m_view->currentRow() < 0 || m_model->lineOfRow(m_view->currentRow()) != line)
        goToLine(line + 1);
}

void JobOutputPane::onTreeRowsInserted(const QModelIndex &parent, int first, int last) {
    // A filtered tree is short: open its plays and tasks as they come, as far as a screen goes.
    // Unfiltered, the plays open (their tasks are what one looks for), not the tasks.
    const bool filtered = m_treeModel->filter().hasEventConditions();
    for (int row = first; row <= last && m_autoExpanded < 40; ++row) {
        const QModelIndex index = m_treeModel->index(row, 0, parent);
        const auto kind = EventNodeKind(index.data(EventTreeModel::KindRole).toInt());
        if (kind == EventNodeKind::Play || (filtered && kind == EventNodeKind::Task)) {
            ++m_autoExpanded;
            m_tree->expand(index);
        }
    }
}

void JobOutputPane::showHost(const QString &host) {
    m_treeBox->setChecked(true);
    m_findBar->setHost(host);
    whenReady(m_jobs.firstResultOf(m_jobId, host), this, [this, host](Result<EventPath> path) {
        if (!path) {
            showStatus(tr("The results of %1 could not be loaded: %2").arg(host, path.error()), true);
            return;
        }
        if (path.value().counter <= 0) {
            showStatus(tr("%1 has no results in this job.").arg(host));
            return;
        }
        showEvent(path.value().counter);
        m_treeModel->reveal(path.value());
    });
}

void JobOutputPane::showEvent(int counter) {
    if (counter <= 0)
        return;
    m_eventPanel->show();
    if (counter == m_shownCounter)
        return;
    m_shownCounter = counter;
    whenReady(m_jobs.events(m_jobId, counter - 1, 1), this, [this, counter](Result<QList<JobEvent>> result) {
        if (counter != m_shownCounter)
            return; // another line was chosen meanwhile
        if (!result || result.value().isEmpty()) {
            m_eventTitle->setText(result ? tr("Event %1 is not stored.").arg(counter) : result.error());
            m_eventData->clear();
            return;
        }
        const JobEvent &e = result.value().first();
        QStringList title{tr("Event %1").arg(e.counter), e.event};
        for (const QString &part : {e.hostName, e.task.isEmpty() ? e.play : e.task}) {
            if (!part.isEmpty())
                title << part;
        }
        m_eventTitle->setText(title.join(QStringLiteral(" · ")));
        m_eventData->setPlainText(
            QString::fromUtf8(QJsonDocument::fromJson(e.eventData).toJson(QJsonDocument::Indented)));
    });
}

void JobOutputPane::showStatus(const QString &text, bool error) {
    m_statusLabel->setText(text);
    m_statusLabel->setToolTip(text);
    QPalette pal = m_statusLabel->palette();
    pal.setColor(QPalette::WindowText,
                 error ? QColor(0xc0, 0x1c, 0x28) : palette().color(QPalette::WindowText));
    m_statusLabel->setPalette(pal);
}

} // namespace playdeck

#include "JobListModel.h"

#include "Controller.h"
#include "JobPresentation.h"
#include "db/DbPool.h"
#include "services/JobService.h"

#include "runner/InputWait.h"

#include <QLocale>

#include <algorithm>

namespace playdeck {

JobListModel::JobListModel(Controller &controller, QObject *parent)
    : JobRowsBase(parent)
    , m_controller(controller) {
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(100);
    connect(&m_refreshTimer, &QTimer::timeout, this, &JobListModel::refresh);

    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &JobListModel::tick);

    connect(&m_controller, &Controller::jobChanged, this, &JobListModel::scheduleRefresh);
    connect(&m_controller, &Controller::resynced, this, &JobListModel::scheduleRefresh);
}

int JobListModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JobSummary &job = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn:
            return job.id;
        case NameColumn:
            return job.name;
        case StatusColumn:
            return statusText(job.status);
        case StartedColumn:
            return shortTimestamp(job.started);
        case ElapsedColumn:
            return job.started.isValid() ? formatElapsed(elapsedSeconds(job, QDateTime::currentDateTimeUtc()))
                                         : QString();
        default:
            return {};
        }
    case Qt::DecorationRole:
        if (index.column() == StatusColumn)
            return iconFor(job.status);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn && !job.inputPrompt.isEmpty())
            return inputWaitMessage(job.inputPrompt);
        if (index.column() == StatusColumn && !job.explanation.isEmpty())
            return job.explanation;
        if (index.column() == StartedColumn && job.started.isValid())
            return QLocale().toString(job.started.toLocalTime(), QLocale::LongFormat);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == IdColumn || index.column() == ElapsedColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case IdRole:
        return job.id;
    case StatusRole:
        return QVariant::fromValue(job.status);
    default:
        return {};
    }
}

QVariant JobListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return JobRowsBase::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("ID");
    case NameColumn:
        return tr("Name");
    case StatusColumn:
        return tr("Status");
    case StartedColumn:
        return tr("Started");
    case ElapsedColumn:
        return tr("Elapsed");
    default:
        return {};
    }
}

QHash<int, QByteArray> JobListModel::roleNames() const {
    QHash<int, QByteArray> names = JobRowsBase::roleNames();
    names.insert(IdRole, "jobId");
    names.insert(StatusRole, "status");
    return names;
}

void JobListModel::scheduleRefresh() {
    // Not restarted on every call: a steady stream of changes still refreshes every 100 ms.
    if (!m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void JobListModel::refresh() {
    m_refreshTimer.stop();
    if (m_fetching) {
        m_fetchAgain = true;
        return;
    }
    m_fetching = true;
    m_fetchAgain = false;
    m_query.limit = FetchLimit;
    whenReady(m_controller.jobs().find(m_query), this, [this](Result<JobPage> result) {
        m_fetching = false;
        if (result) {
            m_total = result.value().total;
            applySnapshot(result.value().jobs);
            updateClock();
        } else {
            Q_EMIT refreshFailed(result.error());
        }
        if (m_fetchAgain)
            scheduleRefresh();
        if (result)
            Q_EMIT refreshed();
    });
}

void JobListModel::setQuery(const JobQuery &query) {
    if (query == m_query)
        return;
    m_query = query;
    refresh();
}

void JobListModel::sort(int column, Qt::SortOrder order) {
    JobQuery q = m_query;
    q.order = column == NameColumn      ? JobQuery::Order::Name
              : column == StatusColumn  ? JobQuery::Order::Status
              : column == StartedColumn ? JobQuery::Order::Started
              : column == ElapsedColumn ? JobQuery::Order::Elapsed
                                        : JobQuery::Order::Id;
    q.descending = order == Qt::DescendingOrder;
    q.offset = 0;
    setQuery(q);
}

bool JobListModel::rowDiffers(const JobSummary &a, const JobSummary &b) const {
    return a.status != b.status || a.name != b.name || a.started != b.started || a.finished != b.finished ||
           a.elapsed != b.elapsed || a.explanation != b.explanation || a.launchType != b.launchType ||
           a.templateId != b.templateId || a.created != b.created || a.executionNode != b.executionNode ||
           a.inputPrompt != b.inputPrompt;
}

void JobListModel::tick() {
    // Running jobs are usually few and near the top; repaint just their elapsed cells.
    int first = -1;
    int last = -1;
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].status == JobStatus::Running && m_rows[row].started.isValid()) {
            if (first < 0)
                first = row;
            last = row;
        }
    }
    if (first >= 0)
        emitRowsChanged(first, last, ElapsedColumn, ElapsedColumn);
    else
        m_clock.stop();
}

void JobListModel::updateClock() {
    const bool anyRunning = std::any_of(m_rows.cbegin(), m_rows.cend(), [](const JobSummary &job) {
        return job.status == JobStatus::Running;
    });
    if (anyRunning && !m_clock.isActive())
        m_clock.start();
    else if (!anyRunning)
        m_clock.stop();
}

QIcon JobListModel::iconFor(JobStatus status) const {
    auto it = m_icons.constFind(int(status));
    if (it == m_icons.cend())
        it = m_icons.insert(int(status), statusIcon(status));
    return *it;
}

} // namespace playdeck

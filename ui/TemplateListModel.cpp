#include "TemplateListModel.h"

#include "Controller.h"
#include "JobPresentation.h"
#include "db/DbPool.h"
#include "services/TemplateService.h"

namespace playdeck {

TemplateListModel::TemplateListModel(Controller &controller, QObject *parent)
    : TemplateRowsBase(parent)
    , m_controller(controller) {
    connect(&m_controller, &Controller::templatesChanged, this, &TemplateListModel::refresh);
    connect(&m_controller, &Controller::resynced, this, &TemplateListModel::refresh);
    // The last run shown changes when a template's job starts or ends: read again, coalesced.
    m_jobsChanged.setSingleShot(true);
    m_jobsChanged.setInterval(500);
    connect(&m_jobsChanged, &QTimer::timeout, this, &TemplateListModel::refresh);
    connect(&m_controller, &Controller::jobChanged, this, [this](const bus::JobChanged &change) {
        if (change.status && !m_jobsChanged.isActive())
            m_jobsChanged.start();
    });
}

QVariant TemplateListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JobTemplate &t = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        // Favourites first, marked; a filed template shows its folder (the list is in that order).
        return QString((t.favorite ? QStringLiteral("\u2605 ") : QString()) +
                       (t.folder.isEmpty() ? t.name : tr("%1 / %2").arg(t.folder, t.name)));
    case Qt::EditRole:
        return t.name;
    case Qt::DecorationRole:
        if (const auto status = statusFromName(t.lastJobStatus))
            return statusIcon(*status);
        return {};
    case Qt::AccessibleTextRole:
        return t.lastJobStatus.isEmpty() ? t.name : tr("%1, last run %2").arg(t.name, lastRunText(t));
    case Qt::ToolTipRole: {
        QStringList lines;
        if (!t.description.isEmpty())
            lines << t.description;
        lines << (t.lastJobStatus.isEmpty() ? tr("Never run") : tr("Last run: %1").arg(lastRunText(t)));
        lines << tr("Playbook: %1").arg(t.options.playbook);
        if (!t.projectName.isEmpty())
            lines << tr("Project: %1").arg(t.projectName);
        if (!t.inventoryName.isEmpty())
            lines << tr("Inventory: %1").arg(t.inventoryName);
        return lines.join(QLatin1Char('\n'));
    }
    case IdRole:
        return t.id;
    case TemplateRole:
        return QVariant::fromValue(t);
    default:
        return {};
    }
}

QString TemplateListModel::lastRunText(const JobTemplate &t) {
    const auto status = statusFromName(t.lastJobStatus);
    const QString what = status ? statusText(*status) : t.lastJobStatus;
    return t.lastJobRun.isValid() ? tr("%1, %2").arg(what, shortTimestamp(t.lastJobRun)) : what;
}

QHash<int, QByteArray> TemplateListModel::roleNames() const {
    QHash<int, QByteArray> names = TemplateRowsBase::roleNames();
    names.insert(IdRole, "templateId");
    names.insert(TemplateRole, "jobTemplate");
    return names;
}

void TemplateListModel::refresh() {
    if (m_fetching) {
        m_fetchAgain = true;
        return;
    }
    m_fetching = true;
    m_fetchAgain = false;
    whenReady(m_controller.templates().list(), this, [this](Result<QList<JobTemplate>> result) {
        m_fetching = false;
        if (result)
            applySnapshot(result.value());
        else
            Q_EMIT refreshFailed(result.error());
        if (m_fetchAgain)
            refresh();
        else if (result)
            Q_EMIT refreshed();
    });
}

bool TemplateListModel::rowDiffers(const JobTemplate &a, const JobTemplate &b) const {
    return a.name != b.name || a.description != b.description || a.projectName != b.projectName ||
           a.inventoryName != b.inventoryName || !(a.options == b.options) || !(a.ask == b.ask) ||
           a.surveyEnabled != b.surveyEnabled || a.surveySpec != b.surveySpec || a.folder != b.folder ||
           a.favorite != b.favorite || a.lastJobStatus != b.lastJobStatus || a.lastJobRun != b.lastJobRun;
}

} // namespace playdeck

#include "TemplateListModel.h"

#include "Controller.h"
#include "db/DbPool.h"
#include "services/TemplateService.h"

namespace playdeck {

TemplateListModel::TemplateListModel(Controller &controller, QObject *parent)
    : TemplateRowsBase(parent)
    , m_controller(controller) {
    connect(&m_controller, &Controller::templatesChanged, this, &TemplateListModel::refresh);
    connect(&m_controller, &Controller::resynced, this, &TemplateListModel::refresh);
}

QVariant TemplateListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JobTemplate &t = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return t.name;
    case Qt::ToolTipRole: {
        QStringList lines;
        if (!t.description.isEmpty())
            lines << t.description;
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
           a.inventoryName != b.inventoryName || !(a.options == b.options);
}

} // namespace playdeck

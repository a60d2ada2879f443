#include "ResourceListModel.h"

#include "Controller.h"
#include "JobPresentation.h"
#include "db/DbPool.h"
#include "resources/ResourceSummary.h"
#include "services/ResourceService.h"

#include <QDateTime>

namespace playdeck {

ResourceListModel::ResourceListModel(Controller &controller, ResourceKind kind, QObject *parent)
    : ResourceRowsBase(parent)
    , m_controller(controller)
    , m_kind(kind) {
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(50);
    connect(&m_coalesce, &QTimer::timeout, this, &ResourceListModel::refresh);
    connect(&m_controller, &Controller::resourcesChanged, this, [this](ResourceKind changed) {
        if (changed == m_kind)
            m_coalesce.start();
    });
    // A finished job changes the last run of its template, project or inventory.
    connect(&m_controller, &Controller::jobChanged, this, [this](const bus::JobChanged &change) {
        if (change.status && m_kind != ResourceKind::Credential)
            m_coalesce.start();
    });
    connect(&m_controller, &Controller::resynced, this, &ResourceListModel::refresh);
    connect(&m_controller, &Controller::engineStateChanged, this, [this] {
        if (m_controller.isReady())
            refresh();
    });
    if (m_controller.isReady())
        refresh();
}

int ResourceListModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ResourceListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case DetailsColumn:
        return tr("Details");
    case LastRunColumn:
        return tr("Last run");
    default:
        return {};
    }
}

QVariant ResourceListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject &r = m_rows[index.row()].resource;
    const QString status = r.value(QStringLiteral("last_job_status")).toString();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return r.value(QStringLiteral("name")).toString();
        case DetailsColumn:
            return resourceSummary(m_kind, r);
        case LastRunColumn: {
            if (status.isEmpty())
                return m_kind == ResourceKind::Credential ? QString() : tr("never");
            const QDateTime at =
                QDateTime::fromString(r.value(QStringLiteral("last_job_run")).toString(), Qt::ISODateWithMs);
            const auto parsed = statusFromName(status);
            return tr("%1, %2").arg(parsed ? statusText(*parsed) : status, shortTimestamp(at));
        }
        default:
            return {};
        }
    case Qt::DecorationRole:
        if (index.column() == LastRunColumn)
            if (const auto parsed = statusFromName(status))
                return statusIcon(*parsed);
        return {};
    case Qt::ToolTipRole:
        return r.value(QStringLiteral("description")).toString();
    case IdRole:
        return m_rows[index.row()].id;
    case NameRole:
        return r.value(QStringLiteral("name")).toString();
    case ResourceRole:
        return r;
    default:
        return {};
    }
}

int ResourceListModel::rowOfName(const QString &name) const {
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows[row].resource.value(QStringLiteral("name")).toString() == name)
            return row;
    return -1;
}

void ResourceListModel::refresh() {
    if (m_fetching) {
        m_fetchAgain = true;
        return;
    }
    m_fetching = true;
    m_fetchAgain = false;
    whenReady(m_controller.resources().list(m_kind), this, [this](Result<QList<QJsonObject>> result) {
        m_fetching = false;
        if (result) {
            QList<ResourceRow> rows;
            for (const QJsonObject &r : result.value())
                rows.append({r.value(QStringLiteral("id")).toInteger(), r});
            applySnapshot(rows);
        } else {
            Q_EMIT refreshFailed(result.error());
        }
        if (m_fetchAgain)
            refresh();
        else if (result)
            Q_EMIT refreshed();
    });
}

bool ResourceListModel::rowDiffers(const ResourceRow &before, const ResourceRow &after) const {
    return before.resource != after.resource;
}

} // namespace playdeck

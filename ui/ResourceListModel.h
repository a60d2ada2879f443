#pragma once

#include "IdRowsModel.h"
#include "resources/ResourceSchema.h"

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QTimer>

namespace playdeck {

class Controller;

struct ResourceRow {
    qint64 id = 0;
    QJsonObject resource; // as ResourceService gives it
};

using ResourceRowsBase = IdRowsModel<QAbstractTableModel, ResourceRow>;

// The resources of one kind (projects, inventories, credentials, ...) with their last run, fetched
// again whenever the engine says they changed (here or in another Playdeck process) and when a job
// of theirs finishes.
class ResourceListModel : public ResourceRowsBase {
    Q_OBJECT
public:
    enum Column { NameColumn, DetailsColumn, LastRunColumn, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1, NameRole, ResourceRole };

    ResourceListModel(Controller &controller, ResourceKind kind, QObject *parent = nullptr);

    ResourceKind kind() const { return m_kind; }
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // The row of the resource named `name`, or -1.
    int rowOfName(const QString &name) const;

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void refreshed();
    void refreshFailed(const QString &message);

protected:
    bool rowDiffers(const ResourceRow &before, const ResourceRow &after) const override;

private:
    Controller &m_controller;
    ResourceKind m_kind;
    QTimer m_coalesce; // many changes at once (an import) make one fetch
    bool m_fetching = false;
    bool m_fetchAgain = false;
};

} // namespace playdeck

#pragma once

#include "resources/ResourceSchema.h"

#include <QPointer>
#include <QWidget>

class QPushButton;
class QTableView;

namespace playdeck {

class Controller;
class InventoryContentEditor;
class ResourceActions;
class ResourceListModel;

// One kind of resource as a list with its last runs, and buttons to make, change, copy and delete
// them; a project can be updated from here, an inventory filled from a file.
class ResourcesPane : public QWidget {
    Q_OBJECT
public:
    ResourcesPane(Controller &controller, ResourceKind kind, ResourceActions &actions,
                  QWidget *parent = nullptr);

    ResourceListModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    // The hosts-and-groups editor opened last (while it is open), for tests.
    InventoryContentEditor *contentEditor() const;
    // The selected resource's name (empty: none).
    QString selectedName() const;
    // An inventory source's inventory (empty for other kinds).
    QString selectedParent() const;

Q_SIGNALS:
    // A project or inventory update this pane started: the window shows it.
    void jobStarted(qint64 jobId);
    void message(const QString &text);

private:
    void updateButtons();
    void syncSelected();
    void importIntoSelected();
    void updateSourcesOfSelected();
    // Starts the update of one inventory source; the window hears of its job.
    void updateSource(const QString &inventory, const QString &source);

    Controller &m_controller;
    ResourceKind m_kind;
    ResourceActions &m_actions;
    ResourceListModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QList<QPushButton *> m_needSelection;
    QPointer<InventoryContentEditor> m_contentEditor;
};

} // namespace playdeck

#include "ResourcesPane.h"

#include "Controller.h"
#include "InventoryContentEditor.h"
#include "ResourceActions.h"
#include "ResourceEditor.h"
#include "ResourceListModel.h"
#include "db/DbPool.h"
#include "services/InventoryService.h"
#include "services/JobService.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace playdeck {

ResourcesPane::ResourcesPane(Controller &controller, ResourceKind kind, ResourceActions &actions,
                             QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_kind(kind)
    , m_actions(actions) {
    setObjectName(resourceSpec(kind).singular + QStringLiteral("Pane"));
    m_model = new ResourceListModel(controller, kind, this);
    m_view = new QTableView;
    m_view->setObjectName(resourceSpec(kind).singular + QStringLiteral("List"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setTabKeyNavigation(false); // Tab leaves the list, as everywhere else
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(ResourceListModel::DetailsColumn, QHeaderView::Stretch);
    m_view->setAccessibleName(tr("%1 list").arg(describeKind(kind)));

    // What every kind has on one line, what a project or inventory has besides on the next: one
    // line of them all is wider than the window's side in German.
    auto *buttons = new QHBoxLayout;
    auto *more = new QHBoxLayout;
    QHBoxLayout *line = buttons;
    const auto button = [&](const QString &text, const char *name, bool needsSelection) {
        auto *b = new QPushButton(text);
        b->setObjectName(QLatin1String(name));
        line->addWidget(b);
        if (needsSelection)
            m_needSelection << b;
        return b;
    };
    connect(button(tr("New…"), "newButton", false), &QPushButton::clicked, this,
            [this] { m_actions.createNew(m_kind); });
    connect(button(tr("Edit…"), "editButton", true), &QPushButton::clicked, this,
            [this] { m_actions.edit(m_kind, selectedName(), selectedParent()); });
    connect(button(tr("Copy"), "copyButton", true), &QPushButton::clicked, this,
            [this] { m_actions.copy(m_kind, selectedName(), selectedParent()); });
    connect(button(tr("Delete…"), "deleteButton", true), &QPushButton::clicked, this,
            [this] { m_actions.remove(m_kind, selectedName(), selectedParent()); });
    line = more;
    if (kind == ResourceKind::Project)
        connect(button(tr("Update"), "syncButton", true), &QPushButton::clicked, this,
                &ResourcesPane::syncSelected);
    if (kind == ResourceKind::InventorySource)
        connect(button(tr("Update"), "syncButton", true), &QPushButton::clicked, this,
                [this] { updateSource(selectedParent(), selectedName()); });
    if (kind == ResourceKind::Inventory) {
        connect(button(tr("Hosts…"), "hostsButton", true), &QPushButton::clicked, this, [this] {
            auto *editor = new InventoryContentEditor(m_controller, selectedName(), this);
            editor->setAttribute(Qt::WA_DeleteOnClose);
            connect(editor, &InventoryContentEditor::saved, this, &ResourcesPane::message);
            m_contentEditor = editor;
            editor->open();
        });
        connect(button(tr("Import…"), "importButton", true), &QPushButton::clicked, this,
                &ResourcesPane::importIntoSelected);
        connect(button(tr("New Source…"), "newSourceButton", true), &QPushButton::clicked, this, [this] {
            m_actions.createNew(ResourceKind::InventorySource,
                                {{QStringLiteral("inventory"), selectedName()}});
        });
        connect(button(tr("Update Sources"), "updateSourcesButton", true), &QPushButton::clicked, this,
                &ResourcesPane::updateSourcesOfSelected);
    }
    buttons->addStretch(1);
    more->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    if (more->count() > 1)
        layout->addLayout(more);
    else
        delete more;
    connect(m_view, &QTableView::activated, this,
            [this] { m_actions.edit(m_kind, selectedName(), selectedParent()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ResourcesPane::updateButtons);
    connect(m_model, &ResourceListModel::refreshed, this, &ResourcesPane::updateButtons);
    updateButtons();
}

InventoryContentEditor *ResourcesPane::contentEditor() const {
    return m_contentEditor;
}

QString ResourcesPane::selectedParent() const {
    if (m_kind != ResourceKind::InventorySource)
        return {};
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString()
                          : rows.constFirst()
                                .data(ResourceListModel::ResourceRole)
                                .toJsonObject()
                                .value(QLatin1String("inventory"))
                                .toString();
}

QString ResourcesPane::selectedName() const {
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.constFirst().data(ResourceListModel::NameRole).toString();
}

void ResourcesPane::updateButtons() {
    const bool selected = !selectedName().isEmpty();
    for (QPushButton *b : std::as_const(m_needSelection))
        b->setEnabled(selected);
}

void ResourcesPane::syncSelected() {
    const QString name = selectedName();
    whenReady(m_controller.jobs().updateProject(name), this, [this, name](Result<qint64> job) {
        if (!job)
            return Q_EMIT message(job.error());
        Q_EMIT message(tr("Updating project \"%1\" (job %2).").arg(name).arg(job.value()));
        Q_EMIT jobStarted(job.value());
    });
}

void ResourcesPane::updateSourcesOfSelected() {
    const QString inventory = selectedName();
    whenReady(
        m_controller.jobs().inventorySources(inventory), this,
        [this, inventory](Result<QStringList> sources) {
            if (!sources)
                return Q_EMIT message(sources.error());
            if (sources.value().isEmpty())
                return Q_EMIT message(
                    tr("The inventory \"%1\" has no sources: add one with New Source…, or import a file.")
                        .arg(inventory));
            for (const QString &source : sources.value())
                updateSource(inventory, source);
        });
}

void ResourcesPane::updateSource(const QString &inventory, const QString &source) {
    whenReady(m_controller.jobs().updateInventorySource(inventory, source), this,
              [this, inventory, source](Result<qint64> job) {
                  if (!job)
                      return Q_EMIT message(job.error());
                  Q_EMIT message(tr("Updating \"%1\" from its source \"%2\" (job %3).")
                                     .arg(inventory, source)
                                     .arg(job.value()));
                  Q_EMIT jobStarted(job.value());
              });
}

void ResourcesPane::importIntoSelected() {
    const QString name = selectedName();
    auto *dialog = new QFileDialog(this, tr("Import hosts and groups into \"%1\"").arg(name));
    dialog->setObjectName(QStringLiteral("importDialog"));
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this, name](const QString &file) {
        whenReady(m_controller.inventories().importFile(name, file, false, false), this,
                  [this, name](Result<InventoryStore::ImportSummary> r) {
                      if (!r)
                          return Q_EMIT message(r.error());
                      Q_EMIT message(tr("Imported into \"%1\": %2 hosts added, %3 updated; %4 groups added.")
                                         .arg(name)
                                         .arg(r.value().hostsAdded)
                                         .arg(r.value().hostsUpdated)
                                         .arg(r.value().groupsAdded));
                  });
    });
    dialog->open();
}

} // namespace playdeck

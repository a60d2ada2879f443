#include "TemplatesPane.h"

#include "Controller.h"
#include "ResourceActions.h"
#include "TemplateListModel.h"
#include "db/DbPool.h"
#include "services/ResourceService.h"

#include <QAction>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QListView>
#include <QPushButton>
#include <QVBoxLayout>

namespace playdeck {

TemplatesPane::TemplatesPane(Controller &controller, TemplateListModel &model, ResourceActions &actions,
                             QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_model(model)
    , m_actions(actions) {
    setObjectName(QStringLiteral("templatesPage"));
    m_list = new QListView;
    m_list->setObjectName(QStringLiteral("templateList"));
    m_list->setModel(&m_model);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setUniformItemSizes(true);
    m_list->setAccessibleName(tr("Job templates"));

    m_launchButton = new QPushButton(tr("&Launch…"));
    m_launchButton->setObjectName(QStringLiteral("launchButton"));
    m_launchButton->setToolTip(tr("Launch a job from the selected template (Ctrl+L)"));
    connect(m_launchButton, &QPushButton::clicked, this, &TemplatesPane::launchRequested);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_launchButton);
    m_needSelection << m_launchButton;
    const auto button = [&](const QString &text, const char *name, bool needsSelection) {
        auto *b = new QPushButton(text);
        b->setObjectName(QLatin1String(name));
        buttons->addWidget(b);
        if (needsSelection)
            m_needSelection << b;
        return b;
    };
    connect(button(tr("New…"), "newTemplateButton", false), &QPushButton::clicked, this,
            [this] { m_actions.createNew(ResourceKind::JobTemplate); });
    connect(button(tr("Edit…"), "editTemplateButton", true), &QPushButton::clicked, this,
            [this] { m_actions.edit(ResourceKind::JobTemplate, selectedName()); });
    connect(button(tr("Copy"), "copyTemplateButton", true), &QPushButton::clicked, this,
            [this] { m_actions.copy(ResourceKind::JobTemplate, selectedName()); });
    connect(button(tr("Delete…"), "deleteTemplateButton", true), &QPushButton::clicked, this,
            [this] { m_actions.remove(ResourceKind::JobTemplate, selectedName()); });
    buttons->addStretch(1);

    // The list's own menu: what the buttons do, and filing (AWX users' most-asked UI feature).
    m_list->setContextMenuPolicy(Qt::ActionsContextMenu);
    const auto menuAction = [this](const QString &text, const char *name, auto slot) {
        auto *action = new QAction(text, m_list);
        action->setObjectName(QLatin1String(name));
        connect(action, &QAction::triggered, this, slot);
        m_list->addAction(action);
        return action;
    };
    menuAction(tr("Launch…"), "launchTemplateAction", [this] { Q_EMIT launchRequested(); });
    menuAction(tr("Edit…"), "editTemplateAction",
               [this] { m_actions.edit(ResourceKind::JobTemplate, selectedName()); });
    auto *separator = new QAction(m_list);
    separator->setSeparator(true);
    m_list->addAction(separator);
    m_favoriteAction = menuAction(tr("Favorite"), "favoriteAction", [this](bool on) {
        fileSelected({{QStringLiteral("favorite"), on}});
    });
    m_favoriteAction->setCheckable(true);
    menuAction(tr("Move to Folder…"), "folderAction", [this] {
        const QString name = selectedName();
        if (name.isEmpty())
            return;
        auto *ask = new QInputDialog(this);
        ask->setObjectName(QStringLiteral("folderDialog"));
        ask->setAttribute(Qt::WA_DeleteOnClose);
        ask->setWindowTitle(tr("Move to Folder"));
        ask->setLabelText(tr("The folder to file \"%1\" in, such as Web/Deploy (empty: none):").arg(name));
        ask->setTextValue(m_model.templateAt(m_list->currentIndex().row()).folder);
        connect(ask, &QInputDialog::textValueSelected, this, [this](const QString &folder) {
            fileSelected({{QStringLiteral("folder"), folder.trimmed()}});
        });
        ask->open();
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 0, 0);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);

    connect(m_list, &QListView::activated, this, &TemplatesPane::launchRequested);
    connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TemplatesPane::selectionChanged);
    connect(&m_model, &TemplateListModel::refreshed, this, [this] {
        if (!m_list->selectionModel()->hasSelection() && m_model.rowCount() > 0)
            m_list->setCurrentIndex(m_model.index(0, 0));
        Q_EMIT selectionChanged();
    });
}

std::optional<JobTemplate> TemplatesPane::selectedTemplate() const {
    const QModelIndex current = m_list->currentIndex();
    if (!current.isValid() || !m_list->selectionModel()->isSelected(current))
        return std::nullopt;
    return m_model.templateAt(current.row());
}

QString TemplatesPane::selectedName() const {
    const auto selected = selectedTemplate();
    return selected ? selected->name : QString();
}

void TemplatesPane::updateActions(bool engineReady) {
    const auto selected = selectedTemplate();
    const bool enabled = engineReady && selected.has_value();
    for (QPushButton *b : std::as_const(m_needSelection))
        b->setEnabled(enabled);
    for (QAction *a : m_list->actions())
        a->setEnabled(enabled);
    m_favoriteAction->setChecked(selected && selected->favorite);
}

void TemplatesPane::fileSelected(const QJsonObject &fields) {
    const QString name = selectedName();
    if (name.isEmpty())
        return;
    whenReady(m_controller.resources().update(ResourceKind::JobTemplate, name, fields), this,
              [this](Result<QJsonObject> saved) {
                  if (!saved)
                      Q_EMIT failed(tr("The template cannot be filed"), saved.error());
              });
}

} // namespace playdeck

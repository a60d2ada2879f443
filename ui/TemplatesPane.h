#pragma once

#include "model/JobTemplate.h"

#include <QJsonObject>
#include <QList>
#include <QWidget>

#include <optional>

class QAction;
class QListView;
class QPushButton;

namespace playdeck {

class Controller;
class ResourceActions;
class TemplateListModel;

// The job templates, favourites first and filed in folders, each with its last run; buttons and the
// list's own menu to launch, make, change, copy, delete and file them.
class TemplatesPane : public QWidget {
    Q_OBJECT
public:
    TemplatesPane(Controller &controller, TemplateListModel &model, ResourceActions &actions,
                  QWidget *parent = nullptr);

    QListView *list() const { return m_list; }
    std::optional<JobTemplate> selectedTemplate() const;
    QString selectedName() const;
    // Buttons and menu entries work while the engine is ready and a template is selected.
    void updateActions(bool engineReady);

Q_SIGNALS:
    void launchRequested();
    void selectionChanged();
    void failed(const QString &title, const QString &message);

private:
    // Changes the selected template's folder or favourite flag.
    void fileSelected(const QJsonObject &fields);

    Controller &m_controller;
    TemplateListModel &m_model;
    ResourceActions &m_actions;
    QListView *m_list = nullptr;
    QPushButton *m_launchButton = nullptr;
    QList<QPushButton *> m_needSelection;
    QAction *m_favoriteAction = nullptr;
};

} // namespace playdeck

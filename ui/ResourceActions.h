#pragma once

#include "resources/ResourceSchema.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>

class QWidget;

namespace playdeck {

class Controller;
class ResourceEditor;

// New, edit, copy and delete for resources, the same wherever a list offers them: editors open
// without blocking the window, deleting asks first, and a refusal (in use, invalid) is shown.
class ResourceActions : public QObject {
    Q_OBJECT
public:
    ResourceActions(Controller &controller, QWidget *window);

    // A new resource; `defaults` fill some of its fields (an inventory source's inventory).
    ResourceEditor *createNew(ResourceKind kind, const QJsonObject &defaults = {});
    // Opens the editor once the resource has been read.
    // `parent`: an inventory source's inventory (its name is unique only there).
    void edit(ResourceKind kind, const QString &name, const QString &parent = {});
    void copy(ResourceKind kind, const QString &name, const QString &parent = {});
    // Asks, then deletes.
    void remove(ResourceKind kind, const QString &name, const QString &parent = {});
    // The editor opened last (while it is open), for tests.
    ResourceEditor *currentEditor() const;

Q_SIGNALS:
    void editorOpened(playdeck::ResourceEditor *editor);
    void failed(const QString &title, const QString &message);
    void done(const QString &message); // for the status bar

private:
    ResourceEditor *open(ResourceKind kind, const QJsonObject &existing, const QJsonObject &defaults = {});

    Controller &m_controller;
    QWidget *m_window;
    QPointer<ResourceEditor> m_editor;
};

} // namespace playdeck

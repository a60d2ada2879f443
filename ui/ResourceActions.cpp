#include "ResourceActions.h"

#include "Controller.h"
#include "ResourceEditor.h"
#include "db/DbPool.h"
#include "services/CredentialService.h"
#include "services/ResourceService.h"

#include <QMessageBox>
#include <QPushButton>
#include <QWidget>

namespace playdeck {

ResourceActions::ResourceActions(Controller &controller, QWidget *window)
    : QObject(window)
    , m_controller(controller)
    , m_window(window) {}

ResourceEditor *ResourceActions::currentEditor() const {
    return m_editor;
}

ResourceEditor *ResourceActions::open(ResourceKind kind, const QJsonObject &existing,
                                      const QJsonObject &defaults) {
    auto *editor = new ResourceEditor(m_controller, kind, existing, m_window, defaults);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(editor, &ResourceEditor::saved, this, [this, kind](const QJsonObject &r) {
        Q_EMIT done(
            tr("Saved %1 \"%2\".").arg(describeKind(kind), r.value(QStringLiteral("name")).toString()));
    });
    m_editor = editor;
    editor->open();
    Q_EMIT editorOpened(editor);
    return editor;
}

ResourceEditor *ResourceActions::createNew(ResourceKind kind, const QJsonObject &defaults) {
    return open(kind, {}, defaults);
}

void ResourceActions::edit(ResourceKind kind, const QString &name, const QString &parent) {
    whenReady(m_controller.resources().show(kind, name, parent), this, [this, kind](Result<QJsonObject> r) {
        if (!r)
            return Q_EMIT failed(tr("Cannot open it"), r.error());
        open(kind, r.value());
    });
}

void ResourceActions::copy(ResourceKind kind, const QString &name, const QString &parent) {
    auto copied = kind == ResourceKind::Credential ? m_controller.credentials().copy(name)
                                                   : m_controller.resources().copy(kind, name, {}, parent);
    whenReady(copied, this, [this, kind](Result<QJsonObject> r) {
        if (!r)
            return Q_EMIT failed(tr("Cannot copy it"), r.error());
        Q_EMIT done(tr("Copied to %1 \"%2\".")
                        .arg(describeKind(kind), r.value().value(QStringLiteral("name")).toString()));
    });
}

void ResourceActions::remove(ResourceKind kind, const QString &name, const QString &parent) {
    auto *question =
        new QMessageBox(QMessageBox::Question, tr("Delete %1").arg(describeKind(kind)),
                        tr("Delete the %1 \"%2\"? This cannot be undone.").arg(describeKind(kind), name),
                        QMessageBox::Cancel, m_window);
    question->setObjectName(QStringLiteral("deleteQuestion"));
    QPushButton *yes = question->addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    question->setDefaultButton(QMessageBox::Cancel);
    question->setAttribute(Qt::WA_DeleteOnClose);
    connect(question, &QMessageBox::finished, this, [this, question, yes, kind, name, parent] {
        if (question->clickedButton() != yes)
            return;
        auto removed = kind == ResourceKind::Credential ? m_controller.credentials().remove(name)
                                                        : m_controller.resources().remove(kind, name, parent);
        whenReady(removed, this, [this, kind, name](Result<QJsonObject> r) {
            if (!r)
                return Q_EMIT failed(tr("Cannot delete it"), r.error());
            if (r.value().contains(QStringLiteral("warning")))
                Q_EMIT failed(tr("Deleted, with a warning"),
                              r.value().value(QStringLiteral("warning")).toString());
            Q_EMIT done(tr("Deleted %1 \"%2\".").arg(describeKind(kind), name));
        });
    });
    question->open();
}

} // namespace playdeck

#pragma once

#include "inventory/InventoryContent.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace playdeck {

class Controller;
class ExtraVarsValidator;

// An inventory's hosts and groups, edited by hand: hosts with their variables, whether jobs use them
// (enabled) and their groups; groups with their variables and child groups, several levels deep as
// ansible nests them. Saved whole (InventoryService::replaceContent), only when every name is unique,
// every variable text is YAML or JSON, and no group is its own ancestor.
class InventoryContentEditor : public QDialog {
    Q_OBJECT
public:
    InventoryContentEditor(Controller &controller, const QString &inventory, QWidget *parent = nullptr);

    // Read from the engine (once), for tests.
    bool isLoaded() const { return m_loaded; }
    const InventoryContent &content() const { return m_content; }
    QTreeWidget *tree() const { return m_tree; }
    QString errorText() const;

    void addHost();
    void addGroup();
    void removeCurrent();
    // Selects the host or group named `name`.
    bool select(const QString &name, bool group);

    void accept() override;

Q_SIGNALS:
    void loaded();
    void saved(const QString &summary);

private:
    void rebuildTree();
    void showItem(QTreeWidgetItem *item);
    void storeItem();
    void showError(const QString &message);
    QString uniqueName(const QString &stem, bool group) const;
    int groupIndex(const QString &name) const;

    Controller &m_controller;
    QString m_inventory;
    InventoryContent m_content;
    bool m_loaded = false;
    bool m_loading = false;
    bool m_saving = false;
    QString m_currentName; // the host or group shown on the right
    bool m_currentIsGroup = false;

    QTreeWidget *m_tree = nullptr;
    QWidget *m_details = nullptr;
    QLineEdit *m_name = nullptr;
    QCheckBox *m_enabled = nullptr;
    QPlainTextEdit *m_variables = nullptr;
    QLabel *m_variablesError = nullptr;
    QLabel *m_membersLabel = nullptr;
    QListWidget *m_members = nullptr; // a host's groups, or a group's child groups
    QPushButton *m_remove = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_save = nullptr;
    ExtraVarsValidator *m_validator = nullptr;
};

} // namespace playdeck

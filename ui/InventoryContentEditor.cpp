#include "InventoryContentEditor.h"

#include "Controller.h"
#include "ExtraVarsValidator.h"
#include "FormWidgets.h"
#include "db/DbPool.h"
#include "launch/ExtraVars.h"
#include "services/InventoryService.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QSplitter>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QVBoxLayout>

#include <functional>

namespace playdeck {

namespace {

enum ItemRole { NameRole = Qt::UserRole + 1, IsGroupRole };

QString varsText(const QJsonObject &vars) {
    return vars.isEmpty() ? QString()
                          : QString::fromUtf8(QJsonDocument(vars).toJson(QJsonDocument::Indented));
}

} // namespace

InventoryContentEditor::InventoryContentEditor(Controller &controller, const QString &inventory,
                                               QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
    , m_inventory(inventory) {
    setObjectName(QStringLiteral("inventoryContentEditor"));
    setWindowTitle(tr("Hosts and Groups of %1").arg(inventory));

    m_tree = new QTreeWidget;
    m_tree->setObjectName(QStringLiteral("inventoryTree"));
    m_tree->setHeaderHidden(true);
    m_tree->setAccessibleName(tr("Hosts and groups"));
    auto *addHost = new QPushButton(tr("Add &Host"));
    addHost->setObjectName(QStringLiteral("addHostButton"));
    auto *addGroup = new QPushButton(tr("Add &Group"));
    addGroup->setObjectName(QStringLiteral("addGroupButton"));
    m_remove = new QPushButton(tr("&Remove"));
    m_remove->setObjectName(QStringLiteral("removeButton"));
    auto *treeButtons = new QHBoxLayout;
    treeButtons->addWidget(addHost);
    treeButtons->addWidget(addGroup);
    treeButtons->addWidget(m_remove);
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_tree, 1);
    leftLayout->addLayout(treeButtons);

    m_details = new QWidget;
    auto *form = new QFormLayout(m_details);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_name = new QLineEdit;
    m_name->setObjectName(QStringLiteral("itemName"));
    m_name->setAccessibleName(tr("Name"));
    m_enabled = new QCheckBox(tr("&Enabled: jobs run on this host"));
    m_enabled->setObjectName(QStringLiteral("hostEnabled"));
    m_variables = new QPlainTextEdit;
    m_variables->setObjectName(QStringLiteral("itemVariables"));
    m_variables->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_variables->setTabChangesFocus(true);
    m_variables->setPlaceholderText(tr("YAML or JSON, for example:\nansible_host: 10.0.0.5"));
    m_variables->setAccessibleName(tr("Variables"));
    m_variablesError = errorLabel(QStringLiteral("variablesError"));
    // With its text from the start: a form label set only later keeps the width it had (Qt 6.4).
    m_membersLabel = new QLabel(tr("C&hild groups:"));
    m_members = new QListWidget;
    m_members->setObjectName(QStringLiteral("itemMembers"));
    m_members->setMaximumHeight(m_members->fontMetrics().lineSpacing() * 8);
    m_membersLabel->setBuddy(m_members);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(QString(), m_enabled);
    form->addRow(tr("&Variables:"), m_variables);
    form->addRow(QString(), m_variablesError);
    form->addRow(m_membersLabel, m_members);

    auto *splitter = new QSplitter;
    splitter->addWidget(left);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(1, 2);

    m_error = errorLabel(QStringLiteral("inventoryEditorError"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setEnabled(false);
    connect(buttons, &QDialogButtonBox::accepted, this, &InventoryContentEditor::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    m_validator = new ExtraVarsValidator(this);
    connect(m_variables, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_loading)
            m_validator->check(m_variables->toPlainText());
    });
    connect(m_validator, &ExtraVarsValidator::settled, this, [this](bool valid, const QString &error) {
        m_variablesError->setText(error);
        m_variablesError->setVisible(!valid);
    });
    connect(addHost, &QPushButton::clicked, this, &InventoryContentEditor::addHost);
    connect(addGroup, &QPushButton::clicked, this, &InventoryContentEditor::addGroup);
    connect(m_remove, &QPushButton::clicked, this, &InventoryContentEditor::removeCurrent);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        storeItem();
        showItem(item);
    });
    showItem(nullptr);
    resize(760, 540);

    whenReady(m_controller.inventories().content(inventory), this, [this](Result<InventoryContent> content) {
        if (!content)
            return showError(content.error());
        m_content = content.value();
        m_loaded = true;
        m_save->setEnabled(true);
        rebuildTree();
        Q_EMIT loaded();
    });
}

int InventoryContentEditor::groupIndex(const QString &name) const {
    for (int i = 0; i < m_content.groups.size(); ++i)
        if (m_content.groups[i].name == name)
            return i;
    return -1;
}

void InventoryContentEditor::rebuildTree() {
    const QString current = m_currentName;
    const bool currentIsGroup = m_currentIsGroup;
    m_currentName.clear(); // nothing to store back while the tree is rebuilt
    const QSignalBlocker quiet(m_tree);
    m_tree->clear();
    auto *hosts = new QTreeWidgetItem(m_tree, {tr("Hosts (%1)").arg(m_content.hosts.size())});
    for (auto it = m_content.hosts.begin(); it != m_content.hosts.end(); ++it) {
        auto *item = new QTreeWidgetItem(hosts, {it.key()});
        item->setData(0, NameRole, it.key());
        item->setData(0, IsGroupRole, false);
        if (m_content.disabledHosts.contains(it.key()))
            item->setText(0, tr("%1 (disabled)").arg(it.key()));
    }
    auto *groups = new QTreeWidgetItem(m_tree, {tr("Groups (%1)").arg(m_content.groups.size())});
    QSet<QString> childNames;
    for (const InventoryContent::Group &g : std::as_const(m_content.groups))
        for (const QString &c : g.children)
            childNames.insert(c);
    // Nested as ansible nests them; a group with two parents shows under both.
    std::function<void(QTreeWidgetItem *, const QString &, int)> addGroup =
        [&](QTreeWidgetItem *parent, const QString &name, int depth) {
            const int i = groupIndex(name);
            if (i < 0 || depth > 32)
                return;
            auto *item = new QTreeWidgetItem(parent, {name});
            item->setData(0, NameRole, name);
            item->setData(0, IsGroupRole, true);
            for (const QString &child : m_content.groups[i].children)
                addGroup(item, child, depth + 1);
        };
    for (const InventoryContent::Group &g : std::as_const(m_content.groups))
        if (!childNames.contains(g.name))
            addGroup(groups, g.name, 0);
    m_tree->expandAll();
    m_loading = false;
    if (!current.isEmpty())
        select(current, currentIsGroup);
    else
        showItem(m_tree->currentItem());
}

bool InventoryContentEditor::select(const QString &name, bool group) {
    storeItem(); // what was typed for the item shown, a new name too
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it)
        if ((*it)->data(0, NameRole).toString() == name && (*it)->data(0, IsGroupRole).toBool() == group) {
            m_tree->setCurrentItem(*it);
            if (m_currentName != name)
                showItem(*it);
            return true;
        }
    return false;
}

void InventoryContentEditor::showItem(QTreeWidgetItem *item) {
    const bool real = item && !item->data(0, NameRole).toString().isEmpty();
    m_currentName = real ? item->data(0, NameRole).toString() : QString();
    m_currentIsGroup = real && item->data(0, IsGroupRole).toBool();
    m_details->setEnabled(real);
    m_remove->setEnabled(real);
    m_loading = true;
    m_name->setText(m_currentName);
    m_members->clear();
    m_enabled->setVisible(real && !m_currentIsGroup);
    if (!real) {
        m_variables->clear();
        m_members->setAccessibleName(QString());
    } else if (m_currentIsGroup) {
        const InventoryContent::Group &g = m_content.groups[groupIndex(m_currentName)];
        m_variables->setPlainText(varsText(g.vars));
        m_membersLabel->setText(tr("C&hild groups:"));
        for (const InventoryContent::Group &other : std::as_const(m_content.groups))
            if (other.name != g.name) {
                auto *i = new QListWidgetItem(other.name, m_members);
                i->setCheckState(g.children.contains(other.name) ? Qt::Checked : Qt::Unchecked);
            }
    } else {
        m_variables->setPlainText(varsText(m_content.hosts.value(m_currentName)));
        m_enabled->setChecked(!m_content.disabledHosts.contains(m_currentName));
        m_membersLabel->setText(tr("G&roups:"));
        for (const InventoryContent::Group &g : std::as_const(m_content.groups)) {
            auto *i = new QListWidgetItem(g.name, m_members);
            i->setCheckState(g.hosts.contains(m_currentName) ? Qt::Checked : Qt::Unchecked);
        }
    }
    m_members->setAccessibleName(m_membersLabel->text().remove(QLatin1Char('&')).remove(QLatin1Char(':')));
    m_variablesError->hide();
    m_loading = false;
}

void InventoryContentEditor::storeItem() {
    if (m_loading || m_currentName.isEmpty())
        return;
    const QString oldName = m_currentName;
    QString name = m_name->text().trimmed();
    if (name.isEmpty() || name == oldName ||
        (m_currentIsGroup ? groupIndex(name) >= 0 : m_content.hosts.contains(name)))
        name = oldName; // an empty or taken name does not replace the one it had
    auto vars = parseExtraVars(m_variables->toPlainText());
    const QStringList checked = checkedTexts(m_members);
    if (m_currentIsGroup) {
        InventoryContent::Group &g = m_content.groups[groupIndex(oldName)];
        if (vars)
            g.vars = vars.value();
        g.children = checked;
        if (name != oldName) {
            g.name = name;
            for (InventoryContent::Group &other : m_content.groups)
                for (QString &child : other.children)
                    if (child == oldName)
                        child = name;
        }
    } else {
        QJsonObject hostVars = vars ? vars.value() : m_content.hosts.value(oldName);
        m_content.hosts.remove(oldName);
        m_content.hosts.insert(name, hostVars);
        m_content.disabledHosts.removeAll(oldName);
        if (!m_enabled->isChecked())
            m_content.disabledHosts << name;
        for (InventoryContent::Group &g : m_content.groups) {
            g.hosts.removeAll(oldName);
            if (checked.contains(g.name))
                g.hosts << name;
        }
    }
    if (!vars)
        showError(
            tr("The variables of %1 are not YAML or JSON and were not kept: %2").arg(oldName, vars.error()));
    if (name != oldName) // the tree shows the new name at once (it is not rebuilt while it is walked)
        for (QTreeWidgetItemIterator it(m_tree); *it; ++it)
            if ((*it)->data(0, NameRole).toString() == oldName &&
                (*it)->data(0, IsGroupRole).toBool() == m_currentIsGroup) {
                (*it)->setData(0, NameRole, name);
                (*it)->setText(0, name);
            }
    m_currentName = name;
}

QString InventoryContentEditor::uniqueName(const QString &stem, bool group) const {
    for (int n = 1;; ++n) {
        const QString name = n == 1 ? stem : QStringLiteral("%1%2").arg(stem).arg(n);
        if (group ? groupIndex(name) < 0 : !m_content.hosts.contains(name))
            return name;
    }
}

void InventoryContentEditor::addHost() {
    storeItem();
    const QString name = uniqueName(QStringLiteral("new-host"), false);
    m_content.hosts.insert(name, {});
    m_currentName = name;
    m_currentIsGroup = false;
    rebuildTree();
    m_name->setFocus();
    m_name->selectAll();
}

void InventoryContentEditor::addGroup() {
    storeItem();
    const QString name = uniqueName(QStringLiteral("new_group"), true);
    m_content.groups.append({name, {}, {}, {}});
    m_currentName = name;
    m_currentIsGroup = true;
    rebuildTree();
    m_name->setFocus();
    m_name->selectAll();
}

void InventoryContentEditor::removeCurrent() {
    if (m_currentName.isEmpty())
        return;
    const QString name = m_currentName;
    if (m_currentIsGroup) {
        m_content.groups.removeAt(groupIndex(name));
        for (InventoryContent::Group &g : m_content.groups)
            g.children.removeAll(name);
    } else {
        m_content.hosts.remove(name);
        m_content.disabledHosts.removeAll(name);
        for (InventoryContent::Group &g : m_content.groups)
            g.hosts.removeAll(name);
    }
    m_currentName.clear();
    rebuildTree();
}

QString InventoryContentEditor::errorText() const {
    return m_error->isHidden() ? QString() : m_error->text();
}

void InventoryContentEditor::showError(const QString &message) {
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void InventoryContentEditor::accept() {
    if (!m_loaded || m_saving)
        return;
    showError({});
    if (auto vars = parseExtraVars(m_variables->toPlainText()); !vars && !m_currentName.isEmpty())
        return showError(tr("The variables of %1 are not YAML or JSON: %2").arg(m_currentName, vars.error()));
    storeItem();
    if (Status s = checkGroupTree(m_content); !s)
        return showError(s.error());
    m_saving = true;
    m_save->setEnabled(false);
    whenReady(m_controller.inventories().replaceContent(m_inventory, m_content), this,
              [this](Result<InventoryStore::ImportSummary> r) {
                  m_saving = false;
                  m_save->setEnabled(true);
                  if (!r)
                      return showError(r.error());
                  Q_EMIT saved(
                      tr("Saved the hosts and groups of \"%1\": %2 hosts added, %3 removed; %4 groups "
                         "added, %5 removed.")
                          .arg(m_inventory)
                          .arg(r.value().hostsAdded)
                          .arg(r.value().hostsRemoved)
                          .arg(r.value().groupsAdded)
                          .arg(r.value().groupsRemoved));
                  QDialog::accept();
              });
}

} // namespace playdeck

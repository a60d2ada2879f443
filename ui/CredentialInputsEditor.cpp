#include "CredentialInputsEditor.h"

#include "FormWidgets.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPlainTextEdit>

namespace playdeck {

CredentialInputsEditor::CredentialInputsEditor(const QJsonObject &existingInputs, QWidget *parent)
    : QWidget(parent)
    , m_existing(existingInputs) {
    m_form = new QFormLayout(this);
    m_form->setContentsMargins(0, 0, 0, 0);
}

void CredentialInputsEditor::setKind(const QString &kind) {
    if (kind == m_kind)
        return;
    m_kind = kind;
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    m_inputs.clear();
    m_ask.clear();
    const auto spec = credentialKind(kind);
    if (!spec)
        return;
    for (const CredentialInput &input : spec->inputs) {
        const QString label = QCoreApplication::translate("Resources", input.label);
        const QString value = m_existing.value(input.id).toString();
        QWidget *editor = nullptr;
        if (!input.choices.isEmpty()) {
            auto *combo = new QComboBox;
            for (const QString &choice : input.choices)
                combo->addItem(choice.isEmpty() ? tr("(none)") : choice, choice);
            combo->setCurrentIndex(std::max(0, combo->findData(value)));
            editor = combo;
        } else if (input.id == QLatin1String("ssh_key_data")) {
            auto *text = new QPlainTextEdit;
            text->setPlaceholderText(value == kEncrypted
                                         ? tr("Stored in the keychain; paste a key to replace it")
                                         : tr("-----BEGIN OPENSSH PRIVATE KEY-----"));
            text->setTabChangesFocus(true);
            text->setMaximumHeight(text->fontMetrics().lineSpacing() * 6);
            editor = text;
        } else {
            auto *line = new QLineEdit;
            if (input.secret) {
                line->setEchoMode(QLineEdit::Password);
                if (value == kEncrypted)
                    line->setPlaceholderText(tr("Stored in the keychain; type to replace it"));
            } else {
                line->setText(value);
            }
            editor = line;
        }
        editor->setObjectName(QStringLiteral("input_") + input.id);
        editor->setAccessibleName(label);
        m_inputs.insert(input.id, editor);
        if (!input.secret) {
            m_form->addRow(label + QLatin1Char(':'), editor);
            continue;
        }
        auto *ask = new QCheckBox(tr("Ask at launch"));
        ask->setObjectName(QStringLiteral("ask_") + input.id);
        ask->setAccessibleName(tr("Ask for %1 at launch").arg(label));
        ask->setChecked(value == kAsk);
        editor->setEnabled(!ask->isChecked());
        connect(ask, &QCheckBox::toggled, editor, [editor](bool asked) { editor->setEnabled(!asked); });
        m_ask.insert(input.id, ask);
        auto *row = new QWidget;
        auto *layout = new QHBoxLayout(row);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(editor, 1);
        layout->addWidget(ask, 0, Qt::AlignTop);
        m_form->addRow(label + QLatin1Char(':'), row);
    }
}

QString CredentialInputsEditor::textOf(const QString &id) const {
    return editorText(m_inputs.value(id));
}

QJsonObject CredentialInputsEditor::inputs() const {
    QJsonObject out;
    const auto spec = credentialKind(m_kind);
    for (const CredentialInput &input : spec ? spec->inputs : QList<CredentialInput>()) {
        if (input.secret) {
            // What the keychain keeps stays marked as kept; the service writes the rest.
            const QString before = m_existing.value(input.id).toString();
            if ((before == kEncrypted || before == kAsk) && !secrets().contains(input.id))
                out.insert(input.id, before);
            continue;
        }
        if (!textOf(input.id).isEmpty())
            out.insert(input.id, textOf(input.id));
    }
    return out;
}

QHash<QString, QString> CredentialInputsEditor::secrets() const {
    QHash<QString, QString> out;
    for (auto it = m_ask.begin(); it != m_ask.end(); ++it) {
        const QString before = m_existing.value(it.key()).toString();
        if (it.value()->isChecked()) {
            if (before != kAsk)
                out.insert(it.key(), kAsk);
            continue;
        }
        const QString typed = textOf(it.key());
        if (!typed.isEmpty())
            out.insert(it.key(), typed);
        else if (before == kAsk)
            out.insert(it.key(), QString()); // no longer asked, and nothing stored
    }
    return out;
}

} // namespace playdeck

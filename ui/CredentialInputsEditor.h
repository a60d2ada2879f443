#pragma once

#include "resources/ResourceSchema.h"

#include <QHash>
#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QFormLayout;

namespace playdeck {

// The inputs of one credential kind (Machine, Source Control, Vault): plain fields, and secret ones
// with "Ask at launch". A secret that is already in the keychain shows as such and is kept unless
// something is typed over it.
class CredentialInputsEditor : public QWidget {
    Q_OBJECT
public:
    explicit CredentialInputsEditor(const QJsonObject &existingInputs, QWidget *parent = nullptr);

    void setKind(const QString &kind);
    // The non-secret inputs, for the credential's row.
    QJsonObject inputs() const;
    // The secret inputs that change: a typed value, ASK, or "" to clear one.
    QHash<QString, QString> secrets() const;
    // The editor of input `id` (objectName "input_<id>"), and its "Ask at launch" box.
    QWidget *inputWidget(const QString &id) const { return m_inputs.value(id); }
    QCheckBox *askBox(const QString &id) const { return m_ask.value(id); }

private:
    QString textOf(const QString &id) const;

    QJsonObject m_existing;
    QString m_kind;
    QFormLayout *m_form = nullptr;
    QHash<QString, QWidget *> m_inputs;
    QHash<QString, QCheckBox *> m_ask;
};

} // namespace playdeck

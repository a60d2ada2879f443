#pragma once

#include "SurveyEditor.h"
#include "resources/ResourceSchema.h"

#include <QDialog>
#include <QHash>
#include <QJsonObject>
#include <QPointer>

class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QWidget;

namespace playdeck {

class Controller;
class CredentialInputsEditor;
class SurveyEditor;

// An editor for one resource (a project, an inventory, a credential, a template, an inventory
// source), built from its field list: text fields, choices, switches, numbers, variables that are
// checked as they are typed, references picked from what exists. A credential's secret inputs are
// typed here and go to the keychain; "Ask at launch" makes one a launch-time question. Saving goes
// through the engine's rules; a refusal is shown in the editor, which stays open with what was typed.
class ResourceEditor : public QDialog {
    Q_OBJECT
public:
    // `existing` empty: a new resource, its fields filled from `defaults` where given.
    ResourceEditor(Controller &controller, ResourceKind kind, const QJsonObject &existing,
                   QWidget *parent = nullptr, const QJsonObject &defaults = {});

    ResourceKind kind() const { return m_kind; }
    // The editor of field `name` (objectName "field_<name>"), for tests and accessibility.
    QWidget *fieldWidget(const QString &name) const { return m_widgets.value(name); }
    CredentialInputsEditor *credentialInputs() const { return m_credentialInputs; }
    // The survey editor opened from here (while it is open), for tests.
    SurveyEditor *surveyEditor() const { return m_surveyEditor; }
    QString errorText() const;

    void accept() override;

Q_SIGNALS:
    void saved(const QJsonObject &resource);

private:
    QWidget *createField(const FieldSpec &f);
    void fillReferences();
    void fillPlaybooks();
    QJsonObject collect() const;
    void showError(const QString &message);
    void updateEnabled();

    Controller &m_controller;
    ResourceKind m_kind;
    QJsonObject m_existing;
    QJsonObject m_defaults;
    QHash<QString, QWidget *> m_widgets;
    CredentialInputsEditor *m_credentialInputs = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPointer<SurveyEditor> m_surveyEditor;
    bool m_saving = false;
};

} // namespace playdeck

#include "ResourceEditor.h"

#include "Controller.h"
#include "CredentialInputsEditor.h"
#include "ExtraVarsValidator.h"
#include "FormWidgets.h"
#include "SurveyEditor.h"
#include "db/DbPool.h"
#include "services/CredentialService.h"
#include "services/ResourceService.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

namespace playdeck {

namespace {

// "scm_update_cache_timeout" → "Scm update cache timeout": AWX's field names, readable.
QString labelOf(const QString &field) {
    QString text = field;
    text.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

} // namespace

ResourceEditor::ResourceEditor(Controller &controller, ResourceKind kind, const QJsonObject &existing,
                               QWidget *parent, const QJsonObject &defaults)
    : QDialog(parent)
    , m_controller(controller)
    , m_kind(kind)
    , m_existing(existing)
    , m_defaults(defaults) {
    setObjectName(QStringLiteral("resourceEditor"));
    const bool creating = existing.isEmpty();
    setWindowTitle(creating
                       ? tr("New %1").arg(describeKind(kind))
                       : tr("Edit %1 \"%2\"")
                             .arg(describeKind(kind), existing.value(QStringLiteral("name")).toString()));

    auto *fields = new QWidget;
    auto *form = new QFormLayout(fields);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    const ResourceSpec &spec = resourceSpec(kind);
    for (const FieldSpec &f : spec.fields) {
        if (f.readOnly)
            continue;
        if (kind == ResourceKind::Credential && f.name == QLatin1String("inputs")) {
            m_credentialInputs =
                new CredentialInputsEditor(existing.value(QStringLiteral("inputs")).toObject());
            m_credentialInputs->setObjectName(QStringLiteral("credentialInputs"));
            form->addRow(m_credentialInputs);
            continue;
        }
        QWidget *editor = createField(f);
        editor->setObjectName(QStringLiteral("field_") + f.name);
        editor->setToolTip(QCoreApplication::translate("Resources", f.help));
        editor->setAccessibleName(labelOf(f.name));
        editor->setAccessibleDescription(QCoreApplication::translate("Resources", f.help));
        m_widgets.insert(f.name, editor);
        if (f.type == FieldType::Bool) {
            form->addRow(QString(), editor);
        } else {
            auto *label = new QLabel(labelOf(f.name) + QLatin1Char(':'));
            label->setBuddy(editor);
            form->addRow(label, editor);
        }
    }
    if (m_credentialInputs) {
        auto *kindBox = qobject_cast<QComboBox *>(m_widgets.value(QStringLiteral("kind")));
        const auto showKind = [this, kindBox] {
            m_credentialInputs->setKind(kindBox->currentData().toString());
        };
        connect(kindBox, &QComboBox::currentIndexChanged, this, showKind);
        showKind();
        kindBox->setEnabled(creating); // a credential keeps its kind, as in AWX
    }
    auto *scroll = new QScrollArea;
    scroll->setWidget(fields);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("editorError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: palette(bright-text); background: #b3261e; padding: 4px;"));
    m_error->hide();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ResourceEditor::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    if (auto *scmType = qobject_cast<QComboBox *>(m_widgets.value(QStringLiteral("scm_type"))))
        connect(scmType, &QComboBox::currentIndexChanged, this, &ResourceEditor::updateEnabled);
    updateEnabled();
    fillReferences();
    if (auto *project = qobject_cast<QComboBox *>(m_widgets.value(QStringLiteral("project"))))
        if (m_kind == ResourceKind::JobTemplate) {
            connect(project, &QComboBox::currentIndexChanged, this, &ResourceEditor::fillPlaybooks);
            fillPlaybooks();
        }
    resize(620, 640);
    if (QWidget *name = m_widgets.value(QStringLiteral("name")))
        name->setFocus();
}

QWidget *ResourceEditor::createField(const FieldSpec &f) {
    const QJsonValue value = !m_existing.isEmpty()         ? m_existing.value(f.name)
                             : m_defaults.contains(f.name) ? m_defaults.value(f.name)
                                                           : f.defaultValue;
    switch (f.type) {
    case FieldType::Bool: {
        auto *box = new QCheckBox(labelOf(f.name));
        box->setChecked(value.toBool());
        return box;
    }
    case FieldType::Int: {
        auto *spin = new QSpinBox;
        spin->setRange(int(std::max<qint64>(f.min, INT_MIN)),
                       int(std::min<qint64>(f.max == f.min ? INT_MAX : f.max, INT_MAX)));
        spin->setValue(int(value.toInteger()));
        return spin;
    }
    case FieldType::Choice: {
        auto *combo = new QComboBox;
        for (const QString &choice : f.choices) {
            QString text = choice.isEmpty() ? tr("(none)") : choice;
            if (f.name == QLatin1String("kind"))
                text = QCoreApplication::translate(
                    "Resources",
                    credentialKind(choice).value_or(CredentialKindSpec{}).awxName.toUtf8().constData());
            if (f.name == QLatin1String("scm_type"))
                text = choice.isEmpty() ? tr("Local directory") : QStringLiteral("Git");
            combo->addItem(text, choice);
        }
        combo->setCurrentIndex(std::max(0, combo->findData(value.toString())));
        return combo;
    }
    case FieldType::Vars:
    case FieldType::VarsText:
    case FieldType::Object: {
        auto *box = new QWidget;
        auto *layout = new QVBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        auto *text = new QPlainTextEdit;
        text->setObjectName(QStringLiteral("text"));
        text->setTabChangesFocus(true);
        text->setPlainText(
            f.type == FieldType::Object
                ? (value.toObject().isEmpty()
                       ? QString()
                       : QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)))
                : value.toString());
        text->setMinimumHeight(text->fontMetrics().lineSpacing() * 4);
        auto *status = new QLabel;
        status->setObjectName(QStringLiteral("status"));
        status->setWordWrap(true);
        layout->addWidget(text);
        layout->addWidget(status);
        if (f.name == QLatin1String("survey_spec")) {
            // The survey as questions, not as JSON (the JSON stays: it can be pasted from AWX).
            auto *edit = new QPushButton(tr("Edit S&urvey…"));
            edit->setObjectName(QStringLiteral("editSurveyButton"));
            layout->addWidget(edit, 0, Qt::AlignLeft);
            connect(edit, &QPushButton::clicked, this, [this, text, status] {
                const QJsonDocument doc = QJsonDocument::fromJson(text->toPlainText().toUtf8());
                if (!text->toPlainText().trimmed().isEmpty() && !doc.isObject()) {
                    status->setText(tr("The survey is not a JSON object; fix it or empty it first."));
                    status->show();
                    return;
                }
                status->hide();
                auto *surveyEditor = new SurveyEditor(doc.object(), this);
                surveyEditor->setAttribute(Qt::WA_DeleteOnClose);
                connect(surveyEditor, &QDialog::accepted, this, [this, surveyEditor, text] {
                    const QJsonObject survey = surveyEditor->survey();
                    text->setPlainText(
                        QString::fromUtf8(QJsonDocument(survey).toJson(QJsonDocument::Indented)));
                    if (auto *enabled =
                            qobject_cast<QCheckBox *>(m_widgets.value(QStringLiteral("survey_enabled"))))
                        enabled->setChecked(!survey.value(QLatin1String("spec")).toArray().isEmpty());
                });
                m_surveyEditor = surveyEditor;
                surveyEditor->open();
            });
        }
        if (f.type != FieldType::Object) {
            // Checked as it is typed, off the window's thread.
            auto *validator = new ExtraVarsValidator(text);
            connect(text, &QPlainTextEdit::textChanged, validator,
                    [validator, text] { validator->check(text->toPlainText()); });
            connect(validator, &ExtraVarsValidator::settled, status,
                    [status](bool valid, const QString &error) {
                        status->setText(valid ? QString() : error);
                        status->setVisible(!valid);
                    });
            status->hide();
        } else {
            status->hide();
        }
        box->setFocusProxy(text);
        return box;
    }
    case FieldType::Ref: {
        auto *combo = new QComboBox;
        combo->addItem(tr("(none)"), QString());
        if (!value.toString().isEmpty())
            combo->addItem(value.toString(), value.toString());
        combo->setCurrentIndex(combo->count() - 1);
        return combo;
    }
    case FieldType::RefList: {
        auto *list = new QListWidget;
        list->setMaximumHeight(list->fontMetrics().lineSpacing() * 6);
        for (const QJsonValue &name : value.toArray()) {
            auto *item = new QListWidgetItem(name.toString(), list);
            item->setCheckState(Qt::Checked);
        }
        return list;
    }
    case FieldType::Text:
        if (m_kind == ResourceKind::JobTemplate && f.name == QLatin1String("playbook")) {
            // The project's playbooks to pick from; any path can still be typed.
            auto *combo = new QComboBox;
            combo->setEditable(true);
            combo->setInsertPolicy(QComboBox::NoInsert);
            combo->setEditText(value.toString());
            return combo;
        }
        break;
    }
    auto *line = new QLineEdit(value.toString());
    return line;
}

void ResourceEditor::fillReferences() {
    for (const FieldSpec &f : resourceSpec(m_kind).fields) {
        if ((f.type != FieldType::Ref && f.type != FieldType::RefList) || f.readOnly)
            continue;
        QWidget *editor = m_widgets.value(f.name);
        whenReady(m_controller.resources().list(*f.ref), editor, [editor](Result<QList<QJsonObject>> all) {
            if (!all)
                return;
            if (auto *combo = qobject_cast<QComboBox *>(editor)) {
                const QString current = combo->currentData().toString();
                for (const QJsonObject &r : all.value()) {
                    const QString name = r.value(QStringLiteral("name")).toString();
                    if (combo->findData(name) < 0)
                        combo->addItem(name, name);
                }
                combo->setCurrentIndex(std::max(0, combo->findData(current)));
            } else if (auto *list = qobject_cast<QListWidget *>(editor)) {
                for (const QJsonObject &r : all.value()) {
                    const QString name = r.value(QStringLiteral("name")).toString();
                    if (list->findItems(name, Qt::MatchExactly).isEmpty()) {
                        auto *item = new QListWidgetItem(name, list);
                        item->setCheckState(Qt::Unchecked);
                    }
                }
            }
        });
    }
}

void ResourceEditor::fillPlaybooks() {
    auto *project = qobject_cast<QComboBox *>(m_widgets.value(QStringLiteral("project")));
    auto *playbook = qobject_cast<QComboBox *>(m_widgets.value(QStringLiteral("playbook")));
    const QString name = project ? project->currentData().toString() : QString();
    if (!playbook || name.isEmpty())
        return;
    whenReady(m_controller.resources().playbooks(name), playbook, [playbook](Result<QStringList> found) {
        const QString typed = playbook->currentText();
        playbook->clear();
        if (found)
            playbook->addItems(found.value());
        playbook->setEditText(typed.isEmpty() && found && !found.value().isEmpty() ? found.value().first()
                                                                                   : typed);
        playbook->setToolTip(found ? QString() : found.error());
    });
}

void ResourceEditor::updateEnabled() {
    auto *scmType = qobject_cast<QComboBox *>(m_widgets.value(QStringLiteral("scm_type")));
    if (!scmType)
        return;
    const bool git = !scmType->currentData().toString().isEmpty();
    for (auto it = m_widgets.begin(); it != m_widgets.end(); ++it) {
        const bool scmField =
            it.key().startsWith(QLatin1String("scm_")) && it.key() != QLatin1String("scm_type");
        if (scmField || it.key() == QLatin1String("credential") ||
            it.key() == QLatin1String("allow_override"))
            it.value()->setEnabled(git);
        if (it.key() == QLatin1String("local_path"))
            it.value()->setEnabled(!git);
    }
}

QJsonObject ResourceEditor::collect() const {
    QJsonObject out;
    for (const FieldSpec &f : resourceSpec(m_kind).fields) {
        QWidget *w = m_widgets.value(f.name);
        if (!w)
            continue;
        if (auto *box = qobject_cast<QCheckBox *>(w))
            out.insert(f.name, box->isChecked());
        else if (auto *spin = qobject_cast<QSpinBox *>(w))
            out.insert(f.name, spin->value());
        else if (auto *combo = qobject_cast<QComboBox *>(w))
            out.insert(f.name, combo->isEditable() ? combo->currentText().trimmed()
                                                   : combo->currentData().toString());
        else if (auto *line = qobject_cast<QLineEdit *>(w))
            out.insert(f.name, line->text());
        else if (auto *list = qobject_cast<QListWidget *>(w))
            out.insert(f.name, QJsonArray::fromStringList(checkedTexts(list)));
        else if (auto *text = w->findChild<QPlainTextEdit *>(QStringLiteral("text"))) {
            out.insert(f.name, text->toPlainText());
        }
    }
    if (m_credentialInputs)
        out.insert(QStringLiteral("inputs"), m_credentialInputs->inputs());
    return out;
}

QString ResourceEditor::errorText() const {
    return m_error->isVisible() ? m_error->text() : QString();
}

void ResourceEditor::showError(const QString &message) {
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void ResourceEditor::accept() {
    if (m_saving)
        return;
    m_saving = true;
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(false);
    showError({});
    const QJsonObject fields = collect();
    const QString name = m_existing.value(QStringLiteral("name")).toString();
    const bool creating = m_existing.isEmpty();
    QFuture<Result<QJsonObject>> saving;
    if (m_kind == ResourceKind::Credential) {
        const auto secrets = m_credentialInputs->secrets();
        saving = creating ? m_controller.credentials().create(fields, secrets)
                          : m_controller.credentials().update(name, fields, secrets);
    } else {
        const QString parent = m_kind == ResourceKind::InventorySource
                                   ? m_existing.value(QStringLiteral("inventory")).toString()
                                   : QString();
        saving = creating ? m_controller.resources().create(m_kind, fields)
                          : m_controller.resources().update(m_kind, name, fields, parent);
    }
    whenReady(saving, this, [this](Result<QJsonObject> saved) {
        m_saving = false;
        m_buttons->button(QDialogButtonBox::Save)->setEnabled(true);
        if (!saved)
            return showError(saved.error());
        Q_EMIT this->saved(saved.value());
        QDialog::accept();
    });
}

} // namespace playdeck

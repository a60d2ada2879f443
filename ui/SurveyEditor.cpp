#include "SurveyEditor.h"

#include "FormWidgets.h"
#include "launch/Survey.h"
#include "resources/ResourceRules.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace playdeck {

namespace {

const char *const kTypes[] = {"text",  "textarea",       "password",   "integer",
                              "float", "multiplechoice", "multiselect"};

bool hasChoices(const QString &type) {
    return type == QLatin1String("multiplechoice") || type == QLatin1String("multiselect");
}

} // namespace

SurveyEditor::SurveyEditor(const QJsonObject &survey, QWidget *parent)
    : QDialog(parent)
    , m_questions(survey.value(QLatin1String("spec")).toArray()) {
    setObjectName(QStringLiteral("surveyEditor"));
    setWindowTitle(tr("Survey"));

    m_name = new QLineEdit(survey.value(QLatin1String("name")).toString());
    m_name->setObjectName(QStringLiteral("surveyName"));
    m_description = new QLineEdit(survey.value(QLatin1String("description")).toString());
    m_description->setObjectName(QStringLiteral("surveyDescription"));
    auto *head = new QFormLayout;
    head->addRow(tr("&Name:"), m_name);
    head->addRow(tr("D&escription:"), m_description);

    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("questionList"));
    m_list->setAccessibleName(tr("Questions"));
    for (const QJsonValue &q : std::as_const(m_questions))
        m_list->addItem(itemText(q.toObject()));
    auto *add = new QPushButton(tr("&Add"));
    add->setObjectName(QStringLiteral("addQuestionButton"));
    m_remove = new QPushButton(tr("Re&move"));
    m_up = new QPushButton(tr("&Up"));
    m_down = new QPushButton(tr("Do&wn"));
    auto *listButtons = new QHBoxLayout;
    for (QPushButton *b : {add, m_remove, m_up, m_down})
        listButtons->addWidget(b);
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_list, 1);
    leftLayout->addLayout(listButtons);

    m_questionBox = new QWidget;
    auto *form = new QFormLayout(m_questionBox);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    const auto line = [](const char *name) {
        auto *edit = new QLineEdit;
        edit->setObjectName(QLatin1String(name));
        return edit;
    };
    m_questionName = line("questionName");
    m_questionDescription = line("questionDescription");
    m_variable = line("questionVariable");
    m_variable->setToolTip(tr("The extra variable the answer is passed in."));
    m_type = new QComboBox;
    m_type->setObjectName(QStringLiteral("questionType"));
    const QString typeNames[] = {tr("Text"),
                                 tr("Textarea"),
                                 tr("Password"),
                                 tr("Integer"),
                                 tr("Float"),
                                 tr("Multiple choice (one)"),
                                 tr("Multiple choice (several)")};
    for (int i = 0; i < 7; ++i)
        m_type->addItem(typeNames[i], QLatin1String(kTypes[i]));
    m_required = new QCheckBox(tr("An answer is &required"));
    m_required->setObjectName(QStringLiteral("questionRequired"));
    m_default = line("questionDefault");
    m_min = line("questionMin");
    m_max = line("questionMax");
    m_min->setToolTip(tr("Text: the shortest answer. Numbers: the smallest."));
    m_max->setToolTip(tr("Text: the longest answer. Numbers: the largest."));
    m_choicesFrom = new QComboBox;
    m_choicesFrom->setObjectName(QStringLiteral("questionChoicesFrom"));
    m_choicesFrom->addItem(tr("These choices"), QString());
    m_choicesFrom->addItem(tr("The inventory's hosts"), QStringLiteral("hosts"));
    m_choicesFrom->addItem(tr("The inventory's groups"), QStringLiteral("groups"));
    m_choices = new QPlainTextEdit;
    m_choices->setObjectName(QStringLiteral("questionChoices"));
    m_choices->setTabChangesFocus(true);
    m_choices->setPlaceholderText(tr("One choice per line"));
    m_choices->setMaximumHeight(m_choices->fontMetrics().lineSpacing() * 6);
    m_regex = line("questionRegex");
    m_regex->setToolTip(
        tr("A regular expression the whole answer must match (Playdeck's own; AWX has none)."));
    form->addRow(tr("&Question:"), m_questionName);
    form->addRow(tr("De&scription:"), m_questionDescription);
    form->addRow(tr("&Variable:"), m_variable);
    form->addRow(tr("&Type:"), m_type);
    form->addRow(QString(), m_required);
    form->addRow(tr("De&fault:"), m_default);
    form->addRow(tr("M&inimum:"), m_min);
    form->addRow(tr("Ma&ximum:"), m_max);
    form->addRow(tr("&Choices:"), m_choicesFrom);
    form->addRow(QString(), m_choices);
    form->addRow(tr("Re&gex:"), m_regex);
    for (int row = 0; row < form->rowCount(); ++row)
        if (auto *label = qobject_cast<QLabel *>(form->itemAt(row, QFormLayout::LabelRole)
                                                     ? form->itemAt(row, QFormLayout::LabelRole)->widget()
                                                     : nullptr))
            if (QWidget *f = form->itemAt(row, QFormLayout::FieldRole)->widget())
                f->setAccessibleName(label->text().remove(QLatin1Char('&')).remove(QLatin1Char(':')));

    auto *splitter = new QSplitter;
    splitter->addWidget(left);
    splitter->addWidget(m_questionBox);
    splitter->setStretchFactor(1, 2);

    m_error = errorLabel(QStringLiteral("surveyError"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &SurveyEditor::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(head);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(add, &QPushButton::clicked, this, &SurveyEditor::addQuestion);
    connect(m_remove, &QPushButton::clicked, this, &SurveyEditor::removeQuestion);
    connect(m_up, &QPushButton::clicked, this, [this] { moveQuestion(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveQuestion(1); });
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        storeQuestion();
        showQuestion(row);
    });
    for (QLineEdit *edit :
         {m_questionName, m_questionDescription, m_variable, m_default, m_min, m_max, m_regex})
        connect(edit, &QLineEdit::textEdited, this, &SurveyEditor::storeQuestion);
    connect(m_type, &QComboBox::currentIndexChanged, this, [this] {
        storeQuestion();
        updateFields();
    });
    connect(m_choicesFrom, &QComboBox::currentIndexChanged, this, [this] {
        storeQuestion();
        updateFields();
    });
    connect(m_required, &QCheckBox::toggled, this, &SurveyEditor::storeQuestion);
    connect(m_choices, &QPlainTextEdit::textChanged, this, &SurveyEditor::storeQuestion);
    if (!m_questions.isEmpty())
        m_list->setCurrentRow(0);
    else
        showQuestion(-1);
    resize(760, 520);
}

QString SurveyEditor::itemText(const QJsonObject &q) const {
    const QString name = q.value(QLatin1String("question_name")).toString();
    const QString variable = q.value(QLatin1String("variable")).toString();
    return name.isEmpty() ? variable : tr("%1 (%2)").arg(name, variable);
}

void SurveyEditor::addQuestion() {
    storeQuestion();
    int n = int(m_questions.size()) + 1;
    QSet<QString> taken;
    for (const QJsonValue &q : std::as_const(m_questions))
        taken.insert(q.toObject().value(QLatin1String("variable")).toString());
    while (taken.contains(QStringLiteral("answer_%1").arg(n)))
        ++n;
    const QJsonObject q{{QStringLiteral("question_name"), tr("Question %1").arg(n)},
                        {QStringLiteral("variable"), QStringLiteral("answer_%1").arg(n)},
                        {QStringLiteral("type"), QStringLiteral("text")},
                        {QStringLiteral("required"), true}};
    m_questions.append(q);
    m_list->addItem(itemText(q));
    m_list->setCurrentRow(m_list->count() - 1);
    m_questionName->setFocus();
    m_questionName->selectAll();
}

void SurveyEditor::removeQuestion() {
    const int row = m_list->currentRow();
    if (row < 0)
        return;
    m_current = -1; // nothing to store back
    m_questions.removeAt(row);
    delete m_list->takeItem(row);
    showQuestion(m_list->currentRow());
}

void SurveyEditor::moveQuestion(int delta) {
    const int row = m_list->currentRow();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_questions.size())
        return;
    storeQuestion();
    const QJsonValue q = m_questions.at(row);
    m_questions.removeAt(row);
    m_questions.insert(to, q);
    QListWidgetItem *item = m_list->takeItem(row);
    m_list->insertItem(to, item);
    m_current = -1;
    m_list->setCurrentRow(to);
}

void SurveyEditor::showQuestion(int row) {
    m_current = row;
    m_questionBox->setEnabled(row >= 0);
    m_remove->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row + 1 < m_questions.size());
    const QJsonObject q = row >= 0 ? m_questions.at(row).toObject() : QJsonObject();
    m_loading = true;
    m_questionName->setText(q.value(QLatin1String("question_name")).toString());
    m_questionDescription->setText(q.value(QLatin1String("question_description")).toString());
    m_variable->setText(q.value(QLatin1String("variable")).toString());
    m_type->setCurrentIndex(std::max(0, m_type->findData(q.value(QLatin1String("type")).toString())));
    m_required->setChecked(q.value(QLatin1String("required")).toBool());
    m_default->setText(surveyValueText(q.value(QLatin1String("default"))));
    m_min->setText(surveyValueText(q.value(QLatin1String("min"))));
    m_max->setText(surveyValueText(q.value(QLatin1String("max"))));
    m_choicesFrom->setCurrentIndex(
        std::max(0, m_choicesFrom->findData(q.value(QLatin1String("choices_from")).toString())));
    m_choices->setPlainText(surveyValueText(q.value(QLatin1String("choices"))));
    m_regex->setText(q.value(QLatin1String("regex")).toString());
    m_loading = false;
    updateFields();
}

void SurveyEditor::updateFields() {
    const QString type = m_type->currentData().toString();
    const bool choices = hasChoices(type);
    m_choicesFrom->setEnabled(choices);
    m_choices->setEnabled(choices && m_choicesFrom->currentData().toString().isEmpty());
    m_min->setEnabled(!choices);
    m_max->setEnabled(!choices);
    m_regex->setEnabled(type == QLatin1String("text") || type == QLatin1String("textarea"));
}

void SurveyEditor::storeQuestion() {
    if (m_loading || m_current < 0 || m_current >= m_questions.size())
        return;
    QJsonObject q = m_questions.at(m_current).toObject();
    const auto put = [&q](const char *key, const QString &value) {
        if (value.isEmpty())
            q.remove(QLatin1String(key));
        else
            q.insert(QLatin1String(key), value);
    };
    put("question_name", m_questionName->text());
    put("question_description", m_questionDescription->text());
    q.insert(QStringLiteral("variable"), m_variable->text().trimmed());
    const QString type = m_type->currentData().toString();
    q.insert(QStringLiteral("type"), type);
    q.insert(QStringLiteral("required"), m_required->isChecked());
    put("default", m_default->text());
    for (auto [key, edit] : {std::pair{"min", m_min}, std::pair{"max", m_max}}) {
        bool ok = false;
        const double n = edit->text().toDouble(&ok);
        if (edit->text().trimmed().isEmpty() || hasChoices(type))
            q.remove(QLatin1String(key));
        else if (ok)
            q.insert(QLatin1String(key), n);
        else
            q.insert(QLatin1String(key), edit->text()); // refused by the rules, with the reason
    }
    put("choices_from", hasChoices(type) ? m_choicesFrom->currentData().toString() : QString());
    if (hasChoices(type) && m_choicesFrom->currentData().toString().isEmpty())
        q.insert(QStringLiteral("choices"), m_choices->toPlainText().trimmed());
    else
        q.remove(QStringLiteral("choices"));
    put("regex", m_regex->isEnabled() ? m_regex->text() : QString());
    m_questions.replace(m_current, q);
    if (QListWidgetItem *item = m_list->item(m_current))
        item->setText(itemText(q));
}

QJsonObject SurveyEditor::survey() const {
    return {{QStringLiteral("name"), m_name->text()},
            {QStringLiteral("description"), m_description->text()},
            {QStringLiteral("spec"), m_questions}};
}

QString SurveyEditor::errorText() const {
    return m_error->isHidden() ? QString() : m_error->text();
}

void SurveyEditor::accept() {
    storeQuestion();
    if (Status s = validateSurveySpec(survey()); !s) {
        m_error->setText(s.error());
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace playdeck

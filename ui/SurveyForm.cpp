#include "SurveyForm.h"

#include "FormWidgets.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace playdeck {

namespace {

QString typeOf(const QJsonObject &q) {
    return q.value(QLatin1String("type")).toString();
}

} // namespace

SurveyForm::SurveyForm(QWidget *parent)
    : QWidget(parent) {
    m_form = new QFormLayout(this);
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
}

void SurveyForm::setQuestions(const QJsonArray &questions, const SurveyChoices &choices) {
    const QJsonObject previous = answers();
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    m_editors.clear();
    m_errors.clear();
    m_questions = questions;
    m_choices = choices;
    for (const QJsonValue &item : questions) {
        const QJsonObject q = item.toObject();
        const QString variable = q.value(QLatin1String("variable")).toString();
        QWidget *editor = createEditor(q, previous.value(variable));
        editor->setObjectName(QStringLiteral("question_") + variable);
        const QString name = q.value(QLatin1String("question_name")).toString();
        const QString description = q.value(QLatin1String("question_description")).toString();
        editor->setAccessibleName(name.isEmpty() ? variable : name);
        editor->setAccessibleDescription(description);
        editor->setToolTip(description.isEmpty() ? tr("Extra variable %1").arg(variable)
                                                 : tr("%1\nExtra variable %2").arg(description, variable));
        const bool required = q.value(QLatin1String("required")).toBool();
        // "Who deploys?" needs no colon after it; a required question is marked with *.
        QString caption = name.isEmpty() ? variable : name;
        if (!caption.endsWith(QLatin1Char('?')) && !caption.endsWith(QLatin1Char(':')))
            caption += QLatin1Char(':');
        if (required)
            caption += QStringLiteral(" *");
        auto *label = new QLabel(caption);
        label->setWordWrap(true);
        label->setBuddy(editor);
        QLabel *error = errorLabel(QStringLiteral("error_") + variable);
        auto *field = new QWidget;
        auto *column = new QVBoxLayout(field);
        column->setContentsMargins(0, 0, 0, 0);
        column->addWidget(editor);
        column->addWidget(error);
        field->setFocusProxy(editor);
        m_form->addRow(label, field);
        m_editors.insert(variable, editor);
        m_errors.insert(variable, error);
    }
}

QWidget *SurveyForm::createEditor(const QJsonObject &q, const QJsonValue &previous) {
    const QString type = typeOf(q);
    const QJsonValue given = previous.isUndefined() ? q.value(QLatin1String("default")) : previous;
    const QStringList offered = surveyChoices(q, m_choices);
    if (type == QLatin1String("multiplechoice")) {
        auto *combo = new QComboBox;
        if (!q.value(QLatin1String("required")).toBool())
            combo->addItem(tr("(no answer)"), QString());
        for (const QString &choice : offered)
            combo->addItem(choice, choice);
        combo->setCurrentIndex(std::max(0, combo->findData(surveyValueText(given))));
        connect(combo, &QComboBox::currentIndexChanged, this, &SurveyForm::answersChanged);
        return combo;
    }
    if (type == QLatin1String("multiselect")) {
        auto *list = new QListWidget;
        const QStringList picked = surveyValueText(given).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (const QString &choice : offered) {
            auto *item = new QListWidgetItem(choice, list);
            item->setCheckState(picked.contains(choice) ? Qt::Checked : Qt::Unchecked);
        }
        list->setMaximumHeight(list->fontMetrics().lineSpacing() * 6);
        connect(list, &QListWidget::itemChanged, this, &SurveyForm::answersChanged);
        return list;
    }
    if (type == QLatin1String("textarea")) {
        auto *text = new QPlainTextEdit(surveyValueText(given));
        text->setTabChangesFocus(true);
        text->setMaximumHeight(text->fontMetrics().lineSpacing() * 5);
        connect(text, &QPlainTextEdit::textChanged, this, &SurveyForm::answersChanged);
        return text;
    }
    auto *line = new QLineEdit;
    line->setClearButtonEnabled(type != QLatin1String("password"));
    if (type == QLatin1String("password")) {
        // A password's default is never shown; left empty, the default applies.
        line->setEchoMode(QLineEdit::Password);
        if (!previous.isUndefined())
            line->setText(surveyValueText(previous));
        else if (q.contains(QLatin1String("default")) &&
                 !surveyValueText(q.value(QLatin1String("default"))).isEmpty())
            line->setPlaceholderText(tr("(the default, unless you type one)"));
    } else {
        line->setText(surveyValueText(given));
    }
    if (type == QLatin1String("integer") || type == QLatin1String("float")) {
        const QString min = surveyValueText(q.value(QLatin1String("min"))),
                      max = surveyValueText(q.value(QLatin1String("max")));
        if (!min.isEmpty() || !max.isEmpty())
            line->setPlaceholderText(tr("a number from %1 to %2")
                                         .arg(min.isEmpty() ? QStringLiteral("…") : min,
                                              max.isEmpty() ? QStringLiteral("…") : max));
    }
    connect(line, &QLineEdit::textChanged, this, &SurveyForm::answersChanged);
    return line;
}

QJsonValue SurveyForm::answerOf(const QString &variable) const {
    QWidget *w = m_editors.value(variable);
    if (!w)
        return QJsonValue(QJsonValue::Undefined);
    if (auto *list = qobject_cast<QListWidget *>(w))
        return QJsonArray::fromStringList(checkedTexts(list));
    return editorText(w);
}

QJsonObject SurveyForm::answers() const {
    QJsonObject out;
    for (auto it = m_editors.begin(); it != m_editors.end(); ++it)
        out.insert(it.key(), answerOf(it.key()));
    return out;
}

bool SurveyForm::validate() {
    bool ok = true;
    // One question at a time, so that each error is shown beside its own question.
    for (const QJsonValue &item : std::as_const(m_questions)) {
        const QJsonObject q = item.toObject();
        const QString variable = q.value(QLatin1String("variable")).toString();
        const QJsonObject single{{QStringLiteral("spec"), QJsonArray{q}}};
        auto answered = answerSurvey(single, QJsonObject{{variable, answerOf(variable)}}, m_choices);
        QLabel *error = m_errors.value(variable);
        if (!error)
            continue;
        if (answered) {
            error->hide();
            continue;
        }
        ok = false;
        // answerSurvey names the question; beside it only the reason is needed.
        QString reason = answered.error();
        const int colon = reason.indexOf(QLatin1String("): "));
        if (colon >= 0)
            reason = reason.mid(colon + 3);
        error->setText(reason);
        error->show();
    }
    return ok;
}

QString SurveyForm::errorOf(const QString &variable) const {
    QLabel *error = m_errors.value(variable);
    return error && !error->isHidden() ? error->text() : QString();
}

} // namespace playdeck

#pragma once

#include "launch/Survey.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QWidget>

class QFormLayout;
class QLabel;

namespace playdeck {

// The questions of a launch (a survey's, a playbook's vars_prompt) as a form: a line, a text box,
// a password field, a number, a list to pick one or several from (its own choices or the
// inventory's hosts or groups). Answers are checked with the engine's own rules (answerSurvey) as
// they are typed, and every question that fails says why beside it.
class SurveyForm : public QWidget {
    Q_OBJECT
public:
    explicit SurveyForm(QWidget *parent = nullptr);

    // Rebuilds the form; answers already typed for a variable that is asked again are kept.
    void setQuestions(const QJsonArray &questions, const SurveyChoices &choices);
    bool isEmpty() const { return m_questions.isEmpty(); }
    // variable → answer as typed (multiselect: a list), for answerSurvey and LaunchRequest.
    QJsonObject answers() const;
    // Whether the answers pass; shows each failing question's error beside it.
    bool validate();
    // The editor of a question (objectName "question_<variable>"), for tests.
    QWidget *editor(const QString &variable) const { return m_editors.value(variable); }
    QString errorOf(const QString &variable) const;

Q_SIGNALS:
    void answersChanged();

private:
    QWidget *createEditor(const QJsonObject &question, const QJsonValue &previous);
    QJsonValue answerOf(const QString &variable) const;

    QFormLayout *m_form = nullptr;
    QJsonArray m_questions;
    SurveyChoices m_choices;
    QHash<QString, QWidget *> m_editors;
    QHash<QString, QLabel *> m_errors;
};

} // namespace playdeck

#pragma once

#include "core/Result.h"

#include <QJsonObject>
#include <QStringList>

namespace playdeck {

// Survey answers as they go to the playbook: one extra variable per question, typed as AWX types
// them (integer → number, multiselect → list, the rest → text), plus the variables whose answers
// are passwords (never stored, hidden wherever a job's variables are shown).
struct SurveyAnswers {
    QJsonObject vars;
    QStringList passwordVariables;
};

// Where a question's choices come from when it says "choices_from": the inventory's hosts or groups.
struct SurveyChoices {
    QStringList hosts;
    QStringList groups;
};

// Checks `answers` (variable → value; text as a form gives it, or JSON-typed) against the survey
// `spec` (resources/ResourceRules: validateSurveySpec) and fills in defaults. Every question that
// fails is named in the error, one per line, in the spec's order, so a launch dialog can show them
// all at once.
[[nodiscard]] Result<SurveyAnswers> answerSurvey(const QJsonObject &spec, const QJsonObject &answers,
                                                 const SurveyChoices &choices = {});

// An answer or default as a form shows it: a number as written, a multiselect's list one per line.
QString surveyValueText(const QJsonValue &value);

// The choices a question offers (its own, or the inventory's hosts or groups).
QStringList surveyChoices(const QJsonObject &question, const SurveyChoices &choices);

} // namespace playdeck

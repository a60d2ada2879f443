#pragma once

#include "core/Result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace playdeck {

// A playbook's vars_prompt questions, asked before the launch instead of by ansible during the run:
// each one becomes a survey question (text, or password when the prompt is private, as ansible's
// default is), carrying "vars_prompt": true; its answer goes to the run as an extra variable, which
// ansible takes in place of asking. The plays are read as ansible reads them; import_playbook is
// followed (relative to the importing playbook) unless its name is templated.
struct PlaybookPrompts {
    QJsonArray questions; // in survey spec form, in the order the plays ask them, each variable once
    QString problem;      // why the playbook could not be read (the launch goes on; ansible will say)
};

// `playbook` relative to `projectDir`.
PlaybookPrompts readPlaybookPrompts(const QString &projectDir, const QString &playbook);

// The questions of a playbook's parsed plays (a YAML list of plays), for tests.
QJsonArray varsPromptQuestions(const QJsonValue &plays);

// The template's survey with the playbook's questions added after its own (a variable the survey
// asks already is not asked twice); enabled when there is any question.
QJsonObject surveyWithPlaybookPrompts(const QJsonObject &surveySpec, bool surveyEnabled,
                                      const QJsonArray &playbookQuestions);

} // namespace playdeck

#include "LaunchRules.h"

#include "ExtraVars.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace playdeck {

namespace {

// lupdate files LaunchText::tr's strings under "Launch", the context they are looked up in.
class LaunchText {
    Q_DECLARE_TR_FUNCTIONS(Launch)
};

QStringList surveyVariables(const JobTemplate &tmpl) {
    QStringList out;
    if (!tmpl.surveyEnabled)
        return out;
    for (const QJsonValue &q : tmpl.surveySpec.value(QStringLiteral("spec")).toArray())
        out << q.toObject().value(QStringLiteral("variable")).toString();
    return out;
}

} // namespace

Status checkPromptsAllowed(const JobTemplate &t, const LaunchConfig &p) {
    QStringList refused;
    const auto check = [&](bool given, bool allowed, const char *flag) {
        if (given && !allowed)
            refused << QString::fromLatin1(flag);
    };
    check(p.limit.has_value(), t.ask.limit, "ask_limit_on_launch");
    check(p.verbosity.has_value(), t.ask.verbosity, "ask_verbosity_on_launch");
    check(p.jobType.has_value(), t.ask.jobType, "ask_job_type_on_launch");
    check(p.inventoryId.has_value(), t.ask.inventory, "ask_inventory_on_launch");
    check(p.credentialIds.has_value(), t.ask.credentials, "ask_credential_on_launch");
    check(p.jobTags.has_value(), t.ask.tags, "ask_tags_on_launch");
    check(p.skipTags.has_value(), t.ask.skipTags, "ask_skip_tags_on_launch");
    check(p.diffMode.has_value(), t.ask.diffMode, "ask_diff_mode_on_launch");
    check(p.forks.has_value(), t.ask.forks, "ask_forks_on_launch");
    check(p.timeout.has_value(), t.ask.timeout, "ask_timeout_on_launch");
    check(p.scmBranch.has_value(), t.ask.scmBranch, "ask_scm_branch_on_launch");
    if (!p.extraVars.trimmed().isEmpty() && !t.ask.variables) {
        auto vars = parseExtraVars(p.extraVars);
        const QStringList survey = surveyVariables(t);
        bool onlyAnswers = vars.ok();
        if (vars)
            for (auto it = vars.value().begin(); it != vars.value().end(); ++it)
                onlyAnswers = onlyAnswers && survey.contains(it.key());
        if (!onlyAnswers)
            refused << QStringLiteral("ask_variables_on_launch");
    }
    if (refused.isEmpty())
        return {};
    return Status::failure(
        LaunchText::tr("The template \"%1\" does not let a launch change that: it would need %2. Change the "
                       "template, or launch without it.")
            .arg(t.name, refused.join(QStringLiteral(", "))));
}

Result<SplitLaunch> applySurvey(const JobTemplate &tmpl, const LaunchRequest &request,
                                const SurveyChoices &choices) {
    SplitLaunch out;
    out.prompts = request.prompts;
    out.secrets = request.secrets;
    if (!tmpl.surveyEnabled)
        return out;
    const QStringList survey = surveyVariables(tmpl);
    QJsonObject answers = request.surveyAnswers;
    auto vars = parseExtraVars(request.prompts.extraVars);
    if (!vars)
        return vars.status();
    QJsonObject rest = vars.value();
    bool moved = false;
    for (const QString &variable : survey) {
        if (!rest.contains(variable))
            continue;
        if (!answers.contains(variable))
            answers.insert(variable, rest.value(variable));
        rest.remove(variable);
        moved = true;
    }
    if (moved) // the text loses its comments only when answers had to be taken out of it
        out.prompts.extraVars = rest.isEmpty()
                                    ? QString()
                                    : QString::fromUtf8(QJsonDocument(rest).toJson(QJsonDocument::Compact));
    auto answered = answerSurvey(tmpl.surveySpec, answers, choices);
    if (!answered)
        return Status::failure(
            LaunchText::tr("The survey's answers are not right:\n%1").arg(answered.error()));
    out.prompts.surveyAnswers = answered.value().vars;
    out.prompts.secretSurveyVariables = answered.value().passwordVariables;
    for (const QString &variable : answered.value().passwordVariables) {
        out.secrets.surveyPasswords.insert(variable, out.prompts.surveyAnswers.value(variable));
        out.prompts.surveyAnswers.remove(variable);
    }
    return out;
}

} // namespace playdeck

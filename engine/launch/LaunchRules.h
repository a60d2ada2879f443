#pragma once

#include "LaunchConfig.h"
#include "Survey.h"
#include "core/Result.h"
#include "model/JobTemplate.h"

namespace playdeck {

// The plain rules of a launch, before anything is written.

// What a launch gives that the template does not ask for is refused, naming the flag that would
// allow it (AWX drops such prompts silently; an operator should hear of it). Extra variables that are
// all survey answers need no ask_variables_on_launch, as in AWX.
[[nodiscard]] Status checkPromptsAllowed(const JobTemplate &tmpl, const LaunchConfig &prompts);

// The survey's answers (given as answers, or as extra variables named like survey variables, as
// AWX's API takes them) checked and typed; password answers go to `secrets`, the others to the
// launch config; survey variables are taken out of the extra-vars text so that no answer is stored
// twice, or a password at all.
struct SplitLaunch {
    LaunchConfig prompts;
    LaunchSecrets secrets;
};
[[nodiscard]] Result<SplitLaunch> applySurvey(const JobTemplate &tmpl, const LaunchRequest &request,
                                              const SurveyChoices &choices);

} // namespace playdeck

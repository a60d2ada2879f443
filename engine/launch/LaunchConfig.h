#pragma once

#include "model/JobOptions.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace playdeck {

// AWX's JobLaunchConfig: the prompts given at launch, stored once, exactly as given, and applied to
// the template's options only when the job's private data dir is written (and for display). Unset
// fields keep the template's value. Extra vars given here are the operator's and are passed to
// ansible as !unsafe, so Jinja in them is never evaluated.
struct LaunchConfig {
    QString extraVars; // YAML or JSON text, merged over the template's
    std::optional<QString> limit;
    std::optional<int> verbosity;
    std::optional<QString> jobType;

    friend bool operator==(const LaunchConfig &, const LaunchConfig &) = default;

    // The stored form (unified_job.launch_config), one codec for both directions.
    QJsonObject toJson() const;
    static LaunchConfig fromJson(const QJsonObject &object);
};

// The options a job runs with. Extra vars are not merged here (they stay two texts, the template's and
// the prompt's, until the data dir is written): only the scalar prompts replace the template's.
JobOptions applyLaunchConfig(JobOptions options, const LaunchConfig &launch);

// What the operator asks for when launching.
struct LaunchRequest {
    QString templateName; // or
    qint64 templateId = 0;
    LaunchConfig prompts;
    QString launchType = QStringLiteral("manual");
};

} // namespace playdeck

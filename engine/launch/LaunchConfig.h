#pragma once

#include "model/JobOptions.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <QHash>

#include <optional>

namespace playdeck {

// AWX's JobLaunchConfig: the prompts given at launch, stored once, exactly as given, and applied to
// the template's options only when the job's private data dir is written (and for display). Unset
// fields keep the template's value. Extra vars and survey answers given here are the operator's and
// are passed to ansible as !unsafe, so Jinja in them is never evaluated. Secrets given at launch
// (survey passwords, ask-at-launch credential fields) are never here: they wait in the keychain
// under `secretsKey`, and only their names are kept.
struct LaunchConfig {
    QString extraVars; // YAML or JSON text, merged over the template's
    std::optional<QString> limit;
    std::optional<int> verbosity;
    std::optional<QString> jobType;
    std::optional<qint64> inventoryId;
    std::optional<QList<qint64>> credentialIds;
    std::optional<QString> jobTags;
    std::optional<QString> skipTags;
    std::optional<bool> diffMode;
    std::optional<int> forks;
    std::optional<int> timeout;
    std::optional<QString> scmBranch;
    QJsonObject surveyAnswers;         // the survey's typed answers, passwords left out
    QStringList secretSurveyVariables; // survey answers kept in the keychain (password questions)
    QString secretsKey;                // keychain entry job/<secretsKey> holds the launch's secrets

    friend bool operator==(const LaunchConfig &, const LaunchConfig &) = default;

    // The stored form (unified_job.launch_config), one codec for both directions.
    QJsonObject toJson() const;
    static LaunchConfig fromJson(const QJsonObject &object);
};

// The options a job runs with. Extra vars are not merged here (they stay two texts, the template's and
// the prompt's, until the data dir is written): only the scalar prompts replace the template's.
JobOptions applyLaunchConfig(JobOptions options, const LaunchConfig &launch);

// What the operator gives at launch besides the prompts: secrets, never stored in the database.
struct LaunchSecrets {
    QJsonObject surveyPasswords;                 // variable → answer
    QHash<QString, QString> credentialPasswords; // "<credential id>/<input>" → value, for ASK inputs

    bool isEmpty() const { return surveyPasswords.isEmpty() && credentialPasswords.isEmpty(); }
    QByteArray toJson() const;
    static LaunchSecrets fromJson(const QByteArray &json);
};

// What the operator asks for when launching.
struct LaunchRequest {
    QString templateName; // or
    qint64 templateId = 0;
    LaunchConfig prompts;
    // The inventory and credentials by name (the command line's), in place of prompts' ids.
    QString inventoryName;
    std::optional<QStringList> credentialNames;
    QJsonObject surveyAnswers; // variable → answer, as typed (passwords too: they are split off)
    LaunchSecrets secrets;     // ask-at-launch credential fields
    QString launchType = QStringLiteral("manual");
};

} // namespace playdeck

#include "LaunchConfig.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace playdeck {

namespace {
const QLatin1String kExtraVars("extra_vars");
const QLatin1String kLimit("limit");
const QLatin1String kVerbosity("verbosity");
const QLatin1String kJobType("job_type");
const QLatin1String kInventory("inventory");
const QLatin1String kCredentials("credentials");
const QLatin1String kJobTags("job_tags");
const QLatin1String kSkipTags("skip_tags");
const QLatin1String kDiffMode("diff_mode");
const QLatin1String kForks("forks");
const QLatin1String kTimeout("timeout");
const QLatin1String kScmBranch("scm_branch");
const QLatin1String kSurvey("survey_answers");
const QLatin1String kSecretSurvey("survey_passwords");
const QLatin1String kSecretsKey("secrets_key");

template <typename T> void put(QJsonObject &o, QLatin1String key, const std::optional<T> &v) {
    if (v)
        o.insert(key, *v);
}
} // namespace

QJsonObject LaunchConfig::toJson() const {
    QJsonObject o;
    if (!extraVars.isEmpty())
        o.insert(kExtraVars, extraVars);
    put(o, kLimit, limit);
    put(o, kVerbosity, verbosity);
    put(o, kJobType, jobType);
    if (inventoryId)
        o.insert(kInventory, double(*inventoryId));
    if (credentialIds) {
        QJsonArray ids;
        for (qint64 id : *credentialIds)
            ids.append(double(id));
        o.insert(kCredentials, ids);
    }
    put(o, kJobTags, jobTags);
    put(o, kSkipTags, skipTags);
    put(o, kDiffMode, diffMode);
    put(o, kForks, forks);
    put(o, kTimeout, timeout);
    put(o, kScmBranch, scmBranch);
    if (!surveyAnswers.isEmpty())
        o.insert(kSurvey, surveyAnswers);
    if (!secretSurveyVariables.isEmpty())
        o.insert(kSecretSurvey, QJsonArray::fromStringList(secretSurveyVariables));
    if (!secretsKey.isEmpty())
        o.insert(kSecretsKey, secretsKey);
    return o;
}

LaunchConfig LaunchConfig::fromJson(const QJsonObject &o) {
    LaunchConfig c;
    c.extraVars = o.value(kExtraVars).toString();
    const auto text = [&o](QLatin1String key) {
        return o.value(key).isString() ? std::optional<QString>(o.value(key).toString()) : std::nullopt;
    };
    const auto number = [&o](QLatin1String key) {
        return o.value(key).isDouble() ? std::optional<int>(o.value(key).toInt()) : std::nullopt;
    };
    c.limit = text(kLimit);
    c.verbosity = number(kVerbosity);
    c.jobType = text(kJobType);
    if (o.value(kInventory).isDouble())
        c.inventoryId = qint64(o.value(kInventory).toDouble());
    if (o.value(kCredentials).isArray()) {
        QList<qint64> ids;
        for (const QJsonValue &id : o.value(kCredentials).toArray())
            ids << qint64(id.toDouble());
        c.credentialIds = ids;
    }
    c.jobTags = text(kJobTags);
    c.skipTags = text(kSkipTags);
    if (o.value(kDiffMode).isBool())
        c.diffMode = o.value(kDiffMode).toBool();
    c.forks = number(kForks);
    c.timeout = number(kTimeout);
    c.scmBranch = text(kScmBranch);
    c.surveyAnswers = o.value(kSurvey).toObject();
    for (const QJsonValue &v : o.value(kSecretSurvey).toArray())
        c.secretSurveyVariables << v.toString();
    c.secretsKey = o.value(kSecretsKey).toString();
    return c;
}

JobOptions applyLaunchConfig(JobOptions options, const LaunchConfig &launch) {
    if (launch.limit)
        options.limit = *launch.limit;
    if (launch.verbosity)
        options.verbosity = *launch.verbosity;
    if (launch.jobType)
        options.jobType = *launch.jobType;
    if (launch.inventoryId)
        options.inventoryId = *launch.inventoryId;
    if (launch.credentialIds)
        options.credentialIds = *launch.credentialIds;
    if (launch.jobTags)
        options.jobTags = *launch.jobTags;
    if (launch.skipTags)
        options.skipTags = *launch.skipTags;
    if (launch.diffMode)
        options.diffMode = *launch.diffMode;
    if (launch.forks)
        options.forks = *launch.forks;
    if (launch.timeout)
        options.timeout = *launch.timeout;
    if (launch.scmBranch)
        options.scmBranch = *launch.scmBranch;
    return options;
}

QByteArray LaunchSecrets::toJson() const {
    QJsonObject credentials;
    for (auto it = credentialPasswords.begin(); it != credentialPasswords.end(); ++it)
        credentials.insert(it.key(), it.value());
    return QJsonDocument(QJsonObject{{QStringLiteral("survey"), surveyPasswords},
                                     {QStringLiteral("credentials"), credentials}})
        .toJson(QJsonDocument::Compact);
}

LaunchSecrets LaunchSecrets::fromJson(const QByteArray &json) {
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    LaunchSecrets s;
    s.surveyPasswords = o.value(QStringLiteral("survey")).toObject();
    const QJsonObject credentials = o.value(QStringLiteral("credentials")).toObject();
    for (auto it = credentials.begin(); it != credentials.end(); ++it)
        s.credentialPasswords.insert(it.key(), it.value().toString());
    return s;
}

} // namespace playdeck

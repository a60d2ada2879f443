#include "LaunchConfig.h"

namespace playdeck {

namespace {
const QLatin1String kExtraVars("extra_vars");
const QLatin1String kLimit("limit");
const QLatin1String kVerbosity("verbosity");
const QLatin1String kJobType("job_type");
} // namespace

QJsonObject LaunchConfig::toJson() const {
    QJsonObject o;
    if (!extraVars.isEmpty())
        o.insert(kExtraVars, extraVars);
    if (limit)
        o.insert(kLimit, *limit);
    if (verbosity)
        o.insert(kVerbosity, *verbosity);
    if (jobType)
        o.insert(kJobType, *jobType);
    return o;
}

LaunchConfig LaunchConfig::fromJson(const QJsonObject &o) {
    LaunchConfig c;
    c.extraVars = o.value(kExtraVars).toString();
    if (o.value(kLimit).isString())
        c.limit = o.value(kLimit).toString();
    if (o.value(kVerbosity).isDouble())
        c.verbosity = o.value(kVerbosity).toInt();
    if (o.value(kJobType).isString())
        c.jobType = o.value(kJobType).toString();
    return c;
}

JobOptions applyLaunchConfig(JobOptions options, const LaunchConfig &launch) {
    if (launch.limit)
        options.limit = *launch.limit;
    if (launch.verbosity)
        options.verbosity = *launch.verbosity;
    if (launch.jobType)
        options.jobType = *launch.jobType;
    return options;
}

} // namespace playdeck

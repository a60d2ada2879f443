#include "HostSummary.h"

#include <map>

namespace playdeck {

QList<HostSummary> hostSummaries(const QJsonObject &data) {
    std::map<QString, HostSummary> byHost;
    const auto take = [&](const char *kind, int HostSummary::*field) {
        const QJsonObject counts = data.value(QLatin1String(kind)).toObject();
        for (auto it = counts.begin(); it != counts.end(); ++it) {
            HostSummary &s = byHost[it.key()];
            s.host = it.key();
            s.*field = std::max(0, it.value().toInt());
        }
    };
    take("changed", &HostSummary::changed);
    take("dark", &HostSummary::dark);
    take("failures", &HostSummary::failures);
    take("ok", &HostSummary::ok);
    take("processed", &HostSummary::processed);
    take("skipped", &HostSummary::skipped);
    take("rescued", &HostSummary::rescued);
    take("ignored", &HostSummary::ignored);
    QList<HostSummary> out;
    for (auto &[host, summary] : byHost)
        out.append(summary);
    return out;
}

QJsonObject hostStatusCounts(const QList<HostSummary> &summaries) {
    std::map<QString, int> counts;
    for (const HostSummary &s : summaries) {
        const char *worst = nullptr;
        if (s.skipped > 0)
            worst = "skipped";
        if (s.ok > 0)
            worst = "ok";
        if (s.changed > 0)
            worst = "changed";
        if (s.failures > 0)
            worst = "failures";
        if (s.dark > 0)
            worst = "dark";
        if (worst)
            ++counts[QLatin1String(worst)];
    }
    QJsonObject out;
    for (const auto &[kind, n] : counts)
        out.insert(kind, n);
    return out;
}

} // namespace playdeck

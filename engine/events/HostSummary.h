#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace playdeck {

// One host's line of ansible's recap (playbook_on_stats).
struct HostSummary {
    QString host;
    int changed = 0, dark = 0, failures = 0, ok = 0, processed = 0, skipped = 0, rescued = 0, ignored = 0;
    bool failed() const { return dark > 0 || failures > 0; }
};

// The recap of a playbook_on_stats event's data, one entry per host named in any category, by name.
QList<HostSummary> hostSummaries(const QJsonObject &statsData);

// AWX's host_status_counts: each host counted once, in the last of skipped → ok → changed → failures →
// dark that it has a non-zero count in (its worst outcome), e.g. {"ok": 3, "changed": 2, "dark": 1}.
QJsonObject hostStatusCounts(const QList<HostSummary> &summaries);

} // namespace playdeck

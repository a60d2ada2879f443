#pragma once

#include "JobPlan.h"

namespace playdeck {

// A job template's playbook run (AWX's RunJob): the private data dir of seed 000 — project/ (a copy
// without .git), inventory/hosts.json, env/extravars (the template's variables as they are, the
// launch-time ones !unsafe, AWX's awx_*/tower_* variables over both), env/cmdline, env/settings,
// env/envvars.
class PlaybookPlan : public JobPlan {
public:
    [[nodiscard]] Result<QByteArray> prepare(const RunInput &input, const QString &privateDir) override;

    // ansible-playbook options for env/cmdline, shell-quoted as ansible-runner's shlex.split expects.
    static QString cmdline(const JobOptions &effective);
    static QJsonObject kwargs(const RunInput &input);
};

} // namespace playdeck

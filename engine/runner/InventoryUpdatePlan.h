#pragma once

#include "JobPlan.h"

namespace playdeck {

// An inventory source's update (AWX's RunInventoryUpdate): Playdeck's inventory_update.yml, run
// through ansible-runner on localhost, reads the source with the real ansible-inventory into a file
// of the job's own; only a successful update imports it (store/InventoryStore.h: importContent, with
// the source's overwrite and overwrite_vars), in the same transaction as the job's final status.
class InventoryUpdatePlan : public JobPlan {
public:
    [[nodiscard]] Result<QByteArray> prepare(const RunInput &input, const QString &privateDir) override;
    Outcome judge(Outcome outcome) const override;
    std::function<Status(QSqlDatabase &)> finalWrites(const Outcome &outcome) const override;

private:
    qint64 m_jobId = 0;
    InventorySourceRun m_source;
    QString m_outputFile;
};

} // namespace playdeck

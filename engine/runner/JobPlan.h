#pragma once

#include "core/Result.h"
#include "model/Job.h"

#include <QByteArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

#include <memory>

namespace playdeck {

// Everything a run needs from the database, read once when it starts.
struct RunInput {
    JobDetail job;
    QString projectPath;
    QString inventoryName;
    QJsonObject inventory; // in the shape of ansible's YAML inventory plugin
};

// How one kind of unified job is run through ansible-runner: what goes into its private data dir and
// the kwargs of its transmit stream. Playbook runs now; project updates, inventory updates and ad hoc
// commands are plans of their own.
class JobPlan {
public:
    virtual ~JobPlan() = default;
    // Writes the private data dir and returns the whole transmit stream for `ansible-runner worker`.
    [[nodiscard]] virtual Result<QByteArray> prepare(const RunInput &input,
                                                     const QString &privateDir) const = 0;
};

std::unique_ptr<JobPlan> planFor(const RunInput &input);

// The rest of a run's input for `job`: its project's directory and its inventory. A failure with a
// code is the database's (try again later); one without a code means the project or inventory is
// gone, and the job cannot run.
[[nodiscard]] Result<RunInput> readRunInput(QSqlDatabase &db, JobDetail job);

} // namespace playdeck

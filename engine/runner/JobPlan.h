#pragma once

#include "OutcomeRules.h"
#include "core/Result.h"
#include "launch/LaunchConfig.h"
#include "model/Job.h"
#include "model/JobEvent.h"
#include "store/CredentialStore.h"
#include "store/InventoryStore.h"
#include "store/ProjectStore.h"

#include <QByteArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <memory>

namespace playdeck {

// Everything a run needs from the database, read once when it starts.
struct RunInput {
    JobDetail job;
    QString dataDir;         // Playdeck's data directory (set by the runner)
    QString projectPath;     // a job's playbooks
    QString projectRevision; // ... at this revision (a git project's)
    QString inventoryName;
    QJsonObject inventory;              // in the shape of ansible's YAML inventory plugin
    ProjectScm project;                 // a project update: what it updates
    InventorySourceRun inventorySource; // an inventory update: what it reads
    QList<CredentialKeys> credentials;  // the job's credentials, in order
    // Filled from the keychain just before the run, never stored: each credential's secret inputs
    // ("<credential id>/<input>" → value, the ask-at-launch ones included) and the survey's passwords.
    QHash<QString, QString> credentialSecrets;
    QJsonObject surveyPasswords;

    // The keychain entries the run needs read first.
    QStringList keychainEntries() const;
    // Takes what the keychain gave; fails when a stored secret is no longer there.
    [[nodiscard]] Status takeSecrets(const QHash<QString, QString> &entries);
};

// How one kind of unified job is run through ansible-runner: what goes into its private data dir and
// the kwargs of its transmit stream, and what its outcome means. A template's playbook run and a
// project update and an inventory update are plans of their own; ad hoc commands will be.
class JobPlan {
public:
    virtual ~JobPlan() = default;
    // Writes the private data dir and returns the whole transmit stream for `ansible-runner worker`.
    // A plan keeps what it needs for the run's end.
    [[nodiscard]] virtual Result<QByteArray> prepare(const RunInput &input, const QString &privateDir) = 0;
    // Sees each event of the run as the runner sent it (a project update reads its revision there).
    virtual void onEvent(const JobEvent &event) { Q_UNUSED(event); }
    // The outcome as this kind of job understands it.
    virtual Outcome judge(Outcome outcome) const { return outcome; }
    // Every secret the run was given: hidden wherever it would show (stdout, events, job_args).
    virtual QStringList secrets(const RunInput &input) const;
    // What is written with the final status, in its transaction (nothing by default).
    virtual std::function<Status(QSqlDatabase &)> finalWrites(const Outcome &outcome) const {
        Q_UNUSED(outcome);
        return {};
    }
};

std::unique_ptr<JobPlan> planFor(const RunInput &input);

// The rest of a run's input for `job`: its project's directory and its inventory. A failure with a
// code is the database's (try again later); one without a code means the project or inventory is
// gone, and the job cannot run.
[[nodiscard]] Result<RunInput> readRunInput(QSqlDatabase &db, JobDetail job);

} // namespace playdeck

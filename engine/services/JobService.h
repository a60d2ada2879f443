#pragma once

#include "store/EventStore.h"

#include "core/Result.h"
#include "events/HostSummary.h"
#include "launch/LaunchConfig.h"
#include "launch/Survey.h"
#include "model/Job.h"
#include "model/JobEvent.h"
#include "model/JobTemplate.h"
#include "store/UnifiedJobStore.h"

#include <QFuture>
#include <QJsonArray>

namespace playdeck {

class DbPool;
class SecretStore;

// What a launch of a template must be given, for the launch dialog and the command line.
struct LaunchNeeds {
    JobTemplate tmpl;      // its prompts and survey
    SurveyChoices choices; // the inventory's hosts and groups, for choices_from
    struct CredentialSecret {
        qint64 credentialId = 0;
        QString credentialName;
        QString input; // password, become_password, ssh_key_unlock, vault_password
        // How LaunchSecrets::credentialPasswords names it.
        QString key() const;
    };
    QList<CredentialSecret> credentialSecrets; // the ask-at-launch fields of its credentials
    // Every question the launch asks, in survey spec form: the survey's (when enabled), then the
    // playbook's vars_prompt questions that the survey does not ask ("vars_prompt": true).
    QJsonArray questions;
    QString playbookProblem; // why the playbook's vars_prompt could not be read (the launch goes on)
};

// AWX's relaunch, and one more: the same prompts through the template as it is now; the same on the
// hosts that failed or were unreachable only (a limit from the recap); or a replay "exactly as it
// ran": the job's own options and variables, its project revision and its inventory snapshot.
enum class RelaunchMode { SamePrompts, FailedHosts, Exact };

// The keychain entry that holds a launch's secrets.
QString launchSecretsEntry(const QString &secretsKey);

// What the window, the command line and (later) the API ask about jobs. Every call returns at once
// with a future; its work runs on a pooled database connection. Use whenReady() (db/DbPool.h) to get
// the answer on the caller's own thread.
class JobService {
public:
    JobService(DbPool &pool, SecretStore &secrets, int liveInstanceSeconds)
        : m_pool(pool)
        , m_secrets(secrets)
        , m_liveInstanceSeconds(liveInstanceSeconds) {}

    // Prompts, survey answers and the passwords asked at launch are checked before anything is
    // written: bad input creates no job. Secrets given at launch go to the keychain first.
    QFuture<Result<qint64>> launch(const LaunchRequest &request);
    QFuture<Result<LaunchNeeds>> launchNeeds(const QString &templateName, const LaunchConfig &prompts = {});
    // The same template with the same prompts as job `jobId` (AWX: relaunch through the template with
    // the saved launch config), launch_type relaunch.
    QFuture<Result<qint64>> relaunch(qint64 jobId, RelaunchMode mode = RelaunchMode::SamePrompts);
    // The job's recap, one row per host.
    QFuture<Result<QList<HostSummary>>> hostSummaries(qint64 jobId);
    QFuture<Result<CancelOutcome>> cancel(qint64 jobId);
    // AWX's project update: a unified job that fetches a git project and records its revision.
    QFuture<Result<qint64>> updateProject(const QString &projectName,
                                          const QString &launchType = QStringLiteral("manual"));

    // AWX's inventory update: a unified job that reads the source with ansible-inventory and imports
    // what it read into the source's inventory.
    QFuture<Result<qint64>> updateInventorySource(const QString &inventoryName, const QString &sourceName,
                                                  const QString &launchType = QStringLiteral("manual"));
    // The names of an inventory's sources (to update them all).
    QFuture<Result<QStringList>> inventorySources(const QString &inventoryName);

    QFuture<Result<JobDetail>> job(qint64 jobId);
    QFuture<Result<QList<JobSummary>>> recent(int limit);
    // A page of the jobs a list shows (filtered, sorted), and how many match.
    QFuture<Result<JobPage>> find(const JobQuery &query);
    // Events with counter > afterCounter, in counter order, at most maxCount of them.
    QFuture<Result<QList<JobEvent>>> events(qint64 jobId, int afterCounter, int maxCount);
    QFuture<Result<QString>> stdoutText(qint64 jobId);
    // Streams the job's stdout or its events as JSON lines to `write`, which runs on a query thread
    // (EventStore::dump): for the command line, whose memory stays bounded for any job.
    QFuture<Result<qint64>> dump(qint64 jobId, EventStore::Dump what, EventStore::DumpSink write);

    // The job view's output, by line. A page holds lines [firstLine, firstLine + count), cut at
    // lineCount (what the view knows of; newer lines come with the next extent).
    QFuture<Result<OutputPage>> outputPage(qint64 jobId, int firstLine, int count, int lineCount);
    QFuture<Result<OutputExtent>> outputExtent(qint64 jobId);
    // One step of a search: the lines after `afterLine` among the next `maxEvents` events that meet
    // the filter's event conditions. The text is matched here, on a database thread, never on the
    // caller's.
    QFuture<Result<OutputMatches>> searchOutput(qint64 jobId, const OutputFilter &filter, int afterLine,
                                                int maxEvents);
    // The job view's tree of plays, tasks and host results (EventStore::eventChildren), and the
    // node a host's recap row opens (EventStore::firstResultOf).
    QFuture<Result<QList<EventNode>>> eventChildren(qint64 jobId, const QString &parentUuid, int afterCounter,
                                                    int limit, const OutputFilter &filter);
    QFuture<Result<EventPath>> firstResultOf(qint64 jobId, const QString &host);
    // Saves the job's whole output to `path` (atomically: the file is complete or not there), as
    // printed, without its colours, or as JSON lines with timestamps. Returns the events written.
    enum class OutputFormat { Ansi, Plain, JsonLines };
    QFuture<Result<qint64>> saveOutput(qint64 jobId, OutputFormat format, const QString &path);
    // When the job's instance stopped before storing all its events: say so and finish its event
    // processing (see UnifiedJobStore::settleEventsOfLostInstances); whether it did.
    QFuture<Result<bool>> settleIfItsInstanceIsLost(qint64 jobId);
    // Whether an instance other than `exceptInstance` takes work (so that a quitting window can let
    // new work go there).
    QFuture<Result<bool>> otherWorkerAlive(qint64 exceptInstance);

private:
    DbPool &m_pool;
    SecretStore &m_secrets;
    int m_liveInstanceSeconds;
};

} // namespace playdeck

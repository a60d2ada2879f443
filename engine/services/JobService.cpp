#include "JobService.h"

#include "db/DbPool.h"
#include "dispatch/InstanceRegistry.h"
#include "events/AnsiEscapes.h"
#include "inventory/InventoryContent.h"
#include "launch/ExtraVars.h"
#include "launch/LaunchRules.h"
#include "launch/PlaybookPrompts.h"
#include "resources/ResourceSchema.h"
#include "scheduling/SchedulingRules.h"
#include "secrets/SecretStore.h"
#include "store/CredentialStore.h"
#include "store/EventStore.h"
#include "store/InstanceStore.h"
#include "store/InventoryStore.h"
#include "store/ProjectStore.h"
#include "store/ResourceStore.h"
#include "store/TemplateStore.h"

#include <QObject>
#include <QPromise>
#include <QSaveFile>
#include <QUuid>

#include <memory>

namespace playdeck {

namespace {

Status checkPrompts(const LaunchConfig &prompts) {
    if (auto vars = parseExtraVars(prompts.extraVars); !vars)
        return vars.status();
    if (prompts.forks && (*prompts.forks < 0 || *prompts.forks > 200))
        return Status::failure(QObject::tr("Forks must be between 0 and 200."));
    if (prompts.verbosity && (*prompts.verbosity < 0 || *prompts.verbosity > 5))
        return Status::failure(QObject::tr("Verbosity must be between 0 and 5."));
    if (prompts.jobType && *prompts.jobType != QLatin1String("run") &&
        *prompts.jobType != QLatin1String("check"))
        return Status::failure(QObject::tr("The job type must be run or check."));
    return {};
}

Result<qint64> launchFromTemplate(QSqlDatabase &db, const JobTemplate &tmpl, const LaunchConfig &prompts,
                                  const QString &launchType, qint64 relaunchOf = 0) {
    if (auto vars = parseExtraVars(tmpl.options.extraVars); !vars)
        return Status::failure(
            QObject::tr("The template's own extra variables are invalid: %1").arg(vars.error()));
    const JobOptions effective = applyLaunchConfig(tmpl.options, prompts);
    int hosts = 0;
    if (effective.inventoryId) {
        auto count = InventoryStore(db).enabledHostCount(effective.inventoryId);
        if (!count)
            return count.status();
        hosts = count.value();
    }
    const int impact = playbookTaskImpact(effective.forks, hosts, effective.inventoryId != 0);
    return UnifiedJobStore(db).createFromTemplate(tmpl, prompts, launchType, impact, relaunchOf);
}

// What a launch of `tmpl` must be given (its survey's inventory choices, the ask-at-launch
// credential fields).
Result<LaunchNeeds> needsOf(QSqlDatabase &db, const JobTemplate &tmpl, const LaunchConfig &prompts) {
    LaunchNeeds needs;
    needs.tmpl = tmpl;
    const JobOptions effective = applyLaunchConfig(tmpl.options, prompts);
    if (effective.inventoryId) {
        auto content = InventoryStore(db).content(effective.inventoryId);
        if (!content)
            return content.status();
        needs.choices.hosts = content.value().hosts.keys();
        for (const InventoryContent::Group &g : content.value().groups)
            needs.choices.groups << g.name;
    }
    // The playbook's own questions, from the tree the job would run now.
    PlaybookPrompts playbook;
    if (auto tree = ProjectStore(db).tree(effective.projectId); tree)
        playbook = readPlaybookPrompts(tree.value().path, effective.playbook);
    else if (!tree.code().isEmpty())
        return tree.status();
    else
        playbook.problem = tree.error();
    needs.questions = surveyWithPlaybookPrompts(tmpl.surveySpec, tmpl.surveyEnabled, playbook.questions)
                          .value(QLatin1String("spec"))
                          .toArray();
    needs.playbookProblem = playbook.problem;
    for (qint64 id : effective.credentialIds) {
        auto keys = CredentialStore(db).keys(id);
        if (!keys)
            return keys.status();
        for (auto it = keys.value().inputs.begin(); it != keys.value().inputs.end(); ++it)
            if (it.value().toString() == kAsk)
                needs.credentialSecrets.append({id, keys.value().name, it.key()});
    }
    return needs;
}

// Everything checked, nothing written: the job's prompts and the secrets that go to the keychain.
Result<SplitLaunch> prepareLaunch(QSqlDatabase &db, LaunchRequest request, JobTemplate &tmpl) {
    if (Status s = checkPrompts(request.prompts); !s)
        return s;
    if (!request.inventoryName.isEmpty()) {
        auto id = ResourceStore::idOf(db, ResourceKind::Inventory, request.inventoryName);
        if (!id)
            return id.status();
        if (id.value() == 0)
            return Status::failure(
                QObject::tr("There is no inventory named \"%1\".").arg(request.inventoryName));
        request.prompts.inventoryId = id.value();
    }
    if (request.credentialNames) {
        QList<qint64> ids;
        for (const QString &name : *request.credentialNames) {
            auto id = ResourceStore::idOf(db, ResourceKind::Credential, name);
            if (!id)
                return id.status();
            if (id.value() == 0)
                return Status::failure(QObject::tr("There is no credential named \"%1\".").arg(name));
            ids << id.value();
        }
        request.prompts.credentialIds = ids;
    }
    auto found = TemplateStore(db).find(request.templateId, request.templateName);
    if (!found)
        return found.status();
    tmpl = found.value();
    auto needs = needsOf(db, tmpl, request.prompts);
    if (!needs)
        return needs.status();
    // The playbook's vars_prompt questions are answered like the survey's, before the run.
    if (!needs.value().questions.isEmpty()) {
        tmpl.surveySpec.insert(QStringLiteral("spec"), needs.value().questions);
        tmpl.surveyEnabled = true;
    }
    if (Status s = checkPromptsAllowed(tmpl, request.prompts); !s)
        return s;
    auto split = applySurvey(tmpl, request, needs.value().choices);
    if (!split)
        return split.status();
    QStringList missing;
    for (const LaunchNeeds::CredentialSecret &c : needs.value().credentialSecrets)
        if (split.value().secrets.credentialPasswords.value(c.key()).isEmpty())
            missing << QObject::tr("%1 of credential \"%2\"").arg(c.input, c.credentialName);
    if (!missing.isEmpty())
        return Status::failure(QObject::tr("This launch needs %1 (asked at each launch).")
                                   .arg(missing.join(QStringLiteral(", "))));
    return split;
}

} // namespace

QString LaunchNeeds::CredentialSecret::key() const {
    return QStringLiteral("%1/%2").arg(credentialId).arg(input);
}

QFuture<Result<LaunchNeeds>> JobService::launchNeeds(const QString &templateName,
                                                     const LaunchConfig &prompts) {
    return m_pool.run<Result<LaunchNeeds>>([templateName, prompts](QSqlDatabase &db) -> Result<LaunchNeeds> {
        auto tmpl = TemplateStore(db).find(0, templateName);
        if (!tmpl)
            return tmpl.status();
        return needsOf(db, tmpl.value(), prompts);
    });
}

QFuture<Result<qint64>> JobService::launch(const LaunchRequest &request) {
    auto promise = std::make_shared<QPromise<Result<qint64>>>();
    promise->start();
    const auto fulfil = [promise](Result<qint64> r) {
        promise->addResult(std::move(r));
        promise->finish();
    };
    // In the keychain's thread: the answers come there, and its writes are made from there.
    QMetaObject::invokeMethod(&m_secrets, [this, request, fulfil] {
        using Prepared = Result<std::pair<JobTemplate, SplitLaunch>>;
        whenReady(m_pool.run<Prepared>([request](QSqlDatabase &db) -> Prepared {
            JobTemplate tmpl;
            auto split = prepareLaunch(db, request, tmpl);
            if (!split)
                return split.status();
            return std::pair{tmpl, split.value()};
        }),
                  &m_secrets, [this, request, fulfil](Prepared prepared) {
                      if (!prepared)
                          return fulfil(prepared.status());
                      auto [tmpl, split] = prepared.take();
                      const auto create = [this, request, fulfil, tmpl](LaunchConfig prompts) {
                          whenReady(m_pool.run<Result<qint64>>([tmpl, prompts, request](QSqlDatabase &db) {
                              return launchFromTemplate(db, tmpl, prompts, request.launchType);
                          }),
                                    &m_secrets, fulfil);
                      };
                      if (split.secrets.isEmpty())
                          return create(split.prompts);
                      // Secrets given at launch wait in the keychain, never in the database.
                      split.prompts.secretsKey = QUuid::createUuid().toString(QUuid::WithoutBraces);
                      const QString entry = launchSecretsEntry(split.prompts.secretsKey);
                      whenReady(m_secrets.write({{entry, QString::fromUtf8(split.secrets.toJson())}}),
                                &m_secrets, [create, fulfil, prompts = split.prompts](Status written) {
                                    if (!written)
                                        return fulfil(written);
                                    create(prompts);
                                });
                  });
    });
    return promise->future();
}

QString launchSecretsEntry(const QString &secretsKey) {
    return QStringLiteral("job/%1").arg(secretsKey);
}

namespace {

Result<qint64> startProjectUpdate(QSqlDatabase &db, qint64 projectId, const QString &launchType) {
    auto scm = ProjectStore(db).updatable(projectId);
    if (!scm)
        return scm.status();
    return UnifiedJobStore(db).createProjectUpdate(projectId, scm.value().name, launchType,
                                                   scm.value().timeout);
}

Result<qint64> startInventoryUpdate(QSqlDatabase &db, qint64 sourceId, const QString &launchType) {
    auto source = InventoryStore(db).sourceForRun(sourceId);
    if (!source)
        return source.status();
    return UnifiedJobStore(db).createInventoryUpdate(source.value(), launchType);
}

} // namespace

QFuture<Result<qint64>> JobService::updateInventorySource(const QString &inventoryName,
                                                          const QString &sourceName,
                                                          const QString &launchType) {
    return m_pool.run<Result<qint64>>([=](QSqlDatabase &db) -> Result<qint64> {
        auto id = InventoryStore(db).sourceId(inventoryName, sourceName);
        if (!id)
            return id.status();
        if (id.value() == 0)
            return Status::failure(QObject::tr("The inventory \"%1\" has no source named \"%2\".")
                                       .arg(inventoryName, sourceName));
        return startInventoryUpdate(db, id.value(), launchType);
    });
}

QFuture<Result<QStringList>> JobService::inventorySources(const QString &inventoryName) {
    return m_pool.run<Result<QStringList>>(
        [inventoryName](QSqlDatabase &db) { return InventoryStore(db).sourceNames(inventoryName); });
}

QFuture<Result<qint64>> JobService::updateProject(const QString &projectName, const QString &launchType) {
    return m_pool.run<Result<qint64>>([projectName, launchType](QSqlDatabase &db) -> Result<qint64> {
        auto id = ResourceStore::idOf(db, ResourceKind::Project, projectName);
        if (!id)
            return id.status();
        if (id.value() == 0)
            return Status::failure(QObject::tr("There is no project named \"%1\".").arg(projectName));
        return startProjectUpdate(db, id.value(), launchType);
    });
}

QFuture<Result<qint64>> JobService::relaunch(qint64 jobId, RelaunchMode mode) {
    return m_pool.run<Result<qint64>>([jobId, mode](QSqlDatabase &db) -> Result<qint64> {
        auto job = UnifiedJobStore(db).load(jobId);
        if (!job)
            return job.status();
        if (job.value().kind == QLatin1String("project_update")) {
            if (mode != RelaunchMode::SamePrompts)
                return Status::failure(QObject::tr("A project update can only be run again as it is."));
            return startProjectUpdate(db, job.value().options.projectId, QStringLiteral("relaunch"));
        }
        if (job.value().kind == QLatin1String("inventory_update")) {
            if (mode != RelaunchMode::SamePrompts)
                return Status::failure(QObject::tr("An inventory update can only be run again as it is."));
            return startInventoryUpdate(db, job.value().inventorySourceId, QStringLiteral("relaunch"));
        }
        if (mode == RelaunchMode::Exact) {
            const JobOptions effective = job.value().effectiveOptions();
            int hosts = 0;
            if (effective.inventoryId) {
                auto snapshot = UnifiedJobStore(db).inventorySnapshot(jobId);
                if (!snapshot)
                    return snapshot.status();
                if (snapshot.value())
                    hosts = hostCountOfRunInventory(*snapshot.value());
            }
            return UnifiedJobStore(db).createReplay(
                jobId, playbookTaskImpact(effective.forks, hosts, effective.inventoryId != 0));
        }
        if (job.value().templateId == 0)
            return Status::failure(
                QObject::tr("Job %1 cannot be relaunched: its template was deleted.").arg(jobId));
        auto tmpl = TemplateStore(db).find(job.value().templateId, {});
        if (!tmpl)
            return tmpl.status();
        LaunchConfig prompts = job.value().launch;
        if (mode == RelaunchMode::FailedHosts) {
            auto recap = EventStore(db).hostSummaries(jobId);
            if (!recap)
                return recap.status();
            QStringList failed;
            for (const HostSummary &h : recap.value())
                if (h.failed())
                    failed << h.host;
            if (failed.isEmpty())
                return Status::failure(
                    recap.value().isEmpty()
                        ? QObject::tr("Job %1 has no host recap, so no host is known to have failed.")
                              .arg(jobId)
                        : QObject::tr("No host failed or was unreachable in job %1.").arg(jobId));
            prompts.limit = failed.join(QLatin1Char(','));
        }
        return launchFromTemplate(db, tmpl.value(), prompts, QStringLiteral("relaunch"), jobId);
    });
}

QFuture<Result<QList<HostSummary>>> JobService::hostSummaries(qint64 jobId) {
    return m_pool.run<Result<QList<HostSummary>>>(
        [jobId](QSqlDatabase &db) { return EventStore(db).hostSummaries(jobId); });
}

QFuture<Result<CancelOutcome>> JobService::cancel(qint64 jobId) {
    return m_pool.run<Result<CancelOutcome>>(
        [jobId](QSqlDatabase &db) { return UnifiedJobStore(db).requestCancel(jobId); });
}

QFuture<Result<JobDetail>> JobService::job(qint64 jobId) {
    return m_pool.run<Result<JobDetail>>(
        [jobId](QSqlDatabase &db) { return UnifiedJobStore(db).load(jobId); });
}

QFuture<Result<JobPage>> JobService::find(const JobQuery &query) {
    return m_pool.run<Result<JobPage>>([query](QSqlDatabase &db) { return UnifiedJobStore(db).find(query); });
}

QFuture<Result<QList<JobSummary>>> JobService::recent(int limit) {
    return m_pool.run<Result<QList<JobSummary>>>(
        [limit](QSqlDatabase &db) { return UnifiedJobStore(db).list(limit); });
}

QFuture<Result<QList<JobEvent>>> JobService::events(qint64 jobId, int afterCounter, int maxCount) {
    return m_pool.run<Result<QList<JobEvent>>>(
        [=](QSqlDatabase &db) { return EventStore(db).load(jobId, afterCounter, maxCount); });
}

QFuture<Result<QString>> JobService::stdoutText(qint64 jobId) {
    return m_pool.run<Result<QString>>(
        [jobId](QSqlDatabase &db) { return EventStore(db).stdoutText(jobId); });
}

QFuture<Result<qint64>> JobService::dump(qint64 jobId, EventStore::Dump what, EventStore::DumpSink write) {
    return m_pool.run<Result<qint64>>(
        [=](QSqlDatabase &db) { return EventStore(db).dump(jobId, what, write); });
}

QFuture<Result<OutputPage>> JobService::outputPage(qint64 jobId, int firstLine, int count, int lineCount) {
    return m_pool.run<Result<OutputPage>>([=](QSqlDatabase &db) -> Result<OutputPage> {
        auto events = EventStore(db).outputEvents(jobId, firstLine, count);
        if (!events)
            return events.status();
        return playdeck::outputPage(events.value(), firstLine, count, lineCount);
    });
}

QFuture<Result<OutputExtent>> JobService::outputExtent(qint64 jobId) {
    return m_pool.run<Result<OutputExtent>>(
        [jobId](QSqlDatabase &db) { return EventStore(db).outputExtent(jobId); });
}

QFuture<Result<QList<EventNode>>> JobService::eventChildren(qint64 jobId, const QString &parentUuid,
                                                            int afterCounter, int limit,
                                                            const OutputFilter &filter) {
    return m_pool.run<Result<QList<EventNode>>>([=](QSqlDatabase &db) {
        return EventStore(db).eventChildren(jobId, parentUuid, afterCounter, limit, filter);
    });
}

QFuture<Result<EventPath>> JobService::firstResultOf(qint64 jobId, const QString &host) {
    return m_pool.run<Result<EventPath>>(
        [=](QSqlDatabase &db) { return EventStore(db).firstResultOf(jobId, host); });
}

QFuture<Result<OutputMatches>> JobService::searchOutput(qint64 jobId, const OutputFilter &filter,
                                                        int afterLine, int maxEvents) {
    return m_pool.run<Result<OutputMatches>>([=](QSqlDatabase &db) -> Result<OutputMatches> {
        const OutputMatcher matcher(filter);
        if (!matcher.error().isEmpty())
            return Result<OutputMatches>::failure(
                QObject::tr("The regular expression is not valid: %1").arg(matcher.error()));
        auto events = EventStore(db).outputEvents(jobId, afterLine, maxEvents, filter);
        if (!events)
            return events.status();
        OutputMatches step;
        matcher.scan(events.value(), step.ranges);
        step.scannedTo = events.value().isEmpty() ? afterLine : events.value().last().endLine;
        step.atEnd = events.value().size() < maxEvents;
        return step;
    });
}

QFuture<Result<qint64>> JobService::saveOutput(qint64 jobId, OutputFormat format, const QString &path) {
    return m_pool.run<Result<qint64>>([=](QSqlDatabase &db) -> Result<qint64> {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return Result<qint64>::failure(
                QObject::tr("%1 could not be written: %2").arg(path, file.errorString()));
        const auto what =
            format == OutputFormat::JsonLines ? EventStore::Dump::JsonLines : EventStore::Dump::Stdout;
        auto rows = EventStore(db).dump(jobId, what, [&](const char *data, qsizetype size) {
            if (format != OutputFormat::Plain)
                return file.write(data, size) == size;
            const QByteArray plain = stripAnsi(QString::fromUtf8(data, size)).toUtf8();
            return file.write(plain) == plain.size();
        });
        if (!rows) {
            file.cancelWriting();
            return rows;
        }
        if (!file.commit())
            return Result<qint64>::failure(
                QObject::tr("%1 could not be written: %2").arg(path, file.errorString()));
        return rows;
    });
}

QFuture<Result<bool>> JobService::settleIfItsInstanceIsLost(qint64 jobId) {
    return m_pool.run<Result<bool>>(
        [jobId, seconds = m_liveInstanceSeconds](QSqlDatabase &db) -> Result<bool> {
            // A dead process of this machine is known lost at once.
            if (Status marked = instances::markGoneLocalInstances(db); !marked)
                return marked;
            auto settled = UnifiedJobStore(db).settleEventsOfLostInstances(seconds, jobId);
            if (!settled)
                return settled.status();
            return settled.value() > 0;
        });
}

QFuture<Result<bool>> JobService::otherWorkerAlive(qint64 exceptInstance) {
    return m_pool.run<Result<bool>>(
        [exceptInstance, seconds = m_liveInstanceSeconds](QSqlDatabase &db) -> Result<bool> {
            auto live = InstanceStore(db).schedulable(seconds);
            if (!live)
                return live.status();
            for (const InstanceRow &row : live.value())
                if (row.id != exceptInstance)
                    return true;
            return false;
        });
}

} // namespace playdeck

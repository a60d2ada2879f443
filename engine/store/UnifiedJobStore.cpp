#include "UnifiedJobStore.h"

#include "bus/Publisher.h"
#include "db/Connections.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QObject>

namespace playdeck {

namespace {

QString json(const QJsonObject &o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}
QJsonObject jsonObject(const QVariant &v) {
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

// "status IN ('pending', 'waiting')": the words come from the enum, never from input.
QString statusIn(const QList<JobStatus> &statuses) {
    QStringList words;
    for (JobStatus s : statuses)
        words << QLatin1Char('\'') + statusName(s) + QLatin1Char('\'');
    return QStringLiteral("status IN (%1)").arg(words.join(QStringLiteral(", ")));
}

void appendFields(const JobUpdate &u, QStringList &sets, QVariantList &binds) {
    const auto set = [&](const char *column, const QVariant &value) {
        sets << QLatin1String(column) + QStringLiteral(" = ?");
        binds << value;
    };
    if (u.explanation)
        set("job_explanation", *u.explanation);
    if (u.resultTraceback)
        set("result_traceback", *u.resultTraceback);
    if (u.jobArgs)
        set("job_args", *u.jobArgs);
    if (u.jobCwd)
        set("job_cwd", *u.jobCwd);
    if (u.jobEnv) {
        sets << QStringLiteral("job_env = ?::jsonb");
        binds << json(*u.jobEnv);
    }
    if (u.executionNode)
        set("execution_node", *u.executionNode);
    if (u.controllerNode)
        set("controller_node", *u.controllerNode);
    if (u.dispatchUuid)
        set("dispatch_uuid", *u.dispatchUuid);
    if (u.emittedEvents)
        set("emitted_events", *u.emittedEvents);
    if (u.eventProcessingFinished)
        set("event_processing_finished", *u.eventProcessingFinished);
    if (u.refusedEvents)
        set("refused_events", *u.refusedEvents);
    if (u.refusedReason)
        set("refused_reason", *u.refusedReason);
    if (u.inputPrompt)
        set("input_prompt", *u.inputPrompt);
    if (u.scmRevision)
        set("scm_revision", *u.scmRevision);
    if (u.inventorySnapshot) {
        sets << QStringLiteral("inventory_snapshot = ?::jsonb");
        binds << json(*u.inventorySnapshot);
    }
    if (u.hostStatusCounts) {
        sets << QStringLiteral("host_status_counts = ?::jsonb");
        binds << json(*u.hostStatusCounts);
    }
}

const QString kSummaryColumns = QStringLiteral(
    "id, name, status, launch_type, coalesce(job_template_id, 0), created, started, finished, elapsed,"
    " execution_node, job_explanation, input_prompt, kind");

void readSummary(const QSqlQuery &q, JobSummary &j) {
    j.id = q.value(0).toLongLong();
    j.name = q.value(1).toString();
    j.status = statusFromName(q.value(2).toString()).value_or(JobStatus::Error);
    j.launchType = q.value(3).toString();
    j.templateId = q.value(4).toLongLong();
    j.created = q.value(5).toDateTime();
    j.started = q.value(6).toDateTime();
    j.finished = q.value(7).toDateTime();
    j.elapsed = q.value(8).toDouble();
    j.executionNode = q.value(9).toString();
    j.explanation = q.value(10).toString();
    j.inputPrompt = q.value(11).toString();
    j.kind = q.value(12).toString();
}

Result<QList<qint64>> ids(Result<QSqlQuery> q) {
    if (!q)
        return q.status();
    QList<qint64> out;
    while (q.value().next())
        out << q.value().value(0).toLongLong();
    return out;
}

} // namespace

bool JobUpdate::isEmpty() const {
    QStringList sets;
    QVariantList binds;
    appendFields(*this, sets, binds);
    return sets.isEmpty();
}

Result<qint64> UnifiedJobStore::createFromTemplate(const JobTemplate &t, const LaunchConfig &prompts,
                                                   const QString &launchType, int taskImpact,
                                                   qint64 relaunchOf) {
    return inTransaction<qint64>(m_db, [&]() -> Result<qint64> {
        const JobOptions &o = t.options;
        auto q =
            exec(m_db,
                 QStringLiteral(
                     "INSERT INTO unified_job (job_template_id, name, status, launch_type, project_id,"
                     " inventory_id, playbook, extra_vars, host_limit, forks, verbosity, job_type, job_tags,"
                     " skip_tags, timeout, allow_simultaneous, launch_config, task_impact, diff_mode, "
                     "become_enabled,"
                     " scm_branch, relaunch_of)"
                     " VALUES (?, ?, 'new', ?, ?, nullif(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, "
                     "?, ?, ?, nullif(?, 0))"
                     " RETURNING id"),
                 {t.id,          t.name,      launchType,          o.projectId,
                  o.inventoryId, o.playbook,  o.extraVars,         o.limit,
                  o.forks,       o.verbosity, o.jobType,           o.jobTags,
                  o.skipTags,    o.timeout,   o.allowSimultaneous, json(prompts.toJson()),
                  taskImpact,    o.diffMode,  o.becomeEnabled,     o.scmBranch,
                  relaunchOf});
        if (!q)
            return q.status();
        q.value().next();
        const qint64 id = q.value().value(0).toLongLong();
        int position = 0;
        for (qint64 credential : o.credentialIds)
            if (auto c = exec(m_db,
                              QStringLiteral("INSERT INTO unified_job_credential (job_id, credential_id, "
                                             "position) VALUES (?, ?, ?)"),
                              {id, credential, position++});
                !c)
                return c.status();
        auto pending = transition(id, {JobStatus::Pending, {JobStatus::New}, {}, {}});
        if (!pending)
            return pending.status();
        return id;
    });
}

Result<qint64> UnifiedJobStore::createReplay(qint64 sourceId, int taskImpact) {
    return inTransaction<qint64>(m_db, [&]() -> Result<qint64> {
        auto source =
            exec(m_db,
                 QStringLiteral("SELECT kind, inventory_id IS NOT NULL, inventory_snapshot IS NOT NULL,"
                                " scm_revision, status FROM unified_job WHERE id = ?"),
                 {sourceId});
        if (!source)
            return source.status();
        if (!source.value().next())
            return Status::failure(QObject::tr("There is no job %1.").arg(sourceId));
        const QSqlQuery &r = source.value();
        if (r.value(0).toString() != QLatin1String("job"))
            return Status::failure(
                QObject::tr("Only a template's job can be replayed exactly; relaunch job %1 instead.")
                    .arg(sourceId));
        if (r.value(1).toBool() && !r.value(2).toBool())
            return Status::failure(
                QObject::tr("Job %1 cannot be replayed exactly: it never started, so there is no record "
                            "of the inventory it ran against. Relaunch it instead.")
                    .arg(sourceId));
        // Everything the job ran with is its own copy; the template may have changed since.
        auto q = exec(
            m_db,
            QStringLiteral(
                "INSERT INTO unified_job (job_template_id, name, status, launch_type, project_id,"
                " inventory_id, playbook, extra_vars, host_limit, forks, verbosity, job_type, job_tags,"
                " skip_tags, timeout, allow_simultaneous, launch_config, task_impact, diff_mode,"
                " become_enabled, scm_branch, relaunch_of, replay_of, pinned_revision, inventory_snapshot)"
                " SELECT job_template_id, name, 'new', 'relaunch', project_id, inventory_id, playbook,"
                " extra_vars, host_limit, forks, verbosity, job_type, job_tags, skip_tags, timeout,"
                " allow_simultaneous, launch_config, ?, diff_mode, become_enabled, scm_branch, id, id,"
                " scm_revision, inventory_snapshot FROM unified_job WHERE id = ? RETURNING id"),
            {taskImpact, sourceId});
        if (!q)
            return q.status();
        q.value().next();
        const qint64 id = q.value().value(0).toLongLong();
        if (auto c =
                exec(m_db,
                     QStringLiteral("INSERT INTO unified_job_credential (job_id, credential_id, position)"
                                    " SELECT ?, credential_id, position FROM unified_job_credential"
                                    " WHERE job_id = ?"),
                     {id, sourceId});
            !c)
            return c.status();
        auto pending = transition(id, {JobStatus::Pending, {JobStatus::New}, {}, {}});
        if (!pending)
            return pending.status();
        return id;
    });
}

Result<std::optional<QJsonObject>> UnifiedJobStore::inventorySnapshot(qint64 jobId) {
    auto q =
        exec(m_db, QStringLiteral("SELECT inventory_snapshot::text FROM unified_job WHERE id = ?"), {jobId});
    if (!q)
        return q.status();
    if (!q.value().next() || q.value().value(0).isNull())
        return std::optional<QJsonObject>();
    return std::optional<QJsonObject>(jsonObject(q.value().value(0)));
}

Result<qint64> UnifiedJobStore::createPending(const QString &insert, const QVariantList &binds) {
    return atomically<qint64>(m_db, [&]() -> Result<qint64> {
        auto q = exec(m_db, insert, binds);
        if (!q)
            return q.status();
        q.value().next();
        const qint64 id = q.value().value(0).toLongLong();
        auto pending = transition(id, {JobStatus::Pending, {JobStatus::New}, {}, {}});
        if (!pending)
            return pending.status();
        return id;
    });
}

Result<qint64> UnifiedJobStore::createInventoryUpdate(const InventorySourceRun &source,
                                                      const QString &launchType) {
    return createPending(
        QStringLiteral("INSERT INTO unified_job (kind, name, status, launch_type, inventory_id,"
                       " inventory_source_id, job_type, timeout, task_impact, playbook)"
                       " VALUES ('inventory_update', ?, 'new', ?, ?, ?, 'run', ?, 1,"
                       " 'inventory_update.yml') RETURNING id"),
        {QStringLiteral("%1 - %2").arg(source.inventoryName, source.name), launchType, source.inventoryId,
         source.id, source.timeout});
}

Result<qint64> UnifiedJobStore::createProjectUpdate(qint64 projectId, const QString &projectName,
                                                    const QString &launchType, int timeout) {
    // AWX's project update of job_type check: a real fetch into the project's checkout.
    return createPending(
        QStringLiteral(
            "INSERT INTO unified_job (kind, name, status, launch_type, project_id, job_type,"
            " timeout, task_impact, playbook) VALUES ('project_update', ?, 'new', ?, ?, 'check', ?, 1,"
            " 'project_update.yml') RETURNING id"),
        {projectName, launchType, projectId, timeout});
}

Result<bool> UnifiedJobStore::transition(qint64 jobId, const JobTransition &t) {
    return atomically<bool>(m_db, [&] { return transitionInTransaction(jobId, t); });
}

Result<bool> UnifiedJobStore::transitionInTransaction(qint64 jobId, const JobTransition &t) {
    QList<JobStatus> from;
    for (JobStatus s : allowedSources(t.to))
        if (t.onlyFrom.isEmpty() || t.onlyFrom.contains(s))
            from << s;
    if (from.isEmpty())
        return false;
    QStringList sets{QStringLiteral("status = ?"), QStringLiteral("modified = clock_timestamp()")};
    QVariantList binds{statusName(t.to)};
    if (t.to == JobStatus::Running)
        sets << QStringLiteral("started = coalesce(started, clock_timestamp())");
    if (isFinished(t.to)) {
        sets << QStringLiteral("finished = coalesce(finished, clock_timestamp())")
             << QStringLiteral("elapsed = CASE WHEN started IS NULL THEN 0 ELSE"
                               " round(extract(epoch FROM clock_timestamp() - started)::numeric, 3) END")
             << QStringLiteral("failed = ?");
        binds << (t.to != JobStatus::Successful);
    }
    if (t.to == JobStatus::Canceled)
        sets << QStringLiteral("cancel_flag = true");
    appendFields(t.fields, sets, binds);
    binds << jobId;
    QString where = statusIn(from);
    if (!t.onlyOnNode.isEmpty()) {
        where += QStringLiteral(" AND execution_node = ?");
        binds << t.onlyOnNode;
    }
    auto q = exec(m_db,
                  QStringLiteral("UPDATE unified_job SET %1 WHERE id = ? AND %2")
                      .arg(sets.join(QStringLiteral(", ")), where),
                  binds);
    if (!q)
        return q.status();
    if (q.value().numRowsAffected() == 0)
        return false;
    if (Status s = bus::publish(m_db, bus::JobChanged{jobId, t.to}); !s)
        return s;
    // A job that became pending wants a decision; a job that left the active set freed capacity or
    // unblocked others (AWX schedules the task manager on both).
    if (t.to == JobStatus::Pending || isFinished(t.to))
        if (Status s = bus::publish(m_db, bus::ScheduleRequested{}); !s)
            return s;
    return true;
}

Status UnifiedJobStore::update(qint64 jobId, const JobUpdate &fields, bool announce) {
    return atomically<bool>(m_db,
                            [&]() -> Result<bool> {
                                if (Status s = updateInTransaction(jobId, fields, announce); !s)
                                    return s;
                                return true;
                            })
        .status();
}

Status UnifiedJobStore::updateInTransaction(qint64 jobId, const JobUpdate &fields, bool announce) {
    QStringList sets{QStringLiteral("modified = clock_timestamp()")};
    QVariantList binds;
    appendFields(fields, sets, binds);
    if (sets.size() == 1)
        return {};
    binds << jobId;
    auto q = exec(
        m_db, QStringLiteral("UPDATE unified_job SET %1 WHERE id = ?").arg(sets.join(QStringLiteral(", "))),
        binds);
    if (!q)
        return q.status();
    if (announce && q.value().numRowsAffected() > 0)
        return bus::publish(m_db, bus::JobChanged{jobId, std::nullopt});
    return {};
}

Result<CancelOutcome> UnifiedJobStore::requestCancel(qint64 jobId) {
    return inTransaction<CancelOutcome>(m_db, [&]() -> Result<CancelOutcome> {
        auto q = exec(
            m_db, QStringLiteral("UPDATE unified_job SET cancel_flag = true WHERE id = ? RETURNING status"),
            {jobId});
        if (!q)
            return q.status();
        if (!q.value().next())
            return Status::failure(QObject::tr("There is no job %1.").arg(jobId));
        const auto status = statusFromName(q.value().value(0).toString());
        if (!status || isFinished(*status))
            return Status::failure(QObject::tr("Job %1 has already finished (%2).")
                                       .arg(jobId)
                                       .arg(q.value().value(0).toString()));
        // Not handed to a runner yet: nobody else will finish it, so cancel it here.
        JobUpdate fields;
        fields.explanation = QObject::tr("Canceled before it started.");
        fields.eventProcessingFinished = true;
        auto direct =
            transition(jobId, {JobStatus::Canceled, {JobStatus::New, JobStatus::Pending}, fields, {}});
        if (!direct)
            return direct.status();
        if (direct.value())
            return CancelOutcome::CanceledAtOnce;
        if (Status s = bus::publish(m_db, bus::CancelRequested{jobId}); !s)
            return s;
        return CancelOutcome::RunnerTold;
    });
}

Result<QList<JobSummary>> UnifiedJobStore::list(int limit) {
    auto q =
        exec(m_db, QStringLiteral("SELECT %1 FROM unified_job ORDER BY id DESC LIMIT ?").arg(kSummaryColumns),
             {limit});
    if (!q)
        return q.status();
    QList<JobSummary> out;
    while (q.value().next()) {
        JobSummary j;
        readSummary(q.value(), j);
        out.append(j);
    }
    return out;
}

Result<JobPage> UnifiedJobStore::find(const JobQuery &query) {
    QStringList where;
    QVariantList binds;
    if (!query.statuses.isEmpty()) {
        QStringList marks;
        for (JobStatus s : query.statuses) {
            marks << QStringLiteral("?");
            binds << statusName(s);
        }
        where << QStringLiteral("status IN (%1)").arg(marks.join(QLatin1Char(',')));
    }
    if (!query.name.isEmpty()) {
        where << QStringLiteral("name = ?");
        binds << query.name;
    }
    if (!query.text.trimmed().isEmpty()) {
        const QString pattern = likeContains(query.text.trimmed());
        where << QStringLiteral("(name ILIKE ? OR job_explanation ILIKE ? OR id::text = ?)");
        binds << pattern << pattern << query.text.trimmed();
    }
    const QString filter =
        where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    auto count = exec(m_db, QStringLiteral("SELECT count(*) FROM unified_job") + filter, binds);
    if (!count)
        return count.status();
    JobPage page;
    if (count.value().next())
        page.total = count.value().value(0).toInt();
    // Only these columns, by name: nothing of the query's text reaches the SQL.
    const QString column = query.order == JobQuery::Order::Name      ? QStringLiteral("name")
                           : query.order == JobQuery::Order::Status  ? QStringLiteral("status")
                           : query.order == JobQuery::Order::Started ? QStringLiteral("started")
                           : query.order == JobQuery::Order::Elapsed ? QStringLiteral("elapsed")
                                                                     : QStringLiteral("id");
    const QString direction =
        query.descending ? QStringLiteral("DESC NULLS LAST") : QStringLiteral("ASC NULLS FIRST");
    auto q = exec(m_db,
                  QStringLiteral("SELECT %1 FROM unified_job%2 ORDER BY %3 %4, id DESC LIMIT ? OFFSET ?")
                      .arg(kSummaryColumns, filter, column, direction),
                  binds + QVariantList{std::clamp(query.limit, 1, 1000), std::max(0, query.offset)});
    if (!q)
        return q.status();
    while (q.value().next()) {
        JobSummary j;
        readSummary(q.value(), j);
        page.jobs.append(j);
    }
    return page;
}

Result<JobDetail> UnifiedJobStore::load(qint64 jobId) {
    auto q = exec(
        m_db,
        QStringLiteral(
            "SELECT %1, coalesce(project_id, 0), playbook, coalesce(inventory_id, 0),"
            " extra_vars, host_limit, forks, verbosity, job_type, job_tags, skip_tags, timeout,"
            " allow_simultaneous, launch_config::text, job_args, result_traceback,"
            " event_processing_finished, emitted_events, refused_events, refused_reason, cancel_flag,"
            " scm_revision, diff_mode, become_enabled, scm_branch, coalesce(relaunch_of, 0),"
            " coalesce(replay_of, 0), pinned_revision, coalesce(inventory_source_id, 0), coalesce((SELECT "
            "json_agg(credential_id ORDER BY"
            " position) FROM unified_job_credential WHERE job_id = unified_job.id), '[]')::text"
            " FROM unified_job WHERE id = ?")
            .arg(kSummaryColumns),
        {jobId});
    if (!q)
        return q.status();
    if (!q.value().next())
        return Status::failure(QObject::tr("There is no job %1.").arg(jobId));
    const QSqlQuery &r = q.value();
    JobDetail j;
    readSummary(r, j);
    int c = 13;
    JobOptions &o = j.options;
    o.projectId = r.value(c++).toLongLong();
    o.playbook = r.value(c++).toString();
    o.inventoryId = r.value(c++).toLongLong();
    o.extraVars = r.value(c++).toString();
    o.limit = r.value(c++).toString();
    o.forks = r.value(c++).toInt();
    o.verbosity = r.value(c++).toInt();
    o.jobType = r.value(c++).toString();
    o.jobTags = r.value(c++).toString();
    o.skipTags = r.value(c++).toString();
    o.timeout = r.value(c++).toInt();
    o.allowSimultaneous = r.value(c++).toBool();
    j.launch = LaunchConfig::fromJson(jsonObject(r.value(c++)));
    j.jobArgs = r.value(c++).toString();
    j.resultTraceback = r.value(c++).toString();
    j.eventProcessingFinished = r.value(c++).toBool();
    j.emittedEvents = r.value(c++).toInt();
    j.refusedEvents = r.value(c++).toInt();
    j.refusedReason = r.value(c++).toString();
    j.cancelRequested = r.value(c++).toBool();
    j.scmRevision = r.value(c++).toString();
    o.diffMode = r.value(c++).toBool();
    o.becomeEnabled = r.value(c++).toBool();
    o.scmBranch = r.value(c++).toString();
    j.relaunchOf = r.value(c++).toLongLong();
    j.replayOf = r.value(c++).toLongLong();
    j.pinnedRevision = r.value(c++).toString();
    j.inventorySourceId = r.value(c++).toLongLong();
    for (const QJsonValue &id : QJsonDocument::fromJson(r.value(c++).toString().toUtf8()).array())
        o.credentialIds << qint64(id.toDouble());
    return j;
}

Result<std::optional<JobStatus>> UnifiedJobStore::status(qint64 jobId) {
    auto q = exec(m_db, QStringLiteral("SELECT status FROM unified_job WHERE id = ?"), {jobId});
    if (!q)
        return q.status();
    if (!q.value().next())
        return std::optional<JobStatus>();
    return statusFromName(q.value().value(0).toString());
}

Result<QList<ActiveJobRow>> UnifiedJobStore::activeSet() {
    auto q = exec(
        m_db, QStringLiteral("SELECT id, status, coalesce(job_template_id, 0), allow_simultaneous,"
                             " task_impact, execution_node, job_explanation, CASE kind WHEN 'project_update'"
                             " THEN coalesce(project_id, 0) ELSE 0 END, CASE kind WHEN 'inventory_update'"
                             " THEN coalesce(inventory_source_id, 0) ELSE 0 END FROM unified_job"
                             " WHERE status IN ('pending', 'waiting', 'running') ORDER BY created, id"));
    if (!q)
        return q.status();
    QList<ActiveJobRow> out;
    while (q.value().next()) {
        const QSqlQuery &r = q.value();
        out.append({r.value(0).toLongLong(),
                    statusFromName(r.value(1).toString()).value_or(JobStatus::Pending),
                    r.value(2).toLongLong(), r.value(3).toBool(), r.value(4).toInt(), r.value(5).toString(),
                    r.value(6).toString(), r.value(7).toLongLong(), r.value(8).toLongLong()});
    }
    return out;
}

Result<QList<qint64>> UnifiedJobStore::onNode(const QString &node, JobStatus status) {
    return ids(exec(
        m_db,
        QStringLiteral("SELECT id FROM unified_job WHERE status = ? AND execution_node = ? ORDER BY created"),
        {statusName(status), node}));
}

Result<QList<qint64>> UnifiedJobStore::cancelRequestedOn(const QString &node) {
    return ids(exec(
        m_db,
        QStringLiteral("SELECT id FROM unified_job WHERE status IN ('waiting', 'running') AND cancel_flag"
                       " AND execution_node = ?"),
        {node}));
}

Result<QList<UnifiedJobStore::Stranded>> UnifiedJobStore::onLostNodes(int silentForSeconds) {
    auto q =
        exec(m_db,
             QStringLiteral("SELECT j.id, j.status, j.execution_node, j.cancel_flag FROM unified_job j"
                            " LEFT JOIN instance i ON i.hostname = j.execution_node"
                            " WHERE j.status IN ('waiting', 'running') AND (i.id IS NULL"
                            " OR i.node_state = 'lost' OR i.last_seen < now() - make_interval(secs => ?))"),
             {silentForSeconds});
    if (!q)
        return q.status();
    QList<Stranded> out;
    while (q.value().next())
        out.append({q.value().value(0).toLongLong(),
                    statusFromName(q.value().value(1).toString()).value_or(JobStatus::Running),
                    q.value().value(2).toString(), q.value().value(3).toBool()});
    return out;
}

Result<int> UnifiedJobStore::settleEventsOfLostInstances(int silentForSeconds, qint64 jobId) {
    // One statement, guarded by NOT event_processing_finished: a receiver that finishes the job at the
    // same moment wins (READ COMMITTED re-checks the row), and its own count and reason stay.
    const QString reason = QObject::tr("its Playdeck instance %1 stopped before it had stored them");
    return atomically<int>(m_db, [&]() -> Result<int> {
        auto q = exec(
            m_db,
            QStringLiteral(
                "WITH lost AS (SELECT j.id, j.execution_node AS node,"
                " GREATEST(0, j.emitted_events - (SELECT count(*) FROM job_event e WHERE e.job_id = j.id))"
                " AS missing FROM unified_job j LEFT JOIN instance i ON i.hostname = j.execution_node"
                " WHERE j.status IN ('successful', 'failed', 'error', 'canceled')"
                " AND NOT j.event_processing_finished AND j.started IS NOT NULL AND (? = 0 OR j.id = ?)"
                " AND (i.id IS NULL OR i.node_state = 'lost'"
                " OR i.last_seen < now() - make_interval(secs => ?)))"
                " UPDATE unified_job u SET event_processing_finished = true, modified = clock_timestamp(),"
                " refused_events = CASE WHEN lost.missing > 0 THEN lost.missing ELSE u.refused_events END,"
                " refused_reason = CASE WHEN lost.missing > 0 THEN replace(?, '%1', lost.node)"
                " ELSE u.refused_reason END"
                " FROM lost WHERE u.id = lost.id AND NOT u.event_processing_finished RETURNING u.id"),
            {jobId, jobId, silentForSeconds, reason});
        if (!q)
            return q.status();
        QList<qint64> settled;
        while (q.value().next())
            settled.append(q.value().value(0).toLongLong());
        for (qint64 id : settled)
            if (Status s = bus::publish(m_db, bus::JobChanged{id, std::nullopt}); !s)
                return s;
        return int(settled.size());
    });
}

Result<int> UnifiedJobStore::requeueWaiting(const QString &node) {
    auto waiting = onNode(node, JobStatus::Waiting);
    if (!waiting)
        return waiting.status();
    int moved = 0;
    for (qint64 id : waiting.value()) {
        JobUpdate fields;
        fields.executionNode = QString();
        fields.controllerNode = QString();
        auto r = transition(id, {JobStatus::Pending, {JobStatus::Waiting}, fields, {}});
        if (!r)
            return r.status();
        moved += r.value() ? 1 : 0;
    }
    return moved;
}

} // namespace playdeck

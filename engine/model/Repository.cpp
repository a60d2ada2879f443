#include "Repository.h"

#include "db/Connections.h"
#include "db/NotifyBus.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlRecord>

namespace playdeck::repo {

namespace {

QString json(const QJsonObject &o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}
QJsonObject jsonObject(const QVariant &v) {
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

const QString kTemplateSelect = QStringLiteral(
    "SELECT t.id, t.name, t.description, t.project_id, p.name, t.playbook, coalesce(t.inventory_id, 0),"
    " coalesce(i.name, ''), t.extra_vars, t.host_limit, t.forks, t.verbosity, t.job_type, t.job_tags,"
    " t.skip_tags, t.timeout, t.allow_simultaneous"
    " FROM job_template t JOIN project p ON p.id = t.project_id LEFT JOIN inventory i ON i.id = "
    "t.inventory_id");

JobTemplate readTemplate(const QSqlQuery &q) {
    JobTemplate t;
    t.id = q.value(0).toLongLong();
    t.name = q.value(1).toString();
    t.description = q.value(2).toString();
    t.projectId = q.value(3).toLongLong();
    t.projectName = q.value(4).toString();
    t.playbook = q.value(5).toString();
    t.inventoryId = q.value(6).toLongLong();
    t.inventoryName = q.value(7).toString();
    t.extraVars = q.value(8).toString();
    t.limit = q.value(9).toString();
    t.forks = q.value(10).toInt();
    t.verbosity = q.value(11).toInt();
    t.jobType = q.value(12).toString();
    t.jobTags = q.value(13).toString();
    t.skipTags = q.value(14).toString();
    t.timeout = q.value(15).toInt();
    t.allowSimultaneous = q.value(16).toBool();
    return t;
}

const QString kSummaryColumns = QStringLiteral(
    "id, name, status, launch_type, coalesce(job_template_id, 0), created, started, finished, elapsed,"
    " execution_node, job_explanation");

void readSummary(const QSqlQuery &q, JobSummary &j) {
    j.id = q.value(0).toLongLong();
    j.name = q.value(1).toString();
    j.status = q.value(2).toString();
    j.launchType = q.value(3).toString();
    j.templateId = q.value(4).toLongLong();
    j.created = q.value(5).toDateTime();
    j.started = q.value(6).toDateTime();
    j.finished = q.value(7).toDateTime();
    j.elapsed = q.value(8).toDouble();
    j.executionNode = q.value(9).toString();
    j.explanation = q.value(10).toString();
}

} // namespace

Status notify(QSqlDatabase &db, const QString &channel, const QString &payload) {
    return exec(db, QStringLiteral("SELECT pg_notify(?, ?)"), {channel, payload}).status();
}

Result<QList<JobTemplate>> listTemplates(QSqlDatabase &db) {
    auto q = exec(db, kTemplateSelect + QStringLiteral(" ORDER BY t.name"));
    if (!q)
        return q.status();
    QList<JobTemplate> out;
    while (q.value().next())
        out.append(readTemplate(q.value()));
    return out;
}

Result<JobTemplate> findTemplate(QSqlDatabase &db, qint64 id, const QString &name) {
    auto q = id > 0 ? exec(db, kTemplateSelect + QStringLiteral(" WHERE t.id = ?"), {id})
                    : exec(db, kTemplateSelect + QStringLiteral(" WHERE t.name = ?"), {name});
    if (!q)
        return q.status();
    if (!q.value().next())
        return Status::failure(id > 0 ? QObject::tr("There is no job template with id %1.").arg(id)
                                      : QObject::tr("There is no job template named \"%1\".").arg(name));
    return readTemplate(q.value());
}

Result<qint64> createJob(QSqlDatabase &db, const JobTemplate &t, const LaunchRequest &request,
                         const QJsonObject &templateVars, const QJsonObject &launchVars) {
    QJsonObject merged = templateVars;
    for (auto it = launchVars.begin(); it != launchVars.end(); ++it)
        merged.insert(it.key(), it.value());
    return inTransaction<qint64>(db, [&]() -> Result<qint64> {
        // task_impact as AWX computes it: min(hosts, forks or 5) + 1, plus 1 for the controlling process.
        auto hosts = exec(db, QStringLiteral("SELECT count(*) FROM host WHERE inventory_id = ? AND enabled"),
                          {t.inventoryId});
        if (!hosts)
            return hosts.status();
        hosts.value().next();
        const int hostCount = hosts.value().value(0).toInt();
        const int forks = t.forks > 0 ? t.forks : 5;
        const int impact = std::min(t.inventoryId ? hostCount : forks, forks) + 1 + 1;

        auto q = exec(
            db,
            QStringLiteral(
                "INSERT INTO unified_job (job_template_id, name, status, launch_type, project_id,"
                " inventory_id, playbook, extra_vars, launch_extra_vars, host_limit, forks, verbosity,"
                " job_type, job_tags, skip_tags, timeout, allow_simultaneous, task_impact)"
                " VALUES (?, ?, 'new', ?, ?, nullif(?, 0), ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id"),
            {t.id, t.name, request.launchType, t.projectId, t.inventoryId, t.playbook, json(merged),
             json(launchVars), request.limit.value_or(t.limit), t.forks,
             request.verbosity.value_or(t.verbosity), request.jobType.value_or(t.jobType), t.jobTags,
             t.skipTags, t.timeout, t.allowSimultaneous, impact});
        if (!q)
            return q.status();
        q.value().next();
        const qint64 id = q.value().value(0).toLongLong();
        auto pending = setJobStatus(db, id, JobStatus::Pending, {}, {JobStatus::New});
        if (!pending)
            return pending.status();
        if (Status s = notify(db, Channel::Schedule); !s)
            return s;
        return id;
    });
}

Result<qint64> relaunchJob(QSqlDatabase &db, qint64 jobId) {
    auto job = loadJob(db, jobId);
    if (!job)
        return job.status();
    if (job.value().templateId == 0)
        return Status::failure(
            QObject::tr("Job %1 cannot be relaunched: its template was deleted.").arg(jobId));
    auto tmpl = findTemplate(db, job.value().templateId, {});
    if (!tmpl)
        return tmpl.status();
    LaunchRequest request;
    request.templateId = tmpl.value().id;
    request.limit = job.value().limit;
    request.verbosity = job.value().verbosity;
    request.jobType = job.value().jobType;
    request.launchType = QStringLiteral("relaunch");
    // The job's merged vars minus what it got at launch are the template's vars of that time.
    QJsonObject templateVars = job.value().extraVars;
    for (auto it = job.value().launchExtraVars.begin(); it != job.value().launchExtraVars.end(); ++it)
        templateVars.remove(it.key());
    return createJob(db, tmpl.value(), request, templateVars, job.value().launchExtraVars);
}

Result<bool> setJobStatus(QSqlDatabase &db, qint64 jobId, const QString &status, const QVariantMap &fields,
                          const QStringList &onlyFrom) {
    QString sql = QStringLiteral(
        "UPDATE unified_job SET status = ?, modified = clock_timestamp(),"
        " failed = ? IN ('failed', 'error', 'canceled'),"
        " started = CASE WHEN ? = 'running' AND started IS NULL THEN clock_timestamp() ELSE started END,"
        " finished = CASE WHEN ? IN ('successful', 'failed', 'error', 'canceled') AND finished IS NULL"
        "   THEN clock_timestamp() ELSE finished END,"
        " elapsed = CASE WHEN ? IN ('successful', 'failed', 'error', 'canceled') AND started IS NOT NULL"
        "   THEN round(extract(epoch FROM clock_timestamp() - started)::numeric, 3) ELSE elapsed END");
    QVariantList binds{status, status, status, status, status};
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        sql += QStringLiteral(", %1 = ?").arg(it.key());
        binds << it.value();
    }
    sql += QStringLiteral(" WHERE id = ?");
    binds << jobId;
    if (!onlyFrom.isEmpty()) {
        sql += QStringLiteral(" AND status IN (");
        for (qsizetype i = 0; i < onlyFrom.size(); ++i) {
            sql += i ? QStringLiteral(", ?") : QStringLiteral("?");
            binds << onlyFrom.at(i);
        }
        sql += QLatin1Char(')');
    }
    auto q = exec(db, sql, binds);
    if (!q)
        return q.status();
    if (q.value().numRowsAffected() == 0)
        return false;
    if (Status s = notify(db, Channel::JobStatus,
                          QStringLiteral("{\"id\":%1,\"status\":\"%2\"}").arg(jobId).arg(status));
        !s)
        return s;
    return true;
}

Status updateJobFields(QSqlDatabase &db, qint64 jobId, const QVariantMap &fields) {
    if (fields.isEmpty())
        return {};
    QString sql = QStringLiteral("UPDATE unified_job SET modified = clock_timestamp()");
    QVariantList binds;
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        sql += QStringLiteral(", %1 = ?").arg(it.key());
        binds << it.value();
    }
    sql += QStringLiteral(" WHERE id = ?");
    binds << jobId;
    return exec(db, sql, binds).status();
}

Status requestCancel(QSqlDatabase &db, qint64 jobId) {
    return inTransaction<bool>(
               db,
               [&]() -> Result<bool> {
                   auto q =
                       exec(db,
                            QStringLiteral(
                                "UPDATE unified_job SET cancel_flag = true WHERE id = ? RETURNING status"),
                            {jobId});
                   if (!q)
                       return q.status();
                   if (!q.value().next())
                       return Status::failure(QObject::tr("There is no job %1.").arg(jobId));
                   const QString status = q.value().value(0).toString();
                   if (JobStatus::isFinished(status))
                       return Status::failure(
                           QObject::tr("Job %1 has already finished (%2).").arg(jobId).arg(status));
                   // Not yet handed to a runner: nobody else will finish it, so cancel it here.
                   auto direct = setJobStatus(
                       db, jobId, JobStatus::Canceled,
                       {{QStringLiteral("job_explanation"), QObject::tr("Canceled before it started.")}},
                       {JobStatus::New, JobStatus::Pending});
                   if (!direct)
                       return direct.status();
                   if (Status s = notify(db, Channel::Control, QStringLiteral("{\"cancel\":%1}").arg(jobId));
                       !s)
                       return s;
                   if (Status s = notify(db, Channel::Schedule); !s)
                       return s;
                   return true;
               })
        .status();
}

Result<QList<JobSummary>> listJobs(QSqlDatabase &db, int limit) {
    auto q =
        exec(db, QStringLiteral("SELECT %1 FROM unified_job ORDER BY id DESC LIMIT ?").arg(kSummaryColumns),
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

Result<JobDetail> loadJob(QSqlDatabase &db, qint64 jobId) {
    auto q =
        exec(db,
             QStringLiteral("SELECT %1, playbook, host_limit, verbosity, job_type, extra_vars::text,"
                            " launch_extra_vars::text, job_args, result_traceback, event_processing_finished,"
                            " emitted_events FROM unified_job WHERE id = ?")
                 .arg(kSummaryColumns),
             {jobId});
    if (!q)
        return q.status();
    if (!q.value().next())
        return Status::failure(QObject::tr("There is no job %1.").arg(jobId));
    const QSqlQuery &r = q.value();
    JobDetail j;
    readSummary(r, j);
    j.playbook = r.value(11).toString();
    j.limit = r.value(12).toString();
    j.verbosity = r.value(13).toInt();
    j.jobType = r.value(14).toString();
    j.extraVars = jsonObject(r.value(15));
    j.launchExtraVars = jsonObject(r.value(16));
    j.jobArgs = r.value(17).toString();
    j.resultTraceback = r.value(18).toString();
    j.eventProcessingFinished = r.value(19).toBool();
    j.emittedEvents = r.value(20).toInt();
    return j;
}

Result<QList<JobEvent>> loadEvents(QSqlDatabase &db, qint64 jobId, int afterCounter, int maxCount) {
    auto q = exec(
        db,
        QStringLiteral("SELECT counter, event, event_data::text, uuid, parent_uuid, host_name, play, task,"
                       " role, stdout, start_line, end_line, verbosity, failed, changed, created"
                       " FROM job_event WHERE job_id = ? AND counter > ? ORDER BY counter LIMIT ?"),
        {jobId, afterCounter, maxCount});
    if (!q)
        return q.status();
    QList<JobEvent> out;
    QSqlQuery &r = q.value();
    while (r.next()) {
        JobEvent e;
        e.jobId = jobId;
        e.counter = r.value(0).toInt();
        e.event = r.value(1).toString();
        e.eventData = r.value(2).toString().toUtf8();
        e.uuid = r.value(3).toString();
        e.parentUuid = r.value(4).toString();
        e.hostName = r.value(5).toString();
        e.play = r.value(6).toString();
        e.task = r.value(7).toString();
        e.role = r.value(8).toString();
        e.stdout = r.value(9).toString();
        e.startLine = r.value(10).toInt();
        e.endLine = r.value(11).toInt();
        e.verbosity = r.value(12).toInt();
        e.failed = r.value(13).toBool();
        e.changed = r.value(14).toBool();
        e.created = r.value(15).toDateTime();
        out.append(e);
    }
    return out;
}

Result<QString> jobStdout(QSqlDatabase &db, qint64 jobId) {
    auto q = exec(
        db, QStringLiteral("SELECT stdout FROM job_event WHERE job_id = ? AND stdout <> '' ORDER BY counter"),
        {jobId});
    if (!q)
        return q.status();
    QString out;
    while (q.value().next()) {
        out += q.value().value(0).toString();
        out += QLatin1Char('\n');
    }
    return out;
}

} // namespace playdeck::repo

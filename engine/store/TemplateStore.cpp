#include "TemplateStore.h"

#include "db/Connections.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QObject>

namespace playdeck {

namespace {

const QString kSelect = QStringLiteral(
    "SELECT t.id, t.name, t.description, p.name, coalesce(i.name, ''), t.project_id, t.playbook,"
    " coalesce(t.inventory_id, 0), t.extra_vars, t.host_limit, t.forks, t.verbosity, t.job_type, t.job_tags,"
    " t.skip_tags, t.timeout, t.allow_simultaneous, t.diff_mode, t.become_enabled, t.scm_branch,"
    " coalesce((SELECT json_agg(l.credential_id ORDER BY l.position) FROM job_template_credential l"
    " WHERE l.job_template_id = t.id), '[]')::text, t.survey_enabled, t.survey_spec::text,"
    " t.ask_inventory_on_launch, t.ask_credential_on_launch, t.ask_limit_on_launch, t.ask_tags_on_launch,"
    " t.ask_skip_tags_on_launch, t.ask_verbosity_on_launch, t.ask_job_type_on_launch, "
    "t.ask_variables_on_launch,"
    " t.ask_diff_mode_on_launch, t.ask_forks_on_launch, t.ask_timeout_on_launch, t.ask_scm_branch_on_launch,"
    " t.folder, t.favorite, coalesce(last.status, ''), coalesce(last.finished, last.started, last.created)"
    " FROM job_template t LEFT JOIN LATERAL (SELECT j.status, j.finished, j.started, j.created FROM "
    "unified_job j"
    " WHERE j.job_template_id = t.id AND j.kind = 'job' ORDER BY j.id DESC LIMIT 1) last ON true JOIN "
    "project p ON p.id = t.project_id LEFT JOIN inventory i ON i.id = "
    "t.inventory_id");

JobTemplate read(const QSqlQuery &q) {
    JobTemplate t;
    t.id = q.value(0).toLongLong();
    t.name = q.value(1).toString();
    t.description = q.value(2).toString();
    t.projectName = q.value(3).toString();
    t.inventoryName = q.value(4).toString();
    JobOptions &o = t.options;
    o.projectId = q.value(5).toLongLong();
    o.playbook = q.value(6).toString();
    o.inventoryId = q.value(7).toLongLong();
    o.extraVars = q.value(8).toString();
    o.limit = q.value(9).toString();
    o.forks = q.value(10).toInt();
    o.verbosity = q.value(11).toInt();
    o.jobType = q.value(12).toString();
    o.jobTags = q.value(13).toString();
    o.skipTags = q.value(14).toString();
    o.timeout = q.value(15).toInt();
    o.allowSimultaneous = q.value(16).toBool();
    o.diffMode = q.value(17).toBool();
    o.becomeEnabled = q.value(18).toBool();
    o.scmBranch = q.value(19).toString();
    for (const QJsonValue &id : QJsonDocument::fromJson(q.value(20).toString().toUtf8()).array())
        o.credentialIds << qint64(id.toDouble());
    t.surveyEnabled = q.value(21).toBool();
    t.surveySpec = QJsonDocument::fromJson(q.value(22).toString().toUtf8()).object();
    int c = 23;
    for (bool *flag :
         {&t.ask.inventory, &t.ask.credentials, &t.ask.limit, &t.ask.tags, &t.ask.skipTags, &t.ask.verbosity,
          &t.ask.jobType, &t.ask.variables, &t.ask.diffMode, &t.ask.forks, &t.ask.timeout, &t.ask.scmBranch})
        *flag = q.value(c++).toBool();
    t.folder = q.value(c++).toString();
    t.favorite = q.value(c++).toBool();
    t.lastJobStatus = q.value(c++).toString();
    t.lastJobRun = q.value(c++).toDateTime();
    return t;
}

} // namespace

Result<QList<JobTemplate>> TemplateStore::list() {
    // Favourites first, then by folder, as the window lists them.
    auto q = exec(m_db, kSelect + QStringLiteral(" ORDER BY t.favorite DESC, t.folder, t.name"));
    if (!q)
        return q.status();
    QList<JobTemplate> out;
    while (q.value().next())
        out.append(read(q.value()));
    return out;
}

Result<JobTemplate> TemplateStore::find(qint64 id, const QString &name) {
    auto q = id > 0 ? exec(m_db, kSelect + QStringLiteral(" WHERE t.id = ?"), {id})
                    : exec(m_db, kSelect + QStringLiteral(" WHERE t.name = ?"), {name});
    if (!q)
        return q.status();
    if (!q.value().next())
        return Status::failure(id > 0 ? QObject::tr("There is no job template with id %1.").arg(id)
                                      : QObject::tr("There is no job template named \"%1\".").arg(name));
    return read(q.value());
}

} // namespace playdeck

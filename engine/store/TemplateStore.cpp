#include "TemplateStore.h"

#include "db/Connections.h"

#include <QObject>

namespace playdeck {

namespace {

const QString kSelect = QStringLiteral(
    "SELECT t.id, t.name, t.description, p.name, coalesce(i.name, ''), t.project_id, t.playbook,"
    " coalesce(t.inventory_id, 0), t.extra_vars, t.host_limit, t.forks, t.verbosity, t.job_type, t.job_tags,"
    " t.skip_tags, t.timeout, t.allow_simultaneous"
    " FROM job_template t JOIN project p ON p.id = t.project_id LEFT JOIN inventory i ON i.id = "
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
    return t;
}

} // namespace

Result<QList<JobTemplate>> TemplateStore::list() {
    auto q = exec(m_db, kSelect + QStringLiteral(" ORDER BY t.name"));
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

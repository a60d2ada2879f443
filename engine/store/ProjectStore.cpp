#include "ProjectStore.h"

#include "bus/Publisher.h"
#include "db/Connections.h"

#include <QDir>
#include <QFileInfo>
#include <QObject>

namespace playdeck {

Result<ProjectTree> ProjectStore::tree(qint64 projectId) {
    auto q =
        exec(m_db,
             QStringLiteral(
                 "SELECT name, scm_type, local_path, checkout_path, scm_revision FROM project WHERE id = ?"),
             {projectId});
    if (!q)
        return q.status();
    if (!q.value().next())
        return Status::failure(QObject::tr("The job's project (id %1) no longer exists.").arg(projectId));
    if (q.value().value(1).toString().isEmpty())
        return ProjectTree{q.value().value(2).toString(), QString()};
    if (q.value().value(3).toString().isEmpty())
        return Status::failure(
            QObject::tr("The project \"%1\" has not been updated yet, so it has no playbooks: update it "
                        "first (playdeck project sync \"%1\").")
                .arg(q.value().value(0).toString()));
    return ProjectTree{q.value().value(3).toString(), q.value().value(4).toString()};
}

Result<ProjectTree> ProjectStore::tree(qint64 projectId, const QString &revision) {
    auto current = tree(projectId);
    if (!current || revision.isEmpty() || current.value().revision.isEmpty() ||
        current.value().revision == revision)
        return current;
    // Every update leaves its revision's tree in the same directory (resources/playbooks/project_update.yml).
    const QString path = QFileInfo(current.value().path).dir().filePath(revision);
    if (!QFileInfo(path).isDir())
        return Status::failure(
            QObject::tr("The project's revision %1 is no longer kept in %2, so the job cannot run "
                        "exactly as it did. Relaunch it with the project's current revision instead.")
                .arg(revision, QFileInfo(path).path()));
    return ProjectTree{path, revision};
}

Result<ProjectScm> ProjectStore::scm(qint64 projectId) {
    auto q = exec(
        m_db,
        QStringLiteral(
            "SELECT id, name, scm_type, scm_url, scm_branch, scm_refspec, scm_clean, scm_delete_on_update,"
            " scm_track_submodules, timeout, coalesce(credential_id, 0) FROM project WHERE id = ?"),
        {projectId});
    if (!q)
        return q.status();
    if (!q.value().next())
        return Status::failure(QObject::tr("The project (id %1) no longer exists.").arg(projectId));
    const QSqlQuery &r = q.value();
    ProjectScm p;
    p.id = r.value(0).toLongLong();
    p.name = r.value(1).toString();
    p.scmType = r.value(2).toString();
    p.url = r.value(3).toString();
    p.branch = r.value(4).toString();
    p.refspec = r.value(5).toString();
    p.clean = r.value(6).toBool();
    p.deleteOnUpdate = r.value(7).toBool();
    p.trackSubmodules = r.value(8).toBool();
    p.timeout = r.value(9).toInt();
    p.credentialId = r.value(10).toLongLong();
    return p;
}

Result<ProjectScm> ProjectStore::updatable(qint64 projectId) {
    auto p = scm(projectId);
    if (p && p.value().scmType.isEmpty())
        return Status::failure(
            QObject::tr("The project \"%1\" is a local directory: there is nothing to update.")
                .arg(p.value().name));
    return p;
}

Status ProjectStore::recordUpdate(qint64 projectId, const QString &revision, const QString &checkoutPath) {
    auto q =
        exec(m_db,
             QStringLiteral(
                 "UPDATE project SET scm_revision = ?, checkout_path = ?, modified = now() WHERE id = ?"),
             {revision, checkoutPath, projectId});
    if (!q)
        return q.status();
    return bus::publish(m_db, bus::ResourcesChanged{ResourceKind::Project});
}

QString ProjectStore::directory(const QString &dataDir, qint64 projectId) {
    return dataDir + QStringLiteral("/projects/_%1").arg(projectId);
}

} // namespace playdeck

#include "ProjectStore.h"

#include "db/Connections.h"

#include <QObject>

namespace playdeck {

Result<QString> ProjectStore::localPath(qint64 projectId) {
    auto q = exec(m_db, QStringLiteral("SELECT local_path FROM project WHERE id = ?"), {projectId});
    if (!q)
        return q.status();
    if (!q.value().next())
        return Status::failure(QObject::tr("The job's project (id %1) no longer exists.").arg(projectId));
    return q.value().value(0).toString();
}

} // namespace playdeck

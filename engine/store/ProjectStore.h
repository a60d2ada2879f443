#pragma once

#include "core/Result.h"

#include <QSqlDatabase>

namespace playdeck {

// All SQL about projects.
class ProjectStore {
public:
    explicit ProjectStore(QSqlDatabase &db)
        : m_db(db) {}

    // The directory the project's playbooks are in.
    [[nodiscard]] Result<QString> localPath(qint64 projectId);

private:
    QSqlDatabase &m_db;
};

} // namespace playdeck

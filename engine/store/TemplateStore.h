#pragma once

#include "core/Result.h"
#include "model/JobTemplate.h"

#include <QSqlDatabase>

namespace playdeck {

// All SQL about job templates.
class TemplateStore {
public:
    explicit TemplateStore(QSqlDatabase &db)
        : m_db(db) {}

    [[nodiscard]] Result<QList<JobTemplate>> list();
    // By id when `id` > 0, else by name.
    [[nodiscard]] Result<JobTemplate> find(qint64 id, const QString &name);

private:
    QSqlDatabase &m_db;
};

} // namespace playdeck

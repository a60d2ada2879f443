#pragma once

#include "core/Result.h"
#include "model/JobTemplate.h"

#include <QFuture>

namespace playdeck {

class DbPool;

// Job templates for the window, the command line and the API; answers as futures (see JobService).
class TemplateService {
public:
    explicit TemplateService(DbPool &pool)
        : m_pool(pool) {}

    QFuture<Result<QList<JobTemplate>>> list();

private:
    DbPool &m_pool;
};

} // namespace playdeck

#include "TemplateService.h"

#include "db/DbPool.h"
#include "store/TemplateStore.h"

namespace playdeck {

QFuture<Result<QList<JobTemplate>>> TemplateService::list() {
    return m_pool.run<Result<QList<JobTemplate>>>([](QSqlDatabase &db) { return TemplateStore(db).list(); });
}

} // namespace playdeck

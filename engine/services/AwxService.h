#pragma once

#include "core/Result.h"

#include <QFuture>
#include <QJsonObject>
#include <QStringList>

namespace playdeck {

class DbPool;

// `awx export` files in and out (awx/AwxFormat.h). An import makes what the file describes and
// changes what differs; importing the same file again changes nothing.
class AwxService {
public:
    explicit AwxService(DbPool &pool)
        : m_pool(pool) {}

    struct ImportReport {
        QStringList created, updated, unchanged; // "project \"Web App\"", ...
        QStringList warnings;                    // what did not come along, and why
        QStringList errors;                      // what failed, and why (the rest went on)
    };
    QFuture<Result<ImportReport>> importDocument(const QJsonObject &document, const QString &projectsRoot);
    // Everything (`names` empty), or the resources of any kind with these names.
    QFuture<Result<QJsonObject>> exportDocument(const QStringList &names);

private:
    DbPool &m_pool;
};

} // namespace playdeck

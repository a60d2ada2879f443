#include "Migrations.h"

#include "Connections.h"
#include "core/Logging.h"

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QSqlError>

namespace playdeck {

namespace {

constexpr qint64 kMigrationLockKey = 0x706c61796465636b; // "playdeck"

QStringList migrationFiles() {
    QStringList files =
        QDir(QStringLiteral(":/migrations")).entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    return files;
}

int versionOf(const QString &file) {
    return file.section(QLatin1Char('_'), 0, 0).toInt();
}

} // namespace

int Migrations::latestVersion() {
    const QStringList files = migrationFiles();
    return files.isEmpty() ? 0 : versionOf(files.last());
}

Status Migrations::apply(QSqlDatabase &db) {
    if (auto r = exec(db, QStringLiteral("SELECT pg_advisory_lock(?)"), {kMigrationLockKey}); !r)
        return r.status();
    auto unlock = qScopeGuard(
        [&db] { (void)exec(db, QStringLiteral("SELECT pg_advisory_unlock(?)"), {kMigrationLockKey}); });

    auto exists = exec(db, QStringLiteral("SELECT to_regclass('schema_migration') IS NOT NULL"));
    if (!exists)
        return exists.status();
    exists.value().next();
    if (!exists.value().value(0).toBool()) {
        if (auto r =
                exec(db, QStringLiteral("CREATE TABLE schema_migration (version integer PRIMARY KEY,"
                                        " name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())"));
            !r)
            return r.status();
    }
    auto current = exec(db, QStringLiteral("SELECT coalesce(max(version), 0) FROM schema_migration"));
    if (!current)
        return current.status();
    current.value().next();
    const int have = current.value().value(0).toInt();
    const int latest = latestVersion();
    if (have > latest)
        return Status::failure(
            QObject::tr("The database schema is at version %1, but this Playdeck knows only up "
                        "to version %2. Use a newer Playdeck with this database.")
                .arg(have)
                .arg(latest));

    for (const QString &file : migrationFiles()) {
        const int version = versionOf(file);
        if (version <= have)
            continue;
        QFile sqlFile(QStringLiteral(":/migrations/") + file);
        if (!sqlFile.open(QIODevice::ReadOnly))
            return Status::failure(QStringLiteral("cannot read migration %1").arg(file));
        const QString sql = QString::fromUtf8(sqlFile.readAll());
        if (!db.transaction())
            return Status::failure(db.lastError().text());
        // QPSQL sends a statement without parameters as one simple query, so a whole file runs at once.
        QSqlQuery query(db);
        if (!query.exec(sql)) {
            const QString message = query.lastError().text();
            db.rollback();
            return Status::failure(QObject::tr("Migration %1 failed: %2").arg(file, message));
        }
        if (auto r = exec(db, QStringLiteral("INSERT INTO schema_migration (version, name) VALUES (?, ?)"),
                          {version, file});
            !r) {
            db.rollback();
            return r.status();
        }
        if (!db.commit())
            return Status::failure(db.lastError().text());
        qCInfo(lcDb) << "applied migration" << file;
    }
    return {};
}

} // namespace playdeck

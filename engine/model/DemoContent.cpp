#include "DemoContent.h"

#include "db/Connections.h"

#include <QDir>
#include <QFile>
#include <QSqlError>

namespace playdeck {

namespace {

Status copyDemoProject(const QString &target) {
    if (!QDir().mkpath(target))
        return Status::failure(QObject::tr("Cannot create the demo project directory %1.").arg(target));
    const QDir source(QStringLiteral(":/demo/project"));
    for (const QString &name : source.entryList(QDir::Files)) {
        const QString destination = target + QLatin1Char('/') + name;
        if (QFile::exists(destination))
            continue;
        if (!QFile::copy(source.filePath(name), destination))
            return Status::failure(QObject::tr("Cannot write %1.").arg(destination));
        QFile::setPermissions(destination,
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    }
    return {};
}

} // namespace

Status seedDemoContent(QSqlDatabase &db, const QString &dataDir) {
    auto existing = exec(db, QStringLiteral("SELECT 1 FROM job_template WHERE name = 'Demo Job Template'"));
    if (!existing)
        return existing.status();
    if (existing.value().next())
        return {};
    const QString projectDir = dataDir + QStringLiteral("/projects/demo");
    if (Status s = copyDemoProject(projectDir); !s)
        return s;

    const auto steps = {
        std::pair{QStringLiteral("INSERT INTO project (name, description, local_path) VALUES ('Demo Project',"
                                 " 'A playbook that says hello', ?) ON CONFLICT (name) DO NOTHING"),
                  QVariantList{projectDir}},
        std::pair{
            QStringLiteral("INSERT INTO inventory (name, description) VALUES ('Demo Inventory', 'localhost')"
                           " ON CONFLICT (name) DO NOTHING"),
            QVariantList{}},
        std::pair{QStringLiteral("INSERT INTO host (inventory_id, name, variables) SELECT id, 'localhost',"
                                 " '{\"ansible_connection\": \"local\","
                                 " \"ansible_python_interpreter\": \"{{ ansible_playbook_python }}\"}'"
                                 " FROM inventory WHERE name = 'Demo Inventory' ON CONFLICT DO NOTHING"),
                  QVariantList{}},
        std::pair{QStringLiteral(
                      "INSERT INTO job_template (name, description, project_id, playbook, inventory_id,"
                      " ask_variables_on_launch, ask_limit_on_launch, ask_verbosity_on_launch, "
                      "ask_job_type_on_launch)"
                      " SELECT 'Demo Job Template', 'Says hello to localhost', p.id, 'hello_world.yml', i.id,"
                      " true, true, true, true"
                      " FROM project p, inventory i WHERE p.name = 'Demo Project'"
                      " AND i.name = 'Demo Inventory' ON CONFLICT (name) DO NOTHING"),
                  QVariantList{}},
    };
    return inTransaction<bool>(db,
                               [&]() -> Result<bool> {
                                   for (const auto &[sql, binds] : steps)
                                       if (auto r = exec(db, sql, binds); !r)
                                           return r.status();
                                   return true;
                               })
        .status();
}

} // namespace playdeck

#include "PlaybookPlan.h"

#include "PlanFiles.h"
#include "ProjectUpdatePlan.h"
#include "launch/ExtraVars.h"
#include "store/InventoryStore.h"
#include "store/ProjectStore.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace playdeck {

namespace {

Status copyProject(const QString &source, const QString &target) {
    const QFileInfo sourceInfo(source);
    if (!sourceInfo.isDir())
        return Status::failure(QObject::tr("The project directory %1 does not exist.").arg(source));
    const QString root = sourceInfo.absoluteFilePath();
    QDir().mkpath(target);
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = path.mid(root.size() + 1);
        if (relative == QLatin1String(".git") || relative.startsWith(QLatin1String(".git/")))
            continue;
        const QFileInfo info = it.fileInfo();
        const QString destination = target + QLatin1Char('/') + relative;
        if (info.isSymLink()) {
            QFile::link(info.symLinkTarget(), destination);
        } else if (info.isDir()) {
            QDir().mkpath(destination);
        } else if (info.isFile()) {
            if (!QFile::copy(path, destination))
                return Status::failure(QObject::tr("Cannot copy %1 into the job's directory.").arg(path));
        }
    }
    return {};
}

QString shellQuote(const QString &s) {
    QString q = s;
    q.replace(QLatin1Char('\''), QStringLiteral("'\"'\"'"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

} // namespace

std::unique_ptr<JobPlan> planFor(const RunInput &input) {
    if (input.job.kind == QLatin1String("project_update"))
        return std::make_unique<ProjectUpdatePlan>();
    return std::make_unique<PlaybookPlan>();
}

Result<RunInput> readRunInput(QSqlDatabase &db, JobDetail job) {
    RunInput input;
    const JobOptions effective = job.effectiveOptions();
    if (job.kind == QLatin1String("project_update")) {
        auto scm = ProjectStore(db).scm(effective.projectId);
        if (!scm)
            return scm.status();
        if (scm.value().scmType.isEmpty())
            return Status::failure(
                QObject::tr("The project \"%1\" is a local directory: there is nothing to update.")
                    .arg(scm.value().name));
        input.project = scm.value();
        input.job = std::move(job);
        return input;
    }
    auto project = ProjectStore(db).tree(effective.projectId);
    if (!project)
        return project.status();
    input.projectPath = project.value().path;
    input.projectRevision = project.value().revision;
    if (effective.inventoryId) {
        InventoryStore inventories(db);
        auto name = inventories.name(effective.inventoryId);
        if (!name)
            return name.status();
        auto content = inventories.forRun(effective.inventoryId);
        if (!content)
            return content.status();
        input.inventoryName = name.value();
        input.inventory = content.value();
    }
    input.job = std::move(job);
    return input;
}

QString PlaybookPlan::cmdline(const JobOptions &o) {
    QStringList args;
    if (!o.limit.isEmpty())
        args << QStringLiteral("--limit") << shellQuote(o.limit);
    if (o.forks > 0)
        args << QStringLiteral("--forks") << QString::number(std::min(o.forks, 200)); // AWX's MAX_FORKS
    if (o.verbosity > 0)
        args << QStringLiteral("-") + QString(std::min(o.verbosity, 5), QLatin1Char('v'));
    if (o.jobType == QLatin1String("check"))
        args << QStringLiteral("--check");
    if (!o.jobTags.isEmpty())
        args << QStringLiteral("--tags") << shellQuote(o.jobTags);
    if (!o.skipTags.isEmpty())
        args << QStringLiteral("--skip-tags") << shellQuote(o.skipTags);
    return args.join(QLatin1Char(' '));
}

QJsonObject PlaybookPlan::kwargs(const RunInput &input) {
    QJsonObject kwargs{{QStringLiteral("ident"), QString::number(input.job.id)},
                       {QStringLiteral("playbook"), input.job.options.playbook}};
    if (input.job.options.inventoryId)
        kwargs.insert(QStringLiteral("inventory"), QStringLiteral("inventory/hosts.json"));
    return kwargs;
}

Result<QByteArray> PlaybookPlan::prepare(const RunInput &input, const QString &dir) {
    const JobDetail &job = input.job;
    const JobOptions effective = job.effectiveOptions();
    // The launch-time text was checked at launch and the template's text is the job's own copy: both
    // parse now too, but say so plainly if they somehow do not.
    auto templateVars = parseExtraVars(job.options.extraVars);
    if (!templateVars)
        return Status::failure(
            QObject::tr("The template's extra variables are invalid: %1").arg(templateVars.error()));
    auto launchVars = parseExtraVars(job.launch.extraVars);
    if (!launchVars)
        return Status::failure(
            QObject::tr("The extra variables given at launch are invalid: %1").arg(launchVars.error()));

    if (Status s = copyProject(input.projectPath, dir + QStringLiteral("/project")); !s)
        return s;
    if (!QFileInfo::exists(dir + QStringLiteral("/project/") + effective.playbook))
        return Status::failure(QObject::tr("The playbook %1 is not in the project directory %2.")
                                   .arg(effective.playbook, input.projectPath));
    QDir().mkpath(dir + QStringLiteral("/env"));
    QDir().mkpath(dir + QStringLiteral("/inventory"));

    if (effective.inventoryId) {
        if (Status s = writePrivateFile(dir + QStringLiteral("/inventory/hosts.json"),
                                        QJsonDocument(input.inventory).toJson(QJsonDocument::Indented));
            !s)
            return s;
    }

    // AWX's meta variables override everything (reference/awx-engine.md 1.4).
    QJsonObject meta;
    const QJsonObject values{{QStringLiteral("job_id"), job.id},
                             {QStringLiteral("job_launch_type"), job.launchType},
                             {QStringLiteral("job_template_id"), job.templateId},
                             {QStringLiteral("job_template_name"), job.name},
                             {QStringLiteral("inventory_id"), effective.inventoryId},
                             {QStringLiteral("inventory_name"), input.inventoryName},
                             {QStringLiteral("execution_node"), job.executionNode},
                             {QStringLiteral("project_revision"), input.projectRevision}};
    for (auto it = values.begin(); it != values.end(); ++it) {
        meta.insert(QStringLiteral("awx_") + it.key(), it.value());
        meta.insert(QStringLiteral("tower_") + it.key(), it.value());
    }
    QJsonObject unsafe = launchVars.value();
    for (auto it = meta.begin(); it != meta.end(); ++it)
        unsafe.insert(it.key(), it.value());
    QJsonObject safe = templateVars.value();
    for (auto it = unsafe.begin(); it != unsafe.end(); ++it)
        safe.remove(it.key());
    if (Status s = writePrivateFile(dir + QStringLiteral("/env/extravars"), extraVarsYaml(safe, unsafe)); !s)
        return s;
    if (Status s = writePrivateFile(dir + QStringLiteral("/env/cmdline"), cmdline(effective).toUtf8()); !s)
        return s;
    if (Status s = writeRunnerSettings(dir, effective.timeout); !s)
        return s;
    if (Status s =
            writeRunnerEnvironment(dir, job.id,
                                   {{QStringLiteral("INVENTORY_ID"), QString::number(effective.inventoryId)},
                                    {QStringLiteral("PROJECT_REVISION"), input.projectRevision}});
        !s)
        return s;
    return transmitDirectory(dir, kwargs(input));
}

} // namespace playdeck

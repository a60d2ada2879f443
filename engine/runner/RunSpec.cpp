#include "RunSpec.h"

#include "db/Connections.h"
#include "model/ExtraVars.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace playdeck {

namespace {

QJsonObject parseObject(const QVariant &v) {
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

Result<QJsonObject> loadInventory(QSqlDatabase &db, qint64 inventoryId) {
    QJsonObject all;
    auto vars = exec(db, QStringLiteral("SELECT variables::text FROM inventory WHERE id = ?"), {inventoryId});
    if (!vars)
        return vars.status();
    if (vars.value().next())
        all.insert(QStringLiteral("vars"), parseObject(vars.value().value(0)));
    auto hosts =
        exec(db,
             QStringLiteral("SELECT name, variables::text FROM host WHERE inventory_id = ? AND enabled"
                            " ORDER BY name"),
             {inventoryId});
    if (!hosts)
        return hosts.status();
    QJsonObject hostMap;
    while (hosts.value().next())
        hostMap.insert(hosts.value().value(0).toString(), parseObject(hosts.value().value(1)));
    all.insert(QStringLiteral("hosts"), hostMap);
    auto groups =
        exec(db,
             QStringLiteral("SELECT g.name, g.variables::text, coalesce(array_to_json(array_agg(h.name)"
                            " FILTER (WHERE h.name IS NOT NULL)), '[]')::text FROM inventory_group g"
                            " LEFT JOIN host_group hg ON hg.group_id = g.id LEFT JOIN host h ON h.id ="
                            " hg.host_id AND h.enabled WHERE g.inventory_id = ? GROUP BY g.id, g.name,"
                            " g.variables::text ORDER BY g.name"),
             {inventoryId});
    if (!groups)
        return groups.status();
    QJsonObject children;
    while (groups.value().next()) {
        QJsonObject group{{QStringLiteral("vars"), parseObject(groups.value().value(1))}};
        QJsonObject members;
        for (const QJsonValue &h :
             QJsonDocument::fromJson(groups.value().value(2).toString().toUtf8()).array())
            members.insert(h.toString(), QJsonObject());
        group.insert(QStringLiteral("hosts"), members);
        children.insert(groups.value().value(0).toString(), group);
    }
    if (!children.isEmpty())
        all.insert(QStringLiteral("children"), children);
    return QJsonObject{{QStringLiteral("all"), all}};
}

Status writeFile(const QString &path, const QByteArray &content, QFile::Permissions permissions) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.commit())
        return Status::failure(QObject::tr("Cannot write %1: %2").arg(path, file.errorString()));
    QFile::setPermissions(path, permissions);
    return {};
}

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

Result<RunSpec> loadRunSpec(QSqlDatabase &db, qint64 jobId) {
    auto q =
        exec(db,
             QStringLiteral(
                 "SELECT j.name, j.launch_type, coalesce(j.job_template_id, 0), coalesce(p.local_path, ''),"
                 " j.playbook, coalesce(j.inventory_id, 0), coalesce(i.name, ''), j.extra_vars::text,"
                 " j.launch_extra_vars::text, j.host_limit, j.forks, j.verbosity, j.job_type, j.job_tags,"
                 " j.skip_tags, j.timeout, j.execution_node, j.cancel_flag"
                 " FROM unified_job j LEFT JOIN project p ON p.id = j.project_id"
                 " LEFT JOIN inventory i ON i.id = j.inventory_id WHERE j.id = ?"),
             {jobId});
    if (!q)
        return q.status();
    QSqlQuery &r = q.value();
    if (!r.next())
        return Status::failure(QObject::tr("Job %1 does not exist.").arg(jobId));
    RunSpec s;
    s.jobId = jobId;
    s.name = r.value(0).toString();
    s.launchType = r.value(1).toString();
    s.templateId = r.value(2).toLongLong();
    s.projectPath = r.value(3).toString();
    s.playbook = r.value(4).toString();
    s.inventoryId = r.value(5).toLongLong();
    s.inventoryName = r.value(6).toString();
    const QJsonObject merged = parseObject(r.value(7));
    s.launchVars = parseObject(r.value(8));
    for (auto it = merged.begin(); it != merged.end(); ++it)
        if (!s.launchVars.contains(it.key()))
            s.templateVars.insert(it.key(), it.value());
    s.limit = r.value(9).toString();
    s.forks = r.value(10).toInt();
    s.verbosity = r.value(11).toInt();
    s.jobType = r.value(12).toString();
    s.jobTags = r.value(13).toString();
    s.skipTags = r.value(14).toString();
    s.timeout = r.value(15).toInt();
    s.executionNode = r.value(16).toString();
    s.cancelRequested = r.value(17).toBool();
    if (s.inventoryId) {
        auto inventory = loadInventory(db, s.inventoryId);
        if (!inventory)
            return inventory.status();
        s.inventory = inventory.value();
    }
    return s;
}

QString playbookCmdline(const RunSpec &spec) {
    QStringList args;
    if (!spec.limit.isEmpty())
        args << QStringLiteral("--limit") << shellQuote(spec.limit);
    if (spec.forks > 0)
        args << QStringLiteral("--forks") << QString::number(spec.forks);
    if (spec.verbosity > 0)
        args << QStringLiteral("-") + QString(std::min(spec.verbosity, 5), QLatin1Char('v'));
    if (spec.jobType == QLatin1String("check"))
        args << QStringLiteral("--check");
    if (!spec.jobTags.isEmpty())
        args << QStringLiteral("--tags") << shellQuote(spec.jobTags);
    if (!spec.skipTags.isEmpty())
        args << QStringLiteral("--skip-tags") << shellQuote(spec.skipTags);
    return args.join(QLatin1Char(' '));
}

QJsonObject runnerKwargs(const RunSpec &spec) {
    QJsonObject kwargs{{QStringLiteral("ident"), QString::number(spec.jobId)},
                       {QStringLiteral("playbook"), spec.playbook}};
    if (spec.inventoryId)
        kwargs.insert(QStringLiteral("inventory"), QStringLiteral("inventory/hosts.json"));
    return kwargs;
}

QByteArray transmitStream(const QJsonObject &kwargs, const QByteArray &zip) {
    QByteArray stream =
        QJsonDocument(QJsonObject{{QStringLiteral("kwargs"), kwargs}}).toJson(QJsonDocument::Compact);
    stream += '\n';
    stream +=
        QJsonDocument(QJsonObject{{QStringLiteral("zipfile"), zip.size()}}).toJson(QJsonDocument::Compact);
    stream += '\n';
    stream += zip.toBase64(); // a line break here would make the worker fail to parse the next line
    stream += "{\"eof\": true}\n";
    return stream;
}

Status buildPrivateDataDir(const RunSpec &spec, const QString &dir) {
    if (Status s = copyProject(spec.projectPath, dir + QStringLiteral("/project")); !s)
        return s;
    if (!QFileInfo::exists(dir + QStringLiteral("/project/") + spec.playbook))
        return Status::failure(QObject::tr("The playbook %1 is not in the project directory %2.")
                                   .arg(spec.playbook, spec.projectPath));
    QDir().mkpath(dir + QStringLiteral("/env"));
    QDir().mkpath(dir + QStringLiteral("/inventory"));
    const auto privateFile = QFile::ReadOwner | QFile::WriteOwner;

    if (spec.inventoryId) {
        if (Status s = writeFile(dir + QStringLiteral("/inventory/hosts.json"),
                                 QJsonDocument(spec.inventory).toJson(QJsonDocument::Indented), privateFile);
            !s)
            return s;
    }

    // AWX's meta variables override everything (reference/awx-engine.md 1.4).
    QJsonObject meta;
    const QJsonObject values{{QStringLiteral("job_id"), spec.jobId},
                             {QStringLiteral("job_launch_type"), spec.launchType},
                             {QStringLiteral("job_template_id"), spec.templateId},
                             {QStringLiteral("job_template_name"), spec.name},
                             {QStringLiteral("inventory_id"), spec.inventoryId},
                             {QStringLiteral("inventory_name"), spec.inventoryName},
                             {QStringLiteral("execution_node"), spec.executionNode}};
    for (auto it = values.begin(); it != values.end(); ++it) {
        meta.insert(QStringLiteral("awx_") + it.key(), it.value());
        meta.insert(QStringLiteral("tower_") + it.key(), it.value());
    }
    QJsonObject unsafe = spec.launchVars;
    for (auto it = meta.begin(); it != meta.end(); ++it)
        unsafe.insert(it.key(), it.value());
    QJsonObject safe = spec.templateVars;
    for (auto it = meta.begin(); it != meta.end(); ++it)
        safe.remove(it.key());
    if (Status s =
            writeFile(dir + QStringLiteral("/env/extravars"), extraVarsYaml(safe, unsafe), privateFile);
        !s)
        return s;

    if (Status s =
            writeFile(dir + QStringLiteral("/env/cmdline"), playbookCmdline(spec).toUtf8(), privateFile);
        !s)
        return s;

    const QJsonObject settings{
        {QStringLiteral("job_timeout"), std::max(spec.timeout, 0)},
        {QStringLiteral("suppress_ansible_output"), true},
        {QStringLiteral("suppress_output_file"), false},
        // The runner looks at its cancel flag once per pexpect timeout: keep cancel prompt.
        {QStringLiteral("pexpect_timeout"), 0.1},
    };
    if (Status s =
            writeFile(dir + QStringLiteral("/env/settings"), QJsonDocument(settings).toJson(), privateFile);
        !s)
        return s;

    const QJsonObject envvars{
        {QStringLiteral("ANSIBLE_FORCE_COLOR"), QStringLiteral("True")},
        {QStringLiteral("ANSIBLE_HOST_KEY_CHECKING"), QStringLiteral("False")},
        {QStringLiteral("ANSIBLE_INVENTORY_UNPARSED_FAILED"), QStringLiteral("True")},
        {QStringLiteral("ANSIBLE_PARAMIKO_RECORD_HOST_KEYS"), QStringLiteral("False")},
        {QStringLiteral("ANSIBLE_RETRY_FILES_ENABLED"), QStringLiteral("False")},
        {QStringLiteral("JOB_ID"), QString::number(spec.jobId)},
        {QStringLiteral("INVENTORY_ID"), QString::number(spec.inventoryId)},
        {QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1")},
    };
    return writeFile(dir + QStringLiteral("/env/envvars"), QJsonDocument(envvars).toJson(), privateFile);
}

} // namespace playdeck

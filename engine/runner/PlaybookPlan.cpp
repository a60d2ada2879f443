#include "PlaybookPlan.h"

#include "InventoryUpdatePlan.h"
#include "PlanFiles.h"
#include "ProjectUpdatePlan.h"
#include "launch/ExtraVars.h"
#include "resources/ResourceSchema.h"
#include "secrets/CredentialRun.h"
#include "services/CredentialService.h"
#include "services/JobService.h"
#include "store/InventoryStore.h"
#include "store/ProjectStore.h"
#include "store/UnifiedJobStore.h"

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
    if (input.job.kind == QLatin1String("inventory_update"))
        return std::make_unique<InventoryUpdatePlan>();
    return std::make_unique<PlaybookPlan>();
}

Result<RunInput> readRunInput(QSqlDatabase &db, JobDetail job) {
    RunInput input;
    const JobOptions effective = job.effectiveOptions();
    if (job.kind == QLatin1String("project_update")) {
        auto scm = ProjectStore(db).updatable(effective.projectId);
        if (!scm)
            return scm.status();
        input.project = scm.value();
        if (scm.value().credentialId) {
            auto credential = CredentialStore(db).keys(scm.value().credentialId);
            if (!credential && !credential.code().isEmpty())
                return credential.status();
            if (!credential)
                return Status::failure(QObject::tr("The project's credential (id %1) no longer exists.")
                                           .arg(scm.value().credentialId));
            input.credentials << credential.value();
        }
        input.job = std::move(job);
        return input;
    }
    if (job.kind == QLatin1String("inventory_update")) {
        auto source = InventoryStore(db).sourceForRun(job.inventorySourceId);
        if (!source)
            return source.status();
        input.inventorySource = source.value();
        input.job = std::move(job);
        return input;
    }
    for (qint64 id : effective.credentialIds) {
        auto credential = CredentialStore(db).keys(id);
        if (!credential && !credential.code().isEmpty())
            return credential.status();
        if (!credential)
            return Status::failure(QObject::tr("The job's credential (id %1) no longer exists.").arg(id));
        input.credentials << credential.value();
    }
    // A replay runs the revision and the inventory its source job ran; every other job the
    // project's current tree and the inventory as it is now.
    const bool replay = job.replayOf != 0;
    auto project = replay ? ProjectStore(db).tree(effective.projectId, job.pinnedRevision)
                          : ProjectStore(db).tree(effective.projectId);
    if (!project)
        return project.status();
    input.projectPath = project.value().path;
    input.projectRevision = project.value().revision;
    if (effective.inventoryId) {
        InventoryStore inventories(db);
        auto name = inventories.name(effective.inventoryId);
        if (!name)
            return name.status();
        if (replay) {
            auto snapshot = UnifiedJobStore(db).inventorySnapshot(job.id);
            if (!snapshot)
                return snapshot.status();
            if (!snapshot.value())
                return Status::failure(
                    QObject::tr("The replay has no inventory snapshot of job %1.").arg(job.replayOf));
            input.inventory = *snapshot.value();
        } else {
            auto content = inventories.forRun(effective.inventoryId);
            if (!content)
                return content.status();
            input.inventory = content.value();
        }
        input.inventoryName = name.value();
    }
    input.job = std::move(job);
    return input;
}

QStringList RunInput::keychainEntries() const {
    QStringList entries;
    for (const CredentialKeys &c : credentials)
        for (const QString &input : c.storedInputs())
            entries << CredentialService::keychainEntry(c.keychainKey, input);
    if (!job.launch.secretsKey.isEmpty())
        entries << launchSecretsEntry(job.launch.secretsKey);
    return entries;
}

Status RunInput::takeSecrets(const QHash<QString, QString> &entries) {
    for (const CredentialKeys &c : credentials)
        for (auto it = c.inputs.begin(); it != c.inputs.end(); ++it) {
            if (it.value().toString() != kEncrypted)
                continue;
            const QString entry = CredentialService::keychainEntry(c.keychainKey, it.key());
            if (!entries.contains(entry))
                return Status::failure(
                    QObject::tr("The keychain no longer has the %1 of credential \"%2\". Set it again: "
                                "playdeck credential update \"%2\" --%1_file FILE (or in its editor).")
                        .arg(it.key(), c.name));
            credentialSecrets.insert(QStringLiteral("%1/%2").arg(c.id).arg(it.key()), entries.value(entry));
        }
    if (!job.launch.secretsKey.isEmpty()) {
        const QString entry = launchSecretsEntry(job.launch.secretsKey);
        if (!entries.contains(entry))
            return Status::failure(QObject::tr(
                "The passwords given at launch are not in this machine's keychain: the job was "
                "launched where this instance's keychain cannot see them. Launch it again here."));
        const LaunchSecrets given = LaunchSecrets::fromJson(entries.value(entry).toUtf8());
        for (auto it = given.credentialPasswords.begin(); it != given.credentialPasswords.end(); ++it)
            credentialSecrets.insert(it.key(), it.value());
        surveyPasswords = given.surveyPasswords;
    }
    return {};
}

QStringList JobPlan::secrets(const RunInput &input) const {
    QStringList out = input.credentialSecrets.values();
    for (auto it = input.surveyPasswords.begin(); it != input.surveyPasswords.end(); ++it)
        out << it.value().toString();
    return out;
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
    if (o.diffMode)
        args << QStringLiteral("--diff");
    if (o.becomeEnabled)
        args << QStringLiteral("--become");
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
    // Launch-time variables, survey answers (their passwords from the keychain) and the meta
    // variables: all !unsafe, so nothing an operator typed is ever templated.
    QJsonObject unsafe = launchVars.value();
    for (auto it = job.launch.surveyAnswers.begin(); it != job.launch.surveyAnswers.end(); ++it)
        unsafe.insert(it.key(), it.value());
    for (auto it = input.surveyPasswords.begin(); it != input.surveyPasswords.end(); ++it)
        unsafe.insert(it.key(), it.value());
    for (auto it = meta.begin(); it != meta.end(); ++it)
        unsafe.insert(it.key(), it.value());
    QJsonObject safe = templateVars.value();
    for (auto it = unsafe.begin(); it != unsafe.end(); ++it)
        safe.remove(it.key());
    if (Status s = writePrivateFile(dir + QStringLiteral("/env/extravars"), extraVarsYaml(safe, unsafe)); !s)
        return s;
    auto credentials = credentialRun(input.credentials, input.credentialSecrets);
    if (!credentials)
        return credentials.status();
    QStringList args{cmdline(effective)};
    for (const QString &arg : credentials.value().args)
        args << shellQuote(arg);
    if (Status s = writePrivateFile(dir + QStringLiteral("/env/cmdline"),
                                    args.join(QLatin1Char(' ')).trimmed().toUtf8());
        !s)
        return s;
    // The answers to ssh's, become's and vault's prompts, and the key for ssh-agent: in the private
    // data dir only (0600), which goes when the job ends.
    if (!credentials.value().passwords.isEmpty())
        if (Status s = writePrivateFile(dir + QStringLiteral("/env/passwords"),
                                        QJsonDocument(credentials.value().passwords).toJson());
            !s)
            return s;
    if (!credentials.value().sshKey.isEmpty())
        if (Status s =
                writePrivateFile(dir + QStringLiteral("/env/ssh_key"), credentials.value().sshKey.toUtf8());
            !s)
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

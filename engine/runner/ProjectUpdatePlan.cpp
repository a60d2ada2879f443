#include "ProjectUpdatePlan.h"

#include "PlanFiles.h"
#include "launch/ExtraVars.h"
#include "secrets/CredentialRun.h"
#include "store/UnifiedJobStore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

namespace playdeck {

Result<QByteArray> ProjectUpdatePlan::prepare(const RunInput &input, const QString &dir) {
    const ProjectScm &p = input.project;
    const QString home = ProjectStore::directory(input.dataDir, p.id);
    m_jobId = input.job.id;
    m_projectId = p.id;
    m_revisionsDir = home + QStringLiteral("/revisions");
    if (!QDir().mkpath(m_revisionsDir))
        return Status::failure(QObject::tr("Cannot create the project directory %1.").arg(home));
    if (Status s = writeLocalPlaybook(dir, QStringLiteral("project_update.yml")); !s)
        return s;
    auto credential = credentialRun(input.credentials, input.credentialSecrets);
    if (!credential)
        return credential.status();
    const CredentialRun &account = credential.value();
    if (!account.passwords.isEmpty())
        if (Status s = writePrivateFile(dir + QStringLiteral("/env/passwords"),
                                        QJsonDocument(account.passwords).toJson());
            !s)
            return s;
    // The key goes into the runner's ssh-agent, which git's ssh uses: it is never a file git reads.
    if (!account.sshKey.isEmpty())
        if (Status s = writePrivateFile(dir + QStringLiteral("/env/ssh_key"), account.sshKey.toUtf8()); !s)
            return s;
    // The operator's values, so never templated: a URL or branch with "{{" in it stays text.
    const QJsonObject vars{
        {QStringLiteral("scm_url"), urlWithAccount(p.url, account.scmUsername, account.scmPassword)},
        {QStringLiteral("scm_branch"), p.branch},
        {QStringLiteral("scm_refspec"), p.refspec},
        {QStringLiteral("scm_clean"), p.clean},
        {QStringLiteral("scm_delete_on_update"), p.deleteOnUpdate},
        {QStringLiteral("scm_track_submodules"), p.trackSubmodules},
        {QStringLiteral("scm_key_file"), QString()},
        {QStringLiteral("project_cache"), QString(home + QStringLiteral("/checkout"))},
        {QStringLiteral("revisions_dir"), m_revisionsDir}};
    if (Status s = writePrivateFile(dir + QStringLiteral("/env/extravars"), extraVarsYaml({}, vars)); !s)
        return s;
    if (Status s = writeRunnerSettings(dir, p.timeout); !s)
        return s;
    // git must never wait for a password nobody will type.
    if (Status s = writeRunnerEnvironment(dir, input.job.id,
                                          {{QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0")},
                                           {QStringLiteral("GIT_ASKPASS"), QStringLiteral("/bin/false")},
                                           {QStringLiteral("SSH_ASKPASS"), QStringLiteral("/bin/false")}});
        !s)
        return s;
    return transmitDirectory(dir, {{QStringLiteral("ident"), QString::number(input.job.id)},
                                   {QStringLiteral("playbook"), QStringLiteral("project_update.yml")},
                                   {QStringLiteral("inventory"), QStringLiteral("inventory/hosts.json")}});
}

void ProjectUpdatePlan::onEvent(const JobEvent &e) {
    // AWX captures the revision from the scm_version fact the update sets.
    if (e.event != QLatin1String("runner_on_ok"))
        return;
    const QString version = QJsonDocument::fromJson(e.eventData)
                                .object()
                                .value(QLatin1String("res"))
                                .toObject()
                                .value(QLatin1String("ansible_facts"))
                                .toObject()
                                .value(QLatin1String("scm_version"))
                                .toString();
    static const QRegularExpression sha(QStringLiteral("^[0-9a-f]{40}([0-9a-f]{24})?$"));
    if (sha.match(version).hasMatch())
        m_revision = version;
}

QString ProjectUpdatePlan::urlWithAccount(const QString &url, const QString &username,
                                          const QString &password) {
    if (username.isEmpty() && password.isEmpty())
        return url;
    QUrl u(url, QUrl::StrictMode);
    const QString scheme = u.scheme().toLower();
    if (!u.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https") &&
                         scheme != QLatin1String("ssh") && scheme != QLatin1String("git+ssh")))
        return url; // a path, file://, or scp-like user@host:path, which carries its own user
    // Written by hand: QUrl keeps some delimiters (":") as they are, and the redactor knows a secret
    // in its fully percent-encoded form (secrets()).
    const auto encode = [](const QString &text) { return QString::fromUtf8(QUrl::toPercentEncoding(text)); };
    QString userInfo = encode(username.isEmpty() ? u.userName() : username);
    if (!password.isEmpty() && scheme.startsWith(QLatin1String("http")))
        userInfo += QLatin1Char(':') + encode(password); // ssh takes a key, never a password in the URL
    u.setUserInfo(QString());
    const QString bare = u.toString(QUrl::FullyEncoded);
    const int authority = bare.indexOf(QLatin1String("://")) + 3;
    return bare.left(authority) + userInfo + QLatin1Char('@') + bare.mid(authority);
}

QStringList ProjectUpdatePlan::secrets(const RunInput &input) const {
    // Asked before prepare(): the URL's form of each secret comes from the input itself.
    const QStringList plain = JobPlan::secrets(input);
    QStringList out = plain;
    for (const QString &secret : plain) {
        const QString encoded = QString::fromUtf8(QUrl::toPercentEncoding(secret));
        if (encoded != secret)
            out << encoded;
    }
    return out;
}

Outcome ProjectUpdatePlan::judge(Outcome outcome) const {
    if (outcome.status == JobStatus::Successful && m_revision.isEmpty())
        return {JobStatus::Error,
                QObject::tr("The update ended without saying which revision it checked out."),
                {}};
    if (outcome.status == JobStatus::Successful &&
        !QFileInfo(m_revisionsDir + QLatin1Char('/') + m_revision).isDir())
        return {JobStatus::Error,
                QObject::tr("The update did not leave the tree of revision %1.").arg(m_revision),
                {}};
    return outcome;
}

std::function<Status(QSqlDatabase &)> ProjectUpdatePlan::finalWrites(const Outcome &outcome) const {
    if (outcome.status != JobStatus::Successful)
        return {};
    const qint64 job = m_jobId, project = m_projectId;
    const QString revision = m_revision, tree = m_revisionsDir + QLatin1Char('/') + m_revision;
    return [job, project, revision, tree](QSqlDatabase &db) -> Status {
        if (Status s = ProjectStore(db).recordUpdate(project, revision, tree); !s)
            return s;
        JobUpdate fields;
        fields.scmRevision = revision;
        return UnifiedJobStore(db).update(job, fields, false);
    };
}

} // namespace playdeck

// Launching as an operator does: the template's prompts, a survey with a regex, credentials applied at
// run time (an SSH key through ssh-agent, passwords answered at ansible's prompts, a vault id), and
// not one secret in the database, job_args, job_env, events or stdout.

#include "TestEngine.h"

#include "services/CredentialService.h"
#include "services/JobService.h"
#include "services/ResourceService.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTest>

using namespace playdeck;
using playdeck::test::await;
using playdeck::test::TestEngine;

namespace {

const QString kSshPassword = QStringLiteral("ssh-Pass-%1").arg(QCoreApplication::applicationPid());
const QString kBecomePassword = QStringLiteral("become-Pass-%1").arg(QCoreApplication::applicationPid());
const QString kKeyPassphrase = QStringLiteral("key-Phrase-%1").arg(QCoreApplication::applicationPid());
const QString kVaultPassword = QStringLiteral("vault-Pass-%1").arg(QCoreApplication::applicationPid());
const QString kSurveyPassword = QStringLiteral("survey-Pass-%1").arg(QCoreApplication::applicationPid());

QString run(const QString &program, const QStringList &args, const QByteArray &input = {}) {
    QProcess p;
    p.start(program, args);
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(30000);
    if (p.exitCode() != 0)
        qWarning() << program << p.readAllStandardError();
    return QString::fromUtf8(p.readAllStandardOutput());
}

QJsonObject question(const QString &type, const QString &variable, QJsonObject extra = {}) {
    extra.insert(QStringLiteral("type"), type);
    extra.insert(QStringLiteral("variable"), variable);
    extra.insert(QStringLiteral("question_name"), QString(QStringLiteral("Q ") + variable));
    if (!extra.contains(QStringLiteral("required")))
        extra.insert(QStringLiteral("required"), true);
    return extra;
}

} // namespace

class LaunchPromptsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        m_engine = std::make_unique<TestEngine>();
        QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
        m_project = m_engine->dataDir() + QStringLiteral("/playbooks");
        QDir().mkpath(m_project);
        ResourceService &resources = m_engine->controller().resources();
        QVERIFY(
            await(resources.create(ResourceKind::Project, {{QStringLiteral("name"), QStringLiteral("Books")},
                                                           {QStringLiteral("local_path"), m_project}}))
                .ok());
    }
    void cleanupTestCase() { m_engine.reset(); }

    void surveyAnswersArriveTypedAndAreNeverEvaluated() {
        write(QStringLiteral("survey.yml"), "- hosts: all\n  gather_facts: false\n  tasks:\n"
                                            "    - debug:\n        msg: \"ticket={{ ticket }} batch={{ batch "
                                            "| int + 1 }} note={{ note }} token={{ token }}\"\n");
        const QString marker = m_engine->dataDir() + QStringLiteral("/pwned");
        const QJsonObject survey{
            {QStringLiteral("name"), QString()},
            {QStringLiteral("description"), QString()},
            {QStringLiteral("spec"),
             QJsonArray{question(QStringLiteral("text"), QStringLiteral("ticket"),
                                 {{QStringLiteral("regex"), QStringLiteral("[A-Z]+-[0-9]+")}}),
                        question(QStringLiteral("integer"), QStringLiteral("batch"),
                                 {{QStringLiteral("min"), 1}, {QStringLiteral("max"), 10}}),
                        question(QStringLiteral("text"), QStringLiteral("note")),
                        question(QStringLiteral("password"), QStringLiteral("token"))}}};
        auto t = await(m_engine->controller().resources().create(
            ResourceKind::JobTemplate, {{QStringLiteral("name"), QStringLiteral("Survey")},
                                        {QStringLiteral("project"), QStringLiteral("Books")},
                                        {QStringLiteral("playbook"), QStringLiteral("survey.yml")},
                                        {QStringLiteral("inventory"), QStringLiteral("Demo Inventory")},
                                        {QStringLiteral("survey_enabled"), true},
                                        {QStringLiteral("survey_spec"), survey}}));
        QVERIFY2(t.ok(), qPrintable(t.error()));

        LaunchRequest request;
        request.templateName = QStringLiteral("Survey");
        request.surveyAnswers = {
            {QStringLiteral("ticket"), QStringLiteral("ops-12")},
            {QStringLiteral("batch"), QStringLiteral("4")},
            {QStringLiteral("note"),
             QString(QStringLiteral("{{ lookup('pipe', 'touch ") + marker + QStringLiteral("') }}"))},
            {QStringLiteral("token"), kSurveyPassword}};
        QString error;
        QCOMPARE(m_engine->launch(request, &error), 0);
        QVERIFY2(error.contains(QLatin1String("Q ticket (ticket)")) &&
                     error.contains(QLatin1String("does not match")),
                 qPrintable(error));
        const int jobsBefore = m_engine->scalar(QStringLiteral("SELECT count(*) FROM unified_job")).toInt();

        request.surveyAnswers.insert(QStringLiteral("ticket"), QStringLiteral("OPS-12"));
        const qint64 job = m_engine->launch(request, &error);
        QVERIFY2(job > 0, qPrintable(error));
        QCOMPARE(m_engine->scalar(QStringLiteral("SELECT count(*) FROM unified_job")).toInt(),
                 jobsBefore + 1);
        QCOMPARE(m_engine->waitForFinished(job), JobStatus::Successful);
        const QString out = stdoutOf(job);
        QVERIFY2(out.contains(QLatin1String("ticket=OPS-12 batch=5 note={{ lookup('pipe'")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("token=**********")), qPrintable(out));
        QVERIFY(!QFile::exists(marker));
        QVERIFY(!m_engine->databaseDump().contains(kSurveyPassword.toUtf8()));

        // Relaunched with the same answers, the password comes from the keychain again.
        auto again = await(m_engine->controller().jobs().relaunch(job));
        QVERIFY2(again.ok(), qPrintable(again.error()));
        QCOMPARE(m_engine->waitForFinished(again.value()), JobStatus::Successful);
        QVERIFY(stdoutOf(again.value()).contains(QLatin1String("token=**********")));
    }

    void aPromptTheTemplateDoesNotAskForIsRefused() {
        LaunchRequest request;
        request.templateName = QStringLiteral("Survey");
        request.prompts.limit = QStringLiteral("localhost");
        QString error;
        QCOMPARE(m_engine->launch(request, &error), 0);
        QVERIFY2(error.contains(QLatin1String("ask_limit_on_launch")), qPrintable(error));
    }

    void credentialsAreAppliedAndNoSecretIsLeftAnywhere() {
        // A key with a passphrase (for ssh-agent), a vault-encrypted variable, passwords asked at launch.
        const QString keyFile = m_engine->dataDir() + QStringLiteral("/id_test");
        run(QStringLiteral("ssh-keygen"),
            {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"),
             kKeyPassphrase, QStringLiteral("-f"), keyFile});
        QFile key(keyFile);
        QVERIFY(key.open(QIODevice::ReadOnly));
        const QString keyData = QString::fromUtf8(key.readAll());
        QFile vaultPass(m_engine->dataDir() + QStringLiteral("/vault-pass"));
        QVERIFY(vaultPass.open(QIODevice::WriteOnly));
        vaultPass.write(kVaultPassword.toUtf8());
        vaultPass.close();
        const QString encrypted =
            run(QStringLiteral("ansible-vault"),
                {QStringLiteral("encrypt_string"), QStringLiteral("--vault-id"),
                 QStringLiteral("prod@") + vaultPass.fileName(), QStringLiteral("the vault opens"),
                 QStringLiteral("--name"), QStringLiteral("secret_msg")});
        QVERIFY2(encrypted.contains(QLatin1String("$ANSIBLE_VAULT")), qPrintable(encrypted));
        QFile::remove(vaultPass.fileName());
        QString vars = encrypted;
        vars.replace(QLatin1Char('\n'), QStringLiteral("\n    "));
        write(QStringLiteral("creds.yml"),
              ("- hosts: all\n  gather_facts: false\n  vars:\n    " + vars +
               "\n  tasks:\n    - debug:\n        msg: \"vault: {{ secret_msg }}\"\n"
               "    - command: ssh-add -l\n      register: agent\n"
               "    - debug:\n        msg: \"agent keys: {{ agent.stdout_lines | length }}\"\n")
                  .toUtf8());

        CredentialService &credentials = m_engine->controller().credentials();
        auto machine = await(credentials.create(
            {{QStringLiteral("name"), QStringLiteral("Machine")},
             {QStringLiteral("kind"), QStringLiteral("ssh")},
             {QStringLiteral("inputs"),
              QJsonObject{{QStringLiteral("username"), qEnvironmentVariable("USER", QStringLiteral("root"))},
                          {QStringLiteral("become_method"), QStringLiteral("sudo")}}}},
            {{QStringLiteral("ssh_key_data"), keyData},
             {QStringLiteral("ssh_key_unlock"), kKeyPassphrase},
             {QStringLiteral("password"), kAsk},
             {QStringLiteral("become_password"), kBecomePassword}}));
        QVERIFY2(machine.ok(), qPrintable(machine.error()));
        auto vault = await(credentials.create(
            {{QStringLiteral("name"), QStringLiteral("Vault")},
             {QStringLiteral("kind"), QStringLiteral("vault")},
             {QStringLiteral("inputs"), QJsonObject{{QStringLiteral("vault_id"), QStringLiteral("prod")}}}},
            {{QStringLiteral("vault_password"), kVaultPassword}}));
        QVERIFY2(vault.ok(), qPrintable(vault.error()));
        auto t = await(m_engine->controller().resources().create(
            ResourceKind::JobTemplate, {{QStringLiteral("name"), QStringLiteral("Creds")},
                                        {QStringLiteral("project"), QStringLiteral("Books")},
                                        {QStringLiteral("playbook"), QStringLiteral("creds.yml")},
                                        {QStringLiteral("inventory"), QStringLiteral("Demo Inventory")},
                                        {QStringLiteral("credentials"), QStringLiteral("Machine,Vault")}}));
        QVERIFY2(t.ok(), qPrintable(t.error()));

        // The SSH password is asked at launch: without it there is no job.
        auto needs = await(m_engine->controller().jobs().launchNeeds(QStringLiteral("Creds")));
        QVERIFY2(needs.ok(), qPrintable(needs.error()));
        QCOMPARE(needs.value().credentialSecrets.size(), 1);
        QCOMPARE(needs.value().credentialSecrets.constFirst().input, QStringLiteral("password"));
        LaunchRequest request;
        request.templateName = QStringLiteral("Creds");
        QString error;
        QCOMPARE(m_engine->launch(request, &error), 0);
        QVERIFY2(error.contains(QLatin1String("password of credential \"Machine\"")), qPrintable(error));

        request.secrets.credentialPasswords.insert(needs.value().credentialSecrets.constFirst().key(),
                                                   kSshPassword);
        const qint64 job = m_engine->launch(request, &error);
        QVERIFY2(job > 0, qPrintable(error));
        QCOMPARE(m_engine->waitForFinished(job), JobStatus::Successful);
        const QString out = stdoutOf(job);
        QVERIFY2(out.contains(QLatin1String("vault: the vault opens")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("agent keys: 1")), qPrintable(out));
        const QString args =
            m_engine->scalar(QStringLiteral("SELECT job_args FROM unified_job WHERE id = ?"), {job})
                .toString();
        for (const char *option : {"ssh-agent", "ansible-playbook -u ", " --ask-pass",
                                   " --become-method sudo", " --ask-become-pass", " --vault-id prod@prompt"})
            QVERIFY2(args.contains(QLatin1String(option)), qPrintable(args));

        // Nowhere: not in any row (job_args, job_env, events, stdout, launch_config included) ...
        const QByteArray dump = m_engine->databaseDump();
        QVERIFY(!dump.isEmpty());
        const QByteArray keyBody = keyData.toUtf8().split('\n').value(1);
        for (const QByteArray &secret : {kSshPassword.toUtf8(), kBecomePassword.toUtf8(),
                                         kKeyPassphrase.toUtf8(), kVaultPassword.toUtf8(), keyBody})
            QVERIFY2(!dump.contains(secret), secret.constData());
        // ... nor in the log, nor in a job directory left behind.
        QFile log(m_engine->dataDir() + QStringLiteral("/playdeck.log"));
        if (log.open(QIODevice::ReadOnly)) {
            const QByteArray text = log.readAll();
            QVERIFY(!text.contains(kSshPassword.toUtf8()) && !text.contains(kVaultPassword.toUtf8()));
        }
        QVERIFY(!QFile::exists(m_engine->dataDir() + QStringLiteral("/jobs/%1").arg(job)));
    }

private:
    void write(const QString &name, const QByteArray &text) {
        QFile f(m_project + QLatin1Char('/') + name);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    }
    QString stdoutOf(qint64 job) {
        return m_engine
            ->scalar(QStringLiteral(
                         "SELECT string_agg(stdout, '' ORDER BY counter) FROM job_event WHERE job_id = ?"),
                     {job})
            .toString();
    }

    std::unique_ptr<TestEngine> m_engine;
    QString m_project;
};

QTEST_GUILESS_MAIN(LaunchPromptsTest)
#include "tst_launch_prompts.moc"

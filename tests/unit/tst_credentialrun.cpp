// How credentials become ansible-playbook options, prompt answers and the ssh-agent key.

#include "resources/ResourceSchema.h"
#include "runner/ProjectUpdatePlan.h"
#include "secrets/CredentialRun.h"

#include <QRegularExpression>
#include <QTest>

using namespace playdeck;

namespace {
CredentialKeys credential(qint64 id, const QString &kind, const QJsonObject &inputs) {
    return {id, QStringLiteral("C%1").arg(id), kind, inputs, QStringLiteral("k%1").arg(id)};
}
} // namespace

class CredentialRunTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void machineCredentialAsAwxAppliesIt() {
        auto r = credentialRun(
            {credential(1, QStringLiteral("ssh"),
                        {{QStringLiteral("username"), QStringLiteral("deploy")},
                         {QStringLiteral("password"), kAsk},
                         {QStringLiteral("ssh_key_data"), kEncrypted},
                         {QStringLiteral("become_method"), QStringLiteral("su")},
                         {QStringLiteral("become_username"), QStringLiteral("root")},
                         {QStringLiteral("become_password"), kEncrypted}})},
            {{QStringLiteral("1/password"), QStringLiteral("pw1")},
             {QStringLiteral("1/ssh_key_data"),
              QStringLiteral("-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----")},
             {QStringLiteral("1/become_password"), QStringLiteral("bpw")}});
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r.value().args, (QStringList{QStringLiteral("-u"), QStringLiteral("deploy"),
                                              QStringLiteral("--ask-pass"), QStringLiteral("--become-method"),
                                              QStringLiteral("su"), QStringLiteral("--become-user"),
                                              QStringLiteral("root"), QStringLiteral("--ask-become-pass")}));
        QVERIFY(r.value().sshKey.endsWith(QLatin1Char('\n')));
        // Every prompt pattern finds its answer.
        const auto answer = [&](const QString &prompt) {
            for (auto it = r.value().passwords.begin(); it != r.value().passwords.end(); ++it)
                if (QRegularExpression(it.key()).match(prompt).hasMatch())
                    return it.value().toString();
            return QStringLiteral("(none)");
        };
        QCOMPARE(answer(QStringLiteral("SSH password: ")), QStringLiteral("pw1"));
        QCOMPARE(answer(QStringLiteral("BECOME password[defaults to SSH password]: ")),
                 QStringLiteral("bpw"));
        QCOMPARE(answer(QStringLiteral("SU password: ")), QStringLiteral("bpw"));
        QCOMPARE(r.value().secrets.size(), 3);
    }
    void sourceControlCredentialGivesTheAccountAndTheKey() {
        auto r = credentialRun({credential(3, QStringLiteral("scm"),
                                           {{QStringLiteral("username"), QStringLiteral("git-user")},
                                            {QStringLiteral("password"), kEncrypted},
                                            {QStringLiteral("ssh_key_data"), kEncrypted},
                                            {QStringLiteral("ssh_key_unlock"), kEncrypted}})},
                               {{QStringLiteral("3/password"), QStringLiteral("p@ss:w/rd")},
                                {QStringLiteral("3/ssh_key_data"), QStringLiteral("KEY")},
                                {QStringLiteral("3/ssh_key_unlock"), QStringLiteral("phrase")}});
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r.value().scmUsername, QStringLiteral("git-user"));
        QCOMPARE(r.value().scmPassword, QStringLiteral("p@ss:w/rd"));
        QCOMPARE(r.value().sshKey, QStringLiteral("KEY\n"));
        QVERIFY(r.value().args.isEmpty()); // nothing for ansible-playbook's command line
        QCOMPARE(r.value().secrets.size(), 3);
        QCOMPARE(r.value().passwords.value(QStringLiteral("Enter passphrase for .*:\\s*?$")).toString(),
                 QStringLiteral("phrase"));
    }
    void theAccountGoesIntoHttpsAndSshUrlsOnly() {
        const QString pw = QStringLiteral("p@ss:w/rd");
        QCOMPARE(ProjectUpdatePlan::urlWithAccount(QStringLiteral("https://git.example.com/org/repo.git"),
                                                   QStringLiteral("me"), pw),
                 QStringLiteral("https://me:p%40ss%3Aw%2Frd@git.example.com/org/repo.git"));
        // ssh takes the user, never a password.
        QCOMPARE(ProjectUpdatePlan::urlWithAccount(QStringLiteral("ssh://git.example.com/repo.git"),
                                                   QStringLiteral("git"), pw),
                 QStringLiteral("ssh://git@git.example.com/repo.git"));
        // A path, file://, or scp-like URL is left as it is.
        for (const QString &url : {QStringLiteral("/srv/repo.git"), QStringLiteral("file:///srv/repo.git"),
                                   QStringLiteral("git@github.com:org/repo.git")})
            QCOMPARE(ProjectUpdatePlan::urlWithAccount(url, QStringLiteral("me"), pw), url);
        QCOMPARE(ProjectUpdatePlan::urlWithAccount(QStringLiteral("https://h/r"), QString(), QString()),
                 QStringLiteral("https://h/r"));
    }
    void vaultIdsGetTheirOwnPrompt() {
        auto r = credentialRun(
            {credential(2, QStringLiteral("vault"),
                        {{QStringLiteral("vault_id"), QStringLiteral("prod.eu")},
                         {QStringLiteral("vault_password"), kEncrypted}}),
             credential(3, QStringLiteral("vault"), {{QStringLiteral("vault_password"), kAsk}})},
            {{QStringLiteral("2/vault_password"), QStringLiteral("v2")},
             {QStringLiteral("3/vault_password"), QStringLiteral("v3")}});
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r.value().args, (QStringList{QStringLiteral("--vault-id"), QStringLiteral("prod.eu@prompt"),
                                              QStringLiteral("--ask-vault-pass")}));
        QCOMPARE(
            r.value().passwords.value(QStringLiteral("Vault password \\(prod\\.eu\\):\\s*?$")).toString(),
            QStringLiteral("v2"));
        QVERIFY(!QRegularExpression(QStringLiteral("Vault password \\(prod\\.eu\\):\\s*?$"))
                     .match(QStringLiteral("Vault password (prodXeu): "))
                     .hasMatch());
    }
    void aSecretWithoutItsValueIsAnError() {
        auto r = credentialRun(
            {credential(4, QStringLiteral("ssh"), {{QStringLiteral("become_password"), kAsk}})}, {});
        QVERIFY(!r.ok());
        QVERIFY2(r.error().contains(QLatin1String("become_password of credential \"C4\"")),
                 qPrintable(r.error()));
    }
};

QTEST_GUILESS_MAIN(CredentialRunTest)
#include "tst_credentialrun.moc"

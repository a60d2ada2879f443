#include "CredentialRun.h"

#include "resources/ResourceSchema.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace playdeck {

namespace {

// lupdate files CredentialRunText::tr's strings under "CredentialRun", the context they are looked up in.
class CredentialRunText {
    Q_DECLARE_TR_FUNCTIONS(CredentialRun)
};

const QStringList &becomeMethods() {
    static const QStringList methods = [] {
        QStringList out;
        for (const CredentialKindSpec &k : credentialKinds())
            for (const CredentialInput &i : k.inputs)
                if (i.id == QLatin1String("become_method"))
                    for (const QString &m : i.choices)
                        if (!m.isEmpty())
                            out << m;
        return out;
    }();
    return methods;
}

} // namespace

Result<CredentialRun> credentialRun(const QList<CredentialKeys> &credentials,
                                    const QHash<QString, QString> &secrets) {
    CredentialRun run;
    for (const CredentialKeys &c : credentials) {
        const auto value = [&](const QString &input) -> Result<QString> {
            const QString stored = c.inputs.value(input).toString();
            if (stored.isEmpty())
                return QString();
            if (stored != kEncrypted && stored != kAsk)
                return stored; // not a secret input
            const QString key = QStringLiteral("%1/%2").arg(c.id).arg(input);
            if (!secrets.contains(key) || secrets.value(key).isEmpty())
                return Status::failure(
                    CredentialRunText::tr("The %1 of credential \"%2\" was not given.").arg(input, c.name));
            run.secrets << secrets.value(key);
            return secrets.value(key);
        };
        const auto get = [&](const char *input, QString &out) -> Status {
            auto v = value(QString::fromLatin1(input));
            if (!v)
                return v.status();
            out = v.value();
            return {};
        };
        if (c.kind == QLatin1String("ssh")) {
            QString username, password, key, unlock, method, becomeUser, becomePassword;
            for (auto [input, out] : {std::pair{"username", &username},
                                      {"password", &password},
                                      {"ssh_key_data", &key},
                                      {"ssh_key_unlock", &unlock},
                                      {"become_method", &method},
                                      {"become_username", &becomeUser},
                                      {"become_password", &becomePassword}})
                if (Status s = get(input, *out); !s)
                    return s;
            if (!username.isEmpty())
                run.args << QStringLiteral("-u") << username;
            if (!password.isEmpty()) {
                run.args << QStringLiteral("--ask-pass");
                run.passwords.insert(QStringLiteral("SSH password:\\s*?$"), password);
                run.passwords.insert(QStringLiteral("Password:\\s*?$"), password);
            }
            if (!key.isEmpty())
                run.sshKey = key.endsWith(QLatin1Char('\n'))
                                 ? key
                                 : key + QLatin1Char('\n'); // OpenSSH wants the newline
            if (!unlock.isEmpty()) {
                run.passwords.insert(QStringLiteral("Enter passphrase for .*:\\s*?$"), unlock);
                run.passwords.insert(QStringLiteral("Bad passphrase, try again for .*:\\s*?$"), QString());
            }
            if (!method.isEmpty())
                run.args << QStringLiteral("--become-method") << method;
            if (!becomeUser.isEmpty())
                run.args << QStringLiteral("--become-user") << becomeUser;
            if (!becomePassword.isEmpty()) {
                run.args << QStringLiteral("--ask-become-pass");
                run.passwords.insert(QStringLiteral("BECOME password.*:\\s*?$"), becomePassword);
                for (const QString &m : becomeMethods()) {
                    run.passwords.insert(m + QStringLiteral(" password.*:\\s*?$"), becomePassword);
                    run.passwords.insert(m.toUpper() + QStringLiteral(" password.*:\\s*?$"), becomePassword);
                }
            }
        } else if (c.kind == QLatin1String("scm")) {
            // AWX's project update: the account in the repository URL, the key through ssh-agent.
            QString key, unlock;
            for (auto [input, out] : {std::pair{"username", &run.scmUsername},
                                      {"password", &run.scmPassword},
                                      {"ssh_key_data", &key},
                                      {"ssh_key_unlock", &unlock}})
                if (Status s = get(input, *out); !s)
                    return s;
            if (!key.isEmpty())
                run.sshKey = key.endsWith(QLatin1Char('\n')) ? key : key + QLatin1Char('\n');
            if (!unlock.isEmpty()) {
                run.passwords.insert(QStringLiteral("Enter passphrase for .*:\\s*?$"), unlock);
                run.passwords.insert(QStringLiteral("Bad passphrase, try again for .*:\\s*?$"), QString());
            }
        } else if (c.kind == QLatin1String("vault")) {
            QString password, id;
            if (Status s = get("vault_password", password); !s)
                return s;
            if (Status s = get("vault_id", id); !s)
                return s;
            if (password.isEmpty())
                continue;
            if (id.isEmpty()) {
                run.args << QStringLiteral("--ask-vault-pass");
                run.passwords.insert(QStringLiteral("Vault password:\\s*?$"), password);
            } else {
                run.args << QStringLiteral("--vault-id") << id + QStringLiteral("@prompt");
                run.passwords.insert(
                    QStringLiteral("Vault password \\(%1\\):\\s*?$").arg(QRegularExpression::escape(id)),
                    password);
            }
        }
    }
    return run;
}

} // namespace playdeck

#pragma once

#include "core/Result.h"
#include "store/CredentialStore.h"

#include <QHash>
#include <QJsonObject>
#include <QStringList>

namespace playdeck {

// How a job's Machine and Vault credentials (and a project update's Source Control one) reach
// ansible-playbook, as AWX applies them (reference
// awx-engine.md 5.4-5.5): options on its command line, answers to its password prompts (the runner's
// env/passwords, matched by AWX's prompt patterns), and the SSH key for the runner's ssh-agent.
struct CredentialRun {
    QStringList args; // -u, --ask-pass, --become-method, --become-user, --ask-become-pass, --vault-id …
    QJsonObject passwords; // prompt pattern → answer
    QString sshKey;        // env/ssh_key: loaded into ssh-agent, never a plain key file
    QStringList secrets;   // every secret value given, for redaction
    // A Source Control credential's account, for a project update's repository URL.
    QString scmUsername;
    QString scmPassword;
};

// `secrets`: "<credential id>/<input>" → value for every secret input that has one (stored or given
// at launch). A secret input that is set ($encrypted$ or ASK) but has no value is an error.
[[nodiscard]] Result<CredentialRun> credentialRun(const QList<CredentialKeys> &credentials,
                                                  const QHash<QString, QString> &secrets);

} // namespace playdeck

#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace playdeck {

// AWX's HIDDEN_PASSWORD: what stands in for a secret in job_env, job_args and logs.
inline const QString kHiddenSecret = QStringLiteral("**********");

// Keeps secrets out of what Playdeck stores and logs: environment variables whose names say they
// hold one (AWX's build_safe_env rule, widened), passwords inside URLs, and every value known to be a
// secret (credential fields, the database password) wherever it appears.
class Redactor {
public:
    // A value that must never be stored or logged. Values shorter than four characters are too
    // likely to occur by chance to be replaced everywhere; they are still hidden where a variable's
    // name says it is a secret.
    void addSecret(const QString &value);

    // AWX: names matching API, TOKEN, KEY, SECRET or PASS (except AWS_ACCESS_KEY_ID and ANSIBLE_*
    // settings other than ANSIBLE_NET_* and ANSIBLE_GALAXY_SERVER_*), plus CREDENTIAL, AUTH, PRIVATE,
    // COOKIE, SESSION and the name parts PW, PWD, PAT, PIN and OTP (DB_PW, MYSQL_PWD, GH_PAT), but not
    // the shell's PWD and OLDPWD.
    static bool isSecretName(const QString &name);

    QJsonObject environment(const QJsonObject &env) const;
    QString text(const QString &text) const;
    // Compact JSON (an event's data) with every secret hidden where it appears inside a string,
    // escaped as JSON writes it. Without secrets to hide, the bytes come back as they were.
    QByteArray json(const QByteArray &json) const;
    bool hasSecrets() const { return !m_secrets.isEmpty(); }

private:
    QStringList m_secrets; // longest first, so that a secret containing another is replaced whole
};

QString redactUrlPasswords(const QString &text);

} // namespace playdeck

#include "Redactor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace playdeck {

QString redactUrlPasswords(const QString &text) {
    static const QRegularExpression urlPassword(
        QStringLiteral("([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\\s]*:)([^@\\s]+)(@)"));
    QString out = text;
    out.replace(urlPassword, QStringLiteral("\\1") + kHiddenSecret + QStringLiteral("\\3"));
    return out;
}

void Redactor::addSecret(const QString &value) {
    if (value.size() < 4 || m_secrets.contains(value))
        return;
    m_secrets.append(value);
    std::sort(m_secrets.begin(), m_secrets.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
}

bool Redactor::isSecretName(const QString &rawName) {
    const QString name = rawName.toUpper();
    if (name == QLatin1String("PWD") || name == QLatin1String("OLDPWD") ||
        name == QLatin1String("AWS_ACCESS_KEY_ID"))
        return false;
    if (name.startsWith(QLatin1String("ANSIBLE_")) && !name.startsWith(QLatin1String("ANSIBLE_NET")) &&
        !name.startsWith(QLatin1String("ANSIBLE_GALAXY_SERVER")))
        return false; // ansible's own settings (ANSIBLE_HOST_KEY_CHECKING, ...), as AWX
    static const QRegularExpression fragment(
        QStringLiteral("API|TOKEN|KEY|SECRET|PASS|CREDENTIAL|AUTH|PRIVATE|COOKIE|SESSION"));
    if (fragment.match(name).hasMatch())
        return true;
    static const QRegularExpression part(QStringLiteral("(^|[_.-])(PW|PWD|PAT|PIN|OTP)($|[_.-])"));
    return part.match(name).hasMatch();
}

QString Redactor::text(const QString &input) const {
    QString out = redactUrlPasswords(input);
    for (const QString &secret : m_secrets)
        out.replace(secret, kHiddenSecret);
    return out;
}

QByteArray Redactor::json(const QByteArray &input) const {
    QByteArray out = input;
    for (const QString &secret : m_secrets) {
        // As QJsonDocument writes the secret inside a string: quotes, backslashes and control
        // characters escaped.
        const QByteArray escaped =
            QJsonDocument(QJsonArray{secret}).toJson(QJsonDocument::Compact).mid(2).chopped(2);
        out.replace(escaped, kHiddenSecret.toUtf8());
        if (escaped != secret.toUtf8())
            out.replace(secret.toUtf8(), kHiddenSecret.toUtf8());
    }
    return out;
}

QJsonObject Redactor::environment(const QJsonObject &env) const {
    QJsonObject out;
    for (auto it = env.begin(); it != env.end(); ++it) {
        if (isSecretName(it.key()) && !it.value().toString().isEmpty())
            out.insert(it.key(), kHiddenSecret);
        else if (it.value().isString())
            out.insert(it.key(), text(it.value().toString()));
        else
            out.insert(it.key(), it.value());
    }
    return out;
}

} // namespace playdeck

#include "Redaction.h"

#include <QRegularExpression>

namespace playdeck {

QString redactUrlPasswords(const QString &text) {
    static const QRegularExpression urlPassword(
        QStringLiteral("([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\\s]*:)([^@\\s]+)(@)"));
    QString out = text;
    out.replace(urlPassword, QStringLiteral("\\1") + kHiddenSecret + QStringLiteral("\\3"));
    return out;
}

QJsonObject redactEnvironment(const QJsonObject &env) {
    static const QRegularExpression secretName(
        QStringLiteral("PASS|SECRET|TOKEN|KEY|CREDENTIAL|AUTH|PRIVATE|COOKIE|SESSION"),
        QRegularExpression::CaseInsensitiveOption);
    QJsonObject out;
    for (auto it = env.begin(); it != env.end(); ++it) {
        if (secretName.match(it.key()).hasMatch() && !it.value().toString().isEmpty())
            out.insert(it.key(), kHiddenSecret);
        else if (it.value().isString())
            out.insert(it.key(), redactUrlPasswords(it.value().toString()));
        else
            out.insert(it.key(), it.value());
    }
    return out;
}

} // namespace playdeck

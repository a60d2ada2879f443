#include "CredentialStore.h"

#include "db/Connections.h"
#include "resources/ResourceSchema.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace playdeck {

QStringList CredentialKeys::storedInputs() const {
    QStringList out;
    for (auto it = inputs.begin(); it != inputs.end(); ++it)
        if (it.value().toString() == kEncrypted)
            out << it.key();
    return out;
}

Result<CredentialKeys> CredentialStore::keys(qint64 id, const QString &name) {
    const QString sql =
        QStringLiteral("SELECT id, name, kind, inputs::text, keychain_key::text FROM credential WHERE ");
    auto q = id > 0 ? exec(m_db, sql + QStringLiteral("id = ?"), {id})
                    : exec(m_db, sql + QStringLiteral("name = ?"), {name});
    if (!q)
        return q.status();
    if (!q.value().next())
        return Status::failure(
            id > 0
                ? QCoreApplication::translate("Resources", "There is no credential with id %1.").arg(id)
                : QCoreApplication::translate("Resources", "There is no credential named \"%1\".").arg(name));
    CredentialKeys k;
    k.id = q.value().value(0).toLongLong();
    k.name = q.value().value(1).toString();
    k.kind = q.value().value(2).toString();
    k.inputs = QJsonDocument::fromJson(q.value().value(3).toString().toUtf8()).object();
    k.keychainKey = q.value().value(4).toString();
    return k;
}

} // namespace playdeck

#pragma once

#include "core/Result.h"

#include <QFuture>
#include <QHash>
#include <QJsonObject>

namespace playdeck {

class DbPool;
class SecretStore;

// Credentials with their secrets. A secret input's value goes to the keychain (SecretStore) and
// never to the database, whose row holds "$encrypted$" for it; "ASK" makes it asked at launch; ""
// clears it. The keychain is written before the row, so a failed keychain leaves nothing behind,
// and a credential without stored secrets needs no keychain at all. Answers as futures.
class CredentialService {
public:
    CredentialService(DbPool &pool, SecretStore &secrets)
        : m_pool(pool)
        , m_secrets(secrets) {}

    using Secrets = QHash<QString, QString>; // input id → value, "ASK" or ""

    QFuture<Result<QJsonObject>> create(const QJsonObject &fields, const Secrets &secrets);
    QFuture<Result<QJsonObject>> update(const QString &name, const QJsonObject &fields,
                                        const Secrets &secrets);
    // A copy, secrets and all, under `newName` (empty: "NAME (copy)").
    QFuture<Result<QJsonObject>> copy(const QString &name, const QString &newName = {});
    QFuture<Result<QJsonObject>> remove(const QString &name);
    // The stored secret values of credential `id` (the ASK ones are not stored), for a run.
    QFuture<Result<Secrets>> secrets(qint64 id);

    static QString keychainEntry(const QString &keychainKey, const QString &input);

private:
    DbPool &m_pool;
    SecretStore &m_secrets;
};

} // namespace playdeck

#pragma once

#include "core/Result.h"

#include <QJsonObject>
#include <QSqlDatabase>

namespace playdeck {

// What the keychain side of a credential needs from its row (the rest is ResourceStore's).
struct CredentialKeys {
    qint64 id = 0;
    QString name;
    QString kind;
    QJsonObject inputs;
    QString keychainKey; // its secrets are under credential/<keychainKey>/<input>

    // The inputs whose values the keychain holds ($encrypted$).
    QStringList storedInputs() const;
};

class CredentialStore {
public:
    explicit CredentialStore(QSqlDatabase &db)
        : m_db(db) {}

    // By id when `id` > 0, else by name.
    [[nodiscard]] Result<CredentialKeys> keys(qint64 id, const QString &name = {});

private:
    QSqlDatabase &m_db;
};

} // namespace playdeck

#include "CredentialService.h"

#include "ResourceService.h"
#include "db/DbPool.h"
#include "resources/ResourceRules.h"
#include "secrets/SecretStore.h"
#include "store/CredentialStore.h"
#include "store/ResourceStore.h"

#include <QCoreApplication>
#include <QPromise>
#include <QUuid>

#include <memory>

namespace playdeck {

namespace {

// lupdate files CredentialServiceText::tr's strings under "Resources", the context they are looked up in.
class CredentialServiceText {
    Q_DECLARE_TR_FUNCTIONS(Resources)
};

struct SplitSecrets {
    QJsonObject inputs;              // for the row: markers in place of values
    QHash<QString, QString> toStore; // input → value, for the keychain
    QStringList toRemove;            // inputs whose keychain entry goes
};

Result<SplitSecrets> splitSecrets(const QString &kindName, QJsonObject inputs,
                                  const CredentialService::Secrets &secrets) {
    const auto kind = credentialKind(kindName);
    if (!kind)
        return Status::failure(
            CredentialServiceText::tr("There is no credential kind \"%1\"; use ssh, scm or vault.")
                .arg(kindName));
    SplitSecrets out;
    for (auto it = secrets.begin(); it != secrets.end(); ++it) {
        const bool secret =
            std::any_of(kind->inputs.begin(), kind->inputs.end(),
                        [&](const CredentialInput &i) { return i.id == it.key() && i.secret; });
        if (!secret)
            return Status::failure(CredentialServiceText::tr("A %1 credential has no secret input \"%2\".")
                                       .arg(kind->awxName, it.key()));
        if (it.value() == kAsk) {
            inputs.insert(it.key(), kAsk);
            out.toRemove << it.key();
        } else if (it.value().isEmpty()) {
            inputs.remove(it.key());
            out.toRemove << it.key();
        } else {
            inputs.insert(it.key(), kEncrypted);
            out.toStore.insert(it.key(), it.value());
        }
    }
    out.inputs = inputs;
    return out;
}

template <typename T> std::shared_ptr<QPromise<T>> started() {
    auto promise = std::make_shared<QPromise<T>>();
    promise->start();
    return promise;
}

template <typename T> void fulfil(const std::shared_ptr<QPromise<T>> &promise, T value) {
    promise->addResult(std::move(value));
    promise->finish();
}

QHash<QString, QString> entriesFor(const QString &keychainKey, const QHash<QString, QString> &values) {
    QHash<QString, QString> entries;
    for (auto it = values.begin(); it != values.end(); ++it)
        entries.insert(CredentialService::keychainEntry(keychainKey, it.key()), it.value());
    return entries;
}

QStringList keysFor(const QString &keychainKey, const QStringList &inputs) {
    QStringList keys;
    for (const QString &input : inputs)
        keys << CredentialService::keychainEntry(keychainKey, input);
    return keys;
}

QFuture<Status> writeIfAny(SecretStore &store, const QHash<QString, QString> &entries) {
    return entries.isEmpty() ? QtFuture::makeReadyFuture(Status()) : store.write(entries);
}

} // namespace

QString CredentialService::keychainEntry(const QString &keychainKey, const QString &input) {
    return QStringLiteral("credential/%1/%2").arg(keychainKey, input);
}

QFuture<Result<QJsonObject>> CredentialService::create(const QJsonObject &fields, const Secrets &secrets) {
    auto promise = started<Result<QJsonObject>>();
    auto split = splitSecrets(fields.value(QStringLiteral("kind")).toString(QStringLiteral("ssh")),
                              fields.value(QStringLiteral("inputs")).toObject(), secrets);
    if (!split) {
        fulfil(promise, Result<QJsonObject>(split.status()));
        return promise->future();
    }
    QJsonObject row = fields;
    row.insert(QStringLiteral("inputs"), split.value().inputs);
    // Checked whole before the keychain is touched.
    const ResourceSpec &spec = resourceSpec(ResourceKind::Credential);
    auto checked = applyPatch(spec, resourceDefaults(spec), row);
    Status valid = checked ? validateResource(ResourceKind::Credential, checked.value()) : checked.status();
    if (!valid) {
        fulfil(promise, Result<QJsonObject>(valid));
        return promise->future();
    }
    const QString key = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const auto entries = entriesFor(key, split.value().toStore);
    QMetaObject::invokeMethod(&m_secrets, [this, promise, row, key, entries] {
        whenReady(writeIfAny(m_secrets, entries), &m_secrets,
                  [this, promise, row, key, entries](Status written) {
                      if (!written)
                          return fulfil(promise, Result<QJsonObject>(written));
                      const QList<QPair<QString, QVariant>> extra{{QStringLiteral("keychain_key"), key}};
                      whenReady(m_pool.run<Result<QJsonObject>>([row, extra](QSqlDatabase &db) {
                          return resources::create(db, ResourceKind::Credential, row, extra);
                      }),
                                &m_secrets, [this, promise, entries](Result<QJsonObject> created) {
                                    if (!created && !entries.isEmpty())
                                        (void)m_secrets.remove(entries.keys()); // nothing left behind
                                    fulfil(promise, std::move(created));
                                });
                  });
    });
    return promise->future();
}

QFuture<Result<QJsonObject>> CredentialService::update(const QString &name, const QJsonObject &fields,
                                                       const Secrets &secrets) {
    auto promise = started<Result<QJsonObject>>();
    QMetaObject::invokeMethod(&m_secrets, [this, promise, name, fields, secrets] {
        whenReady(
            m_pool.run<Result<CredentialKeys>>(
                [name](QSqlDatabase &db) { return CredentialStore(db).keys(0, name); }),
            &m_secrets, [this, promise, name, fields, secrets](Result<CredentialKeys> keys) {
                if (!keys)
                    return fulfil(promise, Result<QJsonObject>(keys.status()));
                const CredentialKeys k = keys.value();
                QJsonObject inputs = k.inputs;
                const QJsonObject given = fields.value(QStringLiteral("inputs")).toObject();
                for (auto it = given.begin(); it != given.end(); ++it)
                    inputs.insert(it.key(), it.value());
                auto split =
                    splitSecrets(fields.value(QStringLiteral("kind")).toString(k.kind), inputs, secrets);
                if (!split)
                    return fulfil(promise, Result<QJsonObject>(split.status()));
                QJsonObject row = fields;
                row.insert(QStringLiteral("inputs"), split.value().inputs);
                const SplitSecrets s = split.value();
                whenReady(writeIfAny(m_secrets, entriesFor(k.keychainKey, s.toStore)), &m_secrets,
                          [this, promise, name, row, k, s](Status written) {
                              if (!written)
                                  return fulfil(promise, Result<QJsonObject>(written));
                              whenReady(m_pool.run<Result<QJsonObject>>([name, row](QSqlDatabase &db) {
                                  return resources::update(db, ResourceKind::Credential, name, row);
                              }),
                                        &m_secrets, [this, promise, k, s](Result<QJsonObject> updated) {
                                            if (updated && !s.toRemove.isEmpty())
                                                (void)m_secrets.remove(keysFor(k.keychainKey, s.toRemove));
                                            fulfil(promise, std::move(updated));
                                        });
                          });
            });
    });
    return promise->future();
}

QFuture<Result<QJsonObject>> CredentialService::remove(const QString &name) {
    auto promise = started<Result<QJsonObject>>();
    QMetaObject::invokeMethod(&m_secrets, [this, promise, name] {
        whenReady(m_pool.run<Result<std::pair<QJsonObject, CredentialKeys>>>(
                      [name](QSqlDatabase &db) -> Result<std::pair<QJsonObject, CredentialKeys>> {
                          auto keys = CredentialStore(db).keys(0, name);
                          if (!keys)
                              return keys.status();
                          auto shown = ResourceStore(db, ResourceKind::Credential).get(keys.value().id);
                          if (!shown)
                              return shown.status();
                          if (Status s = ResourceStore(db, ResourceKind::Credential).remove(keys.value().id);
                              !s)
                              return s;
                          return std::pair{shown.value(), keys.value()};
                      }),
                  &m_secrets, [this, promise](Result<std::pair<QJsonObject, CredentialKeys>> removed) {
                      if (!removed)
                          return fulfil(promise, Result<QJsonObject>(removed.status()));
                      const auto &[shown, k] = removed.value();
                      const QStringList inputs = k.storedInputs();
                      QJsonObject answer = shown;
                      whenReady(m_secrets.remove(keysFor(k.keychainKey, inputs)), &m_secrets,
                                [promise, answer](Status gone) mutable {
                                    // The credential is gone either way; say what stayed behind.
                                    if (!gone)
                                        answer.insert(QStringLiteral("warning"), gone.error());
                                    fulfil(promise, Result<QJsonObject>(answer));
                                });
                  });
    });
    return promise->future();
}

QFuture<Result<CredentialService::Secrets>> CredentialService::secrets(qint64 id) {
    auto promise = started<Result<Secrets>>();
    QMetaObject::invokeMethod(&m_secrets, [this, promise, id] {
        whenReady(m_pool.run<Result<CredentialKeys>>(
                      [id](QSqlDatabase &db) { return CredentialStore(db).keys(id); }),
                  &m_secrets, [this, promise](Result<CredentialKeys> keys) {
                      if (!keys)
                          return fulfil(promise, Result<Secrets>(keys.status()));
                      const CredentialKeys k = keys.value();
                      const QStringList inputs = k.storedInputs();
                      whenReady(m_secrets.read(keysFor(k.keychainKey, inputs)), &m_secrets,
                                [promise, k, inputs](Result<QHash<QString, QString>> found) {
                                    if (!found)
                                        return fulfil(promise, Result<Secrets>(found.status()));
                                    Secrets values;
                                    for (const QString &input : inputs) {
                                        const QString entry = keychainEntry(k.keychainKey, input);
                                        if (!found.value().contains(entry))
                                            return fulfil(
                                                promise,
                                                Result<Secrets>::failure(
                                                    CredentialServiceText::tr(
                                                        "The keychain no longer has the %1 of credential "
                                                        "\"%2\". Set it again: playdeck credential update "
                                                        "\"%2\" --%1_file FILE (or in its editor).")
                                                        .arg(input, k.name)));
                                        values.insert(input, found.value().value(entry));
                                    }
                                    fulfil(promise, Result<Secrets>(values));
                                });
                  });
    });
    return promise->future();
}

QFuture<Result<QJsonObject>> CredentialService::copy(const QString &name, const QString &newName) {
    auto promise = started<Result<QJsonObject>>();
    QMetaObject::invokeMethod(&m_secrets, [this, promise, name, newName] {
        whenReady(m_pool.run<Result<std::pair<QJsonObject, QString>>>(
                      [name, newName](QSqlDatabase &db) -> Result<std::pair<QJsonObject, QString>> {
                          auto keys = CredentialStore(db).keys(0, name);
                          if (!keys)
                              return keys.status();
                          auto shown = ResourceStore(db, ResourceKind::Credential).get(keys.value().id);
                          if (!shown)
                              return shown.status();
                          auto target = newName.isEmpty()
                                            ? resources::freeCopyName(db, ResourceKind::Credential, name)
                                            : Result<QString>(newName);
                          if (!target)
                              return target.status();
                          QJsonObject fields =
                              resources::writableFields(ResourceKind::Credential, shown.value());
                          fields.insert(QStringLiteral("name"), target.value());
                          return std::pair{fields, QString::number(keys.value().id)};
                      }),
                  &m_secrets, [this, promise](Result<std::pair<QJsonObject, QString>> source) {
                      if (!source)
                          return fulfil(promise, Result<QJsonObject>(source.status()));
                      const QJsonObject fields = source.value().first;
                      whenReady(secrets(source.value().second.toLongLong()), &m_secrets,
                                [this, promise, fields](Result<Secrets> values) {
                                    if (!values)
                                        return fulfil(promise, Result<QJsonObject>(values.status()));
                                    whenReady(create(fields, values.value()), &m_secrets,
                                              [promise](Result<QJsonObject> created) {
                                                  fulfil(promise, std::move(created));
                                              });
                                });
                  });
    });
    return promise->future();
}

} // namespace playdeck

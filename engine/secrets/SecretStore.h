#pragma once

#include "core/Result.h"

#include <QFuture>
#include <QHash>
#include <QObject>
#include <QStringList>

#include <deque>
#include <functional>

namespace QKeychain {
class Job;
}

namespace playdeck {

// Secrets in the OS keychain: QtKeychain in front of the Secret Service (GNOME Keyring, KWallet).
// There is no other place for them: without a keychain every call fails with a message that says
// how to get one, and nothing falls back to a file. Lives in its own thread ("keychain"); calls
// return at once from any thread, and each keychain operation runs in order, one at a time.
class SecretStore : public QObject {
    Q_OBJECT
public:
    explicit SecretStore(QString service = QStringLiteral("playdeck"));
    ~SecretStore() override;

    QFuture<Status> write(const QHash<QString, QString> &entries);
    // The entries found (a missing one is absent from the answer, not an error).
    QFuture<Result<QHash<QString, QString>>> read(const QStringList &keys);
    // Missing entries are fine.
    QFuture<Status> remove(const QStringList &keys);

    // What to tell an operator whose keychain failed with `detail`.
    static QString unavailableMessage(const QString &detail);

private:
    // One keychain job per key, in order, stopping at the first that `accept` refuses; then `done`.
    void runEach(QStringList keys, std::function<QKeychain::Job *(const QString &key)> make,
                 std::function<bool(QKeychain::Job *job)> accept, std::function<void(Status)> done);
    void enqueue(std::function<void()> step);
    void runNext();

    QString m_service;
    std::deque<std::function<void()>> m_queue;
    bool m_busy = false;
};

} // namespace playdeck

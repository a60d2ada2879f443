#include "SecretStore.h"

#include "core/Logging.h"

#include <QCoreApplication>
#include <QPromise>
#include <qt6keychain/keychain.h>

#include <memory>

namespace playdeck {

namespace {

// A keychain that is not there (no D-Bus session, no Secret Service, a locked or missing
// collection) reads as unavailable; anything else is the keychain's own answer.
bool meansUnavailable(const QKeychain::Job &job) {
    return job.error() == QKeychain::NoBackendAvailable || job.error() == QKeychain::NotImplemented ||
           job.error() == QKeychain::OtherError || job.error() == QKeychain::AccessDenied;
}

} // namespace

SecretStore::SecretStore(QString service)
    : m_service(std::move(service)) {}

SecretStore::~SecretStore() = default;

QString SecretStore::unavailableMessage(const QString &detail) {
    return QCoreApplication::translate(
               "SecretStore",
               "Playdeck keeps secrets only in the desktop keychain (the Secret Service of GNOME Keyring "
               "or KWallet), and there is none it can use (%1). Nothing was stored in its place. In a "
               "desktop session, install gnome-keyring and log in again; without one, start Playdeck "
               "inside `dbus-run-session` after unlocking a keyring with `gnome-keyring-daemon --unlock "
               "--components=secrets`.")
        .arg(detail);
}

void SecretStore::enqueue(std::function<void()> step) {
    // From any thread: the step runs in this object's thread.
    QMetaObject::invokeMethod(this, [this, step = std::move(step)]() mutable {
        m_queue.push_back(std::move(step));
        if (!m_busy)
            runNext();
    });
}

void SecretStore::runNext() {
    if (m_queue.empty()) {
        m_busy = false;
        return;
    }
    m_busy = true;
    auto step = std::move(m_queue.front());
    m_queue.pop_front();
    step();
}

void SecretStore::runEach(QStringList keys, std::function<QKeychain::Job *(const QString &key)> make,
                          std::function<bool(QKeychain::Job *job)> accept, std::function<void(Status)> done) {
    enqueue([this, keys = std::move(keys), make = std::move(make), accept = std::move(accept),
             done = std::move(done)]() {
        auto pending = std::make_shared<QStringList>(keys);
        auto next = std::make_shared<std::function<void(Status)>>();
        *next = [this, pending, make, accept, done, next](Status failed) {
            if (!failed || pending->isEmpty()) {
                // Resetting *next destroys this very closure: take what is needed first.
                SecretStore *self = this;
                const auto finish = done;
                *next = nullptr; // breaks the cycle
                finish(failed);
                return self->runNext();
            }
            QKeychain::Job *job = make(pending->takeFirst());
            connect(job, &QKeychain::Job::finished, this, [accept, next](QKeychain::Job *j) {
                if (accept(j))
                    return (*next)(Status());
                qCWarning(lcController) << "a keychain operation failed:" << j->errorString();
                (*next)(Status::failure(
                    meansUnavailable(*j)
                        ? SecretStore::unavailableMessage(j->errorString())
                        : QCoreApplication::translate("SecretStore", "The keychain refused %1: %2")
                              .arg(j->key(), j->errorString())));
            });
            job->start();
        };
        (*next)(Status());
    });
}

QFuture<Status> SecretStore::write(const QHash<QString, QString> &entries) {
    auto promise = std::make_shared<QPromise<Status>>();
    promise->start();
    runEach(
        entries.keys(),
        [this, entries](const QString &key) {
            auto *job = new QKeychain::WritePasswordJob(m_service, this);
            job->setKey(key);
            job->setTextData(entries.value(key));
            return job;
        },
        [](QKeychain::Job *j) { return j->error() == QKeychain::NoError; },
        [promise](Status s) {
            promise->addResult(s);
            promise->finish();
        });
    return promise->future();
}

QFuture<Result<QHash<QString, QString>>> SecretStore::read(const QStringList &keys) {
    auto promise = std::make_shared<QPromise<Result<QHash<QString, QString>>>>();
    promise->start();
    auto found = std::make_shared<QHash<QString, QString>>();
    runEach(
        keys,
        [this](const QString &key) {
            auto *job = new QKeychain::ReadPasswordJob(m_service, this);
            job->setKey(key);
            return job;
        },
        [found](QKeychain::Job *j) {
            if (j->error() == QKeychain::NoError)
                found->insert(j->key(), static_cast<QKeychain::ReadPasswordJob *>(j)->textData());
            return j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound;
        },
        [promise, found](Status s) {
            promise->addResult(s ? Result<QHash<QString, QString>>(*found)
                                 : Result<QHash<QString, QString>>(s));
            promise->finish();
        });
    return promise->future();
}

QFuture<Status> SecretStore::remove(const QStringList &keys) {
    auto promise = std::make_shared<QPromise<Status>>();
    promise->start();
    runEach(
        keys,
        [this](const QString &key) {
            auto *job = new QKeychain::DeletePasswordJob(m_service, this);
            job->setKey(key);
            return job;
        },
        [](QKeychain::Job *j) {
            return j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound;
        },
        [promise](Status s) {
            promise->addResult(s);
            promise->finish();
        });
    return promise->future();
}

} // namespace playdeck

#pragma once

#include "Engine.h"
#include "db/DbConnection.h"
#include "db/DbPool.h"
#include "launch/LaunchConfig.h"

#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

namespace QTest {
template <> inline char *toString(const playdeck::JobStatus &status) {
    return qstrdup(qPrintable(playdeck::statusName(status)));
}
} // namespace QTest

namespace playdeck::test {

// A whole engine for a test: a throwaway data directory, Playdeck's own embedded PostgreSQL, demo
// content, real ansible-runner. Nothing in it is mocked.
class TestEngine {
public:
    explicit TestEngine(std::function<void(EngineOptions &)> tweak = {});
    ~TestEngine();

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    Engine &engine() { return *m_engine; }
    Controller &controller() { return m_engine->controller(); }
    QString dataDir() const { return m_dataDir; }
    // Stops the engine (waiting for it) but keeps its files (the cluster may serve other processes).
    void stopEngine();

    // A main-thread connection for the test's own assertions.
    QSqlDatabase db();

    // Adds a template running `playbook` (YAML text) on the demo inventory, asking at launch for
    // extra variables, limit, verbosity and job type; returns its id.
    qint64 addTemplate(const QString &name, const QString &playbook, const QString &columns = {},
                       const QVariantList &values = {});

    // Launches and waits for the answer; 0 and `error` set on refusal.
    qint64 launch(const LaunchRequest &request, QString *error = nullptr);
    qint64 launch(const QString &templateName, const QString &extraVars = {}, QString *error = nullptr);
    JobStatus status(qint64 jobId);
    // Waits (event loop running) until the job has a final status and all its events are stored.
    JobStatus waitForFinished(qint64 jobId, int timeoutMs = 60000);
    QVariant scalar(const QString &sql, const QVariantList &binds = {});
    // Every row of the database as pg_dump writes it (data only): to look for what must not be there.
    QByteArray databaseDump();
    // Asks the server to end every backend of the playdeck database but the test's own, as an
    // operator's pg_terminate_backend would; returns how many it ended.
    int terminateEngineConnections();

private:
    QTemporaryDir m_dir;
    QString m_dataDir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<DbConnection> m_connection;
    QString m_error;
    qint64 m_projectId = 0;
};

// Once its server has stopped (its supervisor stops it when the last user left), removes a cluster
// the tests made outside their temporary data dirs (as root: /var/lib/playdeck/clusters/<hash>).
void removeClusterWhenStopped(const QString &clusterDir);

// Waits for `future` with the event loop running; the value, or a failure after `timeoutMs`.
template <typename T> Result<T> await(const QFuture<Result<T>> &future, int timeoutMs = 30000) {
    std::optional<Result<T>> answer;
    QObject context;
    whenReady(future, &context, [&](Result<T> r) { answer.emplace(std::move(r)); });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, timeoutMs))
        return Result<T>::failure(QStringLiteral("no answer within %1 ms").arg(timeoutMs));
    return std::move(*answer);
}

} // namespace playdeck::test

#pragma once

#include "Engine.h"

#include <QSqlDatabase>
#include <QTemporaryDir>

#include <functional>
#include <memory>

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
    QString dataDir() const { return m_dir.path(); }
    // Stops the engine but keeps its files (the embedded cluster may serve other processes).
    void stopEngine();

    // A main-thread connection for the test's own assertions.
    QSqlDatabase db();

    // Adds a template running `playbook` (YAML text) on the demo inventory; returns its id.
    qint64 addTemplate(const QString &name, const QString &playbook, const QString &columns = {},
                       const QVariantList &values = {});

    // Launches and waits for the answer; 0 and `error` set on refusal.
    qint64 launch(const LaunchRequest &request, QString *error = nullptr);
    qint64 launch(const QString &templateName, const QString &extraVars = {}, QString *error = nullptr);
    QString status(qint64 jobId);
    // Waits (event loop running) until the job has a final status and all its events are stored.
    QString waitForFinished(qint64 jobId, int timeoutMs = 60000);
    QVariant scalar(const QString &sql, const QVariantList &binds = {});

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Engine> m_engine;
    QString m_error;
    QString m_connectionName;
    qint64 m_projectId = 0;
};

} // namespace playdeck::test

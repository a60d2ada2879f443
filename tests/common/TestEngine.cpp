#include "TestEngine.h"

#include "db/Connections.h"
#include "db/DbPool.h"
#include "services/JobService.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>

namespace playdeck::test {

TestEngine::TestEngine(std::function<void(EngineOptions &)> tweak) {
    // initdb --no-sync, fsync off: tests need no durability (benchmarks set 0 to measure with it).
    if (!qEnvironmentVariableIsSet("PLAYDECK_CLUSTER_FAST"))
        qputenv("PLAYDECK_CLUSTER_FAST", "1");
    EngineOptions options;
    options.dataDir = m_dir.path();
    options.cancelGraceMs = 3000;
    if (tweak)
        tweak(options);
    m_dataDir = options.dataDir;
    m_engine = std::make_unique<Engine>(options);
    QSignalSpy started(m_engine.get(), &Engine::started);
    m_engine->start();
    if (!started.wait(120000)) {
        m_error = QStringLiteral("the engine did not start within 120 s");
        return;
    }
    const Status s = started.first().first().value<Status>();
    if (!s)
        m_error = s.error();
    else
        m_connection = std::make_unique<DbConnection>(m_engine->databaseConfig(), QStringLiteral("test"));
}

TestEngine::~TestEngine() {
    m_connection.reset();
    const QString clusterDir = m_engine->clusterDir();
    stopEngine();
    m_engine.reset();
    if (!clusterDir.isEmpty() && !clusterDir.startsWith(m_dataDir) && m_dataDir == m_dir.path())
        removeClusterWhenStopped(clusterDir);
}

void removeClusterWhenStopped(const QString &clusterDir) {
    if (clusterDir.isEmpty() || !clusterDir.startsWith(QLatin1String("/var/lib/playdeck/clusters/")))
        return;
    (void)QTest::qWaitFor([&] { return !QFile::exists(clusterDir + QStringLiteral("/data/postmaster.pid")); },
                          20000);
    QDir(clusterDir).removeRecursively();
}

void TestEngine::stopEngine() {
    m_connection.reset();
    if (!m_engine->isStarted())
        return;
    QSignalSpy stopped(m_engine.get(), &Engine::stopped);
    m_engine->stop();
    stopped.wait(120000);
}

QSqlDatabase TestEngine::db() {
    if (!m_connection)
        m_connection = std::make_unique<DbConnection>(m_engine->databaseConfig(), QStringLiteral("test"));
    auto opened = m_connection->get();
    return opened ? opened.value() : QSqlDatabase();
}

QVariant TestEngine::scalar(const QString &sql, const QVariantList &binds) {
    QSqlDatabase connection = db();
    auto q = exec(connection, sql, binds);
    if (!q) {
        qWarning() << q.error();
        return {};
    }
    return q.value().next() ? q.value().value(0) : QVariant();
}

QByteArray TestEngine::databaseDump() {
    const DatabaseConfig c = m_engine->databaseConfig();
    QProcess dump;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGPASSWORD"), c.password);
    dump.setProcessEnvironment(env);
    const QString program =
        QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty()
            ? QStringLiteral("pg_dump")
            : QStringLiteral("/usr/lib/postgresql/%1/bin/pg_dump")
                  .arg(QDir(QStringLiteral("/usr/lib/postgresql"))
                           .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                           .constLast());
    dump.start(program, {QStringLiteral("--data-only"), QStringLiteral("-h"), c.host, QStringLiteral("-p"),
                         QString::number(c.port), QStringLiteral("-U"), c.user, c.database});
    if (!dump.waitForFinished(60000) || dump.exitCode() != 0) {
        qWarning() << "pg_dump failed:" << dump.readAllStandardError();
        return {};
    }
    return dump.readAllStandardOutput();
}

int TestEngine::terminateEngineConnections() {
    return scalar(QStringLiteral("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                 " WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        .toInt();
}

qint64 TestEngine::addTemplate(const QString &name, const QString &playbook, const QString &columns,
                               const QVariantList &values) {
    const QString projectDir = dataDir() + QStringLiteral("/projects/tests");
    QDir().mkpath(projectDir);
    const QString file =
        QString(name).replace(QLatin1Char(' '), QLatin1Char('_')).toLower() + QStringLiteral(".yml");
    QFile out(projectDir + QLatin1Char('/') + file);
    if (!out.open(QIODevice::WriteOnly))
        return 0;
    out.write(playbook.toUtf8());
    out.close();
    if (!m_projectId)
        m_projectId =
            scalar(QStringLiteral(
                       "INSERT INTO project (name, local_path) VALUES ('Test Project', ?) RETURNING id"),
                   {projectDir})
                .toLongLong();
    QString sql =
        QStringLiteral(
            "INSERT INTO job_template (name, project_id, playbook, inventory_id, ask_variables_on_launch,"
            " ask_limit_on_launch, ask_verbosity_on_launch, ask_job_type_on_launch%1) SELECT ?, ?, ?,"
            " id, true, true, true, true%2 FROM inventory WHERE name = 'Demo Inventory' RETURNING id")
            .arg(columns.isEmpty() ? QString() : QStringLiteral(", ") + columns);
    QString placeholders;
    for (qsizetype i = 0; i < values.size(); ++i)
        placeholders += QStringLiteral(", ?");
    sql = sql.arg(placeholders);
    return scalar(sql, QVariantList{name, m_projectId, file} + values).toLongLong();
}

qint64 TestEngine::launch(const LaunchRequest &request, QString *error) {
    auto r = await(controller().jobs().launch(request));
    if (!r) {
        if (error)
            *error = r.error();
        return 0;
    }
    return r.value();
}

qint64 TestEngine::launch(const QString &templateName, const QString &extraVars, QString *error) {
    LaunchRequest request;
    request.templateName = templateName;
    request.prompts.extraVars = extraVars;
    return launch(request, error);
}

JobStatus TestEngine::status(qint64 jobId) {
    return statusFromName(
               scalar(QStringLiteral("SELECT status FROM unified_job WHERE id = ?"), {jobId}).toString())
        .value_or(JobStatus::New);
}

JobStatus TestEngine::waitForFinished(qint64 jobId, int timeoutMs) {
    (void)QTest::qWaitFor(
        [&] {
            return isFinished(status(jobId)) &&
                   scalar(
                       QStringLiteral("SELECT event_processing_finished OR started IS NULL FROM unified_job"
                                      " WHERE id = ?"),
                       {jobId})
                       .toBool();
        },
        timeoutMs);
    return status(jobId);
}

} // namespace playdeck::test

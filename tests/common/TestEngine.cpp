#include "TestEngine.h"

#include "db/Connections.h"
#include "db/EmbeddedCluster.h"
#include "model/Repository.h"

#include <QDir>
#include <QFile>
#include <QTest>

namespace playdeck::test {

TestEngine::TestEngine(std::function<void(EngineOptions &)> tweak)
    : m_connectionName(QStringLiteral("playdeck-test-%1").arg(quintptr(this), 0, 16)) {
    qputenv("PLAYDECK_CLUSTER_FAST", "1"); // initdb --no-sync, fsync off: tests need no durability
    // The postgres user must reach the data dir when the tests run as root.
    QFile::setPermissions(m_dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                            QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                            QFile::ExeOther);
    EngineOptions options;
    options.dataDir = m_dir.path();
    options.cancelGraceMs = 3000;
    if (tweak)
        tweak(options);
    m_engine = std::make_unique<Engine>(options);
    if (Status s = m_engine->start(); !s)
        m_error = s.error();
}

TestEngine::~TestEngine() {
    closeConnection(m_connectionName);
    const QString clusterDir = m_engine->cluster() ? m_engine->cluster()->clusterDir() : QString();
    m_engine->stop();
    m_engine.reset();
    if (!clusterDir.isEmpty() && !clusterDir.startsWith(m_dir.path()))
        QDir(clusterDir).removeRecursively();
}

void TestEngine::stopEngine() {
    closeConnection(m_connectionName);
    m_engine->stop();
}

QSqlDatabase TestEngine::db() {
    auto opened = ensureConnection(m_engine->databaseConfig(), m_connectionName);
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
    if (!m_projectId) {
        m_projectId =
            scalar(QStringLiteral(
                       "INSERT INTO project (name, local_path) VALUES ('Test Project', ?) RETURNING id"),
                   {projectDir})
                .toLongLong();
    }
    QString sql =
        QStringLiteral("INSERT INTO job_template (name, project_id, playbook, inventory_id%1) SELECT ?, ?, ?,"
                       " id%2 FROM inventory WHERE name = 'Demo Inventory' RETURNING id")
            .arg(columns.isEmpty() ? QString() : QStringLiteral(", ") + columns);
    QString placeholders;
    for (qsizetype i = 0; i < values.size(); ++i)
        placeholders += QStringLiteral(", ?");
    sql = sql.arg(placeholders);
    return scalar(sql, QVariantList{name, m_projectId, file} + values).toLongLong();
}

qint64 TestEngine::launch(const LaunchRequest &request, QString *error) {
    bool answered = false;
    qint64 id = 0;
    QObject context;
    controller().launch(request, &context, [&](Result<qint64> r) {
        answered = true;
        if (r)
            id = r.value();
        else if (error)
            *error = r.error();
    });
    if (!QTest::qWaitFor([&] { return answered; }, 10000) && error)
        *error = QStringLiteral("no answer to the launch within 10 s");
    return id;
}

qint64 TestEngine::launch(const QString &templateName, const QString &extraVars, QString *error) {
    LaunchRequest request;
    request.templateName = templateName;
    request.extraVars = extraVars;
    return launch(request, error);
}

QString TestEngine::status(qint64 jobId) {
    return scalar(QStringLiteral("SELECT status FROM unified_job WHERE id = ?"), {jobId}).toString();
}

QString TestEngine::waitForFinished(qint64 jobId, int timeoutMs) {
    (void)QTest::qWaitFor(
        [&] {
            return JobStatus::isFinished(status(jobId)) &&
                   (scalar(
                        QStringLiteral("SELECT event_processing_finished OR started IS NULL FROM unified_job"
                                       " WHERE id = ?"),
                        {jobId})
                        .toBool());
        },
        timeoutMs);
    return status(jobId);
}

} // namespace playdeck::test

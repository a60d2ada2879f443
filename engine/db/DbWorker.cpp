#include "DbWorker.h"

#include "Connections.h"
#include "core/Logging.h"

namespace playdeck {

class DbWorker::Runner : public QObject {
public:
    Runner(DatabaseConfig config, QString name)
        : m_config(std::move(config))
        , m_name(std::move(name)) {}
    ~Runner() override { closeConnection(m_name); }

    void run(const std::function<void(QSqlDatabase &)> &work) {
        auto opened = ensureConnection(m_config, m_name);
        if (!opened)
            qCWarning(lcDb) << opened.error();
        QSqlDatabase db = opened ? opened.value() : QSqlDatabase::database(m_name, false);
        work(db); // a closed connection makes its queries fail with a message, never crash
    }

private:
    DatabaseConfig m_config;
    QString m_name;
};

DbWorker::DbWorker(DatabaseConfig config, QString threadName)
    : m_config(std::move(config)) {
    m_thread.setObjectName(threadName);
    m_runner = new Runner(m_config, QStringLiteral("playdeck-") + threadName);
    m_runner->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_runner, &QObject::deleteLater);
    m_thread.start();
}

DbWorker::~DbWorker() {
    m_thread.quit();
    m_thread.wait();
}

void DbWorker::post(std::function<void(QSqlDatabase &)> work) {
    QMetaObject::invokeMethod(
        m_runner, [runner = m_runner, work = std::move(work)] { runner->run(work); }, Qt::QueuedConnection);
}

} // namespace playdeck

#pragma once

#include "core/Result.h"
#include "model/Types.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <memory>

namespace playdeck {

class DbWorker;
class NotifyBus;

// The engine's face toward the UI and the command line, living on the main thread. Every call
// returns at once; answers arrive on the given context object, never by blocking the caller.
// Changes anywhere in the cluster (this process or another on the same database) arrive as signals.
class Controller : public QObject {
    Q_OBJECT
public:
    Controller(std::shared_ptr<DbWorker> db, QObject *parent = nullptr);
    ~Controller() override;

    // Fed by the engine's NotifyBus (set up by Engine).
    void attachBus(NotifyBus *bus);

    void launch(const LaunchRequest &request, QObject *context, std::function<void(Result<qint64>)> done);
    void relaunch(qint64 jobId, QObject *context, std::function<void(Result<qint64>)> done);
    void cancel(qint64 jobId, QObject *context = nullptr, std::function<void(Status)> done = {});

    void fetchTemplates(QObject *context, std::function<void(Result<QList<JobTemplate>>)> done);
    void fetchJobs(int limit, QObject *context, std::function<void(Result<QList<JobSummary>>)> done);
    void fetchJob(qint64 jobId, QObject *context, std::function<void(Result<JobDetail>)> done);
    // Events with counter > afterCounter, in counter order, at most maxCount of them.
    void fetchEvents(qint64 jobId, int afterCounter, int maxCount, QObject *context,
                     std::function<void(Result<QList<JobEvent>>)> done);

Q_SIGNALS:
    void jobCreated(qint64 jobId);
    void jobStatusChanged(qint64 jobId, const QString &status);
    // Events of job `jobId` up to `counter` are committed and can be fetched.
    void jobEventsCommitted(qint64 jobId, int counter);
    void templatesChanged();

private:
    void onNotification(const QString &channel, const QString &payload);
    std::shared_ptr<DbWorker> m_db;
};

} // namespace playdeck

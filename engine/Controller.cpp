#include "Controller.h"

#include "core/Logging.h"
#include "db/DbWorker.h"
#include "db/NotifyBus.h"
#include "model/ExtraVars.h"
#include "model/Repository.h"

#include <QJsonDocument>

namespace playdeck {

Controller::Controller(std::shared_ptr<DbWorker> db, QObject *parent)
    : QObject(parent)
    , m_db(std::move(db)) {}

Controller::~Controller() = default;

void Controller::attachBus(NotifyBus *bus) {
    connect(bus, &NotifyBus::notification, this, &Controller::onNotification);
}

void Controller::onNotification(const QString &channel, const QString &payload) {
    const QJsonObject message = QJsonDocument::fromJson(payload.toUtf8()).object();
    if (channel == Channel::JobStatus) {
        const qint64 id = message.value(QLatin1String("id")).toInteger();
        const QString status = message.value(QLatin1String("status")).toString();
        if (!status.isEmpty())
            Q_EMIT jobStatusChanged(id, status);
        else if (message.value(QLatin1String("events_finished")).toBool())
            Q_EMIT jobEventsCommitted(id, -1);
    } else if (channel == Channel::Events) {
        Q_EMIT jobEventsCommitted(message.value(QLatin1String("job")).toInteger(),
                                  message.value(QLatin1String("counter")).toInt());
    } else if (channel == Channel::Templates) {
        Q_EMIT templatesChanged();
    }
}

void Controller::launch(const LaunchRequest &request, QObject *context,
                        std::function<void(Result<qint64>)> done) {
    // Prompts are checked before anything is written: bad input creates no job.
    auto launchVars = parseExtraVars(request.extraVars);
    if (!launchVars) {
        QMetaObject::invokeMethod(
            context, [done, error = launchVars.error()] { done(Status::failure(error)); },
            Qt::QueuedConnection);
        return;
    }
    if (request.verbosity && (*request.verbosity < 0 || *request.verbosity > 5)) {
        QMetaObject::invokeMethod(
            context, [done] { done(Status::failure(tr("Verbosity must be between 0 and 5."))); },
            Qt::QueuedConnection);
        return;
    }
    QPointer<Controller> self(this);
    auto wrapped = [self, done](Result<qint64> r) {
        if (r && self)
            Q_EMIT self->jobCreated(r.value());
        done(std::move(r));
    };
    m_db->query<Result<qint64>>(
        [request, vars = launchVars.value()](QSqlDatabase &db) -> Result<qint64> {
            auto tmpl = repo::findTemplate(db, request.templateId, request.templateName);
            if (!tmpl)
                return tmpl.status();
            auto templateVars = parseExtraVars(tmpl.value().extraVars);
            if (!templateVars)
                return Status::failure(
                    tr("The template's own extra variables are invalid: %1").arg(templateVars.error()));
            return repo::createJob(db, tmpl.value(), request, templateVars.value(), vars);
        },
        context, wrapped);
}

void Controller::relaunch(qint64 jobId, QObject *context, std::function<void(Result<qint64>)> done) {
    QPointer<Controller> self(this);
    m_db->query<Result<qint64>>([jobId](QSqlDatabase &db) { return repo::relaunchJob(db, jobId); }, context,
                                [self, done](Result<qint64> r) {
                                    if (r && self)
                                        Q_EMIT self->jobCreated(r.value());
                                    done(std::move(r));
                                });
}

void Controller::cancel(qint64 jobId, QObject *context, std::function<void(Status)> done) {
    m_db->query<Status>([jobId](QSqlDatabase &db) { return repo::requestCancel(db, jobId); },
                        context ? context : this,
                        [done](Status s) {
                            if (!s)
                                qCInfo(lcController) << s.error();
                            if (done)
                                done(s);
                        });
}

void Controller::fetchTemplates(QObject *context, std::function<void(Result<QList<JobTemplate>>)> done) {
    m_db->query<Result<QList<JobTemplate>>>([](QSqlDatabase &db) { return repo::listTemplates(db); }, context,
                                            std::move(done));
}

void Controller::fetchJobs(int limit, QObject *context, std::function<void(Result<QList<JobSummary>>)> done) {
    m_db->query<Result<QList<JobSummary>>>([limit](QSqlDatabase &db) { return repo::listJobs(db, limit); },
                                           context, std::move(done));
}

void Controller::fetchJob(qint64 jobId, QObject *context, std::function<void(Result<JobDetail>)> done) {
    m_db->query<Result<JobDetail>>([jobId](QSqlDatabase &db) { return repo::loadJob(db, jobId); }, context,
                                   std::move(done));
}

void Controller::fetchEvents(qint64 jobId, int afterCounter, int maxCount, QObject *context,
                             std::function<void(Result<QList<JobEvent>>)> done) {
    m_db->query<Result<QList<JobEvent>>>(
        [=](QSqlDatabase &db) { return repo::loadEvents(db, jobId, afterCounter, maxCount); }, context,
        std::move(done));
}

} // namespace playdeck

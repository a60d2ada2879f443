#include "DesktopNotifier.h"

#include "Controller.h"
#include "JobPresentation.h"
#include "db/DbPool.h"
#include "services/JobService.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCall>
#include <QGuiApplication>

namespace playdeck {

DesktopNotifier::DesktopNotifier(Controller &controller, QObject *parent)
    : QObject(parent)
    , m_controller(controller) {
    connect(&m_controller, &Controller::jobChanged, this, &DesktopNotifier::onJobChanged);
}

void DesktopNotifier::watch(qint64 jobId) {
    m_watched.insert(jobId);
}

void DesktopNotifier::onJobChanged(const bus::JobChanged &change) {
    if (!m_watched.contains(change.jobId) || !change.status || !isFinished(*change.status))
        return;
    m_watched.remove(change.jobId);
    tell(change.jobId);
}

void DesktopNotifier::tell(qint64 jobId) {
    whenReady(m_controller.jobs().job(jobId), this, [this, jobId](Result<JobDetail> job) {
        if (!job)
            return;
        whenReady(
            m_controller.jobs().hostSummaries(jobId), this,
            [this, jobId, detail = job.value()](Result<QList<HostSummary>> recap) {
                int changed = 0, failed = 0;
                for (const HostSummary &h : recap.ok() ? recap.value() : QList<HostSummary>()) {
                    changed += h.changed > 0 ? 1 : 0;
                    failed += h.failed() ? 1 : 0;
                }
                const QString summary =
                    tr("%1 #%2: %3").arg(detail.name).arg(jobId).arg(statusText(detail.status));
                QString body = recap.ok() && !recap.value().isEmpty()
                                   ? tr("Hosts changed: %1, failed: %2.").arg(changed).arg(failed)
                                   : QString();
                if (!detail.explanation.isEmpty())
                    body += (body.isEmpty() ? QString() : QStringLiteral("\n")) + detail.explanation;
                QDBusMessage notify = QDBusMessage::createMethodCall(
                    QStringLiteral("org.freedesktop.Notifications"),
                    QStringLiteral("/org/freedesktop/Notifications"),
                    QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("Notify"));
                const bool bad = detail.status != JobStatus::Successful;
                notify << QGuiApplication::applicationDisplayName() << uint(0)
                       << QStringLiteral("io.playdeck.Playdeck") << summary << body << QStringList()
                       << QVariantMap{{QStringLiteral("urgency"), QVariant::fromValue(uchar(bad ? 2 : 1))},
                                      {QStringLiteral("desktop-entry"),
                                       QStringLiteral("io.playdeck.Playdeck")}}
                       << int(bad ? 0 : 8000);
                // No answer is awaited: a desktop without the service simply shows nothing more
                // than the status bar does.
                (void)QDBusConnection::sessionBus().asyncCall(notify);
                Q_EMIT notified(jobId, summary, body);
            });
    });
}

} // namespace playdeck

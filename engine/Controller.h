#pragma once

#include "bus/Messages.h"
#include "core/JobStatus.h"
#include "resources/ResourceSchema.h"

#include <QObject>

namespace playdeck {

class AwxService;
class CredentialService;
class DashboardService;
class InventoryService;
class JobService;
class NotifyBus;
class ResourceService;
class TemplateService;

// The engine's face toward the UI and the command line, on the main thread: the services (whose
// answers arrive as futures, see whenReady()), the engine's state, and what changes anywhere in the
// cluster (this process or another on the same database) as signals on this thread.
class Controller : public QObject {
    Q_OBJECT
public:
    enum class EngineState { Starting, Ready, Failed, Stopping };
    Q_ENUM(EngineState)

    struct Services {
        JobService &jobs;
        TemplateService &templates;
        ResourceService &resources;
        CredentialService &credentials;
        InventoryService &inventories;
        AwxService &awx;
        DashboardService &dashboard;
    };
    explicit Controller(Services services, QObject *parent = nullptr);
    ~Controller() override;

    JobService &jobs() { return m_jobs; }
    TemplateService &templates() { return m_templates; }
    ResourceService &resources() { return m_resources; }
    CredentialService &credentials() { return m_credentials; }
    InventoryService &inventories() { return m_inventories; }
    AwxService &awx() { return m_awx; }
    DashboardService &dashboard() { return m_dashboard; }

    EngineState engineState() const { return m_state; }
    QString engineMessage() const { return m_stateMessage; }
    bool isReady() const { return m_state == EngineState::Ready; }
    // Jobs this process runs right now (0 when it takes no work).
    int activeJobsHere() const { return m_activeJobsHere; }
    // This process's instance when it takes work, else 0.
    qint64 instanceId() const { return m_instanceId; }

    // Set up by Engine.
    void attachBus(NotifyBus *bus);
    void setEngineState(EngineState state, const QString &message);
    void setActiveJobsHere(int count);
    void setInstanceId(qint64 id) { m_instanceId = id; }

Q_SIGNALS:
    void engineStateChanged(playdeck::Controller::EngineState state, const QString &message);
    void activeJobsHereChanged(int count);
    // A job moved to a status (status set) or changed otherwise (re-read it if it matters).
    void jobChanged(const playdeck::bus::JobChanged &change);
    // Events of job `jobId` up to `counter` are committed and can be fetched.
    void eventsCommitted(qint64 jobId, int counter);
    // Resources of `kind` were added, changed or removed, here or in another process.
    void resourcesChanged(playdeck::ResourceKind kind);
    void templatesChanged();
    // The bus reconnected: re-read whatever you show, it may have changed unseen.
    void resynced();

private:
    JobService &m_jobs;
    TemplateService &m_templates;
    ResourceService &m_resources;
    CredentialService &m_credentials;
    InventoryService &m_inventories;
    AwxService &m_awx;
    DashboardService &m_dashboard;
    EngineState m_state = EngineState::Starting;
    QString m_stateMessage;
    int m_activeJobsHere = 0;
    qint64 m_instanceId = 0;
};

} // namespace playdeck

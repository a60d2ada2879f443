#include "Controller.h"

#include "bus/NotifyBus.h"

namespace playdeck {

Controller::Controller(Services services, QObject *parent)
    : QObject(parent)
    , m_jobs(services.jobs)
    , m_templates(services.templates)
    , m_resources(services.resources)
    , m_credentials(services.credentials)
    , m_inventories(services.inventories)
    , m_awx(services.awx)
    , m_dashboard(services.dashboard) {}

Controller::~Controller() = default;

void Controller::attachBus(NotifyBus *bus) {
    // The bus lives in its own thread: these connections queue onto this one.
    connect(bus, &NotifyBus::jobChanged, this, &Controller::jobChanged);
    connect(bus, &NotifyBus::eventsCommitted, this,
            [this](const bus::EventsCommitted &m) { Q_EMIT eventsCommitted(m.jobId, m.counter); });
    connect(bus, &NotifyBus::resourcesChanged, this, [this](ResourceKind kind) {
        Q_EMIT resourcesChanged(kind);
        if (kind == ResourceKind::JobTemplate)
            Q_EMIT templatesChanged();
    });
    connect(bus, &NotifyBus::resynced, this, &Controller::resynced);
}

void Controller::setEngineState(EngineState state, const QString &message) {
    m_state = state;
    m_stateMessage = message;
    Q_EMIT engineStateChanged(state, message);
}

void Controller::setActiveJobsHere(int count) {
    m_activeJobsHere = count;
    Q_EMIT activeJobsHereChanged(count);
}

} // namespace playdeck

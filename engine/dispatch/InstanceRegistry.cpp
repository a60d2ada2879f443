#include "InstanceRegistry.h"

#include "core/Logging.h"
#include "store/UnifiedJobStore.h"

#include <QFile>
#include <QObject>
#include <QSysInfo>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <limits>
#include <unistd.h>

namespace playdeck::instances {

namespace {

qint64 totalMemoryBytes() {
    QFile meminfo(QStringLiteral("/proc/meminfo"));
    if (!meminfo.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray first = meminfo.readLine(); // MemTotal:  24576000 kB
    return first.simplified().split(' ').value(1).toLongLong() * 1024;
}

} // namespace

QString machineName() {
    return QSysInfo::machineHostName();
}

int computeCapacity(int cpus, qint64 memoryBytes) {
    // AWX: 4 forks per CPU; 100 MB per fork after keeping 2 GiB for the system; the instance gets
    // the larger of the two (capacity_adjustment 1.0).
    const int cpuCapacity = std::max(1, cpus * 4);
    const qint64 memCapacity = std::max<qint64>(1, (memoryBytes - 2147483648LL) / (1 << 20) / 100);
    return int(std::max<qint64>(cpuCapacity, memCapacity));
}

Result<InstanceRow> registerSelf(QSqlDatabase &db, const QString &nodeType) {
    InstanceRow row;
    row.hostname = QStringLiteral("%1:%2").arg(machineName()).arg(::getpid());
    row.pid = int(::getpid());
    const int cpus = QThread::idealThreadCount();
    const qint64 memory = totalMemoryBytes();
    row.capacity = computeCapacity(cpus, memory);
    auto id = InstanceStore(db).registerInstance(row.hostname, nodeType, row.pid, cpus, memory, row.capacity);
    if (!id)
        return id.status();
    row.id = id.value();
    return row;
}

Result<int> reapLost(QSqlDatabase &db, const Timing &timing, bool bySilence) {
    InstanceStore instanceStore(db);
    // Processes of this machine that are gone do not need to miss heartbeats to be known lost.
    auto local = instanceStore.onMachine(machineName());
    if (!local)
        return local.status();
    QList<qint64> gone;
    for (const InstanceRow &row : local.value())
        if (row.pid > 0 && ::kill(pid_t(row.pid), 0) != 0 && errno == ESRCH)
            gone << row.id;
    if (Status s = instanceStore.markLost(gone); !s)
        return s;

    UnifiedJobStore jobs(db);
    auto stranded = jobs.onLostNodes(bySilence ? timing.lostAfterSeconds : std::numeric_limits<int>::max());
    if (!stranded)
        return stranded.status();
    int touched = 0;
    for (const auto &job : stranded.value()) {
        JobTransition t;
        if (job.status == JobStatus::Waiting) {
            // Never started: another instance can run it (AWX's dispatcherd does the same).
            t = {JobStatus::Pending, {JobStatus::Waiting}, {}};
            t.fields.executionNode = QString();
            t.fields.controllerNode = QString();
        } else {
            t = {JobStatus::Failed, {JobStatus::Running}, {}};
            t.fields.explanation =
                QObject::tr("Job was reaped: its Playdeck instance %1 stopped (it exited, crashed or stopped "
                            "answering) while the job was running.")
                    .arg(job.node);
            t.fields.eventProcessingFinished = true; // nobody is left to store more of its events
            t.fields.inputPrompt = QString();
        }
        auto r = jobs.transition(job.id, t);
        if (!r)
            return r.status();
        if (r.value()) {
            ++touched;
            qCWarning(lcDispatch) << (job.status == JobStatus::Waiting ? "requeued job" : "reaped job")
                                  << job.id << "of lost instance" << job.node;
        }
    }
    if (Status s = instanceStore.forgetLost(bySilence); !s)
        return s;
    return touched;
}

} // namespace playdeck::instances

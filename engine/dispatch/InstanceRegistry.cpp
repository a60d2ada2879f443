#include "InstanceRegistry.h"

#include "core/Logging.h"
#include "store/UnifiedJobStore.h"

#include <QCryptographicHash>
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

QString machineIdentity() {
    const auto firstLine = [](const char *path) {
        QFile f(QString::fromLatin1(path));
        return f.open(QIODevice::ReadOnly) ? f.readLine().trimmed() : QByteArray();
    };
    QByteArray machine = firstLine("/etc/machine-id");
    if (machine.isEmpty())
        machine = firstLine("/var/lib/dbus/machine-id");
    const QByteArray boot = firstLine("/proc/sys/kernel/random/boot_id");
    const QByteArray pidNamespace = QFile::symLinkTarget(QStringLiteral("/proc/self/ns/pid")).toUtf8();
    return QString::fromLatin1(QCryptographicHash::hash(QByteArray(machine + '/' + boot + '/' + pidNamespace),
                                                        QCryptographicHash::Sha1)
                                   .toHex()
                                   .left(20));
}

Status markGoneLocalInstances(QSqlDatabase &db) {
    InstanceStore instanceStore(db);
    auto local = instanceStore.onMachine(machineIdentity());
    if (!local)
        return local.status();
    QList<qint64> gone;
    for (const InstanceRow &row : local.value())
        if (row.pid > 0 && ::kill(pid_t(row.pid), 0) != 0 && errno == ESRCH)
            gone << row.id;
    return instanceStore.markLost(gone);
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
    auto id = InstanceStore(db).registerInstance(row.hostname, machineIdentity(), nodeType, row.pid, cpus,
                                                 memory, row.capacity);
    if (!id)
        return id.status();
    row.id = id.value();
    return row;
}

Result<int> reapLost(QSqlDatabase &db, const Timing &timing, bool bySilence) {
    InstanceStore instanceStore(db);
    // Processes of this machine that are gone do not need to miss heartbeats to be known lost.
    if (Status s = markGoneLocalInstances(db); !s)
        return s;

    UnifiedJobStore jobs(db);
    auto stranded = jobs.onLostNodes(bySilence ? timing.lostAfterSeconds : std::numeric_limits<int>::max());
    if (!stranded)
        return stranded.status();
    int touched = 0;
    for (const auto &job : stranded.value()) {
        JobTransition t;
        if (job.status == JobStatus::Waiting && job.cancelRequested) {
            // Canceled before it ran: nobody is to run it now.
            t = {JobStatus::Canceled, {JobStatus::Waiting}, {}, {}};
            t.fields.explanation = QObject::tr("Canceled before it started.");
            t.fields.eventProcessingFinished = true;
        } else if (job.status == JobStatus::Waiting) {
            // Never started: another instance can run it (AWX's dispatcherd does the same).
            t = {JobStatus::Pending, {JobStatus::Waiting}, {}, {}};
            t.fields.executionNode = QString();
            t.fields.controllerNode = QString();
        } else {
            t = {JobStatus::Failed, {JobStatus::Running}, {}, {}};
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
            qCWarning(lcDispatch) << (t.to == JobStatus::Pending    ? "requeued job"
                                      : t.to == JobStatus::Canceled ? "canceled job"
                                                                    : "reaped job")
                                  << job.id << "of lost instance" << job.node;
        }
    }
    // Before its instance's row is forgotten: a job that finished there just before it stopped.
    auto settled = jobs.settleEventsOfLostInstances(bySilence ? timing.lostAfterSeconds
                                                              : std::numeric_limits<int>::max());
    if (!settled)
        return settled.status();
    if (Status s = instanceStore.forgetLost(bySilence); !s)
        return s;
    return touched + settled.value();
}

} // namespace playdeck::instances

#include "Processes.h"

#include <QDebug>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>

namespace playdeck::test {

namespace {
// The fields after the command name in /proc/<pid>/stat: state, ppid, ...
QList<QByteArray> statFields(qint64 pid) {
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    const QByteArray text = stat.readAll();
    return text.mid(text.lastIndexOf(')') + 2).split(' ');
}
} // namespace

qint64 parentOf(qint64 pid) {
    return statFields(pid).value(1).toLongLong();
}

bool isAlive(qint64 pid) {
    const QList<QByteArray> fields = statFields(pid);
    return !fields.isEmpty() && fields.first() != "Z" && fields.first() != "X";
}

QList<qint64> processesWith(const QByteArray &token) {
    QList<qint64> pids;
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool numeric = false;
        const qint64 pid = entry.toLongLong(&numeric);
        if (!numeric || pid == qint64(QCoreApplication::applicationPid()))
            continue;
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().replace('\0', ' ').contains(token) &&
            isAlive(pid))
            pids << pid;
    }
    return pids;
}

CliRun runPlaydeck(const QString &dataDir, const QStringList &args, int timeoutMs,
                   const QProcessEnvironment &env) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(PLAYDECK_BINARY), QStringList{QStringLiteral("--data-dir"), dataDir} + args);
    CliRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

double timedRun(const QString &program, const QStringList &args, const QString &cwd, const QByteArray &input,
                int timeoutMs) {
    QProcess p;
    p.setWorkingDirectory(cwd);
    p.setStandardOutputFile(QProcess::nullDevice());
    QElapsedTimer timer;
    timer.start();
    p.start(program, args);
    if (!p.waitForStarted())
        return -1;
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(timeoutMs);
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0 ? double(timer.nsecsElapsed()) / 1e9
                                                                       : -1;
}

QString git(const QString &dir, const QStringList &args) {
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(QStringLiteral("git"),
            QStringList{QStringLiteral("-c"), QStringLiteral("user.email=t@example.com"),
                        QStringLiteral("-c"), QStringLiteral("user.name=Test")} +
                args);
    p.waitForFinished(30000);
    if (p.exitCode() != 0)
        qWarning() << "git" << args << p.readAllStandardError();
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

} // namespace playdeck::test

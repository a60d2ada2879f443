#pragma once

#include <QByteArray>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace playdeck::test {

// The ids of live processes whose command line contains `token` (zombies count as gone).
QList<qint64> processesWith(const QByteArray &token);
qint64 parentOf(qint64 pid);
bool isAlive(qint64 pid);

struct CliRun {
    int exitCode = -1; // -1: crashed or timed out
    QString out;
    QString err;
};

// Runs `playdeck --data-dir DIR ARGS...` to its end (the binary the tests were built with).
CliRun runPlaydeck(const QString &dataDir, const QStringList &args, int timeoutMs = 60000,
                   const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());

// Runs `program` in `cwd` with `input` on its stdin, its stdout discarded; the seconds it took, or
// -1 when it failed (benchmarks time bare ansible-runner workers with it).
double timedRun(const QString &program, const QStringList &args, const QString &cwd, const QByteArray &input,
                int timeoutMs = 600000);

// Runs the real git in `dir` with a test identity; its stdout, trimmed (a failure is logged).
QString git(const QString &dir, const QStringList &args);

} // namespace playdeck::test

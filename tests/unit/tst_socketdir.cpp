// Where the embedded server's socket goes without XDG_RUNTIME_DIR: never a name another local user
// could take first.

#include "db/SocketDir.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace playdeck;

class SocketDirTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void withoutARuntimeDirAPrivateRandomDirIsMadeAndShared() {
        QTemporaryDir data;
        QTemporaryDir tmp;
        // Someone made the old predictable name first: it does not matter any more.
        QVERIFY(QDir().mkpath(tmp.filePath(QStringLiteral("playdeck-%1-abc").arg(::getuid()))));
        auto first = privateSocketDir(data.path(), QStringLiteral("abc"), {}, tmp.path());
        QVERIFY2(first, qPrintable(first.error()));
        QVERIFY(first.value().startsWith(tmp.path() + QStringLiteral("/playdeck-")));
        QVERIFY(isPrivateDir(first.value(), ::getuid()));
        // The other processes of this data dir find the same one.
        auto second = privateSocketDir(data.path(), QStringLiteral("abc"), {}, tmp.path());
        QVERIFY(second);
        QCOMPARE(second.value(), first.value());
        QFileInfo record(data.filePath(QStringLiteral("cluster.socket-dir")));
        QVERIFY(record.exists());
        QCOMPARE(record.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteOther),
                 QFile::Permissions());
    }
    void aRecordedDirThatIsNoLongerPrivateIsReplaced() {
        QTemporaryDir data;
        QTemporaryDir tmp;
        auto first = privateSocketDir(data.path(), QStringLiteral("abc"), {}, tmp.path());
        QVERIFY(first);
        QVERIFY(::chmod(QFile::encodeName(first.value()).constData(), 0755) == 0);
        auto second = privateSocketDir(data.path(), QStringLiteral("abc"), {}, tmp.path());
        QVERIFY(second);
        QVERIFY(second.value() != first.value());
        // A symlink to a private dir is not trusted either.
        const QString link = tmp.filePath(QStringLiteral("link"));
        QVERIFY(QFile::link(second.value(), link));
        QFile record(data.filePath(QStringLiteral("cluster.socket-dir")));
        QVERIFY(record.open(QIODevice::WriteOnly | QIODevice::Truncate));
        record.write(QFile::encodeName(link));
        record.close();
        auto third = privateSocketDir(data.path(), QStringLiteral("abc"), {}, tmp.path());
        QVERIFY(third);
        QVERIFY(third.value() != link);
    }
    void theRunningServersSocketDirIsReadFromItsPidFile() {
        QTemporaryDir dir;
        const QString pidFile = dir.filePath(QStringLiteral("postmaster.pid"));
        QCOMPARE(socketDirOfRunningServer(pidFile), QString()); // no server
        QFile out(pidFile);
        QVERIFY(out.open(QIODevice::WriteOnly));
        // As PostgreSQL 15 writes it with listen_addresses='' (no TCP).
        out.write("4242\n/var/lib/playdeck/clusters/abc/data\n1764650000\n5432\n/tmp/playdeck-Qx1y2Z\n\n"
                  "  5432001    360448\nready   \n");
        out.close();
        QCOMPARE(socketDirOfRunningServer(pidFile), QStringLiteral("/tmp/playdeck-Qx1y2Z"));
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write("4242\n/data\n"); // cut short (a server starting)
        out.close();
        QCOMPARE(socketDirOfRunningServer(pidFile), QString());
    }

    void aRuntimeDirMustBePrivate() {
        QTemporaryDir data;
        QTemporaryDir runtime;
        QVERIFY(::chmod(QFile::encodeName(runtime.path()).constData(), 0700) == 0);
        auto ok = privateSocketDir(data.path(), QStringLiteral("abc"), runtime.path(), QDir::tempPath());
        QVERIFY(ok);
        QCOMPARE(ok.value(), runtime.path() + QStringLiteral("/playdeck-abc"));
        QVERIFY(::chmod(QFile::encodeName(runtime.path()).constData(), 0777) == 0);
        auto refused = privateSocketDir(data.path(), QStringLiteral("abc"), runtime.path(), QDir::tempPath());
        QVERIFY(!refused);
        QVERIFY(refused.error().contains(QStringLiteral("XDG_RUNTIME_DIR")));
    }
};

QTEST_GUILESS_MAIN(SocketDirTest)
#include "tst_socketdir.moc"

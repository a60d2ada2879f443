// The two programs: `playdeck` runs commands without loading a GUI library, and without a command
// hands its whole command line to the window's program (`playdeck-window`), or says why it cannot.
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class ProgramsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aCommandLoadsNoGuiLibrary() {
        // The dynamic loader's own account of what it loaded.
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LD_DEBUG"), QStringLiteral("files"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(PLAYDECK_BINARY), {QStringLiteral("--version")});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const QByteArray loaded = p.readAllStandardError();
        QVERIFY2(loaded.contains("libQt6Core.so"), loaded.left(2000).constData());
        for (const char *gui : {"libQt6Gui.so", "libQt6Widgets.so", "libQt6Charts.so", "libQt6OpenGL"})
            QVERIFY2(!loaded.contains(gui), gui);
    }

    void withoutACommandTheWindowsProgramGetsTheCommandLine() {
        QTemporaryDir dir;
        const QString seen = dir.filePath(QStringLiteral("seen"));
        const QString window = dir.filePath(QStringLiteral("window"));
        QFile script(window);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\necho \"$0|$*\" > \"$SEEN\"\n");
        script.close();
        QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PLAYDECK_WINDOW"), window);
        env.insert(QStringLiteral("SEEN"), seen);
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(PLAYDECK_BINARY),
                {QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data"))});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        QFile out(seen);
        QVERIFY(out.open(QIODevice::ReadOnly));
        QCOMPARE(out.readAll().trimmed(),
                 (window + QStringLiteral("|--data-dir ") + dir.filePath(QStringLiteral("data"))).toUtf8());
    }

    void withoutADisplayItSaysWhatToDoInstead() {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            env.remove(QLatin1String(name));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(PLAYDECK_BINARY), {});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("playdeck launch \"Demo Job Template\" --follow"));
    }

    void aMissingWindowProgramIsSaid() {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PLAYDECK_WINDOW"), QStringLiteral("/nonexistent/playdeck-window"));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p.setProcessEnvironment(env);
        // Next to the binary there is one when built: point the binary at a copy alone in a directory.
        QTemporaryDir dir;
        const QString lonely = dir.filePath(QStringLiteral("playdeck"));
        QVERIFY(QFile::copy(QStringLiteral(PLAYDECK_BINARY), lonely));
        QVERIFY(QFile::setPermissions(lonely, QFile::ReadOwner | QFile::ExeOwner));
        p.start(lonely, {QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data"))});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(p.readAllStandardError().contains("playdeck-window"));
    }
};

QTEST_GUILESS_MAIN(ProgramsTest)
#include "tst_programs.moc"

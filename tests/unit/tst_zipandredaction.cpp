#include "runner/ZipArchive.h"
#include "secrets/Redaction.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <archive.h>
#include <archive_entry.h>

using namespace playdeck;

class ZipAndRedactionTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void zipRoundTripKeepsModesAndLinks() {
        QTemporaryDir source;
        QDir(source.path()).mkpath(QStringLiteral("inventory"));
        QFile script(source.filePath(QStringLiteral("inventory/hosts")));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\necho {}\n");
        script.close();
        QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        QVERIFY(QFile::link(QStringLiteral("inventory/hosts"), source.filePath(QStringLiteral("link"))));
        auto zip = zipDirectory(source.path());
        QVERIFY2(zip, qPrintable(zip.error()));

        QTemporaryDir target;
        QVERIFY(unzipInto(zip.value(), target.path()));
        const QFileInfo copied(target.filePath(QStringLiteral("inventory/hosts")));
        QVERIFY(copied.isExecutable());
        QVERIFY(QFileInfo(target.filePath(QStringLiteral("link"))).isSymLink());
        QFile back(copied.filePath());
        QVERIFY(back.open(QIODevice::ReadOnly));
        QCOMPARE(back.readAll(), QByteArray("#!/bin/sh\necho {}\n"));
    }
    void unsafeNamesAreRefused() {
        QByteArray zip;
        archive *a = archive_write_new();
        archive_write_set_format_zip(a);
        size_t used = 0;
        zip.resize(4096);
        archive_write_open_memory(a, zip.data(), size_t(zip.size()), &used);
        archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, "../escape");
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_size(e, 1);
        archive_write_header(a, e);
        archive_write_data(a, "x", 1);
        archive_entry_free(e);
        archive_write_close(a);
        archive_write_free(a);
        zip.resize(qsizetype(used));
        QTemporaryDir target;
        const Status s = unzipInto(zip, target.path() + QStringLiteral("/inner"));
        QVERIFY(!s);
        QVERIFY(!QFile::exists(target.filePath(QStringLiteral("escape"))));
    }
    void environmentSecretsAreHidden() {
        const QJsonObject env{{QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("abc")},
                              {QStringLiteral("MY_PASSWORD"), QStringLiteral("pw")},
                              {QStringLiteral("PATH"), QStringLiteral("/usr/bin")},
                              {QStringLiteral("PROXY"), QStringLiteral("http://user:pw@proxy:3128")}};
        const QJsonObject out = redactEnvironment(env);
        QCOMPARE(out.value(QStringLiteral("AWS_SECRET_ACCESS_KEY")).toString(), kHiddenSecret);
        QCOMPARE(out.value(QStringLiteral("MY_PASSWORD")).toString(), kHiddenSecret);
        QCOMPARE(out.value(QStringLiteral("PATH")).toString(), QStringLiteral("/usr/bin"));
        QCOMPARE(out.value(QStringLiteral("PROXY")).toString(),
                 QStringLiteral("http://user:**********@proxy:3128"));
    }
};

QTEST_GUILESS_MAIN(ZipAndRedactionTest)
#include "tst_zipandredaction.moc"

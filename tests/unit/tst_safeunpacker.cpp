#include "runner/SafeUnpacker.h"
#include "runner/ZipArchive.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <archive.h>
#include <archive_entry.h>

#include <cstring>
#include <sys/stat.h>

using namespace playdeck;

namespace {

// Builds zips entry by entry with libarchive's writer, as a hostile execution node could.
class ZipBuilder {
public:
    ZipBuilder()
        : m_archive(archive_write_new()) {
        archive_write_set_format_zip(m_archive);
        archive_write_zip_set_compression_deflate(m_archive);
        archive_write_set_bytes_in_last_block(m_archive, 1);
        archive_write_open(m_archive, &m_bytes, nullptr, append, nullptr);
    }
    ~ZipBuilder() { archive_write_free(m_archive); }
    ZipBuilder(const ZipBuilder &) = delete;
    ZipBuilder &operator=(const ZipBuilder &) = delete;

    ZipBuilder &file(const QByteArray &name, const QByteArray &data, int perm = 0644) {
        archive_entry *e = entry(name, AE_IFREG, perm);
        archive_entry_set_size(e, data.size());
        header(e);
        archive_write_data(m_archive, data.constData(), size_t(data.size()));
        archive_entry_free(e);
        return *this;
    }
    ZipBuilder &zeros(const QByteArray &name, qint64 size) {
        archive_entry *e = entry(name, AE_IFREG, 0644);
        archive_entry_set_size(e, size);
        header(e);
        const QByteArray block(1024 * 1024, '\0');
        for (qint64 done = 0; done < size; done += block.size())
            archive_write_data(m_archive, block.constData(),
                               size_t(std::min<qint64>(block.size(), size - done)));
        archive_entry_free(e);
        return *this;
    }
    ZipBuilder &dir(const QByteArray &name, int perm = 0755) {
        archive_entry *e = entry(name, AE_IFDIR, perm);
        header(e);
        archive_entry_free(e);
        return *this;
    }
    ZipBuilder &symlink(const QByteArray &name, const QByteArray &target) {
        archive_entry *e = entry(name, AE_IFLNK, 0777);
        archive_entry_set_symlink(e, target.constData());
        header(e);
        archive_entry_free(e);
        return *this;
    }
    ZipBuilder &hardlink(const QByteArray &name, const QByteArray &target) {
        archive_entry *e = entry(name, AE_IFREG, 0644);
        archive_entry_set_hardlink(e, target.constData());
        header(e);
        archive_entry_free(e);
        return *this;
    }
    QByteArray finish() {
        archive_write_close(m_archive);
        return m_bytes;
    }

private:
    static la_ssize_t append(archive *, void *data, const void *buffer, size_t length) {
        static_cast<QByteArray *>(data)->append(static_cast<const char *>(buffer), qsizetype(length));
        return la_ssize_t(length);
    }
    archive_entry *entry(const QByteArray &name, unsigned type, int perm) {
        archive_entry *e = archive_entry_new();
        archive_entry_copy_pathname(e, name.constData());
        archive_entry_set_filetype(e, type);
        archive_entry_set_perm(e, mode_t(perm));
        return e;
    }
    void header(archive_entry *e) {
        if (archive_write_header(m_archive, e) != ARCHIVE_OK)
            qWarning("zip writer: %s", archive_error_string(m_archive));
    }

    archive *m_archive;
    QByteArray m_bytes;
};

// Changes what the central directory says about an entry; libarchive's writer refuses FIFOs,
// devices and sockets in a zip, and a lying size needs a patch too.
void patchCentralEntry(QByteArray &zip, const QByteArray &name, int offset, quint32 value) {
    for (qsizetype at = zip.indexOf("PK\x01\x02"); at >= 0; at = zip.indexOf("PK\x01\x02", at + 4)) {
        const auto u16 = [&](int o) { return quint16(uchar(zip[at + o]) | uchar(zip[at + o + 1]) << 8); };
        if (zip.mid(at + 46, u16(28)) == name) {
            for (int i = 0; i < 4; ++i)
                zip[at + offset + i] = char(value >> (8 * i));
            return;
        }
    }
    qFatal("no central directory entry %s", name.constData());
}
constexpr int kExternalAttributes = 38; // the Unix mode is in the high 16 bits
constexpr int kUncompressedSize = 24;

void patchEverySize(QByteArray &zip, quint32 real, quint32 fake) {
    // The local header, the data descriptor and the central directory all carry the size.
    char from[4], to[4];
    std::memcpy(from, &real, 4);
    std::memcpy(to, &fake, 4);
    zip.replace(QByteArray(from, 4), QByteArray(to, 4));
}

// A destination next to a directory that must stay untouched, and the zip kept apart from both.
class Sandbox {
public:
    Sandbox() {
        QDir().mkpath(outside());
        QFile sentinel(outside() + QStringLiteral("/sentinel"));
        if (sentinel.open(QIODevice::WriteOnly))
            sentinel.write("untouched");
    }
    QString dest() const { return m_root.filePath(QStringLiteral("dest")); }
    QString outside() const { return m_root.filePath(QStringLiteral("outside")); }
    QString zipPath() const { return m_zips.filePath(QStringLiteral("artifacts.zip")); }

    Status unpack(const QByteArray &zip, const UnpackLimits &limits = {}) const {
        QFile f(zipPath());
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(zip) != zip.size())
            return Status::failure(QStringLiteral("cannot write the zip"));
        f.close();
        return unpackArtifacts(zipPath(), dest(), limits);
    }

    // Empty when nothing but the destination changed around it.
    QString changesOutside() const {
        QStringList found;
        QDirIterator it(m_root.path(), QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next().mid(m_root.path().size() + 1);
            if (path != QLatin1String("dest") && !path.startsWith(QLatin1String("dest/")))
                found << path;
        }
        found.sort();
        if (found != QStringList{QStringLiteral("outside"), QStringLiteral("outside/sentinel")})
            return QStringLiteral("around the destination: ") + found.join(QLatin1Char(' '));
        QFile sentinel(outside() + QStringLiteral("/sentinel"));
        if (!sentinel.open(QIODevice::ReadOnly) || sentinel.readAll() != "untouched")
            return QStringLiteral("the sentinel outside changed");
        return {};
    }

    qint64 bytesInDest() const {
        qint64 total = 0;
        QDirIterator it(dest(), QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            if (!it.fileInfo().isSymLink())
                total += it.fileInfo().size();
        }
        return total;
    }

private:
    QTemporaryDir m_root;
    QTemporaryDir m_zips;
};

mode_t modeOf(const QString &path) {
    struct stat st {};
    ::lstat(QFile::encodeName(path).constData(), &st);
    return st.st_mode;
}

} // namespace

class SafeUnpackerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripWithZipDirectory() {
        QTemporaryDir source;
        const QString s = source.path();
        QDir(s).mkpath(QStringLiteral("artifacts/1/fact_cache"));
        QDir(s).mkpath(QStringLiteral("inventory"));
        QDir(s).mkpath(QStringLiteral("a/b/c"));
        const auto write = [&](const QString &name, const QByteArray &content) {
            QFile f(s + QLatin1Char('/') + name);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        };
        write(QStringLiteral("inventory/hosts"), "#!/bin/sh\necho {}\n");
        write(QStringLiteral("a/b/c/deep.txt"), "deep");
        write(QStringLiteral("artifacts/1/stdout"), QByteArray("PLAY [all] ***\r\n").repeated(1000));
        write(QStringLiteral("artifacts/1/fact_cache/localhost"), "{}");
        write(QStringLiteral("artifacts/1/fact_cache/h\u00f6st-\u2713"), "{}"); // UTF-8 even under LANG=C
        QVERIFY(QFile::setPermissions(s + QStringLiteral("/inventory/hosts"),
                                      QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                          QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                          QFile::ExeOther));
        QVERIFY(QFile::link(QStringLiteral("inventory/hosts"), s + QStringLiteral("/link")));
        QVERIFY(QFile::link(QStringLiteral("../../inventory"), s + QStringLiteral("/a/b/up")));
        const auto zip = zipDirectory(s);
        QVERIFY2(zip, qPrintable(zip.error()));

        Sandbox box;
        const Status unpacked = box.unpack(zip.value());
        QVERIFY2(unpacked, qPrintable(unpacked.error()));
        const QString d = box.dest();
        QFile deep(d + QStringLiteral("/a/b/c/deep.txt"));
        QVERIFY(deep.open(QIODevice::ReadOnly));
        QCOMPARE(deep.readAll(), QByteArray("deep"));
        QFile stdout(d + QStringLiteral("/artifacts/1/stdout"));
        QVERIFY(stdout.open(QIODevice::ReadOnly));
        QCOMPARE(stdout.readAll(), QByteArray("PLAY [all] ***\r\n").repeated(1000));
        QCOMPARE(modeOf(d + QStringLiteral("/inventory/hosts")) & 07777, mode_t(0755));
        QVERIFY(QFileInfo(d + QStringLiteral("/link")).isSymLink());
        QCOMPARE(QFile::symLinkTarget(d + QStringLiteral("/link")), d + QStringLiteral("/inventory/hosts"));
        QCOMPARE(QFileInfo(d + QStringLiteral("/a/b/up")).canonicalFilePath(),
                 QFileInfo(d + QStringLiteral("/inventory")).canonicalFilePath());
        QVERIFY(QFileInfo(d + QStringLiteral("/artifacts/1/fact_cache")).isDir());
        QVERIFY(QFileInfo::exists(d + QStringLiteral("/artifacts/1/fact_cache/h\u00f6st-\u2713")));
        QVERIFY2(box.changesOutside().isEmpty(), qPrintable(box.changesOutside()));
    }

    void symlinksPointingOutsideAreRefused_data() {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QString>("says");
        QTest::newRow("absolute, like -> /etc")
            << QByteArray("link") << QByteArray() << QStringLiteral("absolute");
        QTest::newRow("-> ..") << QByteArray("link") << QByteArray("..") << QStringLiteral("outside");
        QTest::newRow("-> ../outside")
            << QByteArray("link") << QByteArray("../outside") << QStringLiteral("outside");
        QTest::newRow("-> ./../outside")
            << QByteArray("link") << QByteArray("./../outside") << QStringLiteral("outside");
        QTest::newRow("sub/link -> ../..")
            << QByteArray("sub/link") << QByteArray("../..") << QStringLiteral("outside");
        QTest::newRow("-> x/../..") << QByteArray("link") << QByteArray("x/../..")
                                    << QStringLiteral("after a name");
        QTest::newRow("-> backslashes")
            << QByteArray("link") << QByteArray("..\\outside") << QStringLiteral("backslash");
    }
    void symlinksPointingOutsideAreRefused() {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, target);
        QFETCH(QString, says);
        Sandbox box;
        if (target.isEmpty())
            target = QFile::encodeName(box.outside());
        // The symlink first, then an entry through it, as a hostile node would send them.
        const QByteArray zip = ZipBuilder().symlink(name, target).file(name + "/passwd", "owned").finish();
        const Status s = box.unpack(zip);
        QVERIFY(!s);
        QVERIFY2(s.error().contains(QStringLiteral("entry 1 (\"%1\")").arg(QString::fromUtf8(name))),
                 qPrintable(s.error()));
        QVERIFY2(s.error().contains(says), qPrintable(s.error()));
        QVERIFY(!QFileInfo::exists(box.dest() + QLatin1Char('/') + QString::fromUtf8(name)));
        QVERIFY2(box.changesOutside().isEmpty(), qPrintable(box.changesOutside()));
    }

    void nothingIsWrittenThroughASymlink() {
        // A link that stays inside is fine, but entries are never written through it: libarchive's
        // SECURE_SYMLINKS refuses the second entry.
        Sandbox box;
        const QByteArray zip = ZipBuilder().dir("sub").symlink("sub/up", "..").file("sub/up/x", "x").finish();
        const Status s = box.unpack(zip);
        QVERIFY(!s);
        QVERIFY2(s.error().contains(QStringLiteral("entry 3 (\"sub/up/x\")")), qPrintable(s.error()));
        QVERIFY(QFileInfo(box.dest() + QStringLiteral("/sub/up")).isSymLink());
        QVERIFY(!QFileInfo::exists(box.dest() + QStringLiteral("/x")));
        QVERIFY2(box.changesOutside().isEmpty(), qPrintable(box.changesOutside()));
    }

    void aSymlinkAlreadyInTheDestinationIsNotFollowed() {
        Sandbox box;
        QDir().mkpath(box.dest());
        QVERIFY(QFile::link(box.outside(), box.dest() + QStringLiteral("/link")));
        QVERIFY(
            QFile::link(box.outside() + QStringLiteral("/sentinel"), box.dest() + QStringLiteral("/file")));
        const Status through = box.unpack(ZipBuilder().file("link/sentinel", "owned").finish());
        QVERIFY(!through);
        QVERIFY2(through.error().contains(QStringLiteral("entry 1")), qPrintable(through.error()));
        QVERIFY2(box.changesOutside().isEmpty(), qPrintable(box.changesOutside()));
        // A file entry where a symlink is replaces the symlink instead of writing to its target.
        const Status over = box.unpack(ZipBuilder().file("file", "replaced").finish());
        QVERIFY2(over, qPrintable(over.error()));
        QVERIFY(!QFileInfo(box.dest() + QStringLiteral("/file")).isSymLink());
        QVERIFY2(box.changesOutside().isEmpty(), qPrintable(box.changesOutside()));
    }

    void unsafeNamesAreRefused_data() {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QString>("says");
        QTest::newRow("../x") << QByteArray("../x") << QStringLiteral("'..'");
        QTest::newRow("a/../../x") << QByteArray("a/../../x") << QStringLiteral("'..'");
        QTest::newRow("a/..") << QByteArray("a/..") << QStringLiteral("'..'");
        QTest::newRow("..") << QByteArray("..") << QStringLiteral("'..'");
        QTest::newRow("/abs") << QByteArray() << QStringLiteral("absolute");
        // libarchive's zip reader turns backslashes into slashes; the unpacker refuses those it keeps.
        QTest::newRow("backslashes") << QByteArray("..\\..\\x") << QStringLiteral("'..'");
        QTest::newRow("./") << QByteArray("./") << QStringLiteral("the destination itself");
        QTest::newRow("long part") << QByteArray(300, 'n') << QStringLiteral("longer than 255 bytes");
        QTest::newRow("long name") << QByteArray(QByteArray(200, 'n') + '/').repeated(25) + "x"
                                   << QStringLiteral("longer than 4096 bytes");
    }
    void unsafeNamesAreRefused() {
        QFETCH(QByteArray, name);
        QFETCH(QString, says);
        Sandbox box;
        if (name.isEmpty())
            name = QFile::encodeName(box.outside()) + "/abs";
        const QByteArray zip = ZipBuilder().file("fine", "ok").file(name, "escaped").finish();
        const Status s = box.unpack(zip);
        QVERIFY(!s);
        QVERIFY2(s.error().contains(QStringLiteral("entry 2")), qPrintable(s.error()));
        QVERIFY2(s.error().contains(says), qPrintable(s.error()));
        QVERIFY(QFileInfo::exists(box.dest() + QStringLiteral("/fine"))); // what came before stays
        QCOMPARE(box.bytesInDest(), 2);
        QVERIFY2(box.changesOutside().isEmpty(), qPrintable(box.changesOutside()));
    }

    void specialFilesAreRefused_data() {
        QTest::addColumn<quint32>("mode");
        QTest::addColumn<QString>("says"); // empty: libarchive's reader makes it a plain file
        QTest::newRow("character device") << quint32(S_IFCHR | 06644) << QStringLiteral("it is a device");
        QTest::newRow("block device") << quint32(S_IFBLK | 0644) << QStringLiteral("it is a device");
        QTest::newRow("socket") << quint32(S_IFSOCK | 0644) << QStringLiteral("it is a socket");
        QTest::newRow("FIFO") << quint32(S_IFIFO | 0644) << QString();
    }
    void specialFilesAreRefused() {
        // libarchive's writer refuses such entries in a zip, so the central directory is patched.
        QFETCH(quint32, mode);
        QFETCH(QString, says);
        QByteArray zip = ZipBuilder().file("special", QByteArray()).finish();
        patchCentralEntry(zip, "special", kExternalAttributes, mode << 16);
        Sandbox box;
        const Status s = box.unpack(zip);
        const QString special = box.dest() + QStringLiteral("/special");
        if (says.isEmpty()) {
            QVERIFY2(s, qPrintable(s.error()));
            QVERIFY(S_ISREG(modeOf(special)));
        } else {
            QVERIFY(!s);
            QVERIFY2(s.error().contains(QStringLiteral("entry 1 (\"special\"): ") + says),
                     qPrintable(s.error()));
            QVERIFY(!QFileInfo::exists(special));
        }
        QVERIFY2(box.changesOutside().isEmpty(), qPrintable(box.changesOutside()));
    }

    void hardLinksCannotBeSent() {
        // Zip has no hard links: libarchive writes one as an empty file, and that is what arrives.
        // (The unpacker refuses hard links from any reader that has them.)
        Sandbox box;
        const QByteArray target = QFile::encodeName(box.outside() + QStringLiteral("/sentinel"));
        const Status s = box.unpack(ZipBuilder().hardlink("hard", target).finish());
        QVERIFY2(s, qPrintable(s.error()));
        const QString hard = box.dest() + QStringLiteral("/hard");
        QVERIFY(QFileInfo(hard).isFile());
        QCOMPARE(QFileInfo(hard).size(), 0);
        struct stat st {};
        QCOMPARE(::lstat(QFile::encodeName(hard).constData(), &st), 0);
        QCOMPARE(st.st_nlink, nlink_t(1));
        QVERIFY2(box.changesOutside().isEmpty(), qPrintable(box.changesOutside()));
    }

    void modesAreMasked() {
        Sandbox box;
        const QByteArray zip = ZipBuilder()
                                   .dir("sticky", 01777)
                                   .dir("closed", 0)
                                   .file("setuid", "x", 06777)
                                   .file("unreadable", "x", 0)
                                   .file("closed/inside", "x")
                                   .finish();
        const Status s = box.unpack(zip);
        QVERIFY2(s, qPrintable(s.error()));
        const QString d = box.dest();
        QCOMPARE(modeOf(d + QStringLiteral("/setuid")) & 07777, mode_t(0755));
        QCOMPARE(modeOf(d + QStringLiteral("/unreadable")) & 07777, mode_t(0600));
        QCOMPARE(modeOf(d + QStringLiteral("/sticky")) & 07777, mode_t(0755));
        QCOMPARE(modeOf(d + QStringLiteral("/closed")) & 07777, mode_t(0700)); // still removable by us
        QVERIFY2(box.changesOutside().isEmpty(), qPrintable(box.changesOutside()));
        QVERIFY(QDir(d).removeRecursively());
    }

    void zipBombStopsAtTheLimit() {
        // 200 MB of zeros deflate to some 200 KB.
        const qint64 size = 200LL * 1024 * 1024;
        QByteArray bomb = ZipBuilder().file("before", "ok").zeros("bomb", size).finish();
        QVERIFY(bomb.size() < 1024 * 1024);
        UnpackLimits limits;
        limits.maxTotalBytes = 1024 * 1024;
        {
            Sandbox box;
            const Status s = box.unpack(bomb, limits);
            QVERIFY(!s);
            QVERIFY2(s.error().contains(QStringLiteral("entry 2 (\"bomb\")")), qPrintable(s.error()));
            QVERIFY(s.error().contains(QStringLiteral("more than 1048576 bytes")));
            QVERIFY(box.bytesInDest() <= limits.maxTotalBytes);
            QVERIFY2(box.changesOutside().isEmpty(), qPrintable(box.changesOutside()));
        }
        {
            // The same bomb claiming to hold 1000 bytes: the data is counted as it is written.
            patchEverySize(bomb, quint32(size), 1000);
            Sandbox box;
            const Status s = box.unpack(bomb, limits);
            QVERIFY(!s);
            QVERIFY2(s.error().contains(QStringLiteral("entry 2 (\"bomb\")")), qPrintable(s.error()));
            QVERIFY(box.bytesInDest() <= 1002);
            QVERIFY2(box.changesOutside().isEmpty(), qPrintable(box.changesOutside()));
        }
    }

    void totalSizeCountsEveryEntry() {
        ZipBuilder builder;
        for (int i = 0; i < 5; ++i)
            builder.file("part" + QByteArray::number(i), QByteArray(300 * 1024, char('a' + i)));
        UnpackLimits limits;
        limits.maxTotalBytes = 1024 * 1024;
        Sandbox box;
        const Status s = box.unpack(builder.finish(), limits);
        QVERIFY(!s);
        QVERIFY2(s.error().contains(QStringLiteral("entry 4 (\"part3\")")), qPrintable(s.error()));
        QCOMPARE(box.bytesInDest(), 3 * 300 * 1024);
        QVERIFY2(box.changesOutside().isEmpty(), qPrintable(box.changesOutside()));
    }

    void tooManyEntries() {
        ZipBuilder builder;
        for (int i = 0; i < 50; ++i)
            builder.file("f" + QByteArray::number(i), "x");
        UnpackLimits limits;
        limits.maxEntries = 10;
        Sandbox box;
        const Status s = box.unpack(builder.finish(), limits);
        QVERIFY(!s);
        QVERIFY2(s.error().contains(QStringLiteral("entry 11")), qPrintable(s.error()));
        QVERIFY(s.error().contains(QStringLiteral("more than 10 entries")));
        QCOMPARE(QDir(box.dest()).entryList(QDir::Files).size(), 10);
        QVERIFY2(box.changesOutside().isEmpty(), qPrintable(box.changesOutside()));
    }

    void brokenArchivesAreErrors() {
        Sandbox box;
        QVERIFY(!box.unpack("this is not a zip at all"));
        QByteArray zip = ZipBuilder().file("a", QByteArray(10000, 'a')).file("b", "b").finish();
        QVERIFY(!box.unpack(zip.left(zip.size() / 2)));
        zip[60] = char(zip[60] ^ 0x55); // inside the deflated data: a bad CRC or bad deflate
        QVERIFY(!box.unpack(zip));
        QVERIFY(!unpackArtifacts(box.zipPath() + QStringLiteral(".missing"), box.dest()));
        QVERIFY2(box.changesOutside().isEmpty(), qPrintable(box.changesOutside()));
    }

    void destinationReachedThroughASymlink() {
        // archive_write_disk checks every part of the names it gets for symlinks: the unpacker hands
        // it the canonical destination, so a destination under a symlinked directory works.
        QTemporaryDir dir;
        QDir(dir.path()).mkpath(QStringLiteral("real/job"));
        QVERIFY(QFile::link(dir.filePath(QStringLiteral("real")), dir.filePath(QStringLiteral("alias"))));
        QFile zipFile(dir.filePath(QStringLiteral("a.zip")));
        QVERIFY(zipFile.open(QIODevice::WriteOnly));
        zipFile.write(ZipBuilder().dir("d").file("d/f", "content").finish());
        zipFile.close();
        const Status s = unpackArtifacts(zipFile.fileName(), dir.filePath(QStringLiteral("alias/job")));
        QVERIFY2(s, qPrintable(s.error()));
        QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("real/job/d/f"))));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System),
                 (QStringList{QStringLiteral("a.zip"), QStringLiteral("alias"), QStringLiteral("real")}));
        QCOMPARE(
            QDir(dir.filePath(QStringLiteral("real"))).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
            QStringList{QStringLiteral("job")});
    }
};

QTEST_GUILESS_MAIN(SafeUnpackerTest)
#include "tst_safeunpacker.moc"

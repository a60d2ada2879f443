#include "SafeUnpacker.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QList>

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <optional>
#include <sys/stat.h>
#include <utility>

namespace playdeck {

namespace {

constexpr qsizetype kMaxComponentBytes = 255; // NAME_MAX
constexpr qsizetype kNameShownChars = 200;

struct ReadDeleter {
    void operator()(archive *a) const { archive_read_free(a); }
};
struct WriteDeleter {
    void operator()(archive *a) const { archive_write_free(a); }
};

// Why an entry is refused, or nothing.
using Refusal = std::optional<QString>;

class ArtifactUnpacker {
    Q_DECLARE_TR_FUNCTIONS(SafeUnpacker)

public:
    explicit ArtifactUnpacker(const UnpackLimits &limits)
        : m_limits(limits) {}

    Status run(const QString &zipPath, const QString &directory);

private:
    Refusal takeName(const char *raw);
    Refusal checkLinkTarget(const char *raw) const;
    Refusal checkType(archive_entry *entry) const;
    Refusal copyData(archive *reader, archive *writer, qint64 declaredSize);
    Status refuse(const QString &why) const;

    const UnpackLimits &m_limits;
    QByteArray m_root;              // the canonical destination, encoded for the file system
    QList<QByteArray> m_components; // the current entry's name, checked and normalized
    QString m_shownName;
    qint64 m_entryIndex = 0;
    qint64 m_totalBytes = 0;
};

// An entry's name and symlink target as UTF-8 bytes where libarchive has them so: Linux file names
// are bytes, and libarchive's conversion to the current locale fails for non-ASCII names under C.
const char *entryName(archive_entry *entry) {
    const char *name = archive_entry_pathname_utf8(entry);
    return name ? name : archive_entry_pathname(entry);
}
const char *linkTarget(archive_entry *entry) {
    const char *target = archive_entry_symlink_utf8(entry);
    return target ? target : archive_entry_symlink(entry);
}

QString shownName(const char *raw) {
    QString name = QString::fromUtf8(raw).left(kNameShownChars);
    for (QChar &c : name)
        if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            c = QChar::ReplacementCharacter;
    return name;
}

Status ArtifactUnpacker::refuse(const QString &why) const {
    return Status::failure(tr("The job's artifacts were refused at entry %1 (\"%2\"): %3")
                               .arg(m_entryIndex)
                               .arg(m_shownName, why));
}

// Splits and checks the entry's name; on success m_components holds it without "." or empty parts.
Refusal ArtifactUnpacker::takeName(const char *raw) {
    m_components.clear();
    if (!raw)
        return tr("its name cannot be read");
    const QByteArray name(raw);
    if (name.isEmpty())
        return tr("its name is empty");
    if (name.size() > m_limits.maxNameBytes)
        return tr("its name is longer than %1 bytes").arg(m_limits.maxNameBytes);
    if (name.startsWith('/'))
        return tr("its name is an absolute path");
    // Zips from Windows may use backslashes as separators; on Linux "..\\x" is one odd name, but a
    // tool reading the artifacts elsewhere might not think so.
    if (name.contains('\\'))
        return tr("its name contains a backslash");
    for (const QByteArray &part : name.split('/')) {
        if (part.isEmpty() || part == ".")
            continue;
        if (part == "..")
            return tr("its name contains '..'");
        if (part.size() > kMaxComponentBytes)
            return tr("a part of its name is longer than %1 bytes").arg(kMaxComponentBytes);
        m_components.append(part);
    }
    if (m_components.isEmpty())
        return tr("its name is the destination itself");
    return std::nullopt;
}

// A symlink may point within the artifacts only: relative, and climbing with ".." only at the start
// and no higher than the destination. Later parts cannot climb because a part of the path may be
// another symlink; with ".." only in front, every link resolves downwards from a real directory
// inside the destination (no entry is written through a symlink), so chains of links stay inside.
Refusal ArtifactUnpacker::checkLinkTarget(const char *raw) const {
    const QByteArray target(raw ? raw : "");
    if (target.isEmpty())
        return tr("it is a symlink without a target");
    if (target.size() > m_limits.maxNameBytes)
        return tr("its symlink target is longer than %1 bytes").arg(m_limits.maxNameBytes);
    if (target.startsWith('/'))
        return tr("it is a symlink to an absolute path");
    if (target.contains('\\'))
        return tr("its symlink target contains a backslash");
    const qsizetype depth = m_components.size() - 1; // directories between the destination and the link
    qsizetype climbs = 0;
    bool descended = false;
    for (const QByteArray &part : target.split('/')) {
        if (part.isEmpty() || part == ".")
            continue;
        if (part != "..") {
            descended = true;
            continue;
        }
        if (descended)
            return tr("its symlink target uses '..' after a name");
        if (++climbs > depth)
            return tr("it is a symlink pointing outside the artifacts");
    }
    return std::nullopt;
}

Refusal ArtifactUnpacker::checkType(archive_entry *entry) const {
    if (archive_entry_hardlink(entry))
        return tr("it is a hard link");
    switch (archive_entry_filetype(entry)) {
    case AE_IFREG:
    case AE_IFDIR:
        return std::nullopt;
    case AE_IFLNK:
        return checkLinkTarget(linkTarget(entry));
    case AE_IFCHR:
    case AE_IFBLK:
        return tr("it is a device");
    case AE_IFIFO:
        return tr("it is a FIFO");
    case AE_IFSOCK:
        return tr("it is a socket");
    default:
        return tr("it is not a file, a directory or a symlink");
    }
}

// Copies one regular file's data, counting every block before it is written.
Refusal ArtifactUnpacker::copyData(archive *reader, archive *writer, qint64 declaredSize) {
    qint64 written = 0;
    for (;;) {
        const void *block = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        const int r = archive_read_data_block(reader, &block, &size, &offset);
        if (r == ARCHIVE_EOF)
            return std::nullopt;
        if (r != ARCHIVE_OK) // a warning here is a bad CRC or a wrong size: refused as well
            return tr("its data cannot be read: %1")
                .arg(QString::fromLocal8Bit(archive_error_string(reader)));
        if (offset != written)
            return tr("its data has holes");
        // A declared size was counted against the total before the entry was started.
        if (declaredSize >= 0 && qint64(size) > declaredSize - written)
            return tr("it holds more data than its header says");
        if (declaredSize < 0 && qint64(size) > m_limits.maxTotalBytes - m_totalBytes)
            return tr("the artifacts unpack to more than %1 bytes").arg(m_limits.maxTotalBytes);
        if (archive_write_data_block(writer, block, size, offset) != ARCHIVE_OK)
            return tr("cannot write it: %1").arg(QString::fromLocal8Bit(archive_error_string(writer)));
        written += qint64(size);
        if (declaredSize < 0)
            m_totalBytes += qint64(size);
    }
}

Status ArtifactUnpacker::run(const QString &zipPath, const QString &directory) {
    if (!QDir().mkpath(directory))
        return Status::failure(tr("Cannot create %1 for the job's artifacts.").arg(directory));
    // archive_write_disk checks every part of the absolute names we give it for symlinks, the
    // destination's own parts included: it must be free of them.
    const QString root = QFileInfo(directory).canonicalFilePath();
    if (root.isEmpty())
        return Status::failure(tr("Cannot find %1 for the job's artifacts.").arg(directory));
    m_root = QFile::encodeName(root);

    std::unique_ptr<archive, ReadDeleter> reader(archive_read_new());
    archive_read_support_format_zip(reader.get());
    if (archive_read_open_filename(reader.get(), QFile::encodeName(zipPath).constData(), 64 * 1024) !=
        ARCHIVE_OK)
        return Status::failure(tr("Cannot read the job's artifacts %1: %2")
                                   .arg(zipPath, QString::fromLocal8Bit(archive_error_string(reader.get()))));

    std::unique_ptr<archive, WriteDeleter> writer(archive_write_disk_new());
    // Names are re-rooted absolute paths (archive_write_disk would resolve relative ones against
    // the working directory, which a threaded process cannot change), so no NOABSOLUTEPATHS. No
    // OWNER, no xattrs, ACLs or file flags; PERM so the modes are exactly the masked ones below.
    archive_write_disk_set_options(writer.get(), ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                                     ARCHIVE_EXTRACT_SECURE_NODOTDOT);

    for (;;) {
        archive_entry *entry = nullptr;
        const int r = archive_read_next_header(reader.get(), &entry);
        if (r == ARCHIVE_EOF)
            break;
        ++m_entryIndex;
        m_shownName = entry && r >= ARCHIVE_WARN ? shownName(entryName(entry)) : QString();
        if (r < ARCHIVE_WARN)
            return refuse(tr("the archive cannot be read: %1")
                              .arg(QString::fromLocal8Bit(archive_error_string(reader.get()))));
        if (m_entryIndex > m_limits.maxEntries)
            return refuse(tr("the artifacts have more than %1 entries").arg(m_limits.maxEntries));
        if (Refusal why = takeName(entryName(entry)))
            return refuse(*why);
        if (Refusal why = checkType(entry))
            return refuse(*why);

        const qint64 declaredSize = archive_entry_size_is_set(entry) ? archive_entry_size(entry) : -1;
        const bool regular = archive_entry_filetype(entry) == AE_IFREG;
        if (regular && declaredSize > m_limits.maxTotalBytes - m_totalBytes)
            return refuse(tr("the artifacts unpack to more than %1 bytes").arg(m_limits.maxTotalBytes));
        if (regular && declaredSize > 0)
            m_totalBytes += declaredSize; // archive_write_disk extends the file to it in any case

        const mode_t perm = archive_entry_perm(entry);
        if (archive_entry_filetype(entry) == AE_IFDIR)
            archive_entry_set_perm(entry, (perm & 0755) | 0700); // we must be able to remove it
        else if (regular)
            archive_entry_set_perm(entry, (perm & 0755) | 0600);
        QByteArray path = m_root;
        for (const QByteArray &part : std::as_const(m_components))
            path += '/' + part;
        if (archive_entry_filetype(entry) == AE_IFLNK) {
            const QByteArray link(linkTarget(entry)); // copied out: it points into the entry itself
            archive_entry_copy_symlink(entry, link.constData());
        }
        archive_entry_copy_pathname(entry, path.constData());

        if (archive_write_header(writer.get(), entry) < ARCHIVE_WARN)
            return refuse(QString::fromLocal8Bit(archive_error_string(writer.get())));
        if (regular && declaredSize != 0) { // -1: the size is not known in advance
            if (Refusal why = copyData(reader.get(), writer.get(), declaredSize))
                return refuse(*why);
        }
        if (archive_write_finish_entry(writer.get()) < ARCHIVE_WARN)
            return refuse(QString::fromLocal8Bit(archive_error_string(writer.get())));
    }
    if (archive_write_close(writer.get()) < ARCHIVE_WARN)
        return Status::failure(tr("Cannot finish unpacking the job's artifacts: %1")
                                   .arg(QString::fromLocal8Bit(archive_error_string(writer.get()))));
    return {};
}

} // namespace

Status unpackArtifacts(const QString &zipPath, const QString &directory, const UnpackLimits &limits) {
    return ArtifactUnpacker(limits).run(zipPath, directory);
}

} // namespace playdeck

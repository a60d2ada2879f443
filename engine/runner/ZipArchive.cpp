#include "ZipArchive.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <sys/stat.h>

namespace playdeck {

namespace {

struct ArchiveWriteDeleter {
    void operator()(archive *a) const { archive_write_free(a); }
};
struct ArchiveReadDeleter {
    void operator()(archive *a) const { archive_read_free(a); }
};
struct EntryDeleter {
    void operator()(archive_entry *e) const { archive_entry_free(e); }
};

la_ssize_t appendToByteArray(archive *, void *clientData, const void *buffer, size_t length) {
    static_cast<QByteArray *>(clientData)->append(static_cast<const char *>(buffer), qsizetype(length));
    return la_ssize_t(length);
}

QString archiveError(archive *a) {
    return QString::fromLocal8Bit(archive_error_string(a));
}

} // namespace

Result<QByteArray> zipDirectory(const QString &directory) {
    QByteArray out;
    std::unique_ptr<archive, ArchiveWriteDeleter> a(archive_write_new());
    archive_write_set_format_zip(a.get());
    archive_write_zip_set_compression_deflate(a.get());
    archive_write_set_bytes_in_last_block(a.get(), 1); // no padding to 10 KB
    if (archive_write_open(a.get(), &out, nullptr, appendToByteArray, nullptr) != ARCHIVE_OK)
        return Status::failure(archiveError(a.get()));

    const QString root = QFileInfo(directory).absoluteFilePath();
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QByteArray local = QFile::encodeName(path);
        struct stat st {};
        if (::lstat(local.constData(), &st) != 0)
            continue;
        if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
            continue;
        const QByteArray name = path.mid(root.size() + 1).toUtf8() + (S_ISDIR(st.st_mode) ? "/" : "");
        std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
        archive_entry_copy_stat(entry.get(), &st);
        archive_entry_set_pathname_utf8(entry.get(), name.constData());
        QByteArray content;
        if (S_ISLNK(st.st_mode)) {
            archive_entry_set_symlink(entry.get(), QFile::encodeName(QFile::symLinkTarget(path)).constData());
            archive_entry_set_size(entry.get(), 0);
        } else if (S_ISREG(st.st_mode)) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                return Status::failure(
                    QObject::tr("Cannot read %1 for the job: %2").arg(path, file.errorString()));
            content = file.readAll();
            archive_entry_set_size(entry.get(), content.size());
        } else {
            archive_entry_set_size(entry.get(), 0);
        }
        if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK)
            return Status::failure(archiveError(a.get()));
        if (!content.isEmpty() &&
            archive_write_data(a.get(), content.constData(), size_t(content.size())) < 0)
            return Status::failure(archiveError(a.get()));
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK)
        return Status::failure(archiveError(a.get()));
    return out;
}

Status unzipInto(const QByteArray &zip, const QString &directory) {
    std::unique_ptr<archive, ArchiveReadDeleter> a(archive_read_new());
    archive_read_support_format_zip(a.get());
    if (archive_read_open_memory(a.get(), zip.constData(), size_t(zip.size())) != ARCHIVE_OK)
        return Status::failure(archiveError(a.get()));
    const QString root = QFileInfo(directory).absoluteFilePath();
    QDir().mkpath(root);
    archive_entry *entry = nullptr;
    int r = ARCHIVE_OK;
    while ((r = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
        const QString name =
            QString::fromUtf8(archive_entry_pathname_utf8(entry) ? archive_entry_pathname_utf8(entry)
                                                                 : archive_entry_pathname(entry));
        const QStringList parts = name.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        if (name.startsWith(QLatin1Char('/')) || parts.contains(QStringLiteral("..")) || parts.isEmpty())
            return Status::failure(QObject::tr("The archive contains an unsafe path: %1").arg(name));
        const QString target = root + QLatin1Char('/') + parts.join(QLatin1Char('/'));
        const mode_t mode = archive_entry_mode(entry);
        if (S_ISDIR(mode)) {
            QDir().mkpath(target);
            continue;
        }
        QDir().mkpath(QFileInfo(target).absolutePath());
        if (S_ISLNK(mode)) {
            QFile::remove(target);
            if (const char *link = archive_entry_symlink(entry))
                QFile::link(QFile::decodeName(link), target);
            continue;
        }
        QFile out(target);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return Status::failure(QObject::tr("Cannot write %1: %2").arg(target, out.errorString()));
        char buffer[65536];
        la_ssize_t n = 0;
        while ((n = archive_read_data(a.get(), buffer, sizeof buffer)) > 0)
            out.write(buffer, n);
        if (n < 0)
            return Status::failure(archiveError(a.get()));
        out.close();
        ::chmod(QFile::encodeName(target).constData(), (mode & 07777) ? (mode & 0777) : 0644);
    }
    if (r != ARCHIVE_EOF)
        return Status::failure(archiveError(a.get()));
    return {};
}

} // namespace playdeck

#include "ZipArchive.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace playdeck {

namespace {

struct ArchiveWriteDeleter {
    void operator()(archive *a) const { archive_write_free(a); }
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
            // The link as it is written, not QFile::symLinkTarget's absolute resolution: a link within
            // the directory must stay one on the execution node.
            QByteArray target(qsizetype(st.st_size) + 1, Qt::Uninitialized);
            const ssize_t length = ::readlink(local.constData(), target.data(), size_t(target.size()));
            if (length < 0 || length >= target.size())
                return Status::failure(QObject::tr("Cannot read the symlink %1 for the job.").arg(path));
            target.truncate(length);
            archive_entry_set_symlink(entry.get(), target.constData());
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

} // namespace playdeck

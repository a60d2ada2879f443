#include "ArtifactSink.h"

#include <QFileInfo>

#include <utility>

namespace playdeck {

FileArtifactSink::FileArtifactSink(QString path)
    : m_path(std::move(path))
    , m_file(m_path) {}

Status FileArtifactSink::begin(qint64 zipBytes) {
    if (m_expected >= 0)
        return Status::failure(tr("The runner sent a second artifacts block."));
    if (zipBytes < 0)
        return Status::failure(tr("The runner announced a negative artifacts size."));
    // NewOnly is O_EXCL: a name planted at the path, symlink or not, is removed rather than followed.
    if (QFileInfo::exists(m_path) || QFileInfo(m_path).isSymLink())
        QFile::remove(m_path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                     QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return Status::failure(
            tr("Cannot create %1 for the job's artifacts: %2").arg(m_path, m_file.errorString()));
    m_expected = zipBytes;
    return {};
}

Status FileArtifactSink::write(const char *data, qsizetype size) {
    if (!m_file.isOpen())
        return Status::failure(tr("The job's artifacts file %1 is not open.").arg(m_path));
    if (size < 0 || size > m_expected - m_written)
        return Status::failure(
            tr("The runner sent more artifacts than the %1 bytes it announced.").arg(m_expected));
    if (m_file.write(data, size) != size)
        return Status::failure(
            tr("Cannot write the job's artifacts to %1: %2").arg(m_path, m_file.errorString()));
    m_written += size;
    return {};
}

Status FileArtifactSink::finish() {
    if (!m_file.isOpen())
        return Status::failure(tr("The job's artifacts file %1 is not open.").arg(m_path));
    if (m_written != m_expected) {
        m_file.close();
        return Status::failure(
            tr("The runner sent %1 bytes of artifacts but announced %2.").arg(m_written).arg(m_expected));
    }
    if (!m_file.flush()) {
        const QString error = m_file.errorString();
        m_file.close();
        return Status::failure(tr("Cannot write the job's artifacts to %1: %2").arg(m_path, error));
    }
    m_file.close();
    return {};
}

} // namespace playdeck

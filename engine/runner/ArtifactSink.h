#pragma once

#include "core/Result.h"

#include <QCoreApplication>
#include <QFile>
#include <QString>

namespace playdeck {

// Where the artifacts zip of the runner's result stream goes while it is decoded, a piece at a time:
// the announced size can be large and the stream comes from another machine, so it is never held
// whole in memory. The parser calls begin() once, write() for every decoded piece, then finish().
class ArtifactSink {
public:
    virtual ~ArtifactSink() = default;
    virtual Status begin(qint64 zipBytes) = 0;
    virtual Status write(const char *data, qsizetype size) = 0;
    virtual Status finish() = 0;
};

// Writes the zip to a file created for it (owner read/write only; a file already at the path is
// replaced) and insists on exactly the announced number of bytes. After a failure the partial file
// stays; the job's directory, which holds it, is the caller's to remove.
class FileArtifactSink final : public ArtifactSink {
    Q_DECLARE_TR_FUNCTIONS(FileArtifactSink)

public:
    explicit FileArtifactSink(QString path);

    Status begin(qint64 zipBytes) override;
    Status write(const char *data, qsizetype size) override;
    Status finish() override;

    const QString &path() const { return m_path; }
    qint64 bytesWritten() const { return m_written; }

private:
    QString m_path;
    QFile m_file;
    qint64 m_expected = -1;
    qint64 m_written = 0;
};

} // namespace playdeck

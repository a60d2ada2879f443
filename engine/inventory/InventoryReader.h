#pragma once

#include "InventoryContent.h"

#include <QObject>
#include <QProcess>
#include <QTimer>

namespace playdeck {

// Reads an inventory source (an INI or YAML file, a script, a directory) the way ansible does:
// `ansible-inventory -i SOURCE --list --export`, no shell, in a process group of its own so that
// whatever a script starts ends with it; a source that does not parse is an error, not an empty
// inventory. Ends after `timeoutMs` (terminate, then kill). Use once.
class InventoryReader : public QObject {
    Q_OBJECT
public:
    explicit InventoryReader(QString source, int timeoutMs = 120000,
                             QString program = QStringLiteral("ansible-inventory"),
                             QObject *parent = nullptr);
    ~InventoryReader() override;

    void start();
    // What it printed on stderr (warnings, the error), for the operator.
    QString diagnostics() const { return QString::fromUtf8(m_stderr).trimmed(); }

Q_SIGNALS:
    void finished(const playdeck::Result<playdeck::InventoryContent> &content);

private:
    void finish(Result<InventoryContent> result);
    void signalGroup(int signalNumber);

    QString m_source;
    int m_timeoutMs;
    QString m_program;
    QProcess m_process;
    QTimer m_timeout;
    QTimer m_kill;
    QByteArray m_stdout;
    QByteArray m_stderr;
    qint64 m_pid = 0;
    bool m_timedOut = false;
    bool m_done = false;
};

} // namespace playdeck

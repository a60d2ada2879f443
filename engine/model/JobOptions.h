#pragma once

#include <QList>
#include <QString>

namespace playdeck {

// AWX's JobOptions: the settings a job template gives its jobs. A job keeps its own copy as it
// was when it was launched; the launch-time prompts are kept apart (LaunchConfig) and applied only
// when the job's private data dir is written.
struct JobOptions {
    qint64 projectId = 0;
    QString playbook;
    qint64 inventoryId = 0;
    QString extraVars; // YAML or JSON text, as the operator wrote it
    QString limit;
    int forks = 0; // 0: ansible's default
    int verbosity = 0;
    QString jobType = QStringLiteral("run"); // run or check
    QString jobTags;
    QString skipTags;
    int timeout = 0; // seconds; 0: none
    bool allowSimultaneous = false;
    bool diffMode = false;
    bool becomeEnabled = false;
    QString scmBranch;
    QList<qint64> credentialIds; // Machine and Vault credentials, in order

    friend bool operator==(const JobOptions &, const JobOptions &) = default;
};

} // namespace playdeck

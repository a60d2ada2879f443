#pragma once

#include "core/Result.h"

#include <QSqlDatabase>

namespace playdeck {

// A project's source-control settings, for its update (AWX's ProjectOptions).
struct ProjectScm {
    qint64 id = 0;
    QString name;
    QString scmType; // "" (a local directory) or git
    QString url, branch, refspec;
    bool clean = false, deleteOnUpdate = false, trackSubmodules = false;
    int timeout = 0;
    qint64 credentialId = 0;
};

// Where a job's playbooks come from: the directory, and the revision it holds (git projects).
struct ProjectTree {
    QString path;
    QString revision;
};

// All SQL about projects (besides ResourceStore's editing).
class ProjectStore {
public:
    explicit ProjectStore(QSqlDatabase &db)
        : m_db(db) {}

    // The tree a job copies its playbooks from: a local project's directory, or the tree of a git
    // project's last successful update.
    [[nodiscard]] Result<ProjectTree> tree(qint64 projectId);
    // The tree of an earlier revision of a git project, kept beside its current one (a replay's);
    // a local project's directory as it is now (it has no revisions).
    [[nodiscard]] Result<ProjectTree> tree(qint64 projectId, const QString &revision);
    [[nodiscard]] Result<ProjectScm> scm(qint64 projectId);
    // The same, refused for a local project: it has nothing to update.
    [[nodiscard]] Result<ProjectScm> updatable(qint64 projectId);
    // A successful update checked out `revision` into `checkoutPath`.
    [[nodiscard]] Status recordUpdate(qint64 projectId, const QString &revision, const QString &checkoutPath);

    // Where Playdeck keeps a git project's cache and revision trees: <dataDir>/projects/_<id>.
    static QString directory(const QString &dataDir, qint64 projectId);

private:
    QSqlDatabase &m_db;
};

} // namespace playdeck

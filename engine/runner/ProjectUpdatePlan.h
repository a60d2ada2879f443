#pragma once

#include "JobPlan.h"

namespace playdeck {

// A git project's update (AWX's RunProjectUpdate): Playdeck's project_update.yml, run through
// ansible-runner on localhost, fetches into <data>/projects/_<id>/checkout and copies the revision
// it checked out into <data>/projects/_<id>/revisions/<sha>, a tree nobody changes afterwards. Only
// a successful update that reported its revision moves the project to that tree.
class ProjectUpdatePlan : public JobPlan {
public:
    [[nodiscard]] Result<QByteArray> prepare(const RunInput &input, const QString &privateDir) override;
    void onEvent(const JobEvent &event) override;
    Outcome judge(Outcome outcome) const override;
    std::function<Status(QSqlDatabase &)> finalWrites(const Outcome &outcome) const override;
    // The credential's secrets, and the password as it is written into the URL.
    QStringList secrets(const RunInput &input) const override;

    // The repository URL with a Source Control credential's account in it (http(s) and ssh URLs;
    // a local path or file:// URL takes none), as AWX's project update gives it to git.
    static QString urlWithAccount(const QString &url, const QString &username, const QString &password);

    QString revision() const { return m_revision; }

private:
    qint64 m_jobId = 0;
    qint64 m_projectId = 0;
    QString m_revisionsDir;
    QString m_revision;
};

} // namespace playdeck

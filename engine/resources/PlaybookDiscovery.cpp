#include "PlaybookDiscovery.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>

namespace playdeck {

namespace {

bool skippedDirectory(const QString &relativeDir) {
    static const QStringList kSkipped = {QStringLiteral("roles"), QStringLiteral("tasks"),
                                         QStringLiteral("group_vars"), QStringLiteral("host_vars")};
    for (const QString &part : relativeDir.split(QLatin1Char('/'), Qt::SkipEmptyParts))
        if (part.startsWith(QLatin1Char('.')) || kSkipped.contains(part))
            return true;
    return false;
}

} // namespace

bool couldBePlaybook(const QByteArray &text) {
    static const QRegularExpression play(
        QStringLiteral("^\\s*?-?\\s*?(?:hosts|(ansible\\.builtin\\.)?import_playbook):\\s*?.*?$"));
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QString line = QString::fromUtf8(lines.at(n));
        if (n == 0 && line.startsWith(QLatin1String("$ANSIBLE_VAULT;")))
            return true;
        if (play.match(line).hasMatch())
            return true;
    }
    return false;
}

QStringList discoverPlaybooks(const QString &dir) {
    QStringList found;
    const QString root = QDir(dir).absolutePath();
    if (!QFileInfo(root).isDir())
        return found;
    QDirIterator it(root, {QStringLiteral("*.yml"), QStringLiteral("*.yaml")}, QDir::Files | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = path.mid(root.size() + 1);
        const QString relativeDir = relative.section(QLatin1Char('/'), 0, -2);
        if (skippedDirectory(relativeDir) || it.fileName().startsWith(QLatin1Char('.')))
            continue;
        QFile file(path);
        // A playbook says what it is near its top; a huge data file is not read whole.
        if (!file.open(QIODevice::ReadOnly) || !couldBePlaybook(file.read(1 << 20)))
            continue;
        found << relative;
    }
    std::sort(found.begin(), found.end(),
              [](const QString &a, const QString &b) { return a.compare(b, Qt::CaseInsensitive) < 0; });
    return found;
}

} // namespace playdeck

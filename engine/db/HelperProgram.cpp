#include "HelperProgram.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace playdeck {

QString helperProgram() {
    QStringList candidates;
    const QString fromEnv = qEnvironmentVariable("PLAYDECK_HELPER");
    if (!fromEnv.isEmpty())
        candidates << fromEnv;
    const QString appDir = QCoreApplication::applicationDirPath();
    candidates << appDir + QStringLiteral("/playdeck-helper")
               << appDir + QStringLiteral("/../libexec/playdeck/playdeck-helper")
               << QStringLiteral(PLAYDECK_HELPER_INSTALLED) << QStringLiteral(PLAYDECK_HELPER_BUILT);
    for (const QString &candidate : candidates) {
        const QFileInfo info(candidate);
        if (info.isFile() && info.isExecutable())
            return info.absoluteFilePath();
    }
    return {};
}

} // namespace playdeck

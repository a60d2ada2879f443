#include "Startup.h"

#include "LogFile.h"

#include <QLibraryInfo>
#include <QLocale>
#include <QStandardPaths>
#include <QTranslator>

#include <cstdio>

namespace playdeck {

std::optional<int> parseGlobalOptions(const QStringList &args, GlobalOptions &options, qsizetype &next,
                                      const char *usage) {
    options.dataDir = qEnvironmentVariable("PLAYDECK_DATA_DIR");
    options.databaseUrl = qEnvironmentVariable("PLAYDECK_DATABASE_URL");
    qsizetype i = 1;
    while (i < args.size() && args.at(i).startsWith(QLatin1String("--"))) {
        const QString arg = args.at(i);
        if ((arg == QLatin1String("--data-dir") || arg == QLatin1String("--database")) &&
            i + 1 < args.size()) {
            (arg == QLatin1String("--data-dir") ? options.dataDir : options.databaseUrl) = args.at(i + 1);
            i += 2;
        } else if (arg.startsWith(QLatin1String("--data-dir="))) {
            options.dataDir = arg.mid(11);
            ++i;
        } else if (arg.startsWith(QLatin1String("--database="))) {
            options.databaseUrl = arg.mid(11);
            ++i;
        } else if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            std::fputs(usage, stdout);
            return 0;
        } else if (arg == QLatin1String("--version")) {
            std::puts("playdeck " PLAYDECK_VERSION);
            return 0;
        } else {
            break;
        }
    }
    next = i;
    if (options.dataDir.isEmpty()) {
        QCoreApplication::setApplicationName(QStringLiteral("playdeck"));
        options.dataDir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
                          QStringLiteral("/playdeck");
    }
    installLogFile(options.dataDir);
    return std::nullopt;
}

void installTranslators(QCoreApplication &app) {
    auto *qt = new QTranslator(&app);
    if (qt->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    auto *own = new QTranslator(&app);
    if (own->load(QLocale(), QStringLiteral("playdeck"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(own);
}

QStringList arguments(int argc, char **argv) {
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    return args;
}

bool hasDisplayOrSaySo() {
    if (qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY") ||
        qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        return true;
    std::fputs(
        "playdeck: no display to open a window on. Try: playdeck launch \"Demo Job Template\" --follow\n",
        stderr);
    return false;
}

} // namespace playdeck

// `playdeck import FILE` and `playdeck export [--all|NAME…]`: awxkit's `awx export` format.

#include "CommandSupport.h"
#include "Commands.h"
#include "db/DbPool.h"
#include "launch/ExtraVars.h"
#include "services/AwxService.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

namespace playdeck {

int runImport(const GlobalOptions &options, const QStringList &args) {
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("file"),
                                 Commands::tr("The output of awx export (JSON or YAML)."));
    const QCommandLineOption projectsRoot(
        QStringLiteral("projects-root"),
        Commands::tr("Where manual projects' directories are (AWX's PROJECTS_ROOT)."), QStringLiteral("dir"),
        QStringLiteral("/var/lib/awx/projects"));
    const QCommandLineOption json(QStringLiteral("json"), Commands::tr("Print the report as JSON."));
    parser.addOptions({projectsRoot, json});
    if (!parse(parser, args, QStringLiteral("import FILE [--projects-root DIR] [--json]"), 1))
        return 2;
    QFile file(parser.positionalArguments().constFirst());
    if (!file.open(QIODevice::ReadOnly)) {
        printError(Commands::tr("cannot read %1: %2").arg(file.fileName(), file.errorString()));
        return 2;
    }
    // JSON, or YAML (`awx export -f yaml`): one reader for both.
    auto document = parseExtraVars(QString::fromUtf8(file.readAll()));
    if (!document) {
        printError(Commands::tr("%1 is not an awx export: %2").arg(file.fileName(), document.error()));
        return 2;
    }
    Engine engine(engineOptions(options, EngineOptions::RunJobs::Never));
    const bool asJson = parser.isSet(json);
    const QString root = parser.value(projectsRoot);
    return withEngine(engine, [&](std::function<void(int)> finish) {
        whenReady(engine.controller().awx().importDocument(document.value(), root), &engine,
                  [finish, asJson](Result<AwxService::ImportReport> r) {
                      if (!r) {
                          printError(r.error());
                          return finish(1);
                      }
                      const auto &report = r.value();
                      if (asJson) {
                          const QJsonObject o{
                              {QStringLiteral("created"), QJsonArray::fromStringList(report.created)},
                              {QStringLiteral("updated"), QJsonArray::fromStringList(report.updated)},
                              {QStringLiteral("unchanged"), QJsonArray::fromStringList(report.unchanged)},
                              {QStringLiteral("warnings"), QJsonArray::fromStringList(report.warnings)},
                              {QStringLiteral("errors"), QJsonArray::fromStringList(report.errors)}};
                          std::fputs(QJsonDocument(o).toJson(QJsonDocument::Indented).constData(), stdout);
                      } else {
                          for (const QString &c : report.created)
                              std::printf("%s\n", qPrintable(Commands::tr("created %1").arg(c)));
                          for (const QString &u : report.updated)
                              std::printf("%s\n", qPrintable(Commands::tr("updated %1").arg(u)));
                          std::printf("%s\n", qPrintable(Commands::tr("%1 created, %2 updated, %3 unchanged.")
                                                             .arg(report.created.size())
                                                             .arg(report.updated.size())
                                                             .arg(report.unchanged.size())));
                      }
                      for (const QString &w : report.warnings)
                          printError(w);
                      for (const QString &e : report.errors)
                          printError(e);
                      finish(report.errors.isEmpty() ? 0 : 1);
                  });
    });
}

int runExport(const GlobalOptions &options, const QStringList &args) {
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("names"), Commands::tr("Resources to export (any kind)."),
                                 QStringLiteral("[NAME…]"));
    const QCommandLineOption all(QStringLiteral("all"),
                                 Commands::tr("Export everything (the default without names)."));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")},
                                    Commands::tr("Write to FILE."), QStringLiteral("file"));
    parser.addOptions({all, output});
    if (!parse(parser, args, QStringLiteral("export [--all|NAME…] [--output FILE]"), -1))
        return 2;
    if (parser.isSet(all) && !parser.positionalArguments().isEmpty()) {
        printError(Commands::tr("Give --all or names, not both."));
        return 2;
    }
    Engine engine(engineOptions(options, EngineOptions::RunJobs::Never));
    const QStringList names = parser.positionalArguments();
    const QString target = parser.value(output);
    return withEngine(engine, [&](std::function<void(int)> finish) {
        whenReady(engine.controller().awx().exportDocument(names), &engine,
                  [finish, target](Result<QJsonObject> r) {
                      if (!r) {
                          printError(r.error());
                          return finish(1);
                      }
                      const QByteArray text = QJsonDocument(r.value()).toJson(QJsonDocument::Indented);
                      if (target.isEmpty()) {
                          std::fputs(text.constData(), stdout);
                          return finish(0);
                      }
                      QFile file(target);
                      if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size()) {
                          printError(Commands::tr("cannot write %1: %2").arg(target, file.errorString()));
                          return finish(1);
                      }
                      finish(0);
                  });
    });
}

} // namespace playdeck

#include "ResourceCommands.h"

#include "CommandSupport.h"
#include "SecretPrompt.h"
#include "db/DbPool.h"
#include "resources/ResourceSummary.h"
#include "services/CredentialService.h"
#include "services/InventoryService.h"
#include "services/JobService.h"
#include "services/ResourceService.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

namespace playdeck {

namespace {

QString dashed(const QString &name) {
    return QString(name).replace(QLatin1Char('_'), QLatin1Char('-'));
}

QStringList optionNames(const QString &name) {
    const QString d = dashed(name);
    return d == name ? QStringList{name} : QStringList{name, d};
}

void printJson(const QJsonValue &v) {
    const QJsonDocument doc = v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject());
    std::fputs(doc.toJson(QJsonDocument::Indented).constData(), stdout);
}

QString shown(const QJsonValue &v) {
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble())
        return QString::number(v.toInteger());
    if (v.isArray() || v.isObject())
        return QString::fromUtf8(v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                             : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isNull() || v.isUndefined())
        return QString();
    return v.toString();
}

void printList(ResourceKind kind, const QList<QJsonObject> &items) {
    for (const QJsonObject &r : items)
        std::printf("%lld\t%s\t%s\t%s\t%s\n", r.value(QStringLiteral("id")).toInteger(),
                    qPrintable(r.value(QStringLiteral("name")).toString()),
                    qPrintable(resourceSummary(kind, r)),
                    qPrintable(r.value(QStringLiteral("last_job_status")).toString()),
                    qPrintable(r.value(QStringLiteral("last_job_run")).toString()));
}

void printResource(const QJsonObject &r) {
    for (auto it = r.begin(); it != r.end(); ++it) {
        const QString value = shown(it.value());
        std::printf("%s: %s\n", qPrintable(it.key()),
                    qPrintable(value.contains(QLatin1Char('\n'))
                                   ? QStringLiteral("|\n  ") +
                                         QString(value).replace(QLatin1Char('\n'), QStringLiteral("\n  "))
                                   : value));
    }
}

QJsonObject contentJson(const InventoryContent &c) {
    QJsonArray hosts, groups;
    for (auto it = c.hosts.begin(); it != c.hosts.end(); ++it)
        hosts.append(QJsonObject{{QStringLiteral("name"), it.key()},
                                 {QStringLiteral("enabled"), !c.disabledHosts.contains(it.key())},
                                 {QStringLiteral("variables"), it.value()}});
    for (const InventoryContent::Group &g : c.groups)
        groups.append(QJsonObject{{QStringLiteral("name"), g.name},
                                  {QStringLiteral("variables"), g.vars},
                                  {QStringLiteral("hosts"), QJsonArray::fromStringList(g.hosts)},
                                  {QStringLiteral("children"), QJsonArray::fromStringList(g.children)}});
    return {{QStringLiteral("variables"), c.vars},
            {QStringLiteral("hosts"), hosts},
            {QStringLiteral("groups"), groups}};
}

// `inventory import NAME FILE` and `inventory hosts NAME`.
int runInventoryContent(const GlobalOptions &options, const QString &action, const QStringList &args) {
    QCommandLineParser parser;
    const QCommandLineOption json(QStringLiteral("json"), Commands::tr("Print JSON."));
    const QCommandLineOption overwrite(QStringLiteral("overwrite"),
                                       Commands::tr("Remove hosts and groups that are not in the file."));
    const QCommandLineOption overwriteVars(optionNames(QStringLiteral("overwrite_vars")),
                                           Commands::tr("Replace variables instead of merging them."));
    parser.addOption(json);
    const bool importing = action == QLatin1String("import");
    if (importing) {
        parser.addOption(overwrite);
        parser.addOption(overwriteVars);
    }
    if (!parse(parser, args.mid(0, 1) + args.mid(2),
               importing ? QStringLiteral("inventory import NAME FILE [--overwrite] [--overwrite_vars]")
                         : QStringLiteral("inventory hosts NAME [--json]"),
               importing ? 2 : 1))
        return 2;
    const QString name = parser.positionalArguments().value(0);
    const QString file = parser.positionalArguments().value(1);
    Engine engine(engineOptions(options, EngineOptions::RunJobs::Never));
    const bool asJson = parser.isSet(json);
    return withEngine(engine, [&](std::function<void(int)> finish) {
        InventoryService &inventories = engine.controller().inventories();
        if (importing) {
            whenReady(
                inventories.importFile(name, file, parser.isSet(overwrite), parser.isSet(overwriteVars)),
                &engine, [finish, asJson, name](Result<InventoryStore::ImportSummary> r) {
                    if (!r) {
                        printError(r.error());
                        return finish(1);
                    }
                    const auto &s = r.value();
                    const QJsonObject o{{QStringLiteral("hosts_added"), s.hostsAdded},
                                        {QStringLiteral("hosts_updated"), s.hostsUpdated},
                                        {QStringLiteral("hosts_removed"), s.hostsRemoved},
                                        {QStringLiteral("groups_added"), s.groupsAdded},
                                        {QStringLiteral("groups_updated"), s.groupsUpdated},
                                        {QStringLiteral("groups_removed"), s.groupsRemoved}};
                    if (asJson)
                        printJson(o);
                    else
                        std::printf(
                            "%s\n",
                            qPrintable(
                                Commands::tr("Imported into \"%1\": %2 hosts added, %3 updated, %4 removed;"
                                             " %5 groups added, %6 updated, %7 removed.")
                                    .arg(name)
                                    .arg(s.hostsAdded)
                                    .arg(s.hostsUpdated)
                                    .arg(s.hostsRemoved)
                                    .arg(s.groupsAdded)
                                    .arg(s.groupsUpdated)
                                    .arg(s.groupsRemoved)));
                    finish(0);
                });
            return;
        }
        whenReady(inventories.content(name), &engine, [finish, asJson](Result<InventoryContent> r) {
            if (!r) {
                printError(r.error());
                return finish(1);
            }
            if (asJson) {
                printJson(contentJson(r.value()));
                return finish(0);
            }
            for (auto it = r.value().hosts.begin(); it != r.value().hosts.end(); ++it) {
                QStringList groups;
                for (const InventoryContent::Group &g : r.value().groups)
                    if (g.hosts.contains(it.key()))
                        groups << g.name;
                std::printf("%s\t%s\t%s\n", qPrintable(it.key()),
                            r.value().disabledHosts.contains(it.key()) ? "disabled" : "enabled",
                            qPrintable(groups.join(QLatin1Char(','))));
            }
            finish(0);
        });
    });
}

struct SecretOptions {
    QString input;
    QCommandLineOption prompt, file, ask;
};

} // namespace

std::optional<ResourceKind> resourceCommand(const QString &command) {
    if (command == QLatin1String("job_template"))
        return std::nullopt;
    return resourceKindFromName(command);
}

int runResource(const GlobalOptions &options, ResourceKind kind, const QStringList &args) {
    const ResourceSpec &spec = resourceSpec(kind);
    const QString noun = spec.singular;
    const QString action = args.value(1);
    if (kind == ResourceKind::Inventory &&
        (action == QLatin1String("import") || action == QLatin1String("hosts")))
        return runInventoryContent(options, action, args);
    if (kind == ResourceKind::Project && action == QLatin1String("sync")) {
        QCommandLineParser parser;
        const QCommandLineOption follow(QStringLiteral("follow"),
                                        Commands::tr("Stream the update's output until it ends."));
        parser.addOption(follow);
        if (!parse(parser, args.mid(0, 1) + args.mid(2), QStringLiteral("project sync NAME [--follow]"), 1))
            return 2;
        const QString name = parser.positionalArguments().constFirst();
        return runJobCommand(
            options, [name](Controller &c) { return c.jobs().updateProject(name); }, parser.isSet(follow));
    }
    if (kind == ResourceKind::InventorySource && action == QLatin1String("sync")) {
        QCommandLineParser parser;
        const QCommandLineOption follow(QStringLiteral("follow"),
                                        Commands::tr("Stream the update's output until it ends."));
        parser.addOption(follow);
        if (!parse(parser, args.mid(0, 1) + args.mid(2),
                   QStringLiteral("inventory_source sync INVENTORY NAME [--follow]"), 2))
            return 2;
        const QString inventory = parser.positionalArguments().at(0),
                      source = parser.positionalArguments().at(1);
        return runJobCommand(
            options,
            [inventory, source](Controller &c) { return c.jobs().updateInventorySource(inventory, source); },
            parser.isSet(follow));
    }
    static const QStringList kActions = {QStringLiteral("list"),   QStringLiteral("show"),
                                         QStringLiteral("create"), QStringLiteral("update"),
                                         QStringLiteral("copy"),   QStringLiteral("delete")};
    if (!kActions.contains(action)) {
        printError(
            Commands::tr("usage: playdeck %1 list|show|create|update|copy|delete … (--help after the action "
                         "lists its options)")
                .arg(noun));
        return 2;
    }
    const bool writes = action == QLatin1String("create") || action == QLatin1String("update");
    QCommandLineParser parser;
    const QCommandLineOption json(QStringLiteral("json"), Commands::tr("Print JSON."));
    parser.addOption(json);
    QList<std::pair<const FieldSpec *, QCommandLineOption>> fieldOptions;
    if (writes) {
        for (const FieldSpec &f : spec.fields) {
            if (f.readOnly || f.name == QLatin1String("name") || f.name == QLatin1String("inputs"))
                continue;
            QCommandLineOption o(optionNames(f.name), QCoreApplication::translate("Resources", f.help),
                                 QStringLiteral("value"));
            fieldOptions.append({&f, o});
            parser.addOption(o);
        }
    }
    // An inventory source's name is unique only in its inventory.
    const QCommandLineOption parent(QStringList{QStringLiteral("inventory")}, Commands::tr("The inventory."),
                                    QStringLiteral("name"));
    if (kind == ResourceKind::InventorySource && !writes)
        parser.addOption(parent);
    QList<QCommandLineOption> inputOptions;
    QList<SecretOptions> secretOptions;
    if (kind == ResourceKind::Credential && writes) {
        QSet<QString> seen;
        for (const CredentialKindSpec &k : credentialKinds()) {
            for (const CredentialInput &input : k.inputs) {
                if (seen.contains(input.id))
                    continue;
                seen.insert(input.id);
                if (!input.secret) {
                    inputOptions.append(QCommandLineOption(
                        optionNames(input.id), QCoreApplication::translate("Resources", input.label),
                        QStringLiteral("value")));
                    parser.addOption(inputOptions.last());
                    continue;
                }
                SecretOptions s{
                    input.id,
                    QCommandLineOption(optionNames(input.id),
                                       Commands::tr("%1: asked at the terminal.")
                                           .arg(QCoreApplication::translate("Resources", input.label))),
                    QCommandLineOption(optionNames(input.id + QStringLiteral("_file")),
                                       Commands::tr("%1: read from FILE (- for standard input).")
                                           .arg(QCoreApplication::translate("Resources", input.label)),
                                       QStringLiteral("file")),
                    QCommandLineOption(optionNames(input.id + QStringLiteral("_ask")),
                                       Commands::tr("%1: asked at each launch.")
                                           .arg(QCoreApplication::translate("Resources", input.label)))};
                parser.addOption(s.prompt);
                parser.addOption(s.file);
                parser.addOption(s.ask);
                secretOptions.append(s);
            }
        }
    }
    const bool named = action != QLatin1String("list");
    const int positionals = action == QLatin1String("copy") ? -1 : (named ? 1 : 0);
    if (!parse(parser, args.mid(0, 1) + args.mid(2),
               QStringLiteral("%1 %2%3").arg(noun, action, named ? QStringLiteral(" NAME") : QString()),
               positionals))
        return 2;
    const QStringList names = parser.positionalArguments();
    if (action == QLatin1String("copy") && (names.isEmpty() || names.size() > 2)) {
        printError(Commands::tr("usage: playdeck %1 copy NAME [NEW_NAME]").arg(noun));
        return 2;
    }
    const QString name = names.value(0);

    QJsonObject fields;
    if (action == QLatin1String("create"))
        fields.insert(QStringLiteral("name"), name);
    for (const auto &[f, o] : fieldOptions)
        if (parser.isSet(o))
            fields.insert(f->name, parser.value(o));
    QJsonObject inputs;
    for (const QCommandLineOption &o : inputOptions)
        if (parser.isSet(o))
            inputs.insert(o.names().constFirst(), parser.value(o));
    if (!inputs.isEmpty())
        fields.insert(QStringLiteral("inputs"), inputs);
    CredentialService::Secrets secrets;
    for (const SecretOptions &s : secretOptions) {
        const int given = int(parser.isSet(s.prompt)) + int(parser.isSet(s.file)) + int(parser.isSet(s.ask));
        if (given > 1) {
            printError(Commands::tr("Give %1 one way: --%1, --%1_file or --%1_ask.").arg(s.input));
            return 2;
        }
        if (parser.isSet(s.ask)) {
            secrets.insert(s.input, kAsk);
        } else if (parser.isSet(s.file) || parser.isSet(s.prompt)) {
            auto value = parser.isSet(s.file)
                             ? readSecretFile(parser.value(s.file), s.input == QLatin1String("ssh_key_data"))
                             : askOnTerminal(Commands::tr("%1 for credential \"%2\": ").arg(s.input, name));
            if (!value) {
                printError(value.error());
                return 2;
            }
            secrets.insert(s.input, value.value());
        }
    }
    const QString parentName =
        kind == ResourceKind::InventorySource && !writes ? parser.value(parent) : QString();

    Engine engine(engineOptions(options, EngineOptions::RunJobs::Never));
    const bool asJson = parser.isSet(json);
    return withEngine(engine, [&](std::function<void(int)> finish) {
        Controller &c = engine.controller();
        const auto answer = [finish, asJson](Result<QJsonObject> r) {
            if (!r) {
                printError(r.error());
                return finish(1);
            }
            if (asJson)
                printJson(r.value());
            else
                printResource(r.value());
            if (r.value().contains(QStringLiteral("warning")))
                printError(r.value().value(QStringLiteral("warning")).toString());
            finish(0);
        };
        const bool credential = kind == ResourceKind::Credential;
        if (action == QLatin1String("list")) {
            whenReady(c.resources().list(kind, parentName), &engine,
                      [finish, asJson, kind](Result<QList<QJsonObject>> r) {
                          if (!r) {
                              printError(r.error());
                              return finish(1);
                          }
                          if (asJson) {
                              QJsonArray array;
                              for (const QJsonObject &o : r.value())
                                  array.append(o);
                              printJson(array);
                          } else {
                              printList(kind, r.value());
                          }
                          finish(0);
                      });
        } else if (action == QLatin1String("show")) {
            whenReady(c.resources().show(kind, name, parentName), &engine, answer);
        } else if (action == QLatin1String("create")) {
            whenReady(credential ? c.credentials().create(fields, secrets)
                                 : c.resources().create(kind, fields),
                      &engine, answer);
        } else if (action == QLatin1String("update")) {
            const QString within = kind == ResourceKind::InventorySource
                                       ? fields.value(QStringLiteral("inventory")).toString()
                                       : QString();
            whenReady(credential ? c.credentials().update(name, fields, secrets)
                                 : c.resources().update(kind, name, fields, within),
                      &engine, answer);
        } else if (action == QLatin1String("copy")) {
            whenReady(credential ? c.credentials().copy(name, names.value(1))
                                 : c.resources().copy(kind, name, names.value(1), parentName),
                      &engine, answer);
        } else {
            whenReady(credential ? c.credentials().remove(name)
                                 : c.resources().remove(kind, name, parentName),
                      &engine, [finish, asJson, answer](Result<QJsonObject> r) {
                          if (r && !asJson) {
                              if (r.value().contains(QStringLiteral("warning")))
                                  printError(r.value().value(QStringLiteral("warning")).toString());
                              return finish(0);
                          }
                          answer(r);
                      });
        }
    });
}

} // namespace playdeck

// `playdeck launch TEMPLATE ...`: the template's prompts as options, survey answers as extra
// variables (as AWX's API takes them), and every password the launch needs asked at the terminal or
// read from a file, never taken from the command line.

#include "CommandSupport.h"
#include "Commands.h"
#include "SecretPrompt.h"
#include "db/DbPool.h"
#include "launch/ExtraVars.h"
#include "services/JobService.h"

#include <QFile>
#include <QJsonArray>
#include <QPromise>

#include <memory>

namespace playdeck {

namespace {

Result<QString> textOrFile(const QString &value) {
    if (!value.startsWith(QLatin1Char('@')))
        return value;
    QFile file(value.mid(1));
    if (!file.open(QIODevice::ReadOnly))
        return Status::failure(Commands::tr("cannot read %1: %2").arg(file.fileName(), file.errorString()));
    return QString::fromUtf8(file.readAll());
}

// Asks for what the launch needs and was not given: the ask-at-launch credential fields and the
// unanswered password questions of the survey and of the playbook's vars_prompt.
Status askForSecrets(const LaunchNeeds &needs, LaunchRequest &request, const QJsonObject &secretsFile) {
    for (const LaunchNeeds::CredentialSecret &c : needs.credentialSecrets) {
        if (request.secrets.credentialPasswords.contains(c.key()))
            continue;
        const QString fileKey = c.credentialName + QLatin1Char('/') + c.input;
        if (secretsFile.contains(fileKey)) {
            request.secrets.credentialPasswords.insert(c.key(), secretsFile.value(fileKey).toString());
            continue;
        }
        auto typed = askOnTerminal(Commands::tr("%1 for credential \"%2\": ").arg(c.input, c.credentialName));
        if (!typed)
            return Status::failure(
                Commands::tr("The launch needs the %1 of credential \"%2\": %3 Or put it in a "
                             "--secrets-file under \"%2/%1\".")
                    .arg(c.input, c.credentialName, typed.error()));
        request.secrets.credentialPasswords.insert(c.key(), typed.value());
    }
    auto given = parseExtraVars(request.prompts.extraVars);
    for (const QJsonValue &item : needs.questions) {
        const QJsonObject q = item.toObject();
        const QString variable = q.value(QStringLiteral("variable")).toString();
        if (q.value(QStringLiteral("type")).toString() != QLatin1String("password") ||
            (given && given.value().contains(variable)) || request.surveyAnswers.contains(variable))
            continue;
        if (secretsFile.contains(variable)) {
            request.surveyAnswers.insert(variable, secretsFile.value(variable));
            continue;
        }
        if (!q.value(QStringLiteral("required")).toBool() &&
            !q.value(QStringLiteral("default")).toString().isEmpty())
            continue;
        auto typed = askOnTerminal(
            Commands::tr("%1 (%2): ").arg(q.value(QStringLiteral("question_name")).toString(), variable));
        // A playbook's private vars_prompt with no terminal to ask at gets the empty answer, as
        // ansible would; a survey's password question must be answered.
        if (!typed && q.value(QStringLiteral("vars_prompt")).toBool())
            continue;
        if (!typed)
            return typed.status();
        request.surveyAnswers.insert(variable, typed.value());
    }
    return {};
}

} // namespace

int runLaunch(const GlobalOptions &options, const QStringList &args) {
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("template"), Commands::tr("Name of the job template."));
    const QCommandLineOption extraVars(
        QStringLiteral("extra-vars"),
        Commands::tr("Extra variables and survey answers: JSON, YAML or @file."), QStringLiteral("vars"));
    const QCommandLineOption limit(QStringLiteral("limit"), Commands::tr("Host pattern to limit the run to."),
                                   QStringLiteral("pattern"));
    const QCommandLineOption verbosity(QStringLiteral("verbosity"), Commands::tr("0 (normal) to 5."),
                                       QStringLiteral("level"));
    const QCommandLineOption check(QStringLiteral("check"), Commands::tr("Run in check mode."));
    const QCommandLineOption inventory(QStringLiteral("inventory"), Commands::tr("Another inventory."),
                                       QStringLiteral("name"));
    const QCommandLineOption credential(
        QStringLiteral("credential"),
        Commands::tr("A credential to use instead of the template's (repeat for several)."),
        QStringLiteral("name"));
    const QCommandLineOption tags(QStringList{QStringLiteral("tags"), QStringLiteral("job-tags")},
                                  Commands::tr("Only tasks with these tags."), QStringLiteral("tags"));
    const QCommandLineOption skipTags(QStringLiteral("skip-tags"),
                                      Commands::tr("Skip tasks with these tags."), QStringLiteral("tags"));
    const QCommandLineOption diff(QStringLiteral("diff"), Commands::tr("Show the changes tasks make."));
    const QCommandLineOption forks(QStringLiteral("forks"), Commands::tr("Parallel hosts."),
                                   QStringLiteral("n"));
    const QCommandLineOption timeout(QStringLiteral("timeout"), Commands::tr("Seconds the job may take."),
                                     QStringLiteral("s"));
    const QCommandLineOption secretsFile(
        QStringLiteral("secrets-file"),
        Commands::tr("YAML or JSON with passwords the launch needs: \"CREDENTIAL/INPUT\" or "
                     "a survey variable → value."),
        QStringLiteral("file"));
    const QCommandLineOption follow(QStringLiteral("follow"),
                                    Commands::tr("Stream the job's output until it ends."));
    parser.addOptions({extraVars, limit, verbosity, check, inventory, credential, tags, skipTags, diff, forks,
                       timeout, secretsFile, follow});
    if (!parse(parser, args,
               QStringLiteral("launch TEMPLATE [--extra-vars JSON|YAML|@file] [--limit PATTERN] [--follow]"),
               1))
        return 2;

    LaunchRequest request;
    request.templateName = parser.positionalArguments().constFirst();
    auto vars = textOrFile(parser.value(extraVars));
    if (!vars) {
        printError(vars.error());
        return 2;
    }
    request.prompts.extraVars = vars.value();
    if (parser.isSet(limit))
        request.prompts.limit = parser.value(limit);
    if (parser.isSet(verbosity))
        request.prompts.verbosity = parser.value(verbosity).toInt();
    if (parser.isSet(check))
        request.prompts.jobType = QStringLiteral("check");
    if (parser.isSet(inventory))
        request.inventoryName = parser.value(inventory);
    if (parser.isSet(credential))
        request.credentialNames = parser.values(credential);
    if (parser.isSet(tags))
        request.prompts.jobTags = parser.value(tags);
    if (parser.isSet(skipTags))
        request.prompts.skipTags = parser.value(skipTags);
    if (parser.isSet(diff))
        request.prompts.diffMode = true;
    for (auto [option, target] :
         {std::pair{&forks, &request.prompts.forks}, {&timeout, &request.prompts.timeout}})
        if (parser.isSet(*option)) {
            bool ok = false;
            *target = parser.value(*option).toInt(&ok);
            if (!ok) {
                printError(Commands::tr("--%1 takes a whole number").arg(option->names().constFirst()));
                return 2;
            }
        }
    QJsonObject secrets;
    if (parser.isSet(secretsFile)) {
        auto text = readSecretFile(parser.value(secretsFile), true);
        auto parsed = text ? parseExtraVars(text.value()) : Result<QJsonObject>(text.status());
        if (!parsed) {
            printError(Commands::tr("The secrets file: %1").arg(parsed.error()));
            return 2;
        }
        secrets = parsed.value();
    }

    return runJobCommand(
        options,
        [request, secrets](Controller &c) mutable {
            // First what the launch needs, then ask for it, then launch.
            auto promise = std::make_shared<QPromise<Result<qint64>>>();
            promise->start();
            const auto fulfil = [promise](Result<qint64> r) {
                promise->addResult(std::move(r));
                promise->finish();
            };
            whenReady(c.jobs().launchNeeds(request.templateName, request.prompts), &c,
                      [&c, request, secrets, fulfil](Result<LaunchNeeds> needs) mutable {
                          if (!needs)
                              return fulfil(needs.status());
                          if (Status s = askForSecrets(needs.value(), request, secrets); !s)
                              return fulfil(s);
                          whenReady(c.jobs().launch(request), &c, fulfil);
                      });
            return promise->future();
        },
        parser.isSet(follow));
}

} // namespace playdeck

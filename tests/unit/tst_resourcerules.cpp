// The plain rules of resources: patches with AWX's field names, whole-resource checks, surveys,
// credential inputs and playbook discovery.

#include "resources/PlaybookDiscovery.h"
#include "resources/ResourceRules.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace playdeck;

namespace {

QJsonObject question(const QString &type, const QString &variable, QJsonObject extra = {}) {
    extra.insert(QStringLiteral("type"), type);
    extra.insert(QStringLiteral("variable"), variable);
    extra.insert(QStringLiteral("question_name"), QString(QStringLiteral("Q ") + variable));
    extra.insert(QStringLiteral("required"), false);
    return extra;
}

QJsonObject survey(const QJsonArray &questions) {
    return {{QStringLiteral("name"), QString()},
            {QStringLiteral("description"), QString()},
            {QStringLiteral("spec"), questions}};
}

void write(const QString &path, const QByteArray &text) {
    QDir().mkpath(path.section(QLatin1Char('/'), 0, -2));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

} // namespace

class ResourceRulesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void commandLineTextBecomesTypedValues() {
        const ResourceSpec &spec = resourceSpec(ResourceKind::JobTemplate);
        auto r = applyPatch(spec, resourceDefaults(spec),
                            {{QStringLiteral("forks"), QStringLiteral("10")},
                             {QStringLiteral("diff_mode"), QStringLiteral("yes")},
                             {QStringLiteral("credentials"), QStringLiteral("A, B")},
                             {QStringLiteral("extra_vars"), QStringLiteral("a: 1\n")}});
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r.value().value(QStringLiteral("forks")).toInteger(), 10);
        QCOMPARE(r.value().value(QStringLiteral("diff_mode")).toBool(), true);
        QCOMPARE(r.value().value(QStringLiteral("credentials")).toArray(),
                 (QJsonArray{QStringLiteral("A"), QStringLiteral("B")}));
    }
    void badValuesAreRefusedWithTheFieldsName_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown") << "scm_urll"
                                 << "x"
                                 << "no field \"scm_urll\"";
        QTest::newRow("read-only") << "scm_revision"
                                   << "abc"
                                   << "no field \"scm_revision\"";
        QTest::newRow("forks range") << "forks"
                                     << "500"
                                     << "forks must be between 0 and 200";
        QTest::newRow("not a number") << "verbosity"
                                      << "loud"
                                      << "verbosity must be a whole number";
        QTest::newRow("not a bool") << "diff_mode"
                                    << "maybe"
                                    << "diff_mode must be true or false";
        QTest::newRow("choice") << "job_type"
                                << "scan"
                                << "job_type must be one of run, check";
        QTest::newRow("vars") << "extra_vars"
                              << "a: [1"
                              << "extra_vars is not valid YAML or JSON";
        QTest::newRow("twice") << "credentials"
                               << "A,A"
                               << "names \"A\" twice";
    }
    void badValuesAreRefusedWithTheFieldsName() {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, message);
        const ResourceSpec &spec = resourceSpec(ResourceKind::JobTemplate);
        auto r = applyPatch(spec, resourceDefaults(spec), {{field, value}});
        QVERIFY(!r.ok());
        QVERIFY2(r.error().contains(message), qPrintable(r.error()));
    }
    void projectsNeedWhereTheirPlaybooksAre() {
        const ResourceSpec &spec = resourceSpec(ResourceKind::Project);
        QJsonObject p = resourceDefaults(spec);
        p.insert(QStringLiteral("name"), QStringLiteral("P"));
        QVERIFY(validateResource(ResourceKind::Project, p).error().contains(QLatin1String("local_path")));
        p.insert(QStringLiteral("scm_type"), QStringLiteral("git"));
        QVERIFY(validateResource(ResourceKind::Project, p).error().contains(QLatin1String("scm_url")));
        p.insert(QStringLiteral("scm_url"), QStringLiteral("https://example.com/x.git"));
        QVERIFY(validateResource(ResourceKind::Project, p).ok());
    }
    void templatesPlaybookStaysInsideItsProject() {
        const ResourceSpec &spec = resourceSpec(ResourceKind::JobTemplate);
        QJsonObject t = resourceDefaults(spec);
        t.insert(QStringLiteral("name"), QStringLiteral("T"));
        t.insert(QStringLiteral("project"), QStringLiteral("P"));
        t.insert(QStringLiteral("inventory"), QStringLiteral("I"));
        for (const QString &bad :
             {QStringLiteral("../x.yml"), QStringLiteral("/etc/x.yml"), QStringLiteral("a/../../x.yml")}) {
            t.insert(QStringLiteral("playbook"), bad);
            QVERIFY2(!validateResource(ResourceKind::JobTemplate, t).ok(), qPrintable(bad));
        }
        t.insert(QStringLiteral("playbook"), QStringLiteral("deploy/site.yml"));
        QVERIFY(validateResource(ResourceKind::JobTemplate, t).ok());
        t.insert(QStringLiteral("inventory"), QString());
        QVERIFY(validateResource(ResourceKind::JobTemplate, t).error().contains(QLatin1String("inventory")));
        t.insert(QStringLiteral("ask_inventory_on_launch"), true);
        QVERIFY(validateResource(ResourceKind::JobTemplate, t).ok());
    }
    void awxSurveysAreAccepted() {
        const QJsonArray questions{
            question(QStringLiteral("text"), QStringLiteral("release"),
                     {{QStringLiteral("min"), 1},
                      {QStringLiteral("max"), 20},
                      {QStringLiteral("default"), QStringLiteral("1.0")}}),
            question(
                QStringLiteral("multiplechoice"), QStringLiteral("env"),
                {{QStringLiteral("choices"), QJsonArray{QStringLiteral("staging"), QStringLiteral("prod")}},
                 {QStringLiteral("default"), QStringLiteral("staging")}}),
            question(QStringLiteral("multiselect"), QStringLiteral("features"),
                     {{QStringLiteral("choices"), QStringLiteral("a\nb\nc")},
                      {QStringLiteral("default"), QStringLiteral("a\nc")}}),
            question(QStringLiteral("password"), QStringLiteral("api_token"),
                     {{QStringLiteral("required"), true}}),
            question(
                QStringLiteral("integer"), QStringLiteral("batch"),
                {{QStringLiteral("min"), 1}, {QStringLiteral("max"), 10}, {QStringLiteral("default"), 2}}),
            question(QStringLiteral("float"), QStringLiteral("ratio"),
                     {{QStringLiteral("min"), 0}, {QStringLiteral("max"), 1}}),
            question(QStringLiteral("textarea"), QStringLiteral("notes"),
                     {{QStringLiteral("new_question"), true}}),
            question(QStringLiteral("text"), QStringLiteral("ticket"),
                     {{QStringLiteral("regex"), QStringLiteral("^[A-Z]+-[0-9]+$")}}),
            question(QStringLiteral("multiplechoice"), QStringLiteral("host"),
                     {{QStringLiteral("choices_from"), QStringLiteral("hosts")}}),
        };
        const Status s = validateSurveySpec(survey(questions));
        QVERIFY2(s.ok(), qPrintable(s.error()));
    }
    void badSurveysSayWhichQuestion_data() {
        QTest::addColumn<QJsonObject>("q");
        QTest::addColumn<QString>("message");
        QTest::newRow("type") << question(QStringLiteral("date"), QStringLiteral("a"))
                              << "type must be one of";
        QTest::newRow("variable") << question(QStringLiteral("text"), QStringLiteral("1a"))
                                  << "not a valid variable name";
        QTest::newRow("min > max") << question(QStringLiteral("integer"), QStringLiteral("a"),
                                               {{QStringLiteral("min"), 5}, {QStringLiteral("max"), 1}})
                                   << "min (5) is greater than max (1)";
        QTest::newRow("no choices") << question(QStringLiteral("multiplechoice"), QStringLiteral("a"))
                                    << "needs choices";
        QTest::newRow("default not a choice")
            << question(QStringLiteral("multiplechoice"), QStringLiteral("a"),
                        {{QStringLiteral("choices"), QJsonArray{QStringLiteral("x")}},
                         {QStringLiteral("default"), QStringLiteral("y")}})
            << "\"y\" is not one of the choices";
        QTest::newRow("regex") << question(QStringLiteral("text"), QStringLiteral("a"),
                                           {{QStringLiteral("regex"), QStringLiteral("(")}})
                               << "the regex is invalid";
        QTest::newRow("integer default")
            << question(QStringLiteral("integer"), QStringLiteral("a"), {{QStringLiteral("default"), 1.5}})
            << "whole number";
        QTest::newRow("choices_from") << question(QStringLiteral("multiselect"), QStringLiteral("a"),
                                                  {{QStringLiteral("choices_from"), QStringLiteral("vms")}})
                                      << "hosts or groups";
    }
    void badSurveysSayWhichQuestion() {
        QFETCH(QJsonObject, q);
        QFETCH(QString, message);
        const Status s =
            validateSurveySpec(survey({question(QStringLiteral("text"), QStringLiteral("first")), q}));
        QVERIFY(!s.ok());
        QVERIFY2(s.error().contains(QLatin1String("question 2")) && s.error().contains(message),
                 qPrintable(s.error()));
    }
    void aVariableIsAskedOnce() {
        const Status s =
            validateSurveySpec(survey({question(QStringLiteral("text"), QStringLiteral("a")),
                                       question(QStringLiteral("integer"), QStringLiteral("a"))}));
        QVERIFY(s.error().contains(QLatin1String("asked twice")));
    }
    void credentialInputsFollowTheirKind() {
        QVERIFY(validateCredentialInputs(QStringLiteral("ssh"),
                                         {{QStringLiteral("username"), QStringLiteral("u")},
                                          {QStringLiteral("become_method"), QStringLiteral("sudo")},
                                          {QStringLiteral("become_password"), kAsk}})
                    .ok());
        QVERIFY(validateCredentialInputs(QStringLiteral("vault"),
                                         {{QStringLiteral("username"), QStringLiteral("u")}})
                    .error()
                    .contains(QLatin1String("no input \"username\"")));
        QVERIFY(validateCredentialInputs(QStringLiteral("ssh"),
                                         {{QStringLiteral("become_method"), QStringLiteral("sudu")}})
                    .error()
                    .contains(QLatin1String("become_method must be one of")));
        QVERIFY(validateCredentialInputs(QStringLiteral("ssh"),
                                         {{QStringLiteral("ssh_key_data"), QStringLiteral("hello")}})
                    .error()
                    .contains(QLatin1String("not a private key")));
        QVERIFY(validateCredentialInputs(QStringLiteral("gcp"), {})
                    .error()
                    .contains(QLatin1String("no credential kind")));
        QCOMPARE(credentialKind(QStringLiteral("Source Control"))->kind, QStringLiteral("scm"));
    }
    void playbooksAreFoundAsAwxFindsThem() {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral("site.yml")), "---\n- hosts: all\n  tasks: []\n");
        write(dir.filePath(QStringLiteral("deploy/Web.yaml")), "- name: web\n  hosts: web\n");
        write(dir.filePath(QStringLiteral("all.yml")), "- import_playbook: site.yml\n");
        write(dir.filePath(QStringLiteral("secret.yml")), "$ANSIBLE_VAULT;1.1;AES256\n6162\n");
        write(dir.filePath(QStringLiteral("vars.yml")), "a: 1\n");
        write(dir.filePath(QStringLiteral("roles/x/tasks/main.yml")), "- hosts: all\n");
        write(dir.filePath(QStringLiteral("group_vars/all.yml")), "- hosts: all\n");
        write(dir.filePath(QStringLiteral(".github/ci.yml")), "- hosts: all\n");
        write(dir.filePath(QStringLiteral("notes.txt")), "- hosts: all\n");
        QCOMPARE(discoverPlaybooks(dir.path()),
                 (QStringList{QStringLiteral("all.yml"), QStringLiteral("deploy/Web.yaml"),
                              QStringLiteral("secret.yml"), QStringLiteral("site.yml")}));
        QVERIFY(discoverPlaybooks(dir.filePath(QStringLiteral("missing"))).isEmpty());
    }
};

QTEST_GUILESS_MAIN(ResourceRulesTest)
#include "tst_resourcerules.moc"

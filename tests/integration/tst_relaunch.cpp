// Relaunch in its three forms, and a playbook's vars_prompt answered before the run: with the same
// prompts; on the hosts that failed only; and "exactly as it ran", whatever changed since.

#include "TestEngine.h"

#include "services/InventoryService.h"
#include "services/JobService.h"
#include "services/ResourceService.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTest>

using namespace playdeck;
using playdeck::test::await;
using playdeck::test::TestEngine;

namespace {

const QString kPromptSecret = QStringLiteral("prompt-Secret-%1").arg(QCoreApplication::applicationPid());

} // namespace

class RelaunchTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        m_engine = std::make_unique<TestEngine>();
        QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
        m_project = m_engine->dataDir() + QStringLiteral("/books");
        QDir().mkpath(m_project);
        ResourceService &resources = m_engine->controller().resources();
        QVERIFY(
            await(resources.create(ResourceKind::Project, {{QStringLiteral("name"), QStringLiteral("Books")},
                                                           {QStringLiteral("local_path"), m_project}}))
                .ok());
        QVERIFY(await(resources.create(ResourceKind::Inventory,
                                       {{QStringLiteral("name"), QStringLiteral("Pair")}}))
                    .ok());
        write(QStringLiteral("pair.ini"), "[web]\nalpha\nbeta\n[all:vars]\nansible_connection=local\n"
                                          "ansible_python_interpreter=/usr/bin/python3\ncolour=red\n");
        auto imported = await(m_engine->controller().inventories().importFile(
            QStringLiteral("Pair"), m_project + QStringLiteral("/pair.ini"), false, false));
        QVERIFY2(imported.ok(), qPrintable(imported.error()));
    }
    void cleanupTestCase() { m_engine.reset(); }

    void varsPromptIsAskedBeforeAndTheRunNeverWaits() {
        write(QStringLiteral("prompts.yml"), "- hosts: alpha\n  gather_facts: false\n  vars_prompt:\n"
                                             "    - name: release\n      prompt: Release to deploy\n"
                                             "      default: '1.0'\n      private: false\n"
                                             "    - name: secret\n      prompt: Deploy key\n"
                                             "  tasks:\n    - debug:\n        msg: \"release={{ release }} "
                                             "secret={{ secret }}\"\n");
        QVERIFY(addTemplate(QStringLiteral("Prompts"), QStringLiteral("prompts.yml")));
        auto needs = await(m_engine->controller().jobs().launchNeeds(QStringLiteral("Prompts")));
        QVERIFY2(needs.ok(), qPrintable(needs.error()));
        QCOMPARE(needs.value().questions.size(), 2);
        QCOMPARE(needs.value().questions.at(0).toObject().value("question_name").toString(),
                 QStringLiteral("Release to deploy"));
        QCOMPARE(needs.value().questions.at(1).toObject().value("type").toString(),
                 QStringLiteral("password"));

        LaunchRequest request;
        request.templateName = QStringLiteral("Prompts");
        request.surveyAnswers = {{QStringLiteral("release"), QStringLiteral("2.5")},
                                 {QStringLiteral("secret"), kPromptSecret}};
        QString error;
        const qint64 job = m_engine->launch(request, &error);
        QVERIFY2(job > 0, qPrintable(error));
        // ansible would wait at its prompt forever (no terminal): the answers went as variables.
        QCOMPARE(m_engine->waitForFinished(job, 60000), JobStatus::Successful);
        const QString out = stdoutOf(job);
        QVERIFY2(out.contains(QLatin1String("release=2.5 secret=**********")), qPrintable(out));
        QVERIFY(!m_engine->databaseDump().contains(kPromptSecret.toUtf8()));

        // Left unanswered: the default, or the empty answer, never a stalled run.
        request.surveyAnswers = {};
        const qint64 second = m_engine->launch(request, &error);
        QVERIFY2(second > 0, qPrintable(error));
        QCOMPARE(m_engine->waitForFinished(second, 60000), JobStatus::Successful);
        QVERIFY2(stdoutOf(second).contains(QLatin1String("release=1.0 secret=\"")),
                 qPrintable(stdoutOf(second)));
    }

    void relaunchOnFailedHostsLimitsTheRunToThem() {
        write(QStringLiteral("flaky.yml"), "- hosts: all\n  gather_facts: false\n  tasks:\n"
                                           "    - fail:\n        msg: beta is broken\n"
                                           "      when: inventory_hostname == 'beta'\n");
        QVERIFY(addTemplate(QStringLiteral("Flaky"), QStringLiteral("flaky.yml")));
        const qint64 job = m_engine->launch(QStringLiteral("Flaky"));
        QCOMPARE(m_engine->waitForFinished(job), JobStatus::Failed);
        auto recap = await(m_engine->controller().jobs().hostSummaries(job));
        QVERIFY2(recap.ok(), qPrintable(recap.error()));
        QCOMPARE(recap.value().size(), 2);
        QCOMPARE(recap.value().at(1).host, QStringLiteral("beta"));
        QVERIFY(recap.value().at(1).failed() && !recap.value().at(0).failed());

        auto again = await(m_engine->controller().jobs().relaunch(job, RelaunchMode::FailedHosts));
        QVERIFY2(again.ok(), qPrintable(again.error()));
        QCOMPARE(m_engine->waitForFinished(again.value()), JobStatus::Failed);
        QCOMPARE(m_engine
                     ->scalar(QStringLiteral("SELECT launch_config->>'limit' FROM unified_job WHERE id = ?"),
                              {again.value()})
                     .toString(),
                 QStringLiteral("beta"));
        QCOMPARE(m_engine
                     ->scalar(QStringLiteral("SELECT string_agg(host_name, ',') FROM job_host_summary WHERE "
                                             "job_id = ?"),
                              {again.value()})
                     .toString(),
                 QStringLiteral("beta"));
        QCOMPARE(
            m_engine
                ->scalar(QStringLiteral("SELECT relaunch_of FROM unified_job WHERE id = ?"), {again.value()})
                .toLongLong(),
            job);

        // Nothing failed: nothing to relaunch, and said so.
        write(QStringLiteral("flaky.yml"), "- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n");
        const qint64 fine = m_engine->launch(QStringLiteral("Flaky"));
        QCOMPARE(m_engine->waitForFinished(fine), JobStatus::Successful);
        auto none = await(m_engine->controller().jobs().relaunch(fine, RelaunchMode::FailedHosts));
        QVERIFY(!none.ok());
        QVERIFY2(none.error().contains(QLatin1String("No host failed")), qPrintable(none.error()));
    }

    void exactReplayRunsWhatTheJobRanWhateverChangedSince() {
        write(QStringLiteral("colour.yml"),
              "- hosts: all\n  gather_facts: false\n  tasks:\n"
              "    - debug:\n        msg: \"colour={{ colour }} size={{ size }}\"\n");
        QVERIFY(addTemplate(QStringLiteral("Colour"), QStringLiteral("colour.yml"),
                            QStringLiteral("size: small")));
        const qint64 job = m_engine->launch(QStringLiteral("Colour"));
        QCOMPARE(m_engine->waitForFinished(job), JobStatus::Successful);
        QVERIFY(stdoutOf(job).contains(QLatin1String("colour=red size=small")));
        QVERIFY(
            !m_engine
                 ->scalar(QStringLiteral("SELECT inventory_snapshot FROM unified_job WHERE id = ?"), {job})
                 .isNull());

        // The template's variables, the inventory's variables and its hosts change.
        auto updated = await(m_engine->controller().resources().update(
            ResourceKind::JobTemplate, QStringLiteral("Colour"),
            {{QStringLiteral("extra_vars"), QStringLiteral("size: large")}}));
        QVERIFY2(updated.ok(), qPrintable(updated.error()));
        write(QStringLiteral("more.ini"), "[web]\nalpha\nbeta\ngamma\n[all:vars]\nansible_connection=local\n"
                                          "ansible_python_interpreter=/usr/bin/python3\ncolour=blue\n");
        auto imported = await(m_engine->controller().inventories().importFile(
            QStringLiteral("Pair"), m_project + QStringLiteral("/more.ini"), true, true));
        QVERIFY2(imported.ok(), qPrintable(imported.error()));

        auto same = await(m_engine->controller().jobs().relaunch(job, RelaunchMode::SamePrompts));
        QVERIFY2(same.ok(), qPrintable(same.error()));
        QCOMPARE(m_engine->waitForFinished(same.value()), JobStatus::Successful);
        QVERIFY2(stdoutOf(same.value()).contains(QLatin1String("colour=blue size=large")),
                 qPrintable(stdoutOf(same.value())));
        QCOMPARE(hostsOf(same.value()), QStringLiteral("alpha,beta,gamma"));

        auto exact = await(m_engine->controller().jobs().relaunch(job, RelaunchMode::Exact));
        QVERIFY2(exact.ok(), qPrintable(exact.error()));
        QCOMPARE(m_engine->waitForFinished(exact.value()), JobStatus::Successful);
        QVERIFY2(stdoutOf(exact.value()).contains(QLatin1String("colour=red size=small")),
                 qPrintable(stdoutOf(exact.value())));
        QCOMPARE(hostsOf(exact.value()), QStringLiteral("alpha,beta"));
        QCOMPARE(
            m_engine
                ->scalar(QStringLiteral("SELECT replay_of FROM unified_job WHERE id = ?"), {exact.value()})
                .toLongLong(),
            job);
        // A replay of a replay is the same run again.
        auto twice = await(m_engine->controller().jobs().relaunch(exact.value(), RelaunchMode::Exact));
        QVERIFY2(twice.ok(), qPrintable(twice.error()));
        QCOMPARE(m_engine->waitForFinished(twice.value()), JobStatus::Successful);
        QCOMPARE(hostsOf(twice.value()), QStringLiteral("alpha,beta"));
    }

    void aJobThatNeverRanCannotBeReplayed() {
        QVERIFY(addTemplate(QStringLiteral("Never"), QStringLiteral("colour.yml")));
        // Not started yet: no snapshot. Made by hand, as a pending job that no runner took.
        const qint64 id =
            m_engine
                ->scalar(QStringLiteral(
                    "INSERT INTO unified_job (job_template_id, name, status, inventory_id, playbook)"
                    " SELECT id, name, 'canceled', inventory_id, playbook FROM job_template"
                    " WHERE name = 'Never' RETURNING id"))
                .toLongLong();
        QVERIFY(id > 0);
        auto replay = await(m_engine->controller().jobs().relaunch(id, RelaunchMode::Exact));
        QVERIFY(!replay.ok());
        QVERIFY2(replay.error().contains(QLatin1String("never started")), qPrintable(replay.error()));
    }

private:
    bool addTemplate(const QString &name, const QString &playbook, const QString &extraVars = {}) {
        auto t = await(m_engine->controller().resources().create(
            ResourceKind::JobTemplate, {{QStringLiteral("name"), name},
                                        {QStringLiteral("project"), QStringLiteral("Books")},
                                        {QStringLiteral("playbook"), playbook},
                                        {QStringLiteral("inventory"), QStringLiteral("Pair")},
                                        {QStringLiteral("extra_vars"), extraVars}}));
        if (!t)
            qWarning() << t.error();
        return t.ok();
    }
    void write(const QString &name, const QByteArray &text) {
        QFile f(m_project + QLatin1Char('/') + name);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    }
    QString stdoutOf(qint64 job) {
        return m_engine
            ->scalar(QStringLiteral(
                         "SELECT string_agg(stdout, '' ORDER BY counter) FROM job_event WHERE job_id = ?"),
                     {job})
            .toString();
    }
    QString hostsOf(qint64 job) {
        return m_engine
            ->scalar(
                QStringLiteral("SELECT string_agg(host_name, ',' ORDER BY host_name) FROM job_host_summary "
                               "WHERE job_id = ?"),
                {job})
            .toString();
    }

    std::unique_ptr<TestEngine> m_engine;
    QString m_project;
};

QTEST_GUILESS_MAIN(RelaunchTest)
#include "tst_relaunch.moc"

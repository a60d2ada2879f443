// A playbook's vars_prompt read up front: the questions a launch asks in place of ansible.

#include "launch/PlaybookPrompts.h"
#include "launch/Survey.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace playdeck;

class TestPlaybookPrompts : public QObject {
    Q_OBJECT

    static void write(const QString &path, const QByteArray &text) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    }

private Q_SLOTS:
    void questionsFollowAnsiblesDefaults() {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral("site.yml")), R"(
- hosts: all
  vars_prompt:
    - name: release
      prompt: Which release?
      default: "1.2"
      private: false
    - name: db_password
      prompt: Database password
    - name: confirm
      private: no
- hosts: web
  vars_prompt:
    - name: release
      prompt: asked again in a later play
)");
        const PlaybookPrompts read = readPlaybookPrompts(dir.path(), QStringLiteral("site.yml"));
        QVERIFY2(read.problem.isEmpty(), qPrintable(read.problem));
        QCOMPARE(read.questions.size(), 3); // a variable is asked once
        const QJsonObject release = read.questions.at(0).toObject();
        QCOMPARE(release.value("variable").toString(), QStringLiteral("release"));
        QCOMPARE(release.value("question_name").toString(), QStringLiteral("Which release?"));
        QCOMPARE(release.value("type").toString(), QStringLiteral("text"));
        QCOMPARE(release.value("default").toString(), QStringLiteral("1.2"));
        QVERIFY(release.value("vars_prompt").toBool());
        // ansible's private defaults to yes: a password field.
        QCOMPARE(read.questions.at(1).toObject().value("type").toString(), QStringLiteral("password"));
        QCOMPARE(read.questions.at(2).toObject().value("type").toString(), QStringLiteral("text"));
        QCOMPARE(read.questions.at(2).toObject().value("question_name").toString(),
                 QStringLiteral("confirm"));
    }

    void importPlaybookIsFollowed() {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("plays")));
        write(dir.filePath(QStringLiteral("main.yml")),
              "- import_playbook: plays/inner.yml\n- import_playbook: \"{{ other }}.yml\"\n"
              "- import_playbook: main.yml\n");
        write(dir.filePath(QStringLiteral("plays/inner.yml")),
              "- hosts: all\n  vars_prompt:\n    - name: who\n      private: false\n");
        const PlaybookPrompts read = readPlaybookPrompts(dir.path(), QStringLiteral("main.yml"));
        QVERIFY2(read.problem.isEmpty(), qPrintable(read.problem));
        QCOMPARE(read.questions.size(), 1);
        QCOMPARE(read.questions.at(0).toObject().value("variable").toString(), QStringLiteral("who"));
    }

    void unreadablePlaybookSaysWhyAndAsksNothing() {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral("bad.yml")), "- hosts: all\n  vars_prompt: [\n");
        PlaybookPrompts read = readPlaybookPrompts(dir.path(), QStringLiteral("bad.yml"));
        QVERIFY(read.questions.isEmpty());
        QVERIFY(read.problem.contains(QStringLiteral("bad.yml")));
        read = readPlaybookPrompts(dir.path(), QStringLiteral("missing.yml"));
        QVERIFY(read.problem.contains(QStringLiteral("missing.yml")));
    }

    void surveyQuestionsComeFirstAndAreNotAskedTwice() {
        const QJsonObject survey{
            {"name", "s"},
            {"spec",
             QJsonArray{QJsonObject{{"variable", "release"}, {"type", "text"}, {"question_name", "R"}}}}};
        const QJsonArray playbook{
            QJsonObject{{"variable", "release"}, {"type", "text"}, {"vars_prompt", true}},
            QJsonObject{{"variable", "token"}, {"type", "password"}, {"vars_prompt", true}}};
        const QJsonArray merged = surveyWithPlaybookPrompts(survey, true, playbook).value("spec").toArray();
        QCOMPARE(merged.size(), 2);
        QVERIFY(!merged.at(0).toObject().contains("vars_prompt"));
        QCOMPARE(merged.at(1).toObject().value("variable").toString(), QStringLiteral("token"));
        // A disabled survey asks nothing of its own.
        QCOMPARE(surveyWithPlaybookPrompts(survey, false, playbook).value("spec").toArray().size(), 2);
    }

    void unansweredPromptGetsTheEmptyAnswerSoTheRunNeverWaits() {
        const QJsonObject spec{
            {"spec", QJsonArray{QJsonObject{{"variable", "who"}, {"type", "text"}, {"vars_prompt", true}},
                                QJsonObject{{"variable", "optional"}, {"type", "text"}}}}};
        auto answered = answerSurvey(spec, {});
        QVERIFY2(answered.ok(), qPrintable(answered.error()));
        QVERIFY(answered.value().vars.contains("who"));
        QCOMPARE(answered.value().vars.value("who").toString(), QString());
        QVERIFY(!answered.value().vars.contains("optional")); // AWX: an unanswered optional is not sent
    }
};

QTEST_GUILESS_MAIN(TestPlaybookPrompts)
#include "tst_playbookprompts.moc"

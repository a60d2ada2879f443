// Survey answers checked and typed as AWX does, with Playdeck's regex and inventory choices.

#include "launch/Survey.h"

#include <QJsonArray>
#include <QTest>

using namespace playdeck;

namespace {

QJsonObject q(const QString &type, const QString &variable, QJsonObject extra = {}) {
    extra.insert(QStringLiteral("type"), type);
    extra.insert(QStringLiteral("variable"), variable);
    extra.insert(QStringLiteral("question_name"), variable.toUpper());
    if (!extra.contains(QStringLiteral("required")))
        extra.insert(QStringLiteral("required"), false);
    return extra;
}

QJsonObject spec(const QJsonArray &questions) {
    return {{QStringLiteral("name"), QString()},
            {QStringLiteral("description"), QString()},
            {QStringLiteral("spec"), questions}};
}

} // namespace

class SurveyTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void answersAreTypedAndDefaultsFilledIn() {
        const QJsonObject s = spec({
            q(QStringLiteral("text"), QStringLiteral("release"),
              {{QStringLiteral("default"), QStringLiteral("1.0")}}),
            q(QStringLiteral("integer"), QStringLiteral("batch"),
              {{QStringLiteral("min"), 1}, {QStringLiteral("max"), 10}}),
            q(QStringLiteral("float"), QStringLiteral("ratio")),
            q(QStringLiteral("multiselect"), QStringLiteral("features"),
              {{QStringLiteral("choices"), QStringLiteral("a\nb\nc")}}),
            q(QStringLiteral("password"), QStringLiteral("token"), {{QStringLiteral("required"), true}}),
            q(QStringLiteral("textarea"), QStringLiteral("notes")),
        });
        auto r = answerSurvey(s, {{QStringLiteral("batch"), QStringLiteral("4")},
                                  {QStringLiteral("ratio"), 0.5},
                                  {QStringLiteral("features"), QStringLiteral("a\nc")},
                                  {QStringLiteral("token"), QStringLiteral("t0k")}});
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r.value().vars.value(QStringLiteral("release")).toString(), QStringLiteral("1.0"));
        QCOMPARE(r.value().vars.value(QStringLiteral("batch")).toDouble(), 4.0);
        QCOMPARE(r.value().vars.value(QStringLiteral("features")).toArray(),
                 (QJsonArray{QStringLiteral("a"), QStringLiteral("c")}));
        QVERIFY(!r.value().vars.contains(QStringLiteral("notes"))); // not answered, not required, no default
        QCOMPARE(r.value().passwordVariables, QStringList{QStringLiteral("token")});
    }
    void everyWrongAnswerIsNamedAtOnce() {
        const QJsonObject s = spec({
            q(QStringLiteral("text"), QStringLiteral("ticket"),
              {{QStringLiteral("regex"), QStringLiteral("[A-Z]+-[0-9]+")}}),
            q(QStringLiteral("integer"), QStringLiteral("batch"),
              {{QStringLiteral("min"), 1}, {QStringLiteral("max"), 10}}),
            q(QStringLiteral("multiplechoice"), QStringLiteral("env"),
              {{QStringLiteral("choices"), QJsonArray{QStringLiteral("staging")}}}),
            q(QStringLiteral("text"), QStringLiteral("name"), {{QStringLiteral("required"), true}}),
            q(QStringLiteral("text"), QStringLiteral("short"), {{QStringLiteral("max"), 3}}),
        });
        auto r = answerSurvey(s, {{QStringLiteral("ticket"), QStringLiteral("OPS-12 and more")},
                                  {QStringLiteral("batch"), 11},
                                  {QStringLiteral("env"), QStringLiteral("prod")},
                                  {QStringLiteral("short"), QStringLiteral("long")}});
        QVERIFY(!r.ok());
        const QStringList lines = r.error().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 5);
        QVERIFY2(lines.at(0).contains(QLatin1String("TICKET (ticket)")) &&
                     lines.at(0).contains(QLatin1String("does not match")),
                 qPrintable(lines.at(0)));
        QVERIFY(lines.at(1).contains(QLatin1String("not between 1 and 10")));
        QVERIFY(lines.at(2).contains(QLatin1String("not one of the choices (staging)")));
        QVERIFY(lines.at(3).contains(QLatin1String("an answer is required")));
        QVERIFY(lines.at(4).contains(QLatin1String("at most 3 characters")));
    }
    void aRegexMustMatchTheWholeAnswer() {
        const QJsonObject s = spec({q(QStringLiteral("text"), QStringLiteral("t"),
                                      {{QStringLiteral("regex"), QStringLiteral("[a-z]+")}})});
        QVERIFY(answerSurvey(s, {{QStringLiteral("t"), QStringLiteral("abc")}}).ok());
        QVERIFY(!answerSurvey(s, {{QStringLiteral("t"), QStringLiteral("abc1")}}).ok());
    }
    void aPasswordThatFailsIsNotEchoed() {
        const QJsonObject s = spec({q(QStringLiteral("password"), QStringLiteral("pw"),
                                      {{QStringLiteral("regex"), QStringLiteral("[0-9]+")}})});
        auto r = answerSurvey(s, {{QStringLiteral("pw"), QStringLiteral("hunter2")}});
        QVERIFY(!r.ok());
        QVERIFY(!r.error().contains(QLatin1String("hunter2")));
    }
    void choicesCanComeFromTheInventory() {
        const QJsonObject s = spec({q(QStringLiteral("multiplechoice"), QStringLiteral("host"),
                                      {{QStringLiteral("choices_from"), QStringLiteral("hosts")}}),
                                    q(QStringLiteral("multiselect"), QStringLiteral("groups"),
                                      {{QStringLiteral("choices_from"), QStringLiteral("groups")}})});
        const SurveyChoices c{{QStringLiteral("web1"), QStringLiteral("db1")}, {QStringLiteral("web")}};
        QVERIFY(answerSurvey(s,
                             {{QStringLiteral("host"), QStringLiteral("db1")},
                              {QStringLiteral("groups"), QJsonArray{QStringLiteral("web")}}},
                             c)
                    .ok());
        QVERIFY(!answerSurvey(s, {{QStringLiteral("host"), QStringLiteral("db2")}}, c).ok());
    }
};

QTEST_GUILESS_MAIN(SurveyTest)
#include "tst_survey.moc"

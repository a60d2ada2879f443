#include "secrets/Redactor.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace playdeck;

class RedactorTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void namesThatHoldSecrets_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("secret");
        // AWX's rule
        QTest::newRow("aws secret") << QStringLiteral("AWS_SECRET_ACCESS_KEY") << true;
        QTest::newRow("password") << QStringLiteral("MY_PASSWORD") << true;
        QTest::newRow("token") << QStringLiteral("GITHUB_TOKEN") << true;
        QTest::newRow("api") << QStringLiteral("OPENAI_API_BASE") << true;
        QTest::newRow("lower case") << QStringLiteral("db_password") << true;
        QTest::newRow("aws access key id") << QStringLiteral("AWS_ACCESS_KEY_ID") << false;
        QTest::newRow("ansible setting") << QStringLiteral("ANSIBLE_HOST_KEY_CHECKING") << false;
        QTest::newRow("ansible net password") << QStringLiteral("ANSIBLE_NET_PASSWORD") << true;
        QTest::newRow("galaxy token") << QStringLiteral("ANSIBLE_GALAXY_SERVER_RH_TOKEN") << true;
        // Found stored in clear before: short name parts
        QTest::newRow("DB_PW") << QStringLiteral("DB_PW") << true;
        QTest::newRow("GH_PAT") << QStringLiteral("GH_PAT") << true;
        QTest::newRow("MYSQL_PWD") << QStringLiteral("MYSQL_PWD") << true;
        QTest::newRow("PIN") << QStringLiteral("SIM_PIN") << true;
        QTest::newRow("cookie") << QStringLiteral("SESSION_COOKIE") << true;
        // ...but not the shell's working directory or look-alikes inside words
        QTest::newRow("PWD") << QStringLiteral("PWD") << false;
        QTest::newRow("OLDPWD") << QStringLiteral("OLDPWD") << false;
        QTest::newRow("PATH") << QStringLiteral("PATH") << false;
        QTest::newRow("PATTERN") << QStringLiteral("FILE_PATTERN") << false;
        QTest::newRow("HOME") << QStringLiteral("HOME") << false;
    }
    void namesThatHoldSecrets() {
        QFETCH(QString, name);
        QFETCH(bool, secret);
        QCOMPARE(Redactor::isSecretName(name), secret);
    }
    void environmentIsRedactedByNameUrlAndKnownValue() {
        Redactor redactor;
        redactor.addSecret(QStringLiteral("s3cr3t-db-pass"));
        const QJsonObject env{{QStringLiteral("DB_PW"), QStringLiteral("hunter2")},
                              {QStringLiteral("PATH"), QStringLiteral("/usr/bin")},
                              {QStringLiteral("PROXY"), QStringLiteral("http://user:pw@proxy:3128")},
                              {QStringLiteral("CONNECT"), QStringLiteral("host=db password=s3cr3t-db-pass")},
                              {QStringLiteral("EMPTY_TOKEN"), QString()}};
        const QJsonObject out = redactor.environment(env);
        QCOMPARE(out.value(QStringLiteral("DB_PW")).toString(), kHiddenSecret);
        QCOMPARE(out.value(QStringLiteral("PATH")).toString(), QStringLiteral("/usr/bin"));
        QCOMPARE(out.value(QStringLiteral("PROXY")).toString(),
                 QStringLiteral("http://user:**********@proxy:3128"));
        QCOMPARE(out.value(QStringLiteral("CONNECT")).toString(),
                 QStringLiteral("host=db password=**********"));
        QCOMPARE(out.value(QStringLiteral("EMPTY_TOKEN")).toString(), QString());
    }
    void secretsInsideEventDataAreHiddenAsJsonEscapesThem() {
        Redactor r;
        r.addSecret(QStringLiteral("pa\"ss\\word"));
        r.addSecret(QStringLiteral("-----BEGIN KEY-----\nabc\n"));
        const QByteArray data =
            QJsonDocument(QJsonObject{{QStringLiteral("a"), QStringLiteral("x pa\"ss\\word y")},
                                      {QStringLiteral("k"), QStringLiteral("-----BEGIN KEY-----\nabc\n")}})
                .toJson(QJsonDocument::Compact);
        const QByteArray hidden = r.json(data);
        QCOMPARE(QJsonDocument::fromJson(hidden).object().value(QStringLiteral("a")).toString(),
                 QStringLiteral("x ********** y"));
        QCOMPARE(QJsonDocument::fromJson(hidden).object().value(QStringLiteral("k")).toString(),
                 kHiddenSecret);
        QCOMPARE(Redactor().json(data), data);
    }
    void shortSecretsAreNotReplacedEverywhere() {
        Redactor redactor;
        redactor.addSecret(QStringLiteral("ab"));
        QCOMPARE(redactor.text(QStringLiteral("abc")), QStringLiteral("abc"));
    }
    void aLongerSecretContainingAShorterIsReplacedWhole() {
        Redactor redactor;
        redactor.addSecret(QStringLiteral("pass"));
        redactor.addSecret(QStringLiteral("password1234"));
        QCOMPARE(redactor.text(QStringLiteral("x password1234 y")), QStringLiteral("x ********** y"));
    }
};

QTEST_GUILESS_MAIN(RedactorTest)
#include "tst_redactor.moc"

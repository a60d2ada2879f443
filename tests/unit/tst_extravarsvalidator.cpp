// The launch dialog's extra-vars check: off the GUI thread, one parse at a time, and what it
// reports is always about the newest text.

#include "ExtraVarsValidator.h"

#include <QSignalSpy>
#include <QTest>

using namespace playdeck;

class ExtraVarsValidatorTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void anErrorIsReported() {
        ExtraVarsValidator validator;
        QSignalSpy settled(&validator, &ExtraVarsValidator::settled);
        validator.check(QStringLiteral("a: ["), true);
        QTRY_VERIFY(validator.isSettled());
        QVERIFY(!validator.isValid());
        QVERIFY(!validator.error().isEmpty());
        QCOMPARE(settled.count(), 1);
    }

    void theNewestTextWins() {
        // A slow parse is in flight while the text changes twice: the answer is about the last text.
        QString big;
        for (int i = 0; i < 100000; ++i)
            big += QStringLiteral("key%1: value %1\n").arg(i);
        ExtraVarsValidator validator;
        QSignalSpy settled(&validator, &ExtraVarsValidator::settled);
        validator.check(big, true);
        validator.check(QStringLiteral("a: ["), true);
        validator.check(QStringLiteral("b: 2"), true);
        QVERIFY(!validator.isSettled());
        QTRY_VERIFY_WITH_TIMEOUT(validator.isSettled(), 60000);
        QVERIFY(validator.isValid());
        QCOMPARE(settled.count(), 1);
        QCOMPARE(settled.first().first().toBool(), true);
        // The big text, then only the newest: the text in between was never parsed.
        QCOMPARE(validator.parsesStarted(), 2);
    }

    void typingDebounces() {
        ExtraVarsValidator validator;
        QSignalSpy settled(&validator, &ExtraVarsValidator::settled);
        for (const char *text : {"a", "a:", "a: ", "a: 1"})
            validator.check(QString::fromLatin1(text));
        QTRY_VERIFY(validator.isSettled());
        QVERIFY(validator.isValid());
        QCOMPARE(settled.count(), 1);
    }
};

QTEST_GUILESS_MAIN(ExtraVarsValidatorTest)
#include "tst_extravarsvalidator.moc"

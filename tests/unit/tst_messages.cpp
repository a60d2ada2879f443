#include "bus/Messages.h"

#include <QTest>

using namespace playdeck;
using namespace playdeck::bus;

class MessagesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyMessageRoundTrips() {
        const QList<Message> messages{
            ScheduleRequested{},
            JobChanged{12, JobStatus::Running},
            JobChanged{12, std::nullopt},
            EventsCommitted{7, 4021},
            CancelRequested{99},
            DispatchJob{3, 44, QStringLiteral("5d2c9c0e-1111-2222-3333-444455556666")},
            ResourcesChanged{ResourceKind::Project},
            ResourcesChanged{ResourceKind::JobTemplate}};
        for (const Message &m : messages) {
            const Encoded e = encode(m);
            QVERIFY(e.payload.size() < 8000);
            const auto back = decode(e.channel, e.payload);
            QVERIFY2(back.has_value(), e.payload.constData());
            QVERIFY(*back == m);
        }
    }
    void channelsAreLowercaseWithoutDots() {
        QStringList channels = broadcastChannels();
        channels << dispatchChannel(12);
        for (const QString &channel : std::as_const(channels)) {
            QCOMPARE(channel, channel.toLower());
            QVERIFY(!channel.contains(QLatin1Char('.')));
        }
    }
    void foreignPayloadsAreRefused_data() {
        QTest::addColumn<QString>("channel");
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("not json") << QStringLiteral("playdeck_job_changed") << QByteArray("{id:1");
        QTest::newRow("no id") << QStringLiteral("playdeck_job_changed") << QByteArray("{}");
        QTest::newRow("string id") << QStringLiteral("playdeck_job_changed") << QByteArray("{\"job\":\"1\"}");
        QTest::newRow("fractional id")
            << QStringLiteral("playdeck_events") << QByteArray("{\"job\":1.5,\"counter\":2}");
        QTest::newRow("negative counter")
            << QStringLiteral("playdeck_events") << QByteArray("{\"job\":1,\"counter\":-2}");
        QTest::newRow("bad status") << QStringLiteral("playdeck_job_changed")
                                    << QByteArray("{\"job\":1,\"status\":\"exploded\"}");
        QTest::newRow("zero cancel") << QStringLiteral("playdeck_control") << QByteArray("{\"cancel\":0}");
        QTest::newRow("bad queue") << QStringLiteral("playdeck_dispatch_x") << QByteArray("{\"job\":1}");
        QTest::newRow("unknown channel") << QStringLiteral("somebody_else") << QByteArray("{}");
    }
    void foreignPayloadsAreRefused() {
        QFETCH(QString, channel);
        QFETCH(QByteArray, payload);
        QVERIFY(!decode(channel, payload).has_value());
    }
};

QTEST_GUILESS_MAIN(MessagesTest)
#include "tst_messages.moc"

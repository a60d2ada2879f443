// AWX's websocket (issue 7): a replayed job's events to one client and to ten at once, next to the
// rate the same job was stored at in the same run (a client cannot get events before they are
// committed), and the lag from an event's creation to its arrival at a client at 5k events/s.
// Prints one JSON object.
//
//   bench_websocket [events]      (default 100000)

#include "ScriptedTransport.h"
#include "TestEngine.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>

using namespace playdeck;
using playdeck::test::ScriptedTransport;

namespace {

const QString kToken = QStringLiteral("bench-token");

// A client that counts a job's events and notes when each arrived; it reads only what it needs
// (a JSON parse per message would make the client the bottleneck).
class Client : public QObject {
public:
    Client(const QUrl &url, qint64 job) {
        connect(&socket, &QWebSocket::connected, this, [this, job] {
            socket.sendTextMessage(
                QStringLiteral(R"({"groups": {"job_events": [%1]}, "xrftoken": ""})").arg(job));
        });
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const qsizetype at = text.indexOf(QLatin1String("\"counter\":"));
            if (at < 0)
                return;
            if (!clock.isValid())
                clock.start();
            ++received;
            last = clock.nsecsElapsed();
            if (measureLag) {
                const qsizetype c = text.indexOf(QLatin1String("\"created\":\""));
                const QDateTime created = QDateTime::fromString(text.mid(c + 11, 24), Qt::ISODateWithMs);
                lags << double(QDateTime::currentMSecsSinceEpoch() - created.toMSecsSinceEpoch());
            }
        });
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + kToken.toUtf8());
        socket.open(request);
    }
    double rate() const { return last > 0 ? double(received - 1) / (double(last) / 1e9) : 0; }

    QWebSocket socket;
    QElapsedTimer clock; // from the first event
    qint64 last = 0;
    int received = 0;
    bool measureLag = false;
    QList<double> lags;
};

// Runs the event loop until `done` (QTest::qWaitFor sleeps 10 ms between passes, which would make
// the clients in this thread read in bursts and measure the benchmark instead of the server).
bool waitUntil(const std::function<bool()> &done, int timeoutMs) {
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start(20);
    loop.exec();
    return done();
}

double percentile(QList<double> v, double q) {
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v.at(qsizetype(q * double(v.size() - 1)));
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const int events = argc > 1 ? std::max(1000, atoi(argv[1])) : 100000;
    QLoggingCategory::setFilterRules(QStringLiteral("playdeck.*.info=false\nplaydeck.*.warning=false"));
    test::ScriptQueue scripts;
    test::TestEngine engine([&scripts](EngineOptions &o) {
        o.transport = scripts.transports();
        o.webSocket.enabled = true;
        o.webSocket.port = 0;
        o.webSocket.token = kToken;
    });
    if (!engine.ok() || !QTest::qWaitFor([&] { return engine.engine().webSocketPort() != 0; }, 10000)) {
        std::fprintf(stderr, "bench_websocket: %s\n", qPrintable(engine.error()));
        return 1;
    }
    const QUrl url(QStringLiteral("ws://127.0.0.1:%1/websocket/").arg(engine.engine().webSocketPort()));
    engine.addTemplate(QStringLiteral("Replay"), QStringLiteral("- hosts: all\n  tasks: []\n"),
                       QStringLiteral("allow_simultaneous"), {true});
    const ScriptedTransport::Script script = test::loopJobScript(events);
    const auto storedRate = [&](qint64 job) {
        return engine
            .scalar(QStringLiteral(
                        "SELECT count(*) / extract(epoch FROM max(modified) - min(modified)) FROM job_event"
                        " WHERE job_id = ?"),
                    {job})
            .toDouble();
    };

    // Clients subscribe as the job starts; each gets it from its first event, whenever it joined.
    const auto run = [&](int clientCount) {
        scripts.push(script);
        const qint64 job = engine.launch(QStringLiteral("Replay"));
        std::vector<std::unique_ptr<Client>> clients;
        for (int i = 0; i < clientCount; ++i)
            clients.push_back(std::make_unique<Client>(url, job));
        (void)waitUntil(
            [&] {
                return std::all_of(clients.begin(), clients.end(),
                                   [&](const auto &c) { return c->received >= events; });
            },
            600000);
        QJsonArray rates;
        double low = 1e18, high = 0;
        for (const auto &c : clients) {
            rates.append(c->rate());
            low = std::min(low, c->rate());
            high = std::max(high, c->rate());
        }
        return QJsonObject{{QStringLiteral("clients"), clientCount},
                           {QStringLiteral("stored_events_per_s"), storedRate(job)},
                           {QStringLiteral("per_client_events_per_s"), rates},
                           {QStringLiteral("slowest_client_events_per_s"), low},
                           {QStringLiteral("fastest_client_events_per_s"), high},
                           {QStringLiteral("all_events_to_all"),
                            std::all_of(clients.begin(), clients.end(),
                                        [&](const auto &c) { return c->received == events; })}};
    };
    const QJsonObject one = run(1);
    const QJsonObject ten = run(10);

    // Lag at 5k events/s: created now, received by one client.
    constexpr int paced = 50000;
    scripts.push(test::pacedLoopScript(paced, 5000));
    const qint64 pacedJob = engine.launch(QStringLiteral("Replay"));
    Client lagClient(url, pacedJob);
    lagClient.measureLag = true;
    (void)waitUntil([&] { return lagClient.received >= paced; }, 120000);

    const QJsonObject out{
        {QStringLiteral("benchmark"), QStringLiteral("websocket")},
        {QStringLiteral("events_per_job"), events},
        {QStringLiteral("one_client"), one},
        {QStringLiteral("ten_clients"), ten},
        {QStringLiteral("target_one_client_events_per_s"), 20000},
        {QStringLiteral("lag"),
         QJsonObject{{QStringLiteral("events"), lagClient.received},
                     {QStringLiteral("created_to_delivered_p50_ms"), percentile(lagClient.lags, 0.5)},
                     {QStringLiteral("created_to_delivered_p99_ms"), percentile(lagClient.lags, 0.99)},
                     {QStringLiteral("target_p99_ms"), 100}}},
    };
    std::puts(QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    return 0;
}

// The VPS Fleet page's Prometheus columns: four instant queries answer for
// every host at once (counted at a loopback proxy in front of a real
// Prometheus + node_exporter), keyed by the host part of `instance`.
#include "FaultProxy.h"
#include "PrometheusFixture.h"
#include "observability/FleetMetrics.h"
#include "observability/PrometheusClient.h"

#include <QNetworkAccessManager>
#include <QtTest>

using namespace chom::metrics;
using chom::test::FaultProxy;
using chom::test::PrometheusFixture;

class TestFleetMetrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hostOfInstance_data()
    {
        QTest::addColumn<QString>("instance");
        QTest::addColumn<QString>("host");
        QTest::newRow("v4") << "127.0.0.5:9100"
                            << "127.0.0.5";
        QTest::newRow("name") << "web1.fleet.test:9100"
                              << "web1.fleet.test";
        QTest::newRow("v6") << "[::1]:9100"
                            << "::1";
        QTest::newRow("no port") << "127.0.0.5"
                                 << "127.0.0.5";
    }
    void hostOfInstance()
    {
        QFETCH(QString, instance);
        QFETCH(QString, host);
        QCOMPARE(FleetMetrics::hostOf(instance), host);
        if (instance.contains(QLatin1String(":9100"))) // and back again
            QCOMPARE(FleetMetrics::instanceOf(host), instance);
    }

    void fourQueriesForTheWholeFleet()
    {
        if (!PrometheusFixture::available())
            QSKIP(qPrintable(PrometheusFixture::unavailableReason()));
        PrometheusFixture prom;
        QVERIFY2(prom.start(), qPrintable(prom.error()));
        QTest::qWait(2500); // rate() over [1m] needs two scrapes
        FaultProxy proxy(QStringLiteral("127.0.0.1"), prom.prometheusPort());
        QVERIFY(proxy.listen());
        QNetworkAccessManager nam;
        EndpointConfig c;
        c.url = QUrl(proxy.url());
        PrometheusClient client(nam, c);
        QHash<QString, HostMetrics> hosts;
        bool done = false;
        MetricsError error;
        FleetMetrics::fetch(client,
                            [&](const QHash<QString, HostMetrics>& h, const MetricsError& e) {
                                hosts = h;
                                error = e;
                                done = true;
                            });
        QTRY_VERIFY_WITH_TIMEOUT(done, 15000);
        QVERIFY2(!error, qPrintable(error.message));
        QCOMPARE(proxy.requestCount(), 4); // not one per host
        QVERIFY(hosts.contains(QStringLiteral("127.0.0.1")));
        const HostMetrics m = hosts.value(QStringLiteral("127.0.0.1"));
        QVERIFY(m.cpuPercent >= 0 && m.cpuPercent <= 100);
        QVERIFY(m.memoryPercent > 0 && m.memoryPercent < 100);
        QVERIFY(m.diskPercent > 0 && m.diskPercent <= 100);
        QVERIFY(m.load1 >= 0);
        QVERIFY(m.atMs > 0);
    }
};

QTEST_MAIN(TestFleetMetrics)
#include "tst_fleetmetrics.moc"

// The Tenants page's Prometheus columns: two grouped instant queries and one
// alerts call answer for every tenant at once (counted at a loopback proxy in
// front of a real Prometheus + node_exporter whose target carries
// tenant_id="7" and whose rules fire alerts for tenants 7 and 9 and one
// without a tenant).
#include "FaultProxy.h"
#include "PrometheusFixture.h"
#include "observability/PrometheusClient.h"
#include "observability/TenantMetrics.h"

#include <QNetworkAccessManager>
#include <QtTest>

#include <cmath>

using namespace chom::metrics;
using chom::test::FaultProxy;
using chom::test::PrometheusFixture;

namespace {

// Always firing except TenantSevenLater (pending for an hour): tenant 7 has
// two firing alerts, tenant 9 one, and FleetWide has no tenant_id.
const QByteArray kRules = R"(groups:
  - name: chom-tenant-test
    rules:
      - alert: TenantSevenDiskFull
        expr: vector(1)
        labels: {tenant_id: "7"}
      - alert: TenantSevenHot
        expr: vector(1)
        labels: {tenant_id: "7"}
      - alert: TenantSevenLater
        expr: vector(1)
        for: 1h
        labels: {tenant_id: "7"}
      - alert: TenantNineHot
        expr: vector(1)
        labels: {tenant_id: "9"}
      - alert: FleetWide
        expr: vector(1)
)";

struct Fetched
{
    QHash<QString, TenantUsage> tenants;
    MetricsError error;
    int calls = 0;
};

Fetched fetchAll(PrometheusClient& client)
{
    Fetched f;
    TenantMetrics::fetch(client, [&f](const QHash<QString, TenantUsage>& t, const MetricsError& e) {
        f.tenants = t;
        f.error = e;
        ++f.calls;
    });
    (void)QTest::qWaitFor([&f] { return f.calls > 0; }, 20000);
    QTest::qWait(50); // a second call would show here
    return f;
}

// Alert rules need an evaluation or two before they fire.
int firingCount(PrometheusClient& client)
{
    int firing = -1;
    client.alerts([&firing](const QVector<Alert>& alerts, const MetricsError& e) {
        firing = 0;
        for (const Alert& a : alerts)
            firing += !e && a.state == QLatin1String("firing") ? 1 : 0;
    });
    (void)QTest::qWaitFor([&firing] { return firing >= 0; }, 10000);
    return firing;
}

double instant(PrometheusClient& client, const QString& promql)
{
    double v = qQNaN();
    bool done = false;
    client.query(promql, 0, [&](const QueryResult& r) {
        if (!r.error && r.series.size() == 1 && !r.series.first().points.isEmpty())
            v = r.series.first().points.last().y();
        done = true;
    });
    (void)QTest::qWaitFor([&done] { return done; }, 10000);
    return v;
}

Alert alert(const QString& name, const QString& state, const QString& tenant)
{
    Alert a;
    a.labels.insert(QStringLiteral("alertname"), name);
    if (!tenant.isNull())
        a.labels.insert(QStringLiteral("tenant_id"), tenant);
    a.state = state;
    return a;
}

} // namespace

class TestTenantMetrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void queriesAreGroupedByTenant()
    {
        const QStringList qs = TenantMetrics::queries();
        QCOMPARE(qs.size(), 2);
        for (const QString& q : qs) {
            QVERIFY2(q.startsWith(QStringLiteral("sum by (tenant_id) (")), qPrintable(q));
            QVERIFY2(!q.contains(QStringLiteral("tenant_id=\"")), qPrintable(q)); // no per-tenant
        }
        QVERIFY(qs.at(0).contains(QStringLiteral("device!=\"lo\"")));
        QVERIFY(qs.at(0).contains(QStringLiteral("[30d]")));
        QVERIFY(qs.at(1).contains(QStringLiteral("mountpoint=\"/\"")));
    }

    void onlyFiringAlertsWithATenantCount()
    {
        QHash<QString, TenantUsage> usage;
        TenantMetrics::addAlerts({alert(QStringLiteral("B"), QStringLiteral("firing"), "7"),
                                  alert(QStringLiteral("A"), QStringLiteral("firing"), "7"),
                                  alert(QStringLiteral("A"), QStringLiteral("firing"), "7"),
                                  alert(QStringLiteral("P"), QStringLiteral("pending"), "7"),
                                  alert(QStringLiteral("N"), QStringLiteral("firing"), "9"),
                                  alert(QStringLiteral("F"), QStringLiteral("firing"), {}),
                                  alert(QStringLiteral("E"), QStringLiteral("firing"), "")},
                                 &usage);
        QCOMPARE(usage.size(), 2);
        QCOMPARE(usage.value("7").firingAlerts, 3);
        QCOMPARE(usage.value("7").alertNames, (QStringList{"A", "B"}));
        QCOMPARE(usage.value("9").firingAlerts, 1);
        QVERIFY(qIsNaN(usage.value("9").diskUsedBytes)); // alerts alone say nothing of disk
    }

    void threeRequestsForAllTenants()
    {
        if (!PrometheusFixture::available())
            QSKIP(qPrintable(PrometheusFixture::unavailableReason()));
        PrometheusFixture prom;
        prom.setTargetLabels({{QStringLiteral("tenant_id"), QStringLiteral("7")}});
        prom.setRulesYaml(kRules);
        QVERIFY2(prom.start(), qPrintable(prom.error()));
        QNetworkAccessManager nam;
        EndpointConfig direct;
        direct.url = QUrl(prom.url());
        PrometheusClient directClient(nam, direct);
        QElapsedTimer deadline;
        deadline.start();
        while (firingCount(directClient) < 4 && deadline.elapsed() < 30000)
            QTest::qWait(250);
        QCOMPARE(firingCount(directClient), 4); // 2 for tenant 7, 1 for 9, FleetWide
        // increase() needs two scrapes of the counter (1 s apart).
        while (!std::isfinite(instant(directClient, TenantMetrics::queries().at(0))) &&
               deadline.elapsed() < 30000)
            QTest::qWait(250);

        FaultProxy proxy(QStringLiteral("127.0.0.1"), prom.prometheusPort());
        QVERIFY(proxy.listen());
        EndpointConfig viaProxy;
        viaProxy.url = QUrl(proxy.url());
        PrometheusClient client(nam, viaProxy);
        const Fetched f = fetchAll(client);
        QCOMPARE(f.calls, 1);
        QVERIFY2(!f.error, qPrintable(f.error.message));
        QCOMPARE(proxy.requestCount(), 3); // not one per tenant

        QCOMPARE(f.tenants.size(), 2); // "7" and "9"; no unlabelled group
        const TenantUsage seven = f.tenants.value(QStringLiteral("7"));
        QVERIFY(std::isfinite(seven.diskUsedBytes) && seven.diskUsedBytes > 0);
        const double want = instant(
            directClient,
            QStringLiteral("sum(node_filesystem_size_bytes{tenant_id=\"7\",mountpoint=\"/\"} - "
                           "node_filesystem_avail_bytes{tenant_id=\"7\",mountpoint=\"/\"})"));
        QVERIFY(std::isfinite(want));
        // Prometheus writes its own data to this disk between the two queries.
        QVERIFY2(qAbs(seven.diskUsedBytes - want) < qMax(64.0 * 1024 * 1024, want * 0.01),
                 qPrintable(QStringLiteral("%1 vs %2").arg(seven.diskUsedBytes).arg(want)));
        QVERIFY(std::isfinite(seven.bandwidth30dBytes) && seven.bandwidth30dBytes >= 0);
        QCOMPARE(seven.firingAlerts, 2); // TenantSevenLater is pending
        QCOMPARE(seven.alertNames, (QStringList{QStringLiteral("TenantSevenDiskFull"),
                                                QStringLiteral("TenantSevenHot")}));
        QVERIFY(seven.atMs > 0);
        const TenantUsage nine = f.tenants.value(QStringLiteral("9"));
        QCOMPARE(nine.firingAlerts, 1);
        QVERIFY(qIsNaN(nine.diskUsedBytes)); // no node of tenant 9
    }

    void refusedOrUnconfiguredEndpointIsAnError()
    {
        QNetworkAccessManager nam;
        PrometheusClient none(nam, EndpointConfig{});
        const Fetched a = fetchAll(none);
        QCOMPARE(a.calls, 1);
        QCOMPARE(toString(a.error.kind), toString(ErrorKind::Unconfigured));
        QVERIFY(a.tenants.isEmpty());

        EndpointConfig refused;
        refused.url =
            QUrl(QStringLiteral("http://127.0.0.1:%1").arg(PrometheusFixture::freePort()));
        PrometheusClient client(nam, refused);
        const Fetched b = fetchAll(client);
        QCOMPARE(b.calls, 1);
        QVERIFY(b.error);
        // Refused, or the breaker that the refusals opened.
        QVERIFY2(b.error.kind == ErrorKind::Refused || b.error.kind == ErrorKind::BreakerOpen,
                 qPrintable(b.error.message));
        QVERIFY(b.tenants.isEmpty());
    }
};

QTEST_MAIN(TestTenantMetrics)
#include "tst_tenantmetrics.moc"

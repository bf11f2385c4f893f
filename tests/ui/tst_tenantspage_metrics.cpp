// The Tenants page's Prometheus columns against a real Prometheus +
// node_exporter whose target carries the first tenant's id as tenant_id:
// the cells fill when the page is shown, polling stops while it is hidden,
// fetches never overlap, and with Prometheus gone the values stay, stale.
#include "FaultProxy.h"
#include "GuiTestUtil.h"
#include "PrometheusFixture.h"
#include "Roles.h"
#include "TestStore.h"
#include "inventory/Core.h"
#include "observability/MetricsService.h"
#include "observability/PrometheusClient.h"
#include "observability/TenantMetrics.h"
#include "observability/TenantUsageModel.h"
#include "ui/inventory/TenantsPage.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"
#include "ui/widgets/StaleDelegate.h"

#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace chom;
using namespace chom::metrics;
using chom::test::FaultProxy;
using chom::test::PrometheusFixture;
using chom::test::TempCore;

namespace {

QByteArray rulesFor(Id tenant)
{
    return QStringLiteral(R"(groups:
  - name: chom-tenants-page
    rules:
      - alert: DiskAlmostFull
        expr: vector(1)
        labels: {tenant_id: "%1"}
      - alert: HighLoad
        expr: vector(1)
        labels: {tenant_id: "%1"}
      - alert: FleetWide
        expr: vector(1)
)")
        .arg(tenant)
        .toUtf8();
}

int firing(const QString& url)
{
    QNetworkAccessManager nam;
    EndpointConfig c;
    c.url = QUrl(url);
    PrometheusClient client(nam, c);
    int n = -1;
    client.alerts([&n](const QVector<Alert>& alerts, const MetricsError&) {
        n = 0;
        for (const Alert& a : alerts)
            n += a.state == QLatin1String("firing") ? 1 : 0;
    });
    (void)QTest::qWaitFor([&n] { return n >= 0; }, 10000);
    return n;
}

// increase() over the counter needs two scrapes (1 s apart) to answer.
bool bandwidthReady(const QString& url)
{
    QNetworkAccessManager nam;
    EndpointConfig c;
    c.url = QUrl(url);
    PrometheusClient client(nam, c);
    int n = -1;
    client.query(TenantMetrics::queries().at(0), 0,
                 [&n](const QueryResult& r) { n = r.error ? 0 : int(r.series.size()); });
    (void)QTest::qWaitFor([&n] { return n >= 0; }, 10000);
    return n > 0;
}

// "12.3 GiB" -> bytes; NaN when the text is not a byte size.
double parseBytes(const QString& text)
{
    static const QRegularExpression re(QStringLiteral("^(\\d+(?:\\.\\d)?) (B|KiB|MiB|GiB|TiB)$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return qQNaN();
    const QStringList units{"B", "KiB", "MiB", "GiB", "TiB"};
    return m.captured(1).toDouble() * std::pow(1024.0, units.indexOf(m.captured(2)));
}

} // namespace

class TestTenantsPageMetrics : public QObject
{
    Q_OBJECT
    QTemporaryDir m_config;

    static QModelIndex cell(TenantsPage& page, Id tenant, int column)
    {
        QAbstractItemModel* m = page.view()->model();
        for (int r = 0; r < m->rowCount(); ++r) {
            if (m->index(r, 0).data(TenantTableModel::IdRole).toLongLong() == tenant)
                return m->index(r, column);
        }
        return {};
    }
    static QString text(TenantsPage& page, Id tenant, int column)
    {
        return cell(page, tenant, column).data().toString();
    }
    static QString tip(TenantsPage& page, Id tenant, int column)
    {
        return cell(page, tenant, column).data(Qt::ToolTipRole).toString();
    }
    static bool settle(TenantsPage& page)
    {
        return QTest::qWaitFor([&page] { return !page.usageFetchInFlight(); }, 15000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8()); // no saved endpoints
        qunsetenv("CHOM_PROMETHEUS_URL");
        QCoreApplication::setOrganizationName(QStringLiteral("chom-test-tenantspage"));
    }

    void formatsBytesWithBinaryPrefixes()
    {
        QCOMPARE(TenantUsageModel::formatBytes(512), QStringLiteral("512 B"));
        QCOMPARE(TenantUsageModel::formatBytes(1536), QStringLiteral("1.5 KiB"));
        QCOMPARE(TenantUsageModel::formatBytes(3.0 * 1024 * 1024 * 1024),
                 QStringLiteral("3.0 GiB"));
        QCOMPARE(TenantUsageModel::formatBytes(qQNaN()), QStringLiteral("—"));
    }

    void unconfiguredShowsNothingExtra()
    {
        TempCore t;
        t.addTenant(QStringLiteral("Acme"));
        chom::test::GuiThreadGuard guard(t.core->store());
        {
            AppContext ctx(*t.core, t.path());
            TenantsPage page(ctx);
            page.setUsageIntervalMs(50);
            page.show();
            QTRY_COMPARE_WITH_TIMEOUT(page.view()->model()->rowCount(), 1, 5000);
            QTest::qWait(300);
            QCOMPARE(ctx.metrics().client().inFlight(), 0);
            QVERIFY(!page.usageFetchInFlight());
            QVERIFY(!page.usageModel()->hasData());
            for (int c = TenantUsageModel::Bandwidth; c < TenantUsageModel::ColumnCount; ++c)
                QVERIFY(page.view()->isColumnHidden(c));
        }
        QCOMPARE(guard.uses(), 0);
    }

    void columnsFillPollOnlyWhileVisibleAndGoStale()
    {
        if (!PrometheusFixture::available())
            QSKIP(qPrintable(PrometheusFixture::unavailableReason()));
        TempCore t;
        const Id acme = t.addTenant(QStringLiteral("Acme"));
        const Id beta = t.addTenant(QStringLiteral("Beta"));
        PrometheusFixture prom; // the node belongs to Acme
        prom.setTargetLabels({{QStringLiteral("tenant_id"), QString::number(acme)}});
        prom.setRulesYaml(rulesFor(acme));
        QVERIFY2(prom.start(), qPrintable(prom.error()));
        QTRY_COMPARE_WITH_TIMEOUT(firing(prom.url()), 3, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(bandwidthReady(prom.url()), 30000);
        FaultProxy proxy(QStringLiteral("127.0.0.1"), prom.prometheusPort());
        QVERIFY(proxy.listen());

        chom::test::GuiThreadGuard guard(t.core->store());
        {
            AppContext ctx(*t.core, t.path());
            EndpointConfig cfg;
            cfg.url = QUrl(proxy.url());
            cfg.timeoutMs = 2500; // once Prometheus is gone the proxy never answers
            ctx.metrics().setEndpoint(cfg);
            TenantsPage page(ctx);
            page.resize(1500, 600);
            page.show();
            QTRY_VERIFY_WITH_TIMEOUT(ctx.inventory().isLoaded(), 5000);
            QTRY_COMPARE_WITH_TIMEOUT(page.view()->model()->rowCount(), 2, 5000);
            QCOMPARE(page.view()->model()->columnCount(), int(TenantUsageModel::ColumnCount));
            QCOMPARE(page.view()
                         ->model()
                         ->headerData(TenantUsageModel::Bandwidth, Qt::Horizontal)
                         .toString(),
                     QStringLiteral("Bandwidth 30 d"));
            QVERIFY(!page.view()->isColumnHidden(TenantUsageModel::Alerts));

            // Acme's cells fill from Prometheus; Beta has no node, only a zero.
            QTRY_COMPARE_WITH_TIMEOUT(text(page, acme, TenantUsageModel::Alerts),
                                      QStringLiteral("2"), 20000);
            const QString disk = text(page, acme, TenantUsageModel::DiskUsed);
            QVERIFY2(parseBytes(disk) > 0, qPrintable(disk));
            const QString bw = text(page, acme, TenantUsageModel::Bandwidth);
            QVERIFY2(parseBytes(bw) >= 0, qPrintable(bw));
            QCOMPARE(cell(page, acme, TenantUsageModel::Alerts)
                         .data(TenantTableModel::SortRole)
                         .toDouble(),
                     2.0);
            QVERIFY(tip(page, acme, TenantUsageModel::Alerts)
                        .contains(QStringLiteral("DiskAlmostFull, HighLoad")));
            QVERIFY2(QRegularExpression(QStringLiteral("as of \\d\\d:\\d\\d:\\d\\d"))
                         .match(tip(page, acme, TenantUsageModel::DiskUsed))
                         .hasMatch(),
                     qPrintable(tip(page, acme, TenantUsageModel::DiskUsed)));
            QCOMPARE(text(page, beta, TenantUsageModel::DiskUsed), QStringLiteral("—"));
            QCOMPARE(text(page, beta, TenantUsageModel::Bandwidth), QStringLiteral("—"));
            QCOMPARE(text(page, beta, TenantUsageModel::Alerts), QStringLiteral("0"));

            // Visible: it polls, one fetch (3 requests) at a time even when the
            // interval is far shorter than an answer takes: each fetch lasts
            // >= 800 ms, so at most three start within 2 s (overlapping: 18+).
            QVERIFY(settle(page));
            proxy.setLatencyMs(800);
            page.setUsageIntervalMs(100);
            proxy.resetCount();
            QTest::qWait(2000);
            const int polled = proxy.requestCount();
            QVERIFY2(polled >= 3 && polled <= 9, qPrintable(QString::number(polled)));

            // Hidden: no request at all over many intervals.
            page.hide();
            QVERIFY(settle(page));
            proxy.setLatencyMs(0);
            proxy.resetCount();
            QTest::qWait(1000);
            QCOMPARE(proxy.requestCount(), 0);
            page.show();
            QTRY_COMPARE_WITH_TIMEOUT(proxy.requestCount() >= 3, true, 5000);

            // Prometheus gone: F5 fails, the values stay, marked stale.
            page.setUsageIntervalMs(60000);
            QVERIFY(settle(page));
            const QString keptDisk = text(page, acme, TenantUsageModel::DiskUsed);
            prom.stop();
            page.refresh();
            QTRY_VERIFY_WITH_TIMEOUT(page.usageModel()->isStale(), 30000);
            QCOMPARE(text(page, acme, TenantUsageModel::DiskUsed), keptDisk);
            // Drawn grey: the model says stale, the column's delegate greys it.
            QVERIFY(cell(page, acme, TenantUsageModel::DiskUsed).data(roles::Stale).toBool());
            QVERIFY(qobject_cast<StaleDelegate*>(
                page.view()->itemDelegateForColumn(TenantUsageModel::DiskUsed)));
            QCOMPARE(text(page, acme, TenantUsageModel::Alerts), QStringLiteral("2"));
            const QString staleTip = tip(page, acme, TenantUsageModel::DiskUsed);
            QVERIFY2(staleTip.contains(QStringLiteral("Stale")) &&
                         staleTip.contains(QStringLiteral("as of")),
                     qPrintable(staleTip));
            qInfo("stale tooltip: %s", qPrintable(staleTip));
        }
        QCOMPARE(guard.uses(), 0);
    }
};

QTEST_MAIN(TestTenantsPageMetrics)
#include "tst_tenantspage_metrics.moc"

// The Metrics page's Alerts and Grafana panels against loopback test doubles
// (test::HttpDouble, configured here): an "alerts double" serving Prometheus'
// documented /api/v1/alerts JSON (changed between polls) and a "Grafana
// double" serving /api/search?type=dash-db. The browser and the desktop
// notification are replaced by counting functions.
#include "GuiTestUtil.h"
#include "HttpDouble.h"
#include "TestStore.h"
#include "inventory/Core.h"
#include "observability/AlertWatcher.h"
#include "observability/GrafanaClient.h"
#include "observability/PrometheusClient.h"
#include "ui/observability/AlertsPanel.h"
#include "ui/observability/GrafanaPanel.h"
#include "ui/observability/MetricsPage.h"
#include "ui/shell/AppContext.h"

#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace chom;
using namespace chom::metrics;
using chom::test::HttpDouble;

static QByteArray alert(const QByteArray& name, const QByteArray& state, const QByteArray& tenant)
{
    return R"({"labels":{"alertname":")" + name +
           R"(","severity":"warning","instance":"web-1:9100")" +
           (tenant.isEmpty() ? QByteArray() : R"(,"tenant_id":")" + tenant + "\"") +
           R"(},"annotations":{"summary":"Disk almost full"},"state":")" + state +
           R"(","activeAt":"2024-05-01T10:00:00Z","value":"9.5e+01"})";
}
static QByteArray alertsBody(const QList<QByteArray>& alerts)
{
    QByteArray joined;
    for (const QByteArray& a : alerts)
        joined += (joined.isEmpty() ? "" : ",") + a;
    return R"({"status":"success","data":{"alerts":[)" + joined + "]}}";
}

class TestAlertsPanel : public QObject
{
    Q_OBJECT
    QTemporaryDir m_config;
    QNetworkAccessManager m_nam;

    static void poll(AlertWatcher& w)
    {
        QSignalSpy done(&w, &AlertWatcher::polled);
        w.pollNow();
        QVERIFY(done.wait(5000));
        QVERIFY2(done.at(0).at(0).toBool(), qPrintable(w.lastError().message));
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("chom-test-alertspanel"));
    }

    void listsAlertsAndNotifiesOncePerNewFiring()
    {
        HttpDouble d; // alerts double
        QVERIFY(d.listen());
        d.setRoute("/api/v1/alerts", {200, alertsBody({alert("DiskFull", "firing", "7"),
                                                       alert("HighLoad", "firing", "8"),
                                                       alert("Pending", "pending", "7"),
                                                       alert("FleetDown", "firing", {})})});
        EndpointConfig c;
        c.url = d.url();
        PrometheusClient client(m_nam, c);
        AlertWatcher watcher(client);
        AlertsPanel panel(watcher);
        panel.setTenants({{QStringLiteral("7"), QStringLiteral("Acme")}});
        QStringList notes;
        panel.setNotifier([&](const QString&, const QString& text) { notes << text; });
        panel.show();

        poll(watcher);
        QTableWidget* t = panel.table();
        QCOMPARE(t->rowCount(), 3); // firing only: pending is not listed
        QCOMPARE(t->item(0, 0)->text(), QStringLiteral("DiskFull"));
        QCOMPARE(t->item(0, 1)->text(), QStringLiteral("warning"));
        QCOMPARE(t->item(0, 2)->text(), QStringLiteral("Acme")); // tenant name from inventory
        QCOMPARE(t->item(0, 3)->text(), QStringLiteral("web-1:9100"));
        QVERIFY(!t->item(0, 4)->text().isEmpty());
        QCOMPARE(t->item(0, 5)->text(), QStringLiteral("Disk almost full"));
        QCOMPARE(t->item(1, 2)->text(), QStringLiteral("8")); // unknown tenant: its id
        QVERIFY(notes.isEmpty());                             // already firing at the first look

        // Tenant filter: Acme only, then tenant 8 (known from the alerts only).
        QComboBox* f = panel.tenantFilter();
        f->setCurrentIndex(f->findData(QStringLiteral("7")));
        QCOMPARE(t->rowCount(), 1);
        QCOMPARE(t->item(0, 0)->text(), QStringLiteral("DiskFull"));
        const int eight = f->findData(QStringLiteral("8"));
        QVERIFY(eight > 0);
        f->setCurrentIndex(eight);
        QCOMPARE(t->rowCount(), 1);
        QCOMPARE(t->item(0, 0)->text(), QStringLiteral("HighLoad"));
        f->setCurrentIndex(0);

        // "Pending" starts firing: exactly one notification, and not again.
        d.setRoute(
            "/api/v1/alerts",
            {200, alertsBody({alert("DiskFull", "firing", "7"), alert("HighLoad", "firing", "8"),
                              alert("Pending", "firing", "7"), alert("FleetDown", "firing", {})})});
        poll(watcher);
        QCOMPARE(t->rowCount(), 4);
        QCOMPARE(notes.size(), 1);
        QVERIFY2(notes.at(0).contains(QStringLiteral("Pending")), qPrintable(notes.at(0)));
        poll(watcher);
        QCOMPARE(notes.size(), 1);
        QCOMPARE(panel.notificationCount(), 1);

        // Without a notifier and without a system tray (offscreen): the page banner.
        panel.setNotifier({});
        QSignalSpy banner(&panel, &AlertsPanel::noticeRequested);
        d.setRoute("/api/v1/alerts", {200, alertsBody({alert("New", "firing", "7")})});
        poll(watcher);
        if (!QSystemTrayIcon::isSystemTrayAvailable()) {
            QCOMPARE(banner.size(), 1);
            QVERIFY(banner.at(0).at(0).toString().contains(QStringLiteral("New")));
        }
        QCOMPARE(panel.notificationCount(), 2);
    }

    void grafanaListFilterAndOpen()
    {
        HttpDouble g; // Grafana double
        QVERIFY(g.listen());
        g.setRoute("/api/search?type=dash-db", {200, R"([
          {"id":1,"uid":"cIBgcSjkk","title":"Production Overview","url":"/d/cIBgcSjkk/production-overview",
           "type":"dash-db","tags":["prod"],"isStarred":true,"folderTitle":"Ops"},
          {"id":2,"uid":"rYdddlPWk","title":"Node Exporter Full","url":"/d/rYdddlPWk/node-exporter-full",
           "type":"dash-db","tags":["linux"],"isStarred":false}])"});
        EndpointConfig gc;
        gc.kind = EndpointConfig::Kind::Grafana;
        gc.url = g.url();
        GrafanaClient client(m_nam, gc);
        GrafanaPanel panel(client);
        QList<QUrl> opened;
        panel.setOpener([&](const QUrl& u) {
            opened << u;
            return true;
        });
        EndpointConfig prom;
        prom.url = QUrl(QStringLiteral("http://127.0.0.1:9090"));
        panel.setEndpoints(prom, gc, EndpointConfig{});
        panel.show();
        panel.reload();
        QTRY_COMPARE(panel.list()->count(), 2);
        QCOMPARE(g.requestCount(), 1);

        panel.filterBox()->setText(QStringLiteral("node"));
        QVERIFY(panel.list()->item(0)->isHidden());
        QVERIFY(!panel.list()->item(1)->isHidden());
        QVERIFY(panel.openButton()->isEnabled());
        panel.setTenantId(QStringLiteral("7&kiosk=0"));
        panel.openButton()->click();
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.at(0).toEncoded(),
                 QByteArray(g.url().toEncoded() +
                            "/d/rYdddlPWk/node-exporter-full?var-tenant_id=7%26kiosk%3D0&kiosk"));

        // Quick links: configured ones enabled, the others not.
        QVERIFY(!panel.quickLink(QStringLiteral("alertmanager"))->isEnabled());
        panel.quickLink(QStringLiteral("prometheus"))->click();
        QCOMPARE(opened.last(), QUrl(QStringLiteral("http://127.0.0.1:9090/graph")));
        panel.quickLink(QStringLiteral("grafana"))->click();
        QCOMPARE(opened.last().toEncoded(), QByteArray(g.url().toEncoded() + "/"));

        // Reload within the hour: the cache answers, Grafana is not asked.
        panel.reload();
        QTest::qWait(100);
        QCOMPARE(g.requestCount(), 1);
        QCOMPARE(panel.list()->count(), 2);
    }

    void metricsPagePollsAlertsOnlyWhileVisible()
    {
        HttpDouble d;
        QVERIFY(d.listen());
        d.setRoute("/api/v1/alerts", {200, alertsBody({alert("DiskFull", "firing", "7")})});
        qputenv("CHOM_PROMETHEUS_URL", d.url().toEncoded());
        test::TempCore t;
        test::GuiThreadGuard guard(t.core->store());
        {
            AppContext ctx(*t.core, t.path());
            MetricsPage page(ctx);
            QVERIFY(page.alertsPanel());
            QVERIFY(page.grafanaPanel());
            QVERIFY(!page.alertWatcher().isRunning());
            page.resize(1200, 900);
            page.show();
            QVERIFY(QTest::qWaitForWindowExposed(&page));
            QVERIFY(page.alertWatcher().isRunning());
            QTRY_COMPARE_WITH_TIMEOUT(page.alertsPanel()->table()->rowCount(), 1, 10000);
            page.hide();
            QVERIFY(!page.alertWatcher().isRunning());
        }
        qunsetenv("CHOM_PROMETHEUS_URL");
        QCOMPARE(guard.uses(), 0);
    }
};

QTEST_MAIN(TestAlertsPanel)
#include "tst_alertspanel.moc"

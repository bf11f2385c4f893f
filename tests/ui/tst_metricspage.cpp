// The Metrics page against a real Prometheus + node_exporter on loopback:
// every panel's series must hold exactly the points Prometheus itself gives
// for the same query, range and step; a second look is served by the cache;
// with Prometheus gone the charts keep their data, marked stale, under one
// banner that names the cause.
#include "GuiTestUtil.h"
#include "PrometheusFixture.h"
#include "TestStore.h"
#include "inventory/Core.h"
#include "observability/MetricsCache.h"
#include "observability/MetricsPanels.h"
#include "observability/MetricsService.h"
#include "observability/PrometheusClient.h"
#include "ui/inventory/SitesPage.h"
#include "ui/observability/MetricsChart.h"
#include "ui/observability/MetricsPage.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/MainWindow.h"

#include <QComboBox>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace chom;
using namespace chom::metrics;
using chom::test::PrometheusFixture;
using chom::test::TempCore;

class TestMetricsPage : public QObject
{
    Q_OBJECT
    QTemporaryDir m_config;

    // Points per series of `promql` exactly as Prometheus answers it.
    static QHash<QString, int> direct(const QString& url, const RangeQuery& q,
                                      const QString& legend)
    {
        QNetworkAccessManager nam;
        EndpointConfig c;
        c.url = QUrl(url);
        PrometheusClient client(nam, c);
        QHash<QString, int> out;
        bool done = false;
        client.queryRange(q, [&](const QueryResult& r) {
            for (const Series& s : r.series)
                out.insert(s.labels.value(legend), int(s.points.size()));
            done = true;
        });
        QElapsedTimer t;
        t.start();
        while (!done && t.elapsed() < 10000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("chom-test-metrics"));
    }

    void chartsMatchPrometheus()
    {
        if (!PrometheusFixture::available())
            QSKIP(qPrintable(PrometheusFixture::unavailableReason()));
        PrometheusFixture prom;
        QVERIFY2(prom.start(), qPrintable(prom.error()));
        qputenv("CHOM_PROMETHEUS_URL", prom.url().toUtf8());
        QTest::qWait(3000); // a few more scrapes: rate() needs two samples
        TempCore t;
        chom::test::GuiThreadGuard guard(t.core->store());
        {
            AppContext ctx(*t.core, t.path());
            MetricsPage page(ctx);
            page.resize(1400, 1200);
            page.rangeBox()->setCurrentIndex(0); // 15m
            page.show();
            MetricsService& svc = ctx.metrics();
            QSignalSpy finished(&svc, &MetricsService::refreshFinished);
            QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
            QTRY_VERIFY_WITH_TIMEOUT(!page.chart(QStringLiteral("memory"))->pointCounts().isEmpty(),
                                     20000);

            // Each chart holds exactly Prometheus' own points for that query.
            const qint64 end = svc.lastEndS();
            const int step = svc.lastStepS();
            QVERIFY(step >= 1);
            for (const QString& id : {QStringLiteral("memory"), QStringLiteral("load"),
                                      QStringLiteral("cpu"), QStringLiteral("disk")}) {
                MetricsChart* chart = page.chart(id);
                QVERIFY(chart);
                const PanelSpec& spec = chart->spec();
                auto q =
                    MetricsService::scoped(spec.queries.at(0).promql, MetricsScope::fleet(), step);
                QVERIFY(q);
                const QHash<QString, int> want =
                    direct(prom.url(), RangeQuery{q.value(), end - 900, end, step},
                           spec.queries.at(0).legend);
                QVERIFY2(!want.isEmpty(), qPrintable(id));
                const QHash<QString, int> got = chart->pointCounts();
                QCOMPARE(got.size(), want.size());
                for (auto it = want.begin(); it != want.end(); ++it) {
                    QVERIFY2(it.value() >= 1, qPrintable(id));
                    QCOMPARE(got.value(it.key(), -1), it.value());
                }
                QVERIFY2(chart->stampText().startsWith(QStringLiteral("as of")),
                         qPrintable(chart->stampText()));
            }
            // No nginx exporter here: the panel says so instead of drawing nothing.
            QTRY_VERIFY(page.chart(QStringLiteral("http"))
                            ->messageText()
                            .contains(QStringLiteral("nginx")));
            QVERIFY(page.bannerText().isEmpty());

            // The same screen again within the step: served by the cache.
            const auto before = svc.cache().counters();
            finished.clear();
            page.findChild<QPushButton*>(QStringLiteral("metricsRefresh"))->click();
            QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10000);
            const auto after = svc.cache().counters();
            QVERIFY2(after.hits + after.staleHits > before.hits + before.staleHits,
                     qPrintable(QStringLiteral("hits %1 -> %2").arg(before.hits).arg(after.hits)));

            // Prometheus gone: data stays, marked stale, one banner says why.
            const QHash<QString, int> kept = page.chart(QStringLiteral("memory"))->pointCounts();
            prom.stop();
            svc.cache().clear(); // force real requests
            finished.clear();
            page.rangeBox()->setCurrentIndex(1); // 30m: new keys, debounced refresh
            QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
            QTRY_VERIFY(!page.bannerText().isEmpty());
            qInfo("banner: %s", qPrintable(page.bannerText()));
            // Refused, or (after 5 refusals in one refresh) the breaker saying so.
            QVERIFY(page.bannerText().contains(QStringLiteral("refused"), Qt::CaseInsensitive) ||
                    page.bannerText().contains(QStringLiteral("unreachable")));
            QCOMPARE(page.chart(QStringLiteral("memory"))->pointCounts(), kept);
            QVERIFY2(
                page.chart(QStringLiteral("memory"))->stampText().contains(QStringLiteral("stale")),
                qPrintable(page.chart(QStringLiteral("memory"))->stampText()));
        }
        QCOMPARE(guard.uses(), 0);
    }

    // At 1280×800 every chart spans the requested window, shows its time
    // labels and unit-labelled values, and elides none of them.
    void axesAreReadableAt1280x800()
    {
        if (!PrometheusFixture::available())
            QSKIP(qPrintable(PrometheusFixture::unavailableReason()));
        PrometheusFixture prom;
        QVERIFY2(prom.start(), qPrintable(prom.error()));
        qputenv("CHOM_PROMETHEUS_URL", prom.url().toUtf8());
        QTest::qWait(3000);
        TempCore t;
        {
            AppContext ctx(*t.core, t.path());
            MetricsPage page(ctx);
            page.resize(1280 - 208, 800 - 60);   // the page's share of the smallest window
            page.rangeBox()->setCurrentIndex(0); // 15 min, though Prometheus holds seconds
            page.show();
            QTRY_VERIFY_WITH_TIMEOUT(!page.chart(QStringLiteral("memory"))->pointCounts().isEmpty(),
                                     20000);
            QTest::qWait(300);
            const struct
            {
                const char* id;
                const char* unit;
            } panels[] = {{"cpu", "%"}, {"memory", "%"}, {"disk", "%"}, {"network", "B/s"}};
            static const QRegularExpression clock(QStringLiteral("^\\d\\d:\\d\\d$"));
            for (const auto& p : panels) {
                MetricsChart* chart = page.chart(QLatin1String(p.id));
                QVERIFY2(chart, p.id);
                const QStringList labels = chart->axisLabels();
                const QString all = labels.join(QStringLiteral(" | "));
                QVERIFY2(!all.contains(QChar(0x2026)) && !all.contains(QLatin1String("...")),
                         qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(p.id), all)));
                QVERIFY2(
                    labels.filter(clock).size() >= 2,
                    qPrintable(QStringLiteral("%1 time labels: %2").arg(QLatin1String(p.id), all)));
                QVERIFY2(labels.filter(QLatin1String(p.unit)).size() >= 2,
                         qPrintable(
                             QStringLiteral("%1 value labels: %2").arg(QLatin1String(p.id), all)));
                const auto [from, to] = chart->xRangeMs();
                QVERIFY2(qAbs((to - from) - 900 * 1000) < 60 * 1000,
                         qPrintable(QStringLiteral("%1 spans %2 s")
                                        .arg(QLatin1String(p.id))
                                        .arg((to - from) / 1000)));
            }
        }
    }

    // Two points per pixel at most, and no spike lost.
    void decimationKeepsExtremes()
    {
        QVector<QPointF> pts;
        for (int i = 0; i < 10000; ++i)
            pts << QPointF(i * 1000.0, i == 4321 ? 99.0 : (i == 777 ? -5.0 : (i % 7)));
        const QList<QPointF> d = MetricsChart::decimate(pts, 800);
        QVERIFY2(d.size() <= 1600, qPrintable(QString::number(d.size())));
        QVERIFY(d.contains(QPointF(4321000.0, 99.0)));
        QVERIFY(d.contains(QPointF(777000.0, -5.0)));
        for (int i = 1; i < d.size(); ++i)
            QVERIFY(d.at(i).x() > d.at(i - 1).x());
        QCOMPARE(MetricsChart::decimate(pts.mid(0, 1000), 800).size(), 1000); // under 2/px: as is
    }

    // A console restart with Prometheus gone: the page paints the last charts
    // from the persisted cache, marked stale, and says why it cannot refresh.
    void restartPaintsLastChartsStale()
    {
        if (!PrometheusFixture::available())
            QSKIP(qPrintable(PrometheusFixture::unavailableReason()));
        PrometheusFixture prom;
        QVERIFY2(prom.start(), qPrintable(prom.error()));
        qputenv("CHOM_PROMETHEUS_URL", prom.url().toUtf8());
        QTest::qWait(3000); // samples before the step-rounded end of the window
        TempCore t;
        QHash<QString, int> kept;
        { // guarded until the first Core goes
            chom::test::GuiThreadGuard guard(t.core->store());
            {
                AppContext ctx(*t.core, t.path());
                MetricsPage page(ctx);
                page.resize(1400, 1200);
                page.rangeBox()->setCurrentIndex(0); // 15m
                page.show();
                QTRY_VERIFY_WITH_TIMEOUT(
                    !page.chart(QStringLiteral("memory"))->pointCounts().isEmpty(), 20000);
                kept = page.chart(QStringLiteral("memory"))->pointCounts();
                ctx.metrics().cache().waitForPendingWrites();
            }
            QCOMPARE(guard.uses(), 0);
        }
        prom.stop();
        t.core.reset(); // "restart": a new Core on the same file
        auto reopened = Core::open(t.config());
        QVERIFY2(reopened.ok(), qPrintable(reopened.errorMessage()));
        t.core = std::move(reopened).value();

        // Two minutes later: every stored 15 s-step entry is past its TTL.
        const qint64 later = QDateTime::currentMSecsSinceEpoch() + 120'000;
        MetricsCache::setClockForTests([later] { return later; });
        MetricsService::setClockForTests([later] { return later / 1000; });
        chom::test::GuiThreadGuard guard(t.core->store());
        {
            AppContext ctx(*t.core, t.path());
            QSignalSpy panels(&ctx.metrics(), &MetricsService::panelUpdated);
            MetricsPage page(ctx);
            page.resize(1400, 1200);
            page.rangeBox()->setCurrentIndex(0);
            page.show();
            QTRY_COMPARE_WITH_TIMEOUT(page.chart(QStringLiteral("memory"))->pointCounts(), kept,
                                      10000);
            // The first answer for the panel was the stored one, before any network.
            bool firstWasStored = false;
            for (const QList<QVariant>& call : panels)
                if (call.at(0).toString() == QLatin1String("memory")) {
                    const auto r = call.at(2).value<QueryResult>();
                    firstWasStored = r.stale && !r.error && !r.series.isEmpty();
                    break;
                }
            QVERIFY(firstWasStored);
            QTRY_VERIFY_WITH_TIMEOUT(!page.bannerText().isEmpty(), 20000);
            QVERIFY2(
                page.chart(QStringLiteral("memory"))->stampText().contains(QLatin1String("stale")),
                qPrintable(page.chart(QStringLiteral("memory"))->stampText()));
            QCOMPARE(page.chart(QStringLiteral("memory"))->pointCounts(), kept); // kept, not wiped
        }
        MetricsCache::setClockForTests(nullptr);
        MetricsService::setClockForTests(nullptr);
        QCOMPARE(guard.uses(), 0);
    }

    // Several hosts on a two-query panel: one line each, named by query and
    // host; series the legend label cannot tell apart still get their own
    // line; the same answer again replaces nothing.
    void everySeriesKeepsItsOwnLine()
    {
        const PanelSpec* net = nullptr;
        for (const PanelSpec& p : standardPanels())
            if (p.id == QLatin1String("network"))
                net = &p;
        QVERIFY(net);
        MetricsChart chart(*net);
        auto result = [](const QString& dev, qint64 at) {
            QueryResult r;
            r.resultType = QStringLiteral("matrix");
            r.fetchedAtMs = at;
            for (int h = 1; h <= 3; ++h) {
                Series s;
                s.labels.insert(QStringLiteral("instance"),
                                QStringLiteral("127.0.0.%1:9100").arg(h));
                s.points = {QPointF(1000.0, h), QPointF(2000.0, h + 1)};
                r.series << s;
            }
            Series noLegend; // no instance label: two of them, told apart by device
            noLegend.labels.insert(QStringLiteral("device"), dev + QLatin1Char('0'));
            noLegend.points = {QPointF(1000.0, 1)};
            r.series << noLegend;
            noLegend.labels.insert(QStringLiteral("device"), dev + QLatin1Char('1'));
            r.series << noLegend;
            return r;
        };
        chart.setResult(0, result(QStringLiteral("eth"), 5000));
        chart.setResult(1, result(QStringLiteral("eth"), 5000));
        const QHash<QString, int> counts = chart.pointCounts();
        QCOMPARE(counts.size(), 10);
        QCOMPARE(counts.value(QStringLiteral("in 127.0.0.2:9100")), 2);
        QCOMPARE(counts.value(QStringLiteral("out 127.0.0.3:9100")), 2);
        QCOMPARE(counts.value(QStringLiteral("in")), 1);
        QCOMPARE(counts.value(QStringLiteral("in {device=eth1}")), 1);

        QCOMPARE(chart.replacedBuffers(), 10);
        chart.setResult(0, result(QStringLiteral("eth"), 5000)); // a cache hit: same answer
        chart.setResult(1, result(QStringLiteral("eth"), 5000));
        QCOMPARE(chart.replacedBuffers(), 10); // nothing redrawn
        QCOMPARE(chart.pointCounts(), counts);
        chart.setResult(1, result(QStringLiteral("eth"), 6000)); // a new answer
        QCOMPARE(chart.replacedBuffers(), 15);
    }

    // Sites page -> "Show metrics" (Ctrl+M): the Metrics page opens scoped to
    // that site (its VPS's instance for host panels, its domain for HTTP);
    // an unplaced site explains why host panels are empty.
    void siteScopeFromSitesPage()
    {
        TempCore t;
        qputenv("CHOM_PROMETHEUS_URL", "http://127.0.0.1:1"); // nothing listens
        const Id tenant = t.addTenant(QStringLiteral("Acme"));
        const Id vps = t.addVps(QStringLiteral("web-1"), QStringLiteral("127.0.0.7"));
        t.addSite(tenant, QStringLiteral("shop.example.com"), vps);
        t.addSite(tenant, QStringLiteral("nowhere.example.com"), 0);
        chom::test::GuiThreadGuard guard(t.core->store());
        {
            AppContext ctx(*t.core, t.path());
            MainWindow window(ctx);
            window.resize(1200, 800);
            window.show();
            window.showPage(MainWindow::Sites);
            SitesPage* sites = window.sitesPage();
            QTRY_VERIFY_WITH_TIMEOUT(sites->isLoaded(), 10000);
            QTRY_COMPARE(sites->proxy()->rowCount(), 2);
            auto selectDomain = [&](const QString& domain) {
                for (int r = 0; r < sites->proxy()->rowCount(); ++r)
                    if (sites->proxy()->index(r, 0).data().toString() == domain)
                        sites->view()->selectRow(r);
            };
            selectDomain(QStringLiteral("shop.example.com"));
            sites->view()->setFocus();
            QTest::keyClick(sites->view(), Qt::Key_M, Qt::ControlModifier);
            auto* page = qobject_cast<MetricsPage*>(window.page(MainWindow::Metrics));
            QVERIFY(page);
            QTRY_VERIFY(page->isVisible());
            QCOMPARE(page->scopeBox()->currentText(), QStringLiteral("Site shop.example.com"));
            QTRY_VERIFY(ctx.metrics().lastRequest().scope.kind == MetricsScope::Kind::Site);
            const MetricsScope scope = ctx.metrics().lastRequest().scope;
            QCOMPARE(scope.value, QStringLiteral("shop.example.com"));
            QCOMPARE(scope.hostInstance, QStringLiteral("127.0.0.7:9100"));

            // The unplaced site: host panels refused with a reason, HTTP still asked.
            QSignalSpy panels(&ctx.metrics(), &MetricsService::panelUpdated);
            sites->showSelectedMetrics(); // nothing selected on a hidden page: no change
            window.showPage(MainWindow::Sites);
            selectDomain(QStringLiteral("nowhere.example.com"));
            sites->showSelectedMetrics();
            QTRY_COMPARE(page->scopeBox()->currentText(),
                         QStringLiteral("Site nowhere.example.com"));
            QTRY_VERIFY(ctx.metrics().lastRequest().scope.value ==
                        QLatin1String("nowhere.example.com"));
            bool refused = false;
            for (const QList<QVariant>& call : panels) {
                const auto r = call.at(2).value<QueryResult>();
                if (call.at(0).toString() == QLatin1String("cpu") &&
                    r.error.kind == metrics::ErrorKind::ScopeRefused)
                    refused = r.error.message.contains(QLatin1String("not placed"));
            }
            QVERIFY(refused);
            // Both sites stay in the scope list for switching back.
            QVERIFY(page->scopeBox()->findText(QStringLiteral("Site shop.example.com")) >= 0);
        }
        QCOMPARE(guard.uses(), 0);
    }

    // A newly saved endpoint re-queries the charts and drops the old banner
    // without a press on Refresh: at once when the page is visible, and on
    // its next showing when it is not.
    void savedEndpointRefreshesAtOnce()
    {
        TempCore t;
        qunsetenv("CHOM_PROMETHEUS_URL");
        chom::test::GuiThreadGuard guard(t.core->store());
        {
            AppContext ctx(*t.core, t.path());
            MetricsPage page(ctx);
            page.show();
            QTRY_VERIFY(page.refreshesStarted() >= 1);
            const int before = page.refreshesStarted();
            metrics::EndpointConfig c;
            c.kind = metrics::EndpointConfig::Kind::Prometheus;
            c.url = QUrl(QStringLiteral("http://127.0.0.1:1")); // nothing listens: fine here
            ctx.metrics().setEndpoint(c);
            QTRY_COMPARE(page.refreshesStarted(), before + 1);
            page.hide();
            ctx.metrics().setEndpoint(c);
            QTest::qWait(100);
            QCOMPARE(page.refreshesStarted(), before + 1); // hidden pages do not query
            page.show();
            QTRY_COMPARE(page.refreshesStarted(), before + 2);
        }
        QCOMPARE(guard.uses(), 0);
    }

    void hiddenPageDoesNotPoll()
    {
        TempCore t;
        qputenv("CHOM_PROMETHEUS_URL", "http://127.0.0.1:1"); // nothing listens
        chom::test::GuiThreadGuard guard(t.core->store());
        {
            AppContext ctx(*t.core, t.path());
            MetricsPage page(ctx);
            page.autoRefreshBox()->setCurrentIndex(1); // every 10 s
            page.show();
            QTRY_COMPARE(page.refreshesStarted(), 1);
            QVERIFY(page.autoRefreshActive());
            page.hide();
            QVERIFY(!page.autoRefreshActive()); // hidden pages do not poll
            const int n = page.refreshesStarted();
            QTest::qWait(300);
            QCOMPARE(page.refreshesStarted(), n);
            page.show();
            QVERIFY(page.autoRefreshActive());
        }
        QCOMPARE(guard.uses(), 0);
    }
};

QTEST_MAIN(TestMetricsPage)
#include "tst_metricspage.moc"

// Metrics benchmarks that need widgets (scripts/bench-metrics.sh):
//  2. repaint from cache: refresh() with fresh entries -> every panelUpdated
//     delivered and MetricsChart::setResult() done, 200 reps;
//  4. live charts: 5 MetricsChart x 10,000 points refreshed every second from
//     real Prometheus while the Sites page of a MainWindow holds 100,000 rows;
//     longest GUI event-loop stall with a 1 ms precise timer.
// Offscreen QApplication; real Prometheus via the tests' PrometheusFixture.

#include "BenchMetricsCommon.h"
#include "BenchStore.h"
#include "PrometheusFixture.h"
#include "inventory/Core.h"
#include "observability/MetricsCache.h"
#include "observability/MetricsPanels.h"
#include "observability/MetricsService.h"
#include "observability/PrometheusClient.h"
#include "ui/inventory/SitesPage.h"
#include "ui/observability/MetricsChart.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/MainWindow.h"

#include <QApplication>
#include <QDateTime>
#include <QGridLayout>
#include <QNetworkAccessManager>
#include <QTemporaryDir>

#include <ctime>

using namespace chom;
using namespace chom::metrics;
using namespace chom::benchmetrics;
using chom::test::PrometheusFixture;

namespace {

const QStringList kFive{QStringLiteral("cpu"), QStringLiteral("memory"), QStringLiteral("disk"),
                        QStringLiteral("network"), QStringLiteral("load")};

qint64 threadCpuUs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

// 1 ms precise ticker: every gap between ticks, and the GUI thread's CPU time
// inside it (our own work vs waiting for the CPU).
struct StallProbe
{
    QTimer ticker;
    QElapsedTimer clock;
    QVector<double> gapsMs, cpuMs;
    qint64 lastCpuUs = 0;
    StallProbe()
    {
        ticker.setTimerType(Qt::PreciseTimer);
        ticker.setInterval(1);
        QObject::connect(&ticker, &QTimer::timeout, [this] {
            const qint64 cpu = threadCpuUs();
            gapsMs << clock.nsecsElapsed() / 1e6;
            cpuMs << (cpu - lastCpuUs) / 1000.0;
            lastCpuUs = cpu;
            clock.restart();
        });
    }
    void start()
    {
        gapsMs.clear();
        cpuMs.clear();
        lastCpuUs = threadCpuUs();
        clock.start();
        ticker.start();
    }
    void stop() { ticker.stop(); }
    int longest() const
    {
        return gapsMs.isEmpty()
                   ? -1
                   : int(std::max_element(gapsMs.begin(), gapsMs.end()) - gapsMs.begin());
    }
    double maxMs() const { return longest() < 0 ? 0 : gapsMs.at(longest()); }
    double cpuInLongestMs() const { return longest() < 0 ? 0 : cpuMs.at(longest()); }
    int over(double ms) const
    {
        return int(std::count_if(gapsMs.begin(), gapsMs.end(), [ms](double g) { return g > ms; }));
    }
};

void repaintFromCache(const QString& url, const QString& what, int reps)
{
    QNetworkAccessManager nam;
    MetricsService svc(nam);
    EndpointConfig ep;
    ep.url = QUrl(url);
    svc.setEndpoint(ep);
    QWidget win;
    auto* grid = new QGridLayout(&win);
    QHash<QString, MetricsChart*> charts;
    for (const PanelSpec& p : standardPanels()) {
        if (!kFive.contains(p.id))
            continue;
        auto* c = new MetricsChart(p, &win);
        grid->addWidget(c, int(charts.size()) / 2, int(charts.size()) % 2);
        charts.insert(p.id, c);
    }
    win.resize(1400, 900);
    win.show();
    QCoreApplication::processEvents();
    int delivered = 0, pts = 0;
    bool finished = false;
    QObject::connect(&svc, &MetricsService::panelUpdated, &win,
                     [&](const QString& id, int i, const QueryResult& r) {
                         charts.value(id)->setResult(i, r);
                         ++delivered;
                         pts += points(r);
                     });
    QObject::connect(&svc, &MetricsService::refreshFinished, &win, [&] { finished = true; });
    MetricsService::Request req;
    req.rangeS = 3600;
    req.widthPx = charts.value(QStringLiteral("cpu"))->plotWidth();
    req.panelIds = kFive;
    svc.refresh(req); // warm the cache for real
    if (!waitFor([&] { return finished; }, 30000))
        die(QStringLiteral("the warm-up refresh did not finish"));
    // Fresh entries throughout: freeze the cache clock and the end time, and
    // warm that fixed window too (its key differs from the sliding one's).
    const qint64 frozen = MetricsCache::nowMs();
    MetricsCache::setClockForTests([frozen] { return frozen; });
    req.endS = svc.lastEndS();
    finished = false;
    svc.refresh(req);
    if (!waitFor([&] { return finished; }, 30000))
        die(QStringLiteral("the fixed-window warm-up refresh did not finish"));
    const auto before = svc.cache().counters();
    QVector<double> ms, withPaint;
    int queries = 0, async = 0, shownPoints = 0;
    for (int r = 0; r < reps; ++r) {
        delivered = 0;
        pts = 0;
        finished = false;
        QElapsedTimer t;
        t.start();
        svc.refresh(req);
        if (!finished) {
            ++async;
            waitFor([&] { return finished; }, 5000);
        }
        ms << t.nsecsElapsed() / 1e6;
        queries = delivered;
        shownPoints = pts;
        QCoreApplication::processEvents(); // the deferred paint, unmeasured
        // Extra row: the same plus a synchronous paint of the 5 charts.
        finished = false;
        t.restart();
        svc.refresh(req);
        waitFor([&] { return finished; }, 5000);
        win.repaint();
        withPaint << t.nsecsElapsed() / 1e6;
    }
    MetricsCache::setClockForTests(nullptr);
    const auto after = svc.cache().counters();
    out(QStringLiteral(
            "### 2. Repaint from cache (fresh entries, %1 reps, 5 charts, %2 queries, %3 "
            "points, width %4 px, %5)")
            .arg(reps)
            .arg(queries)
            .arg(shownPoints)
            .arg(req.widthPx)
            .arg(what));
    out({});
    out(QStringLiteral("| what | median | p95 | max | goal |"));
    out(QStringLiteral("|---|---:|---:|---:|---|"));
    out(QStringLiteral(
            "| `refresh()` → all `panelUpdated` + `MetricsChart::setResult` | %1 ms | %2 ms "
            "| %3 ms | ≤ 1 ms — %4 |")
            .arg(fmt(median(ms), 3), fmt(percentile(ms, 0.95), 3), fmt(percentile(ms, 1.0), 3),
                 verdict(median(ms) <= 1.0)));
    out(QStringLiteral(
            "| the same + synchronous `repaint()` of the 5 charts (offscreen) | %1 ms | %2 "
            "ms | %3 ms | reference |")
            .arg(fmt(median(withPaint), 3), fmt(percentile(withPaint, 0.95), 3),
                 fmt(percentile(withPaint, 1.0), 3)));
    out({});
    out(QStringLiteral("Fresh hits during the reps: %1 of %2 lookups; refreshes that needed the "
                       "event loop: %3.")
            .arg(after.hits - before.hits)
            .arg((after.hits + after.misses + after.staleHits + after.deduplicated) -
                 (before.hits + before.misses + before.staleHits + before.deduplicated))
            .arg(async));
    out({});
}

void liveCharts(const PrometheusFixture& prom, int seconds)
{
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toUtf8()); // never the operator's settings
    note(QStringLiteral("4. opening the 100,000-site store (%1)").arg(bench::benchDir(100000)));
    std::unique_ptr<Core> core = bench::openBenchStore(100000);
    AppContext ctx(*core, bench::benchDir(100000));
    MainWindow window(ctx);
    window.resize(1400, 900);
    window.show();
    window.showPage(MainWindow::Sites);
    SitesPage* sites = window.sitesPage();
    if (!sites || !waitFor([&] { return sites->isLoaded(); }, 120000))
        die(QStringLiteral("the Sites page did not load"));
    const int rows = sites->model()->rowCount();
    note(QStringLiteral("  Sites page holds %1 rows").arg(rows));

    QWidget live;
    auto* grid = new QGridLayout(&live);
    QVector<MetricsChart*> charts;
    for (int k = 0; k < 5; ++k) {
        PanelSpec spec{
            QStringLiteral("live%1").arg(k),
            QStringLiteral("Live %1").arg(k),
            metrics::Unit::Load,
            {{QStringLiteral("wave"), QStringLiteral("sin(vector(time()) / 300 + %1)").arg(k)}},
            QString()};
        charts << new MetricsChart(spec, &live);
        grid->addWidget(charts.last(), k / 2, k % 2);
    }
    live.resize(1400, 900);
    live.show();
    QNetworkAccessManager nam;
    EndpointConfig ep;
    ep.url = QUrl(prom.url());
    PrometheusClient client(nam, ep);
    QVector<double> setMs;
    int updates = 0, bad = 0, inFlight = 0, skipped = 0;
    auto tick = [&] {
        if (inFlight > 0) {
            ++skipped; // the previous second's answers are not all in yet
            return;
        }
        const qint64 end = QDateTime::currentSecsSinceEpoch();
        for (int k = 0; k < 5; ++k) {
            ++inFlight;
            client.queryRange(
                RangeQuery{charts.at(k)->spec().queries.at(0).promql, end - 9999, end, 1},
                [&, k](const QueryResult& r) {
                    --inFlight;
                    if (!r.ok() || points(r) != 10000)
                        ++bad;
                    QElapsedTimer t;
                    t.start();
                    charts.at(k)->setResult(0, r);
                    setMs << t.nsecsElapsed() / 1e6;
                    ++updates;
                });
        }
    };
    QTimer every;
    every.setInterval(1000);
    QObject::connect(&every, &QTimer::timeout, tick);
    tick();
    waitFor([&] { return inFlight == 0; }, 10000); // warm-up, unmeasured
    StallProbe probe;
    setMs.clear();
    updates = bad = 0;
    note(QStringLiteral("  live charts for %1 s").arg(seconds));
    probe.start();
    every.start();
    waitFor([] { return false; }, seconds * 1000);
    every.stop();
    waitFor([&] { return inFlight == 0; }, 10000);
    probe.stop();
    const double maxMs = probe.maxMs(), cpuMs = probe.cpuInLongestMs();
    const double p99 = percentile(probe.gapsMs, 0.99);
    const int over16 = probe.over(16);
    // The machine's own noise: the same windows, nothing refreshing.
    StallProbe idle;
    idle.start();
    waitFor([] { return false; }, 5000);
    idle.stop();
    out(QStringLiteral(
            "### 4. Live charts: 5 × 10,000 points every second, Sites page with %1 rows, "
            "%2 s")
            .arg(rows)
            .arg(seconds));
    out({});
    out(QStringLiteral("| what | value | goal |"));
    out(QStringLiteral("|---|---:|---|"));
    out(QStringLiteral(
            "| longest GUI event-loop stall (1 ms precise timer) | %1 ms | < 16 ms — %2 |")
            .arg(fmt(maxMs), verdict(maxMs < 16)));
    out(QStringLiteral("| GUI thread CPU inside that gap | %1 ms | reference |").arg(fmt(cpuMs)));
    out(QStringLiteral("| 99th percentile tick gap | %1 ms | |").arg(fmt(p99)));
    out(QStringLiteral("| gaps over 16 ms | %1 of %2 | |").arg(over16).arg(probe.gapsMs.size()));
    out(QStringLiteral("| `setResult()` of one 10,000-point series: median / max | %1 / %2 ms | |")
            .arg(fmt(median(setMs)), fmt(percentile(setMs, 1.0))));
    out(QStringLiteral("| idle windows, 5 s: longest gap | %1 ms | machine noise |")
            .arg(fmt(idle.maxMs())));
    out({});
    out(QStringLiteral("Chart updates: %1 (wrong point count or error: %2; ticks skipped while the "
                       "previous answers were in flight: %3).")
            .arg(updates)
            .arg(bad)
            .arg(skipped));
    out({});
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("chom-bench"));
    int reps = 200, seconds = 20;
    QString historyUrl;
    const QStringList a = app.arguments();
    for (int i = 1; i + 1 < a.size(); ++i) {
        if (a.at(i) == QLatin1String("--repaint-reps"))
            reps = qMax(1, a.at(++i).toInt());
        else if (a.at(i) == QLatin1String("--history-url"))
            historyUrl = a.at(++i);
        else if (a.at(i) == QLatin1String("--live-seconds"))
            seconds = qMax(1, a.at(++i).toInt());
    }
    if (!PrometheusFixture::available())
        die(PrometheusFixture::unavailableReason());
    PrometheusFixture prom;
    note(QStringLiteral("starting Prometheus + node_exporter (first scrape ~6 s)"));
    if (!prom.start())
        die(prom.error());
    repaintFromCache(historyUrl.isEmpty() ? prom.url() : historyUrl,
                     historyUrl.isEmpty() ? QStringLiteral("fresh Prometheus")
                                          : QStringLiteral("backfilled history"),
                     reps);
    liveCharts(prom, seconds);
    prom.stop();
    return 0;
}

// Metrics benchmarks without widgets (scripts/bench-metrics.sh):
//  1. cold load of the 5-panel screen through FaultProxy (+latency) vs the
//     same queries one after another with curl vs the slowest one alone;
//  3. cache hit ratio over a scripted 10-minute session in simulated time;
//  5. (with --history-url) one cold 7 d panel load from a backfilled
//     Prometheus, ours vs curl.
// Real Prometheus + node_exporter via the tests' PrometheusFixture; loopback
// only. Markdown on stdout, progress on stderr.

#include "BenchMetricsCommon.h"
#include "FaultProxy.h"
#include "PrometheusFixture.h"
#include "observability/MetricsCache.h"
#include "observability/MetricsPanels.h"
#include "observability/MetricsService.h"
#include "observability/PrometheusClient.h"
#include "observability/PrometheusRequest.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QThread>

#include <memory>

using namespace chom::metrics;
using namespace chom::benchmetrics;
using chom::test::FaultProxy;
using chom::test::PrometheusFixture;

namespace {

const QStringList kFive{QStringLiteral("cpu"), QStringLiteral("memory"), QStringLiteral("disk"),
                        QStringLiteral("network"), QStringLiteral("load")};

struct NamedQuery
{
    QString name;
    RangeQuery q;
};

// The range queries MetricsService::refresh() sends for `req` (same scoping).
QVector<NamedQuery> queriesFor(const MetricsService::Request& req, qint64 endS)
{
    const int step = MetricsService::stepFor(req.rangeS, req.widthPx);
    QVector<NamedQuery> qs;
    for (const PanelSpec& p : standardPanels()) {
        if (!req.panelIds.contains(p.id))
            continue;
        for (int i = 0; i < p.queries.size(); ++i) {
            auto s = MetricsService::scoped(p.queries.at(i).promql, req.scope, step);
            if (!s)
                die(s.errorMessage());
            qs << NamedQuery{p.id + QLatin1Char('#') + QString::number(i),
                             RangeQuery{s.value(), endS - req.rangeS, endS, step}};
        }
    }
    return qs;
}

// One refresh until refreshFinished; returns ms (dies on errors).
double timedRefresh(MetricsService& svc, const MetricsService::Request& req)
{
    QEventLoop loop;
    int errors = -1;
    auto c = QObject::connect(&svc, &MetricsService::refreshFinished, &loop, [&](quint64, int e) {
        errors = e;
        loop.quit();
    });
    QElapsedTimer t;
    t.start();
    svc.refresh(req);
    if (errors < 0)
        loop.exec();
    const double ms = t.nsecsElapsed() / 1e6;
    QObject::disconnect(c);
    if (errors != 0)
        die(QStringLiteral("refresh finished with %1 errors").arg(errors));
    return ms;
}

double timedSingle(PrometheusClient& client, const RangeQuery& q)
{
    QEventLoop loop;
    QueryResult res;
    bool done = false;
    QElapsedTimer t;
    t.start();
    client.queryRange(q, [&](const QueryResult& r) {
        res = r;
        done = true;
        loop.quit();
    });
    if (!done)
        loop.exec();
    const double ms = t.nsecsElapsed() / 1e6;
    if (!res.ok())
        die(QStringLiteral("single query failed: ") + res.error.message);
    return ms;
}

// The same queries, one curl process after another (the URL our client builds).
double timedCurl(const QUrl& base, const QVector<NamedQuery>& qs)
{
    QElapsedTimer t;
    t.start();
    for (const auto& nq : qs) {
        const QUrl url = detail::apiUrl(base, QStringLiteral("/api/v1/query_range"),
                                        {{QStringLiteral("query"), nq.q.promql},
                                         {QStringLiteral("start"), QString::number(nq.q.startS)},
                                         {QStringLiteral("end"), QString::number(nq.q.endS)},
                                         {QStringLiteral("step"), QString::number(nq.q.stepS)}});
        QProcess p;
        p.start(QStringLiteral("curl"),
                {QStringLiteral("-sS"), QStringLiteral("--noproxy"), QStringLiteral("*"),
                 QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                 QStringLiteral("%{http_code}"), QString::fromLatin1(url.toEncoded())});
        if (!p.waitForFinished(60000) || p.readAllStandardOutput().trimmed() != "200")
            die(QStringLiteral("curl failed for ") + nq.name);
    }
    return t.nsecsElapsed() / 1e6;
}

// A FaultProxy living on its own thread, so its latency timers never wait
// for the measured event loop (nor curl's blocking wait).
struct ProxyThread
{
    QThread thread;
    QObject ctx;
    FaultProxy* proxy = nullptr;
    ProxyThread(quint16 targetPort, int latencyMs)
    {
        ctx.moveToThread(&thread);
        thread.start();
        QMetaObject::invokeMethod(
            &ctx,
            [&] {
                proxy = new FaultProxy(QStringLiteral("127.0.0.1"), targetPort);
                if (!proxy->listen())
                    die(QStringLiteral("the fault proxy cannot listen"));
                proxy->setLatencyMs(latencyMs);
            },
            Qt::BlockingQueuedConnection);
    }
    ~ProxyThread()
    {
        QMetaObject::invokeMethod(
            &ctx, [this] { delete proxy; }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
};

void coldLoad(quint16 targetPort, const QString& what, int reps, int latencyMs)
{
    ProxyThread px(targetPort, latencyMs);
    const QUrl base(px.proxy->url());
    QNetworkAccessManager nam;
    MetricsService svc(nam);
    EndpointConfig ep;
    ep.url = base;
    svc.setEndpoint(ep);
    PrometheusClient single(nam, ep);
    MetricsService::Request req;
    req.scope = MetricsScope::fleet();
    req.rangeS = 3600;
    req.widthPx = 800;
    req.panelIds = kFive;
    const int step = MetricsService::stepFor(req.rangeS, req.widthPx);
    req.endS = QDateTime::currentSecsSinceEpoch() / step * step; // same params for all three
    const auto qs = queriesFor(req, req.endS);
    note(QStringLiteral("1. cold load (%1): %2 queries, +%3 ms latency, %4 reps")
             .arg(what)
             .arg(qs.size())
             .arg(latencyMs)
             .arg(reps));
    // Warm-up (connections, code paths), unmeasured.
    timedRefresh(svc, req);
    for (const auto& nq : qs)
        timedSingle(single, nq.q);
    QVector<double> ours, curl;
    QVector<QVector<double>> singles(qs.size());
    for (int r = 0; r < reps; ++r) {
        svc.cache().clear();
        ours << timedRefresh(svc, req);
        curl << timedCurl(base, qs);
        for (int i = 0; i < qs.size(); ++i)
            singles[i] << timedSingle(single, qs.at(i).q);
        note(QStringLiteral("  rep %1: ours %2 ms, curl %3 ms")
                 .arg(r)
                 .arg(ours.last(), 0, 'f', 0)
                 .arg(curl.last(), 0, 'f', 0));
    }
    double slowest = 0;
    int slowestIdx = 0;
    QString slowestName;
    QStringList perQuery;
    for (int i = 0; i < qs.size(); ++i) {
        perQuery << QStringLiteral("%1 %2").arg(qs.at(i).name, fmt(median(singles.at(i)), 0));
        if (median(singles.at(i)) > slowest) {
            slowest = median(singles.at(i));
            slowestName = qs.at(i).name;
            slowestIdx = i;
        }
    }
    const double mo = median(ours), mc = median(curl);
    int pts = 0;
    QObject::connect(&svc, &MetricsService::panelUpdated, &svc,
                     [&](const QString&, int, const QueryResult& r) { pts += points(r); });
    timedRefresh(svc, req);
    out(QStringLiteral(
            "### 1. Cold load of the 5-panel screen, %1 (1 h range, %2 queries, %3 points, "
            "+%4 ms per request through FaultProxy)")
            .arg(what)
            .arg(qs.size())
            .arg(pts)
            .arg(latencyMs));
    out({});
    out(QStringLiteral("| what | median (ms) | runs (ms) |"));
    out(QStringLiteral("|---|---:|---|"));
    out(QStringLiteral(
            "| ours: `MetricsService::refresh()` → `refreshFinished`, cache cleared | %1 | %2 |")
            .arg(fmt(mo, 0), list(ours)));
    out(QStringLiteral("| same %1 queries, `curl` one after another | %2 | %3 |")
            .arg(qs.size())
            .arg(fmt(mc, 0), list(curl)));
    out(QStringLiteral("| slowest single query alone through `PrometheusClient` (`%1`) | %2 | %3 |")
            .arg(slowestName, fmt(slowest, 0), list(singles.at(slowestIdx))));
    out({});
    out(QStringLiteral("| ratio | value | goal |"));
    out(QStringLiteral("|---|---:|---|"));
    out(QStringLiteral("| ours / slowest single | %1× | ≤ 1.15× — %2 |")
            .arg(fmt(mo / slowest, 2), verdict(mo / slowest <= 1.15)));
    out(QStringLiteral("| ours / sequential curl | %1× | reference (< 1 = ours faster) |")
            .arg(fmt(mo / mc, 2)));
    out({});
    out(QStringLiteral("Per-query medians alone (ms): %1; step %2 s, width 800 px.")
            .arg(perQuery.join(QStringLiteral(", ")))
            .arg(step));
    out({});
}

// Item 3: the operator script, one entry per 10 s tick (60 ticks = 10 min).
struct Tick
{
    qint64 rangeS;
    bool tenant;
};

QVector<Tick> sessionScript()
{
    // (from tick, range, tenant): fleet 1h; 15m; 1h; 6h; 24h; back to 1h;
    // tenant 1h; tenant 6h; tenant 1h; fleet 1h; 15m; 1h; tenant 1h; fleet 1h.
    const QVector<std::tuple<int, qint64, bool>> changes{
        {0, 3600, false},   {6, 900, false},   {12, 3600, false}, {18, 21600, false},
        {24, 86400, false}, {27, 3600, false}, {30, 3600, true},  {36, 21600, true},
        {39, 3600, true},   {42, 3600, false}, {48, 900, false},  {51, 3600, false},
        {54, 3600, true},   {57, 3600, false}};
    QVector<Tick> ticks;
    for (int t = 0; t < 60; ++t) {
        Tick k{3600, false};
        for (const auto& [from, range, tenant] : changes)
            if (t >= from)
                k = Tick{range, tenant};
        ticks << k;
    }
    return ticks;
}

void hitRatio(const PrometheusFixture& prom, int widthPx)
{
    QNetworkAccessManager nam;
    MetricsService svc(nam);
    EndpointConfig ep;
    ep.url = QUrl(prom.url());
    svc.setEndpoint(ep);
    // Simulated time: the 10 minutes ending now, so Prometheus has real data.
    qint64 simMs = (QDateTime::currentSecsSinceEpoch() - 600) * 1000;
    MetricsService::setClockForTests([&] { return simMs / 1000; });
    MetricsCache::setClockForTests([&] { return simMs; });
    const auto ticks = sessionScript();
    note(QStringLiteral("3. hit ratio: %1 refreshes in simulated time, width %2 px")
             .arg(ticks.size())
             .arg(widthPx));
    int restamped = 0;
    for (int t = 0; t < ticks.size(); ++t, simMs += 10000) {
        MetricsService::Request req;
        req.scope = ticks.at(t).tenant
                        ? MetricsScope::tenant(QStringLiteral("t1"), QStringLiteral("Tenant t1"))
                        : MetricsScope::fleet();
        req.rangeS = ticks.at(t).rangeS;
        req.widthPx = widthPx;
        req.panelIds = kFive;
        timedRefresh(svc, req);
        // PrometheusClient stamps fetchedAtMs with the real clock, not the
        // cache's test clock: re-stamp what this tick fetched with the
        // simulated "now" so entries age in simulated time (reported).
        for (const auto& nq : queriesFor(req, svc.lastEndS())) {
            const auto key = MetricsCache::keyFor(nq.q);
            if (const QueryResult* r = svc.cache().peek(key); r && r->fetchedAtMs > simMs) {
                QueryResult copy = *r;
                copy.fetchedAtMs = simMs;
                svc.cache().put(key, copy);
                ++restamped;
            }
        }
    }
    MetricsService::setClockForTests(nullptr);
    MetricsCache::setClockForTests(nullptr);
    const auto c = svc.cache().counters();
    const quint64 all = c.hits + c.staleHits + c.misses + c.deduplicated;
    const double ratio = 100.0 * double(c.hits + c.staleHits + c.deduplicated) / double(all);
    const double fresh = 100.0 * double(c.hits) / double(all);
    out(QStringLiteral("| %1 px | %2 | %3 | %4 | %5 | %6 | %7 % | %8 % | ≥ 85 % — %9 |")
            .arg(widthPx)
            .arg(all)
            .arg(c.hits)
            .arg(c.staleHits)
            .arg(c.deduplicated)
            .arg(c.misses)
            .arg(fmt(ratio), fmt(fresh), verdict(ratio >= 85)));
    note(QStringLiteral("  %1 entries re-stamped to simulated time").arg(restamped));
}

void history(const QString& url, int reps, qint64 rangeS)
{
    QNetworkAccessManager nam;
    MetricsService svc(nam);
    EndpointConfig ep;
    ep.url = QUrl(url);
    svc.setEndpoint(ep);
    MetricsService::Request req;
    req.scope = MetricsScope::fleet();
    req.rangeS = rangeS;
    req.widthPx = 800;
    req.panelIds = {QStringLiteral("load")};
    const int step = MetricsService::stepFor(req.rangeS, req.widthPx);
    req.endS = QDateTime::currentSecsSinceEpoch() / step * step;
    const auto qs = queriesFor(req, req.endS);
    note(QStringLiteral("5. %1 h load panel from backfilled history, %2 reps")
             .arg(rangeS / 3600)
             .arg(reps));
    int pts = 0;
    QObject::connect(&svc, &MetricsService::panelUpdated, &svc,
                     [&](const QString&, int, const QueryResult& r) { pts = points(r); });
    timedRefresh(svc, req); // warm-up (Prometheus loads the blocks' index)
    QVector<double> ours, curl;
    for (int r = 0; r < reps; ++r) {
        svc.cache().clear();
        ours << timedRefresh(svc, req);
        curl << timedCurl(QUrl(url), qs);
    }
    out(QStringLiteral("| cold %1 `load` panel (backfilled, %2 points, step %3 s, no added "
                       "latency) | %4 %5 | %6 %7 | %8× |")
            .arg(rangeS >= 7 * 86400 ? QStringLiteral("7 d") : QStringLiteral("24 h"))
            .arg(pts)
            .arg(step)
            .arg(fmt(median(ours)), list(ours, 1), fmt(median(curl)), list(curl, 1),
                 fmt(median(ours) / median(curl), 2)));
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    int reps = 5, latency = 300;
    QString historyUrl;
    const QStringList a = app.arguments();
    for (int i = 1; i + 1 < a.size(); ++i) {
        if (a.at(i) == QLatin1String("--reps"))
            reps = qMax(1, a.at(++i).toInt());
        else if (a.at(i) == QLatin1String("--latency"))
            latency = a.at(++i).toInt();
        else if (a.at(i) == QLatin1String("--history-url"))
            historyUrl = a.at(++i);
    }
    if (!PrometheusFixture::available())
        die(PrometheusFixture::unavailableReason());
    PrometheusFixture prom;
    note(QStringLiteral("starting Prometheus + node_exporter (first scrape ~6 s)"));
    if (!prom.start())
        die(prom.error());
    waitFor([] { return false; }, 8000); // a few scrapes, so the 1 h panels are not empty
    coldLoad(prom.prometheusPort(), QStringLiteral("fresh Prometheus + node_exporter"), reps,
             latency);
    if (!historyUrl.isEmpty())
        coldLoad(quint16(QUrl(historyUrl).port()),
                 QStringLiteral("backfilled history (full panels)"), reps, latency);

    out(QStringLiteral("### 3. Cache hit ratio, scripted 10-minute session (simulated time)"));
    out({});
    out(QStringLiteral(
        "| chart width | lookups | fresh hits | stale hits | deduplicated | misses | "
        "hit ratio | fresh only | goal |"));
    out(QStringLiteral("|---:|---:|---:|---:|---:|---:|---:|---:|---|"));
    hitRatio(prom, 800);
    hitRatio(prom, 400);
    out({});

    if (!historyUrl.isEmpty()) {
        out(QStringLiteral("### 5. Backfilled history"));
        out({});
        out(QStringLiteral("| what | ours (ms), median and runs | curl (ms), median and runs | "
                           "ours / curl |"));
        out(QStringLiteral("|---|---|---|---:|"));
        history(historyUrl, reps, 86400);
        history(historyUrl, reps, 7 * 86400);
        out({});
    }
    prom.stop();
    return 0;
}

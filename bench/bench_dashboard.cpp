// Dashboard figures at 100,000 sites / 1,000 tenants: our aggregate over
// maintained counters (cold = cache invalidated, warm = cached) side by side
// with the upstream's approach, a conditional aggregate scanning sites.
#include "BenchStore.h"
#include "store/Store.h"
#include "store/TenantRepository.h"

#include <QSqlQuery>
#include <benchmark/benchmark.h>

using namespace chom;

namespace {

constexpr int kSites = 100000;

Core& core()
{
    static std::unique_ptr<Core> c = bench::openBenchStore(kSites);
    return *c;
}

Id someTenant()
{
    static Id id = TenantRepository(core().store()).list().value().at(7).id;
    return id;
}

void BM_DashboardCold_All(benchmark::State& state)
{
    for (auto _ : state) {
        core().dashboard().invalidate();
        auto s = core().dashboard().stats(0);
        benchmark::DoNotOptimize(s.value().totalSites);
    }
}

void BM_DashboardCold_OneTenant(benchmark::State& state)
{
    for (auto _ : state) {
        core().dashboard().invalidate();
        auto s = core().dashboard().stats(someTenant());
        benchmark::DoNotOptimize(s.value().totalSites);
    }
}

void BM_DashboardWarm_All(benchmark::State& state)
{
    if (!core().dashboard().stats(0))
        state.SkipWithError("dashboard query failed");
    for (auto _ : state) {
        auto s = core().dashboard().stats(0);
        benchmark::DoNotOptimize(s.value().totalSites);
    }
}

// The upstream's query shape (performance-review §1.1–1.2): one conditional
// aggregate over the sites table per load, plus the storage sum.
void BM_UpstreamStyleScan_All(benchmark::State& state)
{
    const QString sql =
        QStringLiteral("SELECT COUNT(*), SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END), "
                       "SUM(CASE WHEN ssl_enabled = 1 AND ssl_expires_at > ?1 AND ssl_expires_at "
                       "<= ?2 THEN 1 ELSE 0 END), "
                       "SUM(storage_used_mb) FROM sites");
    for (auto _ : state) {
        QSqlQuery q(core().store().db());
        q.prepare(sql);
        q.bindValue(0, nowSecs());
        q.bindValue(1, nowSecs() + kSslExpiringWindowSecs);
        q.exec();
        q.next();
        QSqlQuery g(core().store().db());
        g.exec(QStringLiteral("SELECT status, COUNT(*) FROM sites GROUP BY status"));
        while (g.next())
            benchmark::DoNotOptimize(g.value(1));
        benchmark::DoNotOptimize(q.value(0));
    }
}

} // namespace

BENCHMARK(BM_DashboardCold_All)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DashboardCold_OneTenant)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DashboardWarm_All)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_UpstreamStyleScan_All)->Unit(benchmark::kMicrosecond);
int main(int argc, char** argv)
{
    core(); // build or open the 100k-site store before timing anything
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

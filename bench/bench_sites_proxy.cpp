// Sites page filtering at 100,000 rows: one "keystroke" = one new search
// string applied to the proxy (the debounce fires once per pause). Measured
// with the table sorted by domain, as the page shows it, and side by side
// with a stock QSortFilterProxyModel doing the same through QVariant data().
#include "BenchStore.h"
#include "SiteFilterProxy.h"
#include "SiteTableModel.h"
#include "store/SiteRepository.h"
#include "store/TenantRepository.h"

#include <QCoreApplication>
#include <QSortFilterProxyModel>
#include <benchmark/benchmark.h>

using namespace chom;

namespace {

SiteTableModel& model()
{
    static SiteTableModel* m = [] {
        auto core = bench::openBenchStore(100000);
        auto* sites = new SiteTableModel;
        sites->setRows(SiteRepository(core->store()).list().value());
        QHash<Id, QString> names;
        for (const Tenant& t : TenantRepository(core->store()).list().value())
            names.insert(t.id, t.name);
        sites->setTenantNames(names);
        return sites;
    }();
    return *m;
}

const QStringList kKeystrokes{
    QStringLiteral("s"),     QStringLiteral("su"),    QStringLiteral("sum"),
    QStringLiteral("summ"),  QStringLiteral("summi"), QStringLiteral("summit"),
    QStringLiteral("summi"), QStringLiteral("summ"),  QStringLiteral("")};

void BM_SiteFilterProxy_Keystroke(benchmark::State& state)
{
    SiteFilterProxy proxy;
    proxy.setSourceModel(&model());
    proxy.sort(SiteTableModel::Domain);
    int i = 0;
    for (auto _ : state) {
        proxy.setSearchText(kKeystrokes[i++ % kKeystrokes.size()]);
        benchmark::DoNotOptimize(proxy.rowCount());
    }
    state.counters["rows"] = model().rowCount();
}

// Worst case: every keystroke changes the word, so nothing narrows.
void BM_SiteFilterProxy_FullScan(benchmark::State& state)
{
    SiteFilterProxy proxy;
    proxy.setSourceModel(&model());
    proxy.sort(SiteTableModel::Domain);
    const QStringList words{QStringLiteral("river"), QStringLiteral("summit"),
                            QStringLiteral("bakery"), QStringLiteral(".io")};
    int i = 0;
    for (auto _ : state) {
        proxy.setSearchText(words[i++ % words.size()]);
        benchmark::DoNotOptimize(proxy.rowCount());
    }
}

void BM_SiteFilterProxy_StatusFilter(benchmark::State& state)
{
    SiteFilterProxy proxy;
    proxy.setSourceModel(&model());
    proxy.sort(SiteTableModel::Domain);
    int i = 0;
    for (auto _ : state) {
        proxy.setStatusFilter(i++ % 2 ? std::optional<SiteStatus>(SiteStatus::Failed)
                                      : std::nullopt);
        benchmark::DoNotOptimize(proxy.rowCount());
    }
}

void BM_StockQSortFilterProxy_Keystroke(benchmark::State& state)
{
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model());
    proxy.setFilterKeyColumn(SiteTableModel::Domain);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy.sort(SiteTableModel::Domain);
    int i = 0;
    for (auto _ : state) {
        proxy.setFilterFixedString(kKeystrokes[i++ % kKeystrokes.size()]);
        benchmark::DoNotOptimize(proxy.rowCount());
    }
}

} // namespace

BENCHMARK(BM_SiteFilterProxy_Keystroke)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_SiteFilterProxy_FullScan)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_SiteFilterProxy_StatusFilter)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_StockQSortFilterProxy_Keystroke)->Unit(benchmark::kMillisecond)->MinTime(2.0);

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

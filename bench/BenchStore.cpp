#include "BenchStore.h"

#include "store/DemoData.h"

#include <QDir>
#include <cstdio>

namespace chom::bench {

QString benchDir(int sites)
{
    const QString base = qEnvironmentVariable("CHOM_BENCH_DIR", QStringLiteral("/tmp"));
    return QStringLiteral("%1/chom-bench-%2").arg(base).arg(sites);
}

std::unique_ptr<Core> openBenchStore(int sites)
{
    auto core = Core::open(sqliteConfigFor(benchDir(sites)));
    if (!core) {
        std::fprintf(stderr, "bench store: %s\n", qPrintable(core.error().message));
        std::exit(1);
    }
    DemoData demo(core.value()->store());
    if (demo.storeIsEmpty().value()) {
        auto r = demo.generate(sites, 42);
        if (!r) {
            std::fprintf(stderr, "demo data: %s\n", qPrintable(r.error().message));
            std::exit(1);
        }
    }
    return std::move(core).value();
}

} // namespace chom::bench

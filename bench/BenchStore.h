#pragma once

#include "inventory/Core.h"

#include <memory>

namespace chom::bench {

// A store with `sites` demo sites, built once per data directory and reused
// across runs (CHOM_BENCH_DIR, default /tmp/chom-bench-<sites>).
std::unique_ptr<Core> openBenchStore(int sites);
QString benchDir(int sites);

} // namespace chom::bench

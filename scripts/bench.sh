#!/usr/bin/env bash
# Runs the benchmarks and prints Markdown for docs/PERFORMANCE.md.
# Usage: scripts/bench.sh [build-dir]   (build with scripts/build.sh first)
set -euo pipefail
cd "$(dirname "$0")/.."
# The peers and tools each benchmark compares against (idempotent).
scripts/install-deps.sh build test bench >&2
B=${1:-build}
export QT_QPA_PLATFORM=offscreen
export CHOM_BENCH_DIR=${CHOM_BENCH_DIR:-/tmp}
echo "## Run of $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo '### Dashboard stats, 100,000 sites / 1,000 tenants'
echo '```'
"$B/bench/bench_dashboard" --benchmark_min_time=1 2>/dev/null | grep -E '^(BM_|Benchmark|-)'
echo '```'
echo
echo '### Sites proxy, 100,000 rows'
echo '```'
"$B/bench/bench_sites_proxy" 2>/dev/null | grep -E '^(BM_|Benchmark|-)'
echo '```'
if [ -x "$B/app/gui/chom-console" ]; then
    echo
    echo '### Console start to first painted dashboard, 100,000-site store (5 runs)'
    echo '```'
    # The store is built once by the benches above (same directory).
    for i in 1 2 3 4 5; do
        "$B/app/gui/chom-console" --data-dir "$CHOM_BENCH_DIR/chom-bench-100000" --exit-after-first-paint | tr '\n' ' '
        echo
    done
    echo '```'
fi

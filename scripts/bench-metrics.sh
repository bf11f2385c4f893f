#!/usr/bin/env bash
# Metrics benchmarks, all in one run against real
# Prometheus + node_exporter on loopback (started and stopped by the benches
# through tests/support/PrometheusFixture), plus a second Prometheus started
# here over a promtool-backfilled 7-day history (items 1b, 2 and 5). Prints Markdown for
# docs/PERFORMANCE.md on stdout; progress goes to stderr. Loopback only.
#
# Usage: scripts/bench-metrics.sh [build-dir] [--reps N] [--latency MS]
#        [--repaint-reps N] [--live-seconds S]
#   build-dir defaults to "build" (ninja -C build bench_metrics bench_metrics_gui).
#   Needs prometheus, prometheus-node-exporter, promtool (Debian package
#   prometheus), curl. The live-chart bench reuses $CHOM_BENCH_DIR/chom-bench-100000
#   (default /tmp) or builds it first (~1 minute). ~3 minutes on an idle 2-core box.
set -euo pipefail
cd "$(dirname "$0")/.."
# The peers and tools each benchmark compares against (idempotent).
scripts/install-deps.sh build test bench >&2
B=build
if [[ $# -gt 0 && $1 != --* ]]; then
    B=$1
    shift
fi
REPS=5
LATENCY=300
REPAINT_REPS=200
LIVE_SECONDS=20
while [[ $# -gt 0 ]]; do
    case $1 in
    --reps) REPS=$2 ;;
    --latency) LATENCY=$2 ;;
    --repaint-reps) REPAINT_REPS=$2 ;;
    --live-seconds) LIVE_SECONDS=$2 ;;
    *)
        echo "bench-metrics: unknown option $1" >&2
        exit 2
        ;;
    esac
    shift 2
done
BIN=$B/bench/metrics/bench_metrics
GUI_BIN=$B/bench/metrics/bench_metrics_gui
export CHOM_BENCH_DIR=${CHOM_BENCH_DIR:-/tmp}

die() {
    echo "bench-metrics: $*" >&2
    exit 1
}
[[ -x $BIN ]] || die "$BIN not built (ninja -C $B bench_metrics)"
for tool in prometheus promtool curl; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install prometheus curl)"
done

DIR=$(mktemp -d /tmp/chom-benchmetrics-XXXXXX)
HIST_PID=
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
    if [[ -n $HIST_PID ]] && kill -0 "$HIST_PID" 2>/dev/null; then
        kill "$HIST_PID" 2>/dev/null || true
        wait "$HIST_PID" 2>/dev/null || true
    fi
    rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Backfilled history: the 5 panels' node_exporter series for 3 instances over
# 7 days, every 15 s for the last 24 h and every 60 s before (no TYPE lines:
# promtool takes them as unknown, rate() does not mind).
echo "bench-metrics: writing 7 days of node_exporter history for 3 instances and running promtool" >&2
NOW=$(date +%s)
awk -v now="$NOW" '
function series(name, extra, kind, base, amp,    h, t, v, dt) {
    for (h = 1; h <= 3; h++) {
        v = 0
        for (t = now - 7 * 86400 - 3600; t <= now - 30; t += dt) {
            dt = (t < now - 86400) ? 60 : 15
            if (kind == "counter")
                v += dt * (base * h + amp * (1 + sin(t / 3600 + h)))
            else
                v = base * h + amp * sin(t / 3600 + h)
            printf "%s{instance=\"host%d:9100\",job=\"node\"%s} %.3f %d\n", name, h, extra, v, t
        }
    }
}
BEGIN {
    series("node_load1", "", "gauge", 0.4, 0.3)
    series("node_cpu_seconds_total", ",cpu=\"0\",mode=\"idle\"", "counter", 0.2, 0.15)
    series("node_memory_MemAvailable_bytes", "", "gauge", 1e9, 2e8)
    series("node_memory_MemTotal_bytes", "", "gauge", 4e9, 0)
    series("node_filesystem_avail_bytes", ",device=\"/dev/vda1\",fstype=\"ext4\",mountpoint=\"/\"", "gauge", 1e10, 1e9)
    series("node_filesystem_size_bytes", ",device=\"/dev/vda1\",fstype=\"ext4\",mountpoint=\"/\"", "gauge", 4e10, 0)
    series("node_network_receive_bytes_total", ",device=\"eth0\"", "counter", 2e5, 1e5)
    series("node_network_transmit_bytes_total", ",device=\"eth0\"", "counter", 1e5, 5e4)
    print "# EOF"
}' >"$DIR/history.om"
T0=$(date +%s.%N)
promtool tsdb create-blocks-from openmetrics "$DIR/history.om" "$DIR/hist-data" >"$DIR/promtool.log" 2>&1 ||
    die "promtool failed: $(tail -n 5 "$DIR/promtool.log")"
T1=$(date +%s.%N)
HIST_PORT=$(free_port)
cat >"$DIR/hist.yml" <<'YML'
global:
  scrape_interval: 1m
scrape_configs: []
YML
prometheus --config.file="$DIR/hist.yml" --storage.tsdb.path="$DIR/hist-data" \
    --storage.tsdb.retention.time=3650d --web.listen-address="127.0.0.1:$HIST_PORT" \
    >"$DIR/hist.log" 2>&1 &
HIST_PID=$!
HIST_URL=http://127.0.0.1:$HIST_PORT
for _ in $(seq 1 100); do
    curl -sf --noproxy '*' "$HIST_URL/-/ready" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -sf --noproxy '*' "$HIST_URL/-/ready" >/dev/null || die "the history Prometheus did not start: $(tail -n 5 "$DIR/hist.log")"

echo "## Metrics — run of $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores"
echo
echo "Command: \`scripts/bench-metrics.sh $B\`. $(prometheus --version 2>&1 | head -n1), curl $(curl --version | head -n1 | cut -d' ' -f2)."
echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg). Backfill: $(($(wc -l <"$DIR/history.om") - 1)) samples"
echo "(8 node_exporter series × 3 instances, 7 days: 15 s for the last 24 h, 60 s before) written by promtool in $(awk -v a="$T0" -v b="$T1" 'BEGIN { printf "%.1f", b - a }') s."
echo
rc=0
"$BIN" --reps "$REPS" --latency "$LATENCY" --history-url "$HIST_URL" || rc=$?
if [[ -x $GUI_BIN ]]; then
    QT_QPA_PLATFORM=offscreen "$GUI_BIN" --history-url "$HIST_URL" --repaint-reps "$REPAINT_REPS" --live-seconds "$LIVE_SECONDS" || rc=$?
else
    echo "bench-metrics: $GUI_BIN not built (GUI off?): items 2 and 4 not measured" >&2
fi
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)."
echo "bench-metrics: done" >&2
exit "$rc"

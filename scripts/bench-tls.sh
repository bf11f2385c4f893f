#!/usr/bin/env bash
# The TLS probe benchmark: a farm of 500 site certificates served by one
# sandboxed nginx (scripts/services/tls-farm.sh, 127.0.0.1:18448), then, in
# the same run and alternating, TlsProbe over all 500 names and a shell loop
# of `openssl s_client | openssl x509` over the same names (bench_tls_probe).
# Prints Markdown for docs/PERFORMANCE.md on stdout; progress goes to stderr.
# Loopback only; the farm is stopped and removed on exit.
#
# Usage: scripts/bench-tls.sh [build-dir] [bench_tls_probe options...]
#   build-dir defaults to "build" (ninja -C build bench_tls_probe);
#   options: --reps N --peer-reps N --concurrency N (see bench/sites/bench_tls_probe.cpp).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh build test >&2 # nginx and openssl are in "test"
B=build
if [[ $# -gt 0 && $1 != --* ]]; then
    B=$1
    shift
fi
BIN=$B/bench/sites/bench_tls_probe
FARM=$PWD/scripts/services/tls-farm.sh
COUNT=500
PORT=18448 # 18449: the farm's plain HTTP port

die() {
    echo "bench-tls: $*" >&2
    exit 1
}
[[ -x $BIN ]] || die "$BIN not built (ninja -C $B bench_tls_probe)"

DIR=$(mktemp -d /tmp/chom-benchtls-XXXXXX)
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
    bash "$FARM" stop "$DIR/farm" >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "bench-tls: making $COUNT certificates and starting nginx on 127.0.0.1:$PORT" >&2
start=$(date +%s.%N)
info=$(bash "$FARM" start "$DIR/farm" "$COUNT" "$PORT")
end=$(date +%s.%N)
value() { awk -v k="$1" '$1 == k { print $2 }' <<<"$info"; }

echo "## TLS probe: TlsProbe vs an openssl loop — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo "Command: \`scripts/bench-tls.sh $B${*:+ $*}\`. Farm: $COUNT EC P-256 site certificates signed by"
echo "a throwaway CA, made in $(value seconds) s (farm up in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s with nginx start),"
echo "served by nginx $(/usr/sbin/nginx -v 2>&1 | sed 's|.*/||') on 127.0.0.1:$PORT; $(openssl version | cut -d' ' -f1-2);"
echo "Qt $(pkg-config --modversion Qt6Network 2>/dev/null || echo '6')."
echo
QT_QPA_PLATFORM=offscreen "$BIN" --port "$PORT" --ca "$(value ca)" --names "$(value names)" "$@"
echo "bench-tls: done (stopping the farm)" >&2

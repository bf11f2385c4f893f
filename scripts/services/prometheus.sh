#!/usr/bin/env bash
# Real Prometheus + node_exporter on loopback, for the test suite.
#
#   prometheus.sh start DIR [PORT_PROM] [PORT_NODE]   defaults 9090 / 9100
#   prometheus.sh stop DIR                            stop both by their pid files (idempotent)
#   prometheus.sh status DIR                          "prometheus up|down", "node_exporter up|down";
#                                                     rc 3 if either is down
#
# Both listen on 127.0.0.1 only. Prometheus scrapes node_exporter every second
# (job "node") into DIR/data; start returns once up{job="node"} == 1, i.e. the
# first scrape has landed (about 6 s after start), so queries see data.
# Everything lives in DIR: prometheus.yml, data/, *.pid, *.log. Only the
# processes named by DIR's own pid files are ever signalled.
#
# Optional, from the environment of `start`:
#   PROMETHEUS_TARGET_LABELS  YAML flow-map body added to the node target's labels,
#                             e.g. 'tenant_id: "7", hostname: "web-1"'
#   PROMETHEUS_RULES_FILE     an alerting/recording rules file, copied into DIR
#
# start prints:  prometheus http://127.0.0.1:PORT_PROM
#                node_exporter http://127.0.0.1:PORT_NODE
set -euo pipefail

readonly PROMETHEUS=${PROMETHEUS_BIN:-/usr/bin/prometheus}
readonly NODE_EXPORTER=${NODE_EXPORTER_BIN:-/usr/bin/prometheus-node-exporter}
readonly WAIT_SECONDS=${PROMETHEUS_WAIT_SECONDS:-40}

die() {
    echo "prometheus.sh: error: $*" >&2
    exit 1
}

usage() {
    cat >&2 <<'USAGE'
usage: prometheus.sh start DIR [PORT_PROM] [PORT_NODE]
       prometheus.sh stop DIR
       prometheus.sh status DIR
USAGE
    exit 2
}

# pid of a service from DIR's pid file if that process still runs, else empty.
running_pid() {
    local file=$1 pid
    [[ -f $file ]] || return 0
    read -r pid <"$file" || return 0
    [[ $pid =~ ^[0-9]+$ ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        echo "$pid"
    fi
}

stop_one() {
    local file=$1 pid i
    pid=$(running_pid "$file")
    if [[ -n $pid ]]; then
        kill "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$file"
}

http_get() {
    if command -v curl >/dev/null; then
        curl -fsS --max-time 2 "$1"
    else
        wget -qO- --timeout=2 "$1"
    fi
}

cmd_stop() {
    local dir=$1
    stop_one "$dir/prometheus.pid"
    stop_one "$dir/node_exporter.pid"
}

cmd_status() {
    local dir=$1 rc=0
    if [[ -n $(running_pid "$dir/prometheus.pid") ]]; then echo "prometheus up"; else
        echo "prometheus down"
        rc=3
    fi
    if [[ -n $(running_pid "$dir/node_exporter.pid") ]]; then echo "node_exporter up"; else
        echo "node_exporter down"
        rc=3
    fi
    return "$rc"
}

cmd_start() {
    local dir=$1 prom_port=$2 node_port=$3
    [[ -x $PROMETHEUS ]] || die "$PROMETHEUS not found: install the Debian package prometheus"
    [[ -x $NODE_EXPORTER ]] || die "$NODE_EXPORTER not found: install prometheus-node-exporter"
    [[ $prom_port =~ ^[0-9]+$ && $node_port =~ ^[0-9]+$ ]] || die "ports must be numbers"
    command -v curl >/dev/null || command -v wget >/dev/null || die "need curl or wget"
    mkdir -p "$dir/data"
    cmd_stop "$dir"

    local labels=${PROMETHEUS_TARGET_LABELS:-} rules=""
    if [[ -n ${PROMETHEUS_RULES_FILE:-} ]]; then
        [[ -f $PROMETHEUS_RULES_FILE ]] || die "rules file $PROMETHEUS_RULES_FILE not found"
        cp "$PROMETHEUS_RULES_FILE" "$dir/rules.yml"
        rules=$'rule_files:\n  - rules.yml'
    fi
    cat >"$dir/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
$rules
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$node_port']
        labels: {$labels}
YAML

    # Collectors that read only /proc and /sys: fast and quiet in containers.
    "$NODE_EXPORTER" --web.listen-address="127.0.0.1:$node_port" \
        --collector.disable-defaults --collector.cpu --collector.meminfo \
        --collector.loadavg --collector.filesystem --collector.netdev --collector.time \
        >"$dir/node_exporter.log" 2>&1 &
    echo "$!" >"$dir/node_exporter.pid"

    "$PROMETHEUS" --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
        --web.listen-address="127.0.0.1:$prom_port" --storage.tsdb.retention.time=1d \
        >"$dir/prometheus.log" 2>&1 &
    echo "$!" >"$dir/prometheus.pid"

    local url="http://127.0.0.1:$prom_port" deadline=$((SECONDS + WAIT_SECONDS)) body
    while ((SECONDS < deadline)); do
        if [[ -z $(running_pid "$dir/prometheus.pid") || -z $(running_pid "$dir/node_exporter.pid") ]]; then
            cmd_stop "$dir"
            die "a service exited at start; see $dir/prometheus.log and $dir/node_exporter.log"
        fi
        body=$(http_get "$url/api/v1/query?query=up%7Bjob%3D%22node%22%7D%3D%3D1" 2>/dev/null || true)
        if [[ $body == *'"result":[{'* ]]; then
            echo "prometheus $url"
            echo "node_exporter http://127.0.0.1:$node_port"
            return 0
        fi
        sleep 0.25
    done
    cmd_stop "$dir"
    die "up{job=\"node\"} did not become 1 within ${WAIT_SECONDS}s; see $dir/prometheus.log"
}

main() {
    [[ $# -ge 2 ]] || usage
    local action=$1 dir=$2
    [[ -n $dir ]] || usage
    case $action in
        start) cmd_start "$dir" "${3:-9090}" "${4:-9100}" ;;
        stop) cmd_stop "$dir" ;;
        status) cmd_status "$dir" ;;
        *) usage ;;
    esac
}

main "$@"

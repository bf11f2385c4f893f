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
#   PROMETHEUS_TLS_CERT       PEM server certificate and its key: Prometheus serves
#   PROMETHEUS_TLS_KEY        HTTPS only (both or neither; copied into DIR)
#   PROMETHEUS_TLS_CA         PEM CA the readiness probe trusts (curl --cacert);
#                             default PROMETHEUS_TLS_CERT itself (self-signed)
#   PROMETHEUS_BASIC_AUTH_USER      basic auth on every Prometheus endpoint, with the
#   PROMETHEUS_BASIC_AUTH_HASH      bcrypt hash of the password (htpasswd -nBC 10 -i)
#   PROMETHEUS_BASIC_AUTH_PASSWORD  the password, used only by the readiness probe
# TLS and basic auth go into DIR/web.yml (--web.config.file). The probe hands
# curl its credentials on stdin (--config -), never on a command line ps shows;
# it then needs curl (not wget). node_exporter is still scraped over plain http.
#
# start prints:  prometheus http(s)://127.0.0.1:PORT_PROM
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

# A value quoted for a curl config file: backslash and double quote escaped.
curl_quote() {
    local v=${1//\\/\\\\}
    printf '"%s"' "${v//\"/\\\"}"
}

# GET through curl with the CA and the basic-auth credentials read from stdin
# (--config -), so the password never appears in argv.
secure_get() {
    local url=$1 ca=$2 config=""
    [[ -n $ca ]] && config+="cacert = $(curl_quote "$ca")"$'\n'
    if [[ -n ${PROMETHEUS_BASIC_AUTH_USER:-} ]]; then
        config+="user = $(curl_quote "$PROMETHEUS_BASIC_AUTH_USER:${PROMETHEUS_BASIC_AUTH_PASSWORD:-}")"$'\n'
    fi
    printf '%s' "$config" | curl -fsS --max-time 2 --config - "$url"
}

# Writes DIR/web.yml from the TLS / basic-auth variables; prints the extra
# prometheus flag (nothing when neither is set).
write_web_config() {
    local dir=$1 cert=${PROMETHEUS_TLS_CERT:-} key=${PROMETHEUS_TLS_KEY:-}
    local user=${PROMETHEUS_BASIC_AUTH_USER:-} hash=${PROMETHEUS_BASIC_AUTH_HASH:-} yaml=""
    rm -f "$dir/web.yml" "$dir/tls.crt" "$dir/tls.key" # nothing left from an earlier start
    [[ -n $cert || -n $key || -n $user || -n $hash ]] || return 0
    if [[ -n $cert || -n $key ]]; then
        [[ -f $cert && -f $key ]] || die "PROMETHEUS_TLS_CERT and PROMETHEUS_TLS_KEY must both name PEM files"
        install -m 0644 "$cert" "$dir/tls.crt"
        install -m 0600 "$key" "$dir/tls.key"
        yaml+=$'tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n'
    fi
    if [[ -n $user || -n $hash ]]; then
        # Restricted so both fit in YAML single quotes unescaped.
        [[ $user =~ ^[A-Za-z0-9._@-]+$ ]] || die "PROMETHEUS_BASIC_AUTH_USER must be [A-Za-z0-9._@-]+"
        [[ $hash =~ ^\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}$ ]] || die "PROMETHEUS_BASIC_AUTH_HASH is not a bcrypt hash"
        yaml+=$'basic_auth_users:\n'"  '$user': '$hash'"$'\n'
    fi
    printf '%s' "$yaml" >"$dir/web.yml"
    echo "--web.config.file=$dir/web.yml"
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
    local web_flag scheme=http ca=""
    web_flag=$(write_web_config "$dir")
    if [[ -n ${PROMETHEUS_TLS_CERT:-} ]]; then
        scheme=https
        ca=${PROMETHEUS_TLS_CA:-$PROMETHEUS_TLS_CERT}
        [[ -f $ca ]] || die "CA file $ca not found"
    fi
    if [[ -n $web_flag ]]; then
        command -v curl >/dev/null || die "TLS or basic auth needs curl for the readiness probe"
    fi

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
        ${web_flag:+"$web_flag"} >"$dir/prometheus.log" 2>&1 &
    echo "$!" >"$dir/prometheus.pid"

    local url="$scheme://127.0.0.1:$prom_port" deadline=$((SECONDS + WAIT_SECONDS)) body
    local probe="$url/api/v1/query?query=up%7Bjob%3D%22node%22%7D%3D%3D1"
    while ((SECONDS < deadline)); do
        if [[ -z $(running_pid "$dir/prometheus.pid") || -z $(running_pid "$dir/node_exporter.pid") ]]; then
            cmd_stop "$dir"
            die "a service exited at start; see $dir/prometheus.log and $dir/node_exporter.log"
        fi
        if [[ -n $web_flag ]]; then
            body=$(secure_get "$probe" "$ca" 2>/dev/null || true)
        else
            body=$(http_get "$probe" 2>/dev/null || true)
        fi
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

#!/usr/bin/env bash
# An ACME test CA for the suite: pebble (Let's Encrypt's test server, Debian
# package pebble) with a DNS of its own (pebble-challtestsrv) that answers
# every name with 127.0.0.1, so HTTP-01 validation reaches the test stack's
# nginx. Nothing leaves loopback; the CA's roots are trusted only by the
# test that asks for them.
#
#   pebble.sh start DIR HTTP_PORT [ACME_PORT]  pebble on https://127.0.0.1:ACME_PORT/dir
#                                              (default 14000), validating on HTTP_PORT
#   pebble.sh stop DIR                         stops both, idempotent
#
# DIR/ca.pem is the CA of pebble's own HTTPS listener (certbot's
# REQUESTS_CA_BUNDLE); the roots pebble signs with come from its management
# port (ACME_PORT + 1000, /roots/0). PEBBLE_VA_ALWAYS_VALID=1 in the
# environment skips validation.
set -euo pipefail
# shellcheck source=scripts/services/pidfile.sh
. "$(dirname "${BASH_SOURCE[0]}")/pidfile.sh"

die() {
    echo "pebble: $*" >&2
    exit 1
}

start() {
    local dir=$1 http=$2 acme=${3:-14000} mgmt dns
    mgmt=$((acme + 1000)) dns=$((acme + 2053 - 2000))
    command -v pebble >/dev/null || die "pebble is not installed (scripts/install-deps.sh test)"
    command -v openssl >/dev/null || die "openssl is not installed"
    mkdir -p "$dir"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=chom test ACME CA" \
        -keyout "$dir/ca.key" -out "$dir/ca.pem" >/dev/null 2>&1 || die "cannot make the CA"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
        -keyout "$dir/pebble.key" -out "$dir/pebble.csr" >/dev/null 2>&1 || die "cannot make pebble's key"
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$dir/san.ext"
    openssl x509 -req -in "$dir/pebble.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
        -extfile "$dir/san.ext" -out "$dir/pebble.pem" >/dev/null 2>&1 || die "cannot sign pebble's certificate"
    cat >"$dir/pebble.json" <<JSON
{"pebble": {"listenAddress": "127.0.0.1:$acme", "managementListenAddress": "127.0.0.1:$mgmt",
 "certificate": "$dir/pebble.pem", "privateKey": "$dir/pebble.key", "httpPort": $http,
 "tlsPort": 5001, "ocspResponderURL": "", "externalAccountBindingRequired": false}}
JSON
    pebble-challtestsrv -defaultIPv4 127.0.0.1 -defaultIPv6 "" -dns01 "127.0.0.1:$dns" -http01 "" \
        -https01 "" -tlsalpn01 "" -management "127.0.0.1:$((dns + 2))" >"$dir/dns.log" 2>&1 &
    echo $! >"$dir/dns.pid"
    PEBBLE_WFE_NONCEREJECT=0 PEBBLE_VA_NOSLEEP=1 pebble -config "$dir/pebble.json" \
        -dnsserver "127.0.0.1:$dns" >"$dir/pebble.log" 2>&1 &
    echo $! >"$dir/pebble.pid"
    for _ in $(seq 100); do
        curl -fsS --cacert "$dir/ca.pem" "https://127.0.0.1:$acme/dir" >/dev/null 2>&1 && break
        sleep 0.1
    done
    curl -fsS --cacert "$dir/ca.pem" "https://127.0.0.1:$acme/dir" >/dev/null 2>&1 ||
        die "pebble did not start: $(tail -3 "$dir/pebble.log")"
    curl -fsS --cacert "$dir/ca.pem" "https://127.0.0.1:$mgmt/roots/0" >"$dir/roots.pem" ||
        die "cannot read pebble's root"
    echo "directory https://127.0.0.1:$acme/dir"
    echo "ca $dir/ca.pem"
    echo "roots $dir/roots.pem"
}

stop() {
    stop_pid_file "$1/pebble.pid"
    stop_pid_file "$1/dns.pid"
    rm -f -- "$1/pebble.pid" "$1/dns.pid"
}

case ${1-} in
    start) [[ $# -ge 3 ]] || die "usage: pebble.sh start DIR HTTP_PORT [ACME_PORT]"; start "$2" "$3" "${4-}" ;;
    stop) [[ $# -eq 2 ]] || die "usage: pebble.sh stop DIR"; stop "$2" ;;
    *) die "usage: pebble.sh start DIR HTTP_PORT [ACME_PORT] | stop DIR" ;;
esac

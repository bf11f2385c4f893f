#!/usr/bin/env bash
# A TLS "farm" for the probe's tests and benchmark: a throwaway EC P-256 CA,
# COUNT leaf certificates it signs (site1.tls.test .. siteCOUNT.tls.test) and
# an nginx of its own serving each name's certificate by SNI on a loopback
# port, with everything (config, pid, logs, temp paths) inside DIR; the
# machine's own nginx and /etc are never touched.
#
#   tls-farm.sh start DIR COUNT PORT   nginx on 127.0.0.1:PORT (TLS) and PORT+1 (plain HTTP)
#   tls-farm.sh stop DIR               stops it by its pid file, removes what start made
#
# Besides the COUNT sites, PORT serves the entries the tests need:
#   expired.tls.test     signed by the CA, expired in 2020
#   wrong.tls.test       a certificate for other.tls.test
#   selfsigned.tls.test  self-signed, not from the CA
#   *.wild.tls.test      a wildcard certificate (nginx also sends it for a.b.wild.tls.test)
#   any other name       the default server's certificate, for default.tls.test
# start prints "key value" lines: ca, port, http_port, names (a file, one
# site name a line), certificates (how many were made) and seconds (how long
# making them took). Needs nginx and openssl; runs as the invoking user (as
# root, nginx's workers stay root rather than switch to another account).
set -euo pipefail
# shellcheck source=scripts/services/pidfile.sh
. "$(dirname "${BASH_SOURCE[0]}")/pidfile.sh"

die() {
    echo "tls-farm: $*" >&2
    exit 1
}

# What start makes inside DIR; stop removes exactly these.
MADE=(.tls-farm ca.pem ca.key openssl.cnf names.txt certs conf logs temp nginx.pid)

write_openssl_config() {
    cat >"$1" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[leaf_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca]
default_ca = farm_ca
[farm_ca]
database = $ENV::FARM_DIR/certs/index.txt
new_certs_dir = $ENV::FARM_DIR/certs
serial = $ENV::FARM_DIR/certs/serial
default_md = sha256
policy = any
copy_extensions = copy
x509_extensions = leaf_ext
[any]
commonName = supplied
EOF
}

# One openssl run per certificate makes its key and signs it (req -x509 -CA),
# nproc of them at once: EC keys cost microseconds, the process start is
# what remains.
make_leaves() {
    local dir=$1
    xargs -P "$(nproc)" -I{} openssl req -x509 -config "$dir/openssl.cnf" -extensions leaf_ext \
        -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
        -nodes -keyout "$dir/certs/{}.key" -out "$dir/certs/{}.pem" -days 30 \
        -subj "/CN={}" -addext "subjectAltName=DNS:{}" 2>/dev/null
}

make_specials() {
    local dir=$1 c=$1/certs
    printf '%s\n' default.tls.test | make_leaves "$dir"
    openssl req -x509 -config "$dir/openssl.cnf" -extensions leaf_ext -CA "$dir/ca.pem" \
        -CAkey "$dir/ca.key" -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$c/wrong.tls.test.key" -out "$c/wrong.tls.test.pem" -days 30 \
        -subj "/CN=other.tls.test" -addext "subjectAltName=DNS:other.tls.test" 2>/dev/null
    openssl req -x509 -config "$dir/openssl.cnf" -extensions leaf_ext -CA "$dir/ca.pem" \
        -CAkey "$dir/ca.key" -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$c/wild.tls.test.key" -out "$c/wild.tls.test.pem" -days 30 \
        -subj "/CN=*.wild.tls.test" -addext "subjectAltName=DNS:*.wild.tls.test" 2>/dev/null
    # Self-signed: no -CA, so its own key signs it.
    openssl req -x509 -config "$dir/openssl.cnf" -extensions leaf_ext -newkey ec \
        -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$c/selfsigned.tls.test.key" \
        -out "$c/selfsigned.tls.test.pem" -days 30 -subj "/CN=selfsigned.tls.test" \
        -addext "subjectAltName=DNS:selfsigned.tls.test" 2>/dev/null
    # Expired: req cannot set past dates, `openssl ca` can.
    openssl req -new -config "$dir/openssl.cnf" -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
        -nodes -keyout "$c/expired.tls.test.key" -out "$c/expired.csr" \
        -subj "/CN=expired.tls.test" -addext "subjectAltName=DNS:expired.tls.test" 2>/dev/null
    : >"$c/index.txt"
    echo 1000 >"$c/serial"
    openssl ca -batch -notext -config "$dir/openssl.cnf" -cert "$dir/ca.pem" \
        -keyfile "$dir/ca.key" -startdate 20200101000000Z -enddate 20200201000000Z \
        -in "$c/expired.csr" -out "$c/expired.tls.test.pem" 2>/dev/null ||
        die "openssl ca could not sign the expired certificate"
}

make_certificates() {
    local dir=$1 count=$2
    export FARM_DIR=$dir # the config names the CA database through it
    write_openssl_config "$dir/openssl.cnf"
    openssl req -x509 -config "$dir/openssl.cnf" -extensions ca_ext -newkey ec \
        -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" \
        -days 30 -subj "/O=CHOM Console tests/CN=CHOM Farm CA" 2>/dev/null ||
        die "openssl could not make the CA"
    seq -f 'site%.0f.tls.test' 1 "$count" >"$dir/names.txt"
    make_leaves "$dir" <"$dir/names.txt" || die "openssl could not make the site certificates"
    make_specials "$dir"
}

server_block() { # name, certificate file stem, extra listen flags
    cat <<EOF
    server {
        listen 127.0.0.1:$PORT ssl$3;
        server_name $1;
        ssl_certificate $FARM_DIR/certs/$2.pem;
        ssl_certificate_key $FARM_DIR/certs/$2.key;
        return 200 "$1\n";
    }
EOF
}

write_nginx_config() {
    local dir=$1 user=""
    # The user directive is only allowed as root; there it keeps the workers
    # on the invoking account instead of nobody.
    [[ $EUID -ne 0 ]] || user="user $(id -un) $(id -gn);"
    {
        cat <<EOF
$user
worker_processes 2;
daemon on;
pid $dir/nginx.pid;
error_log $dir/logs/error.log;
events { worker_connections 2048; }
http {
    access_log off;
    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    server_names_hash_max_size 8192;
    server_names_hash_bucket_size 128;
    server {
        listen 127.0.0.1:$((PORT + 1));
        server_name _;
        return 200 "plain\n";
    }
EOF
        server_block default.tls.test default.tls.test " default_server"
        server_block wrong.tls.test wrong.tls.test ""
        server_block '*.wild.tls.test' wild.tls.test ""
        server_block selfsigned.tls.test selfsigned.tls.test ""
        server_block expired.tls.test expired.tls.test ""
        while read -r name; do server_block "$name" "$name" ""; done <"$dir/names.txt"
        echo "}"
    } >"$dir/conf/nginx.conf"
}

start() {
    local dir=$1 count=$2 t0 t1
    [[ $count =~ ^[0-9]+$ && $count -ge 1 ]] || die "COUNT must be a positive number"
    [[ $PORT =~ ^[0-9]+$ && $PORT -ge 1 && $PORT -lt 65535 ]] || die "PORT must be 1..65534"
    command -v openssl >/dev/null || die "openssl is not installed (scripts/install-deps.sh test)"
    [[ -x /usr/sbin/nginx ]] || die "nginx is not installed (scripts/install-deps.sh test)"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [[ ! -s $dir/nginx.pid ]] || die "a farm already runs in $dir (stop it first)"
    echo "tls-farm" >"$dir/.tls-farm"
    mkdir -p "$dir"/{certs,conf,logs,temp}
    t0=$(date +%s.%N)
    make_certificates "$dir" "$count"
    t1=$(date +%s.%N)
    write_nginx_config "$dir"
    # -p/-e: the prefix and the start-up error log stay inside DIR too.
    /usr/sbin/nginx -p "$dir/" -e "$dir/logs/error.log" -c "$dir/conf/nginx.conf" ||
        die "nginx did not start: $(tail -n 3 "$dir/logs/error.log" 2>/dev/null)"
    for _ in $(seq 100); do
        [[ -s $dir/nginx.pid ]] && break
        sleep 0.05
    done
    [[ -s $dir/nginx.pid ]] || die "nginx wrote no pid file"
    echo "ca $dir/ca.pem"
    echo "port $PORT"
    echo "http_port $((PORT + 1))"
    echo "names $dir/names.txt"
    echo "certificates $((count + 5))"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "seconds %.2f\n", b - a }'
}

stop() {
    local dir=$1 f
    [[ -d $dir ]] || return 0
    [[ -f $dir/.tls-farm ]] || die "$dir holds no farm (no .tls-farm marker)"
    stop_pid_file "$dir/nginx.pid"
    for f in "${MADE[@]}"; do rm -rf "${dir:?}/$f"; done
    rmdir "$dir" 2>/dev/null || true
}

case ${1-} in
    start)
        [[ $# -eq 4 ]] || die "usage: tls-farm.sh start DIR COUNT PORT"
        PORT=$4
        start "$2" "$3"
        ;;
    stop)
        [[ $# -eq 2 ]] || die "usage: tls-farm.sh stop DIR"
        stop "$2"
        ;;
    *) die "usage: tls-farm.sh start DIR COUNT PORT | stop DIR" ;;
esac

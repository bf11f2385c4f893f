#!/usr/bin/env bash
# A site-hosting stack of its own for the test suite: nginx and a PHP-FPM
# master, configured under a sandbox root the agent is pointed at, on a
# loopback port, never touching the machine's own nginx or PHP-FPM.
#
#   webstack.sh start DIR [PORT [ROOT [DBPORT]]]  nginx on 127.0.0.1:PORT (default 18080;
#                                        HTTPS sites on PORT+1),
#                                        php-fpm, and with DBPORT a MariaDB on 127.0.0.1:DBPORT
#   webstack.sh stop DIR                 stops both (by their pid files), idempotent
#
# ROOT (default DIR/root; a fleet host's sandbox, say) is the agent's root (--root / CHOM_AGENT_ROOT): the Debian layout
# (etc/nginx/sites-available, sites-enabled, etc/php/8.2/fpm/pool.d, run/php,
# var/www/sites, var/lib/chom-agent/sites.json) with etc/chom-agent/agent.conf
# naming the port and a site-user prefix ("chomt-") so that tests can find
# and remove the users they made. Needs root, nginx and php8.2-fpm.
set -euo pipefail
# shellcheck source=scripts/services/pidfile.sh
. "$(dirname "${BASH_SOURCE[0]}")/pidfile.sh"

die() {
    echo "webstack: $*" >&2
    exit 1
}

php_version() {
    local f
    for f in /usr/sbin/php-fpm[0-9]*; do
        [[ -x $f ]] && { echo "${f#/usr/sbin/php-fpm}"; return 0; }
    done
    return 1
}

start() {
    local dir=$1 port=${2:-18080} root=${3:-$1/root} dbport=${4-} v
    [[ $EUID -eq 0 ]] || die "must run as root (php-fpm switches to the site users)"
    command -v nginx >/dev/null || die "nginx is not installed (scripts/install-deps.sh test)"
    v=$(php_version) || die "no php-fpm is installed (scripts/install-deps.sh test)"
    mkdir -p "$dir"
    printf '%s\n' "$root" >"$dir/.root"
    mkdir -p "$root"/etc/nginx/{sites-available,sites-enabled,chom-sites} "$root/etc/php/$v/fpm/pool.d" \
        "$root"/run/php "$root"/var/www/sites "$root"/var/lib/chom-agent "$root"/var/log/nginx \
        "$root"/etc/chom-agent "$root"/var/lib/nginx
    chmod 755 "$dir" "$root"
    chmod o+x "$root/var" "$root/var/www" "$root/var/www/sites" 2>/dev/null || true
    cp /etc/nginx/fastcgi_params /etc/nginx/mime.types "$root/etc/nginx/"
    cat >"$root/etc/nginx/nginx.conf" <<EOF
user www-data;
worker_processes 1;
pid $root/run/nginx.pid;
error_log $root/var/log/nginx/error.log;
events { worker_connections 256; }
http {
    include mime.types;
    default_type application/octet-stream;
    access_log $root/var/log/nginx/access.log;
    client_body_temp_path $root/var/lib/nginx/body;
    proxy_temp_path $root/var/lib/nginx/proxy;
    fastcgi_temp_path $root/var/lib/nginx/fastcgi;
    uwsgi_temp_path $root/var/lib/nginx/uwsgi;
    scgi_temp_path $root/var/lib/nginx/scgi;
    server {
        listen 127.0.0.1:$port default_server;
        server_name _;
        return 404;
    }
    include $root/etc/nginx/sites-enabled/*;
}
EOF
    cat >"$root/etc/php/$v/fpm/php-fpm.conf" <<EOF
[global]
pid = $root/run/php/php$v-fpm.pid
error_log = $root/var/log/php$v-fpm.log
include = $root/etc/php/$v/fpm/pool.d/*.conf
EOF
    # php-fpm refuses to start without a pool: one that never runs a child.
    cat >"$root/etc/php/$v/fpm/pool.d/00-idle.conf" <<EOF
[chom-idle]
user = www-data
group = www-data
listen = $root/run/php/idle.sock
pm = ondemand
pm.max_children = 1
EOF
    cat >"$root/etc/chom-agent/agent.conf" <<EOF
nginx_listen=127.0.0.1:$port
nginx_listen_v6=
nginx_listen_tls=127.0.0.1:$((port + 1)) ssl
nginx_listen_tls_v6=
site_user_prefix=chomt-
EOF
    if [[ -n $dbport ]]; then start_db "$dir" "$root" "$dbport"; fi
    [[ -f $root/var/lib/chom-agent/sites.json ]] || echo '{"sites":[]}' >"$root/var/lib/chom-agent/sites.json"
    "php-fpm$v" -y "$root/etc/php/$v/fpm/php-fpm.conf" || die "php-fpm$v did not start"
    nginx -c "$root/etc/nginx/nginx.conf" -g "daemon on;" || die "nginx did not start"
    for _ in $(seq 50); do
        [[ -s $root/run/nginx.pid && -s $root/run/php/php$v-fpm.pid ]] && break
        sleep 0.1
    done
    echo "root $root"
    echo "port $port"
    echo "php $v"
}

# start_db DIR ROOT PORT: a MariaDB of the stack's own (data in DIR/mysql,
# socket under ROOT where the agent looks for it); sites connect over TCP.
start_db() {
    local dir=$1 root=$2 port=$3 sock=$2/run/mysqld/mysqld.sock
    command -v mariadbd >/dev/null || die "mariadb-server is not installed (scripts/install-deps.sh test)"
    mkdir -p "$dir/mysql" "$root/run/mysqld"
    chown mysql:mysql "$dir/mysql" "$root/run/mysqld"
    if [[ ! -d $dir/mysql/data/mysql ]]; then
        mariadb-install-db --user=mysql --datadir="$dir/mysql/data" --auth-root-authentication-method=socket \
            --skip-test-db >"$dir/mysql/install.log" 2>&1 || die "mariadb-install-db failed: $(tail -3 "$dir/mysql/install.log")"
    fi
    mariadbd --no-defaults --user=mysql --datadir="$dir/mysql/data" --socket="$sock" --port="$port" \
        --bind-address=127.0.0.1 --pid-file="$root/run/mysqld/mysqld.pid" --skip-log-bin \
        --log-error="$dir/mysql/err.log" --innodb-buffer-pool-size=32M >/dev/null 2>&1 &
    for _ in $(seq 100); do
        [[ -S $sock ]] && mariadb --no-defaults --socket="$sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
        sleep 0.1
    done
    [[ -S $sock ]] || die "mariadbd did not start: $(tail -3 "$dir/mysql/err.log" 2>/dev/null)"
    cat >>"$root/etc/chom-agent/agent.conf" <<EOF
db_host=127.0.0.1
db_port=$port
db_user_host=127.0.0.1
EOF
    echo "db $port"
}

stop() {
    local root=$1/root f
    if [[ -s $1/.root ]]; then root=$(<"$1/.root"); fi
    stop_pid_file "$root/run/nginx.pid"
    for f in "$root"/run/php/php*-fpm.pid; do stop_pid_file "$f"; done
    stop_pid_file "$root/run/mysqld/mysqld.pid"
}

case ${1-} in
    start) [[ $# -ge 2 ]] || die "usage: webstack.sh start DIR [PORT [ROOT [DBPORT]]]"; start "$2" "${3-}" "${4-}" "${5-}" ;;
    stop) [[ $# -eq 2 ]] || die "usage: webstack.sh stop DIR"; stop "$2" ;;
    *) die "usage: webstack.sh start DIR [PORT [ROOT]] | stop DIR" ;;
esac

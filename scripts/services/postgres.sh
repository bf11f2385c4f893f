#!/usr/bin/env bash
# A real PostgreSQL 15 server on loopback, for the test suite.
#
#   postgres.sh start DIR [PORT]      initdb DIR/data (first time only) and start the server
#                                     on 127.0.0.1:PORT (default: a free port); creates the
#                                     role "chom" (which may create databases) and its
#                                     database "chom"
#   postgres.sh stop DIR              stop that server (idempotent)
#   postgres.sh status DIR            "postgresql up URL" or "postgresql down" (rc 3)
#   postgres.sh createdb DIR NAME     another empty database owned by chom
#   postgres.sh password-role DIR NAME  the role NAME with the password read from
#                                     stdin (one line), which must log in with it
#                                     (scram-sha-256) over TCP, and its database NAME
#
# Needs the Debian package postgresql (binaries in /usr/lib/postgresql/15/bin).
# Authentication is "trust" (except for password roles): any local user connects as any role, so the
# server listens on 127.0.0.1 only and its socket lives in DIR. Durability is
# off (fsync, full_page_writes, synchronous_commit): a throwaway cluster.
#
# initdb and postgres refuse to run as root, so as root both run as the
# Debian system user "postgres" (runuser), which then owns DIR (mode 700);
# every parent of DIR must be searchable by it (e.g. /tmp, not /root).
# DIR must not contain whitespace or quotes (it goes into pg_ctl's -o string).
#
# Everything lives in DIR: data/ (the cluster, postmaster.pid), server.log,
# the socket .s.PGSQL.PORT and owner.pid, the process that started the server
# (CHOM_PG_OWNER_PID, else the caller). A later start stops the servers of
# sibling directories (chom-postgres-*) whose owner died without stopping them
# (a crashed test). Only postmasters named by a data directory's own
# postmaster.pid, and their children, are ever signalled. No system-wide
# configuration is touched; the Debian cluster in /etc/postgresql is not used.
#
# start and createdb print:  postgresql postgresql://chom@127.0.0.1:PORT/NAME
# password-role prints:       postgresql postgresql://NAME@127.0.0.1:PORT/NAME
set -euo pipefail

readonly PG_BIN=${POSTGRES_BIN_DIR:-/usr/lib/postgresql/15/bin}
readonly PG_USER=postgres
readonly ROLE=chom
readonly WAIT_SECONDS=${POSTGRES_WAIT_SECONDS:-30}

CLEANUP_DIR=

# The caller's PGHOST, PGPORT, PGUSER, PGOPTIONS ... would redirect psql and pg_ctl.
for var in $(compgen -e); do
    [[ $var == PG* ]] && unset "$var"
done
unset var

die() {
    echo "postgres.sh: error: $*" >&2
    exit 1
}

usage() {
    cat >&2 <<'USAGE'
usage: postgres.sh start DIR [PORT]
       postgres.sh stop DIR
       postgres.sh status DIR
       postgres.sh createdb DIR NAME
       postgres.sh password-role DIR NAME   (password on stdin)
USAGE
    exit 2
}

# Runs a server-side tool as the cluster owner: "postgres" when we are root.
as_owner() {
    if ((EUID == 0)); then
        runuser -u "$PG_USER" -- "$@"
    else
        "$@"
    fi
}

require_tools() {
    local tool
    for tool in initdb pg_ctl postgres psql pg_isready; do
        [[ -x $PG_BIN/$tool ]] || die "$PG_BIN/$tool not found: install the Debian package postgresql"
    done
    if ((EUID == 0)); then
        command -v runuser >/dev/null || die "runuser not found (util-linux)"
        id "$PG_USER" >/dev/null 2>&1 || die "system user $PG_USER missing (created by the Debian package postgresql-common)"
    fi
}

# Absolute path of DIR (which need not exist yet), restricted to safe characters.
abs_dir() {
    local dir=$1
    [[ $dir == /* ]] || dir=$PWD/$dir
    dir=${dir%/}
    [[ $dir =~ ^/[A-Za-z0-9._/+-]*$ ]] || die "DIR '$dir' may only contain letters, digits and ._/+-"
    printf '%s\n' "$dir"
}

# True if something accepts TCP on 127.0.0.1:PORT.
port_open() {
    { : <>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null
}

# A port below Linux's ephemeral range that nothing listens on right now.
free_port() {
    local i port
    for ((i = 0; i < 100; i++)); do
        port=$((15000 + RANDOM % 17000))
        port_open "$port" || {
            echo "$port"
            return 0
        }
    done
    die "no free port found"
}

# Line N of DIR/data/postmaster.pid (1 pid, 4 port), empty if absent.
pid_file_line() {
    local file=$1/data/postmaster.pid n=$2 line i
    [[ -f $file ]] || return 0
    for ((i = 1; i <= n; i++)); do
        IFS= read -r line || return 0
    done <"$file"
    printf '%s\n' "$line"
}

# The postmaster of DIR if it runs: the pid file's PID, alive, started on DIR/data.
postmaster_pid() {
    local dir=$1 pid cmdline
    pid=$(pid_file_line "$dir" 1)
    [[ $pid =~ ^[0-9]+$ ]] || return 0
    cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 0
    [[ " $cmdline " == *" -D $dir/data "* ]] && echo "$pid"
    return 0
}

# Alive and not a zombie: the postmaster is orphaned once pg_ctl exits, and a
# container's PID 1 may reap orphans late or never.
alive() {
    local stat=''
    { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    stat=${stat##*) }
    [[ ${stat:0:1} != Z ]]
}

url() {
    echo "postgresql://$ROLE@127.0.0.1:$1/$2"
}

# The URL of role NAME's own database: url_for NAME PORT.
url_for() {
    echo "postgresql://$1@127.0.0.1:$2/$1"
}

sql() {
    local port=$1
    shift
    "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres "$@"
}

cmd_stop() {
    local dir=$1 pid i
    [[ -d $dir/data ]] || return 0
    [[ -n $(postmaster_pid "$dir") ]] || return 0
    as_owner "$PG_BIN/pg_ctl" stop -D "$dir/data" -m fast -w -t 20 >/dev/null 2>&1 || true
    pid=$(postmaster_pid "$dir")
    [[ -n $pid ]] || return 0
    # pg_ctl gave up: immediate shutdown, then SIGKILL for it and its children.
    kill -QUIT "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        alive "$pid" || return 0
        sleep 0.1
    done
    # shellcheck disable=SC2046 # one PID per word
    kill -KILL "$pid" $(ps -o pid= --ppid "$pid") 2>/dev/null || true
}

# After a failed start: the postmaster pg_ctl launched may not have written
# its pid file yet, so look for it a little while before giving up.
stop_after_failure() {
    local dir=$1 i
    for ((i = 0; i < 20; i++)); do
        if [[ -n $(postmaster_pid "$dir") ]]; then
            cmd_stop "$dir"
            return 0
        fi
        sleep 0.1
    done
}

cmd_status() {
    local dir=$1 port
    port=$(pid_file_line "$dir" 4)
    if [[ -n $(postmaster_pid "$dir") && $port =~ ^[0-9]+$ ]] &&
        "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2; then
        echo "postgresql up $(url "$port" "$ROLE")"
        return 0
    fi
    echo "postgresql down"
    return 3
}

# Servers of sibling directories whose owner process is gone: a crashed test
# never ran its stop, and the server would live on until reboot.
reap_orphans() {
    local dir=$1 other owner
    for other in "${dir%/*}"/chom-postgres-*; do
        [[ $other != "$dir" && -f $other/owner.pid ]] || continue
        read -r owner <"$other/owner.pid" || continue
        [[ $owner =~ ^[0-9]+$ ]] || continue
        alive "$owner" && continue
        [[ -n $(postmaster_pid "$other") ]] || continue
        echo "postgres.sh: stopping the orphaned server in $other (its owner $owner is gone)" >&2
        cmd_stop "$other" >/dev/null 2>&1 || true
    done
}

cmd_start() {
    local dir=$1 port=${2:-}
    require_tools
    if [[ -n $port ]]; then
        if ! [[ $port =~ ^[0-9]{1,5}$ ]] || ((10#$port < 1024 || 10#$port > 65535)); then
            die "PORT must be 1024..65535, got '$port'"
        fi
        port=$((10#$port))
    fi
    # The socket path DIR/.s.PGSQL.PORT must fit in sockaddr_un (107 bytes).
    ((${#dir} <= 88)) || die "DIR '$dir' is too long for the server's Unix socket (max 88 characters)"

    mkdir -p "$dir"
    cmd_stop "$dir" # a server left from an earlier start in this DIR
    reap_orphans "$dir"
    [[ -n $port ]] || port=$(free_port)
    port_open "$port" && die "port busy: 127.0.0.1:$port already accepts connections"

    if ((EUID == 0)); then
        chown "$PG_USER:" "$dir"
        if ! runuser -u "$PG_USER" -- test -w "$dir" -a -x "$dir" 2>/dev/null; then
            die "user $PG_USER cannot use $dir: every parent directory of DIR must be searchable by others"
        fi
    fi
    chmod 700 "$dir"
    echo "${CHOM_PG_OWNER_PID:-$PPID}" >"$dir/owner.pid"

    # An earlier initdb that did not finish leaves data/ without PG_VERSION.
    [[ -f $dir/data/PG_VERSION ]] || rm -rf "$dir/data"
    if [[ ! -d $dir/data ]]; then
        as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 --no-sync --no-instructions >"$dir/initdb.log" 2>&1 ||
            die "initdb failed; see $dir/initdb.log:
$(tail -n 5 "$dir/initdb.log")"
    fi

    # From here on, any failure: leave nothing running.
    CLEANUP_DIR=$dir
    trap 'stop_after_failure "$CLEANUP_DIR" >/dev/null 2>&1 || true' EXIT
    if ! as_owner "$PG_BIN/pg_ctl" start -w -t "$WAIT_SECONDS" -D "$dir/data" -l "$dir/server.log" \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
        >/dev/null 2>&1; then
        die "the server did not start on 127.0.0.1:$port; last lines of $dir/server.log:
$(tail -n 5 "$dir/server.log" 2>/dev/null)"
    fi
    # Idempotent: a restart in the same DIR keeps its role and databases.
    sql "$port" <<SQL || die "creating role and database $ROLE failed"
SELECT 'CREATE ROLE $ROLE LOGIN CREATEDB' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE')
\\gexec
SELECT 'CREATE DATABASE $ROLE OWNER $ROLE' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$ROLE')
\\gexec
SQL
    trap - EXIT
    echo "postgresql $(url "$port" "$ROLE")"
}

cmd_createdb() {
    local dir=$1 name=$2 port
    # Lower-case identifiers need no quoting in SQL nor escaping in a URL.
    [[ $name =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "NAME must match [a-z_][a-z0-9_]{0,62}, got '$name'"
    [[ -n $(postmaster_pid "$dir") ]] || die "no server runs in $dir (start it first)"
    port=$(pid_file_line "$dir" 4)
    [[ $port =~ ^[0-9]+$ ]] || die "no port in $dir/data/postmaster.pid"
    sql "$port" -c "CREATE DATABASE $name OWNER $ROLE" || die "CREATE DATABASE $name failed"
    echo "postgresql $(url "$port" "$name")"
}

# A role that must give its password: its pg_hba line goes before the trust
# lines, so TCP logins as NAME need scram-sha-256. The password comes on
# stdin (never argv) and reaches psql on stdin too.
cmd_password_role() {
    local dir=$1 name=$2 port password quoted hba
    [[ $name =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "NAME must match [a-z_][a-z0-9_]{0,62}, got '$name'"
    [[ -n $(postmaster_pid "$dir") ]] || die "no server runs in $dir (start it first)"
    port=$(pid_file_line "$dir" 4)
    [[ $port =~ ^[0-9]+$ ]] || die "no port in $dir/data/postmaster.pid"
    IFS= read -r password || [[ -n $password ]] || die "no password on stdin"
    [[ -n $password ]] || die "empty password on stdin"
    quoted=${password//"'"/"''"}
    hba=$dir/data/pg_hba.conf
    if ! as_owner grep -q "^host all $name 127.0.0.1/32 scram-sha-256\$" "$hba"; then
        # shellcheck disable=SC2016 # expanded by the inner sh
        as_owner sh -c 'printf "%s\n" "$1" | cat - "$2" >"$2.new" && mv "$2.new" "$2"' sh \
            "host all $name 127.0.0.1/32 scram-sha-256" "$hba" || die "cannot edit $hba"
    fi
    sql "$port" >/dev/null <<SQL || die "creating the password role $name failed"
SET password_encryption = 'scram-sha-256';
SELECT 'CREATE ROLE $name LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$name')
\\gexec
ALTER ROLE $name PASSWORD '$quoted';
SELECT 'CREATE DATABASE $name OWNER $name' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$name')
\\gexec
SELECT pg_reload_conf();
SQL
    echo "postgresql $(url_for "$name" "$port")"
}

main() {
    (($# >= 2)) || usage
    local cmd=$1 dir
    [[ -n $2 ]] || usage
    dir=$(abs_dir "$2")
    shift 2
    # Paths are absolute from here; the tools run as postgres cannot enter root's $PWD.
    cd /
    case $cmd in
        start) (($# <= 1)) || usage; cmd_start "$dir" "$@" ;;
        stop) (($# == 0)) || usage; cmd_stop "$dir" ;;
        status) (($# == 0)) || usage; cmd_status "$dir" ;;
        createdb) (($# == 1)) || usage; cmd_createdb "$dir" "$1" ;;
        password-role) (($# == 1)) || usage; cmd_password_role "$dir" "$1" ;;
        *) usage ;;
    esac
}

main "$@"

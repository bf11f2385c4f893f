#!/usr/bin/env bash
# A "VPS fleet" of real OpenSSH servers on loopback, for the test suite.
#
#   sshd-fleet.sh start DIR COUNT [FIRST_OCTET]   one sshd per host on 127.0.0.<FIRST_OCTET+i>:2222
#                                                 (FIRST_OCTET defaults to 10)
#   sshd-fleet.sh stop DIR                        stop every sshd this fleet started (idempotent)
#   sshd-fleet.sh status DIR                      one line per host, "up" or "down"; rc 3 if any is down
#   sshd-fleet.sh stop-host DIR INDEX             a "host down": its sshd and its open connections
#   sshd-fleet.sh start-host DIR INDEX            bring that host back (same config, same key)
#   sshd-fleet.sh rotate-key DIR INDEX            give that host a NEW host key and restart it
#
# Needs root (it creates the test user and runs sshd) and openssh-server +
# openssh-client. Everything it creates lives in DIR, except the test user
# "chomfleet" and this fleet's client key line in ~chomfleet/.ssh/authorized_keys
# (added by start, removed by stop). Only processes named by DIR's own pid
# files (and the connections they forked) are ever signalled.
#
# DIR layout (DIR must be reachable by chomfleet; start chmods DIR itself 755):
#   hostkey{,.pub}            ed25519 host key shared by the fleet
#   client_ed25519{,.pub}     client key pair (no passphrase) authorized for chomfleet
#   hosts/hNN/                sandbox of host NN (0-based), owned by chomfleet; every ssh
#                             session there gets CHOM_AGENT_ROOT=DIR/hosts/hNN (SetEnv)
#   hosts/hNN/sshd_config, sshd.pid, sshd.log (sshd -E, LogLevel VERBOSE); root-owned
#   hostkey-hNN{,.pub}        only after rotate-key: that host's own new key
#   .run/hNN.pid              root-only copy of each sshd PID (the sandbox is the user's)
#   .run/owner.pid            the process that started the fleet (CHOM_FLEET_OWNER_PID, else
#                             the caller): a later start stops sibling fleets whose owner died
#                             without stopping them (a crashed test), so their addresses free up
#
# CHOM_FLEET_NET=127.X.Y at start: the hosts listen on 127.X.Y.<FIRST_OCTET+i> instead of
# 127.0.0.<FIRST_OCTET+i> (Linux answers the whole 127.0.0.0/8 on lo), so a second fleet of up to
# 200 hosts can run beside one on 127.0.0.x without sharing an address.
#
# CHOM_FLEET_FORCE_COMMAND=SCRIPT at start: SCRIPT is copied to DIR/force-command and every
# host runs it as its sshd ForceCommand (a hostile host, see tests/support/hostile-host.sh).
#
# CHOM_FLEET_ROOT_LOGIN=1 at start: root may log in too, with the fleet's client key from
# DIR/root_authorized_keys (never root's own ~/.ssh), for agents that must run as root (site
# provisioning). These hosts run with StrictModes off: DIR lives under the world-writable /tmp.
#
# start prints one line per host:  host NN 127.0.0.X 2222 DIR/hosts/hNN (127.X.Y.Z with CHOM_FLEET_NET)
#
# The script avoids forks in its loops on purpose: on small VMs each fork+exec
# costs 15-30 ms, which for 20 hosts used to add up to several seconds.
set -euo pipefail

readonly FLEET_USER=chomfleet
readonly PORT=2222
readonly SSHD=/usr/sbin/sshd
readonly SFTP_SERVER=/usr/lib/openssh/sftp-server
readonly LOCK_FILE=/run/chom-sshd-fleet.lock
readonly WAIT_SECONDS=15

CLEANUP_DIR=
SLEEP_FD=
FORCE_COMMAND=
ROOT_LOGIN=
# "Return values" of helpers (command substitution would fork).
HOST_PID=
HOST_ADDRESS=
REG_FILE=
declare -A LAUNCHED=() LOG_OFFSET=()

die() {
    echo "sshd-fleet: error: $*" >&2
    exit 1
}

usage() {
    cat >&2 <<'EOF'
usage: sshd-fleet.sh start DIR COUNT [FIRST_OCTET]
       sshd-fleet.sh stop DIR
       sshd-fleet.sh status DIR
       sshd-fleet.sh stop-host|start-host|rotate-key DIR INDEX
EOF
    exit 2
}

require_root() {
    [[ $EUID -eq 0 ]] || die "must run as root (creates user $FLEET_USER and runs sshd); current uid $EUID"
}

require_tools() {
    [[ -x $SSHD ]] || die "$SSHD not found: install openssh-server"
    local tool
    for tool in ssh-keygen useradd usermod getent flock ps runuser; do
        command -v "$tool" >/dev/null || die "$tool not found (openssh-client, passwd, util-linux, procps)"
    done
}

# Fork-free sleep: read with a timeout from a pipe nobody writes to.
nap() {
    if [[ -z $SLEEP_FD ]]; then
        exec {SLEEP_FD}<> <(:)
    fi
    read -r -t "$1" -u "$SLEEP_FD" _ || true
}

# Absolute, existing directory without whitespace (sshd_config quoting is not worth the risk).
resolve_dir() {
    local dir=$1
    [[ -d $dir ]] || die "DIR '$dir' is not a directory"
    dir=$(cd "$dir" && pwd -P)
    [[ $dir =~ [[:space:]] ]] && die "DIR '$dir' must not contain whitespace"
    printf '%s\n' "$dir"
}

# Sets HOST_ADDRESS from a host's sshd_config.
read_address() {
    local key value
    HOST_ADDRESS=
    while read -r key value; do
        if [[ $key == ListenAddress ]]; then
            HOST_ADDRESS=$value
            return 0
        fi
    done <"$1/sshd_config"
}

# Root-only copy of a host's sshd PID: the sandbox (and so sshd.pid) belongs
# to the session user, who may delete or rewrite it.
registry_file() {
    printf -v REG_FILE '%s/.run/%s.pid' "${1%/hosts/*}" "${1##*/}"
}

# Sets HOST_PID to the host's sshd if (and only if) its pid file, or the
# registry copy, names a live sshd started with that host's config (not a
# zombie, not a recycled PID, not another host's sshd).
read_pid() {
    local hostdir=$1 file pid cmdline
    local -a args=()
    HOST_PID=
    registry_file "$hostdir"
    for file in "$hostdir/sshd.pid" "$REG_FILE"; do
        [[ -f $file ]] || continue
        pid=''
        { read -r pid <"$file"; } 2>/dev/null || true
        [[ $pid =~ ^[0-9]+$ ]] || continue
        mapfile -d '' args 2>/dev/null <"/proc/$pid/cmdline" || continue
        # The listener rewrites its title ("sshd: /usr/sbin/sshd -f CONFIG -E LOG
        # [listener] ..."), so match on the joined command line.
        cmdline=" ${args[*]} "
        if [[ $cmdline == *" -f $hostdir/sshd_config "* ]]; then
            HOST_PID=$pid
            return 0
        fi
    done
    return 0
}

# True if something accepts TCP on ADDRESS:PORT (no fork: a redirection on ":").
port_open() {
    { : <>"/dev/tcp/$1/$PORT"; } 2>/dev/null
}

ensure_user_and_key() {
    local dir=$1 home pub
    pub=$(<"$dir/client_ed25519.pub")
    (
        flock -w 30 9 || die "timed out waiting for $LOCK_FILE"
        if ! id "$FLEET_USER" >/dev/null 2>&1; then
            useradd -m -s /bin/bash "$FLEET_USER" || die "useradd $FLEET_USER failed"
        fi
        # UsePAM no: sshd refuses a locked account ("!" password); "*" is unlocked, no password.
        usermod -p '*' "$FLEET_USER"
        home=$(getent passwd "$FLEET_USER" | cut -d: -f6)
        [[ -n $home ]] || die "user $FLEET_USER has no home directory"
        mkdir -p "$home"
        chown "$FLEET_USER:" "$home"
        chmod go-w "$home"
        install -d -m 700 -o "$FLEET_USER" -g "$(id -gn "$FLEET_USER")" "$home/.ssh"
        touch "$home/.ssh/authorized_keys"
        grep -qxF -- "$pub" "$home/.ssh/authorized_keys" || printf '%s\n' "$pub" >>"$home/.ssh/authorized_keys"
        chown "$FLEET_USER:" "$home/.ssh/authorized_keys"
        chmod 600 "$home/.ssh/authorized_keys"
    ) 9>"$LOCK_FILE"
}

remove_client_key() {
    local dir=$1 home pub keys
    [[ -f $dir/client_ed25519.pub ]] || return 0
    id "$FLEET_USER" >/dev/null 2>&1 || return 0
    pub=$(<"$dir/client_ed25519.pub")
    (
        flock -w 30 9 || die "timed out waiting for $LOCK_FILE"
        home=$(getent passwd "$FLEET_USER" | cut -d: -f6)
        keys=$home/.ssh/authorized_keys
        [[ -f $keys ]] || exit 0
        grep -qxF -- "$pub" "$keys" || exit 0
        grep -vxF -- "$pub" "$keys" >"$keys.new" || true
        chown "$FLEET_USER:" "$keys.new"
        chmod 600 "$keys.new"
        mv -f "$keys.new" "$keys"
    ) 9>"$LOCK_FILE"
}

write_config() {
    local hostdir=$1 address=$2 hostkey=$3
    printf '%s\n' \
        "# Generated by scripts/services/sshd-fleet.sh: one simulated VPS." \
        "ListenAddress $address" \
        "Port $PORT" \
        "HostKey $hostkey" \
        "PidFile $hostdir/sshd.pid" \
        "SetEnv CHOM_AGENT_ROOT=$hostdir" \
        "LogLevel VERBOSE" \
        "UsePAM no" \
        "PermitRootLogin no" \
        "AllowUsers $FLEET_USER" \
        "PasswordAuthentication no" \
        "KbdInteractiveAuthentication no" \
        "PubkeyAuthentication yes" \
        "AuthorizedKeysFile .ssh/authorized_keys" \
        "StrictModes yes" \
        "MaxStartups 200:30:400" \
        "MaxSessions 100" \
        "UseDNS no" \
        "PrintMotd no" \
        "PrintLastLog no" \
        "ClientAliveInterval 0" \
        "X11Forwarding no" \
        "Subsystem sftp $SFTP_SERVER" >"$hostdir/sshd_config"
    if [[ -n $FORCE_COMMAND ]]; then
        printf 'ForceCommand %s\n' "$FORCE_COMMAND" >>"$hostdir/sshd_config"
    fi
    if [[ -n $ROOT_LOGIN ]]; then
        sed -i -e 's/^PermitRootLogin no$/PermitRootLogin prohibit-password/' \
            -e "s/^AllowUsers $FLEET_USER\$/AllowUsers $FLEET_USER root/" \
            -e 's/^StrictModes yes$/StrictModes no/' "$hostdir/sshd_config"
        printf '%s\n' "Match User root" "    AuthorizedKeysFile $ROOT_LOGIN" >>"$hostdir/sshd_config"
    fi
}

# Launch one host's sshd in the background (its config must exist); no-op if
# it already runs. Its PID goes to LAUNCHED, its log offset to LOG_OFFSET.
# sshd daemonizes *before* it binds, so its exit status says nothing about the
# port: wait_started checks the port, the pid file and the log afterwards.
launch_one() {
    local hostdir=$1 log=$1/sshd.log size=0
    read_pid "$hostdir"
    [[ -n $HOST_PID ]] && return 0
    read_address "$hostdir"
    if port_open "$HOST_ADDRESS"; then
        die "port busy: $HOST_ADDRESS:$PORT already accepts connections (another fleet, or an sshd not started from $hostdir)"
    fi
    [[ -f $hostdir/sshd.pid ]] && rm -f "$hostdir/sshd.pid"
    # Where this start's log lines begin, to spot its bind errors later.
    [[ -f $log ]] && size=$(wc -c <"$log")
    LOG_OFFSET[$hostdir]=$size
    "$SSHD" -f "$hostdir/sshd_config" -E "$log" &
    LAUNCHED[$hostdir]=$!
}

# Wait until a launched host accepts TCP and has a live pid file, or fail with
# sshd's own error (e.g. "Bind to port 2222 on 127.0.0.10 failed").
wait_started() {
    local hostdir=$1 deadline=$2 log=$1/sshd.log offset=${LOG_OFFSET[$1]:-0} errors n=0
    read_address "$hostdir"
    if [[ -n ${LAUNCHED[$hostdir]:-} ]]; then
        if ! wait "${LAUNCHED[$hostdir]}"; then
            die "sshd for $HOST_ADDRESS:$PORT failed to start; last log lines:
$(tail -n 5 "$log" 2>/dev/null)"
        fi
        unset "LAUNCHED[$hostdir]"
    fi
    while :; do
        read_pid "$hostdir"
        if [[ -n $HOST_PID ]] && port_open "$HOST_ADDRESS"; then
            registry_file "$hostdir"
            printf '%s\n' "$HOST_PID" >"$REG_FILE"
            return 0
        fi
        # Look at the log only now and then (it costs forks).
        if ((n++ % 10 == 9 || SECONDS >= deadline)); then
            errors=$(tail -c +"$((offset + 1))" "$log" 2>/dev/null | grep -E 'fatal|Cannot bind|Bind to port' || true)
            [[ -n $errors ]] && die "sshd for $HOST_ADDRESS:$PORT failed to start (log $log):
$errors"
        fi
        if ((SECONDS >= deadline)); then
            die "sshd for $HOST_ADDRESS:$PORT not accepting connections after ${WAIT_SECONDS}s; log: $log"
        fi
        nap 0.02
    done
}

start_one() {
    mkdir -p /run/sshd "${1%/hosts/*}/.run"
    chmod 755 /run/sshd
    launch_one "$1"
    wait_started "$1" "$((SECONDS + WAIT_SECONDS))"
}

# Alive and not a zombie (a container's PID 1 may reap orphans late or never).
alive() {
    local stat=''
    { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    stat=${stat##*) }
    [[ ${stat:0:1} != Z ]]
}

any_alive() {
    local pid
    for pid in "$@"; do
        alive "$pid" && return 0
    done
    return 1
}

# Stop hosts' sshd and everything they forked (open connections die too, as
# when a real VPS goes down). Only PIDs from our own pid files, and their
# descendants, are signalled.
stop_hosts() {
    local hostdir pid ppid i
    local -a pids=() listeners=() queue=()
    local -A children=()
    for hostdir in "$@"; do
        read_pid "$hostdir"
        [[ -n $HOST_PID ]] && listeners+=("$HOST_PID")
    done
    if ((${#listeners[@]})); then
        # One ps for the whole process tree, then walk it in bash.
        while read -r pid ppid; do
            children[$ppid]+=" $pid"
        done < <(ps -e -o pid= -o ppid=)
        queue=("${listeners[@]}")
        while ((${#queue[@]})); do
            pid=${queue[0]}
            queue=("${queue[@]:1}")
            pids+=("$pid")
            # shellcheck disable=SC2206 # word splitting of the PID list is intended
            queue+=(${children[$pid]:-})
        done
        kill -TERM "${pids[@]}" 2>/dev/null || true
        for ((i = 0; i < 250; i++)); do
            any_alive "${pids[@]}" || break
            nap 0.02
        done
        if any_alive "${pids[@]}"; then
            kill -KILL "${pids[@]}" 2>/dev/null || true
            nap 0.2
        fi
        for pid in "${listeners[@]}"; do
            alive "$pid" && die "sshd pid $pid does not exit"
        done
    fi
    for hostdir in "$@"; do
        registry_file "$hostdir"
        [[ -f $hostdir/sshd.pid ]] && rm -f "$hostdir/sshd.pid"
        [[ -f $REG_FILE ]] && rm -f "$REG_FILE"
    done
    return 0
}

# Prints the host directories of DIR (those with an sshd_config), sorted.
host_dirs() {
    local d
    for d in "$1"/hosts/h*; do
        [[ -f $d/sshd_config ]] && printf '%s\n' "$d"
    done
    return 0
}

index_dir() {
    local dir=$1 index=$2 hostdir
    [[ $index =~ ^[0-9]{1,3}$ ]] || die "INDEX must be a number, got '$index'"
    printf -v hostdir '%s/hosts/h%02d' "$dir" "$((10#$index))"
    [[ -f $hostdir/sshd_config ]] || die "no host $index in $dir (start the fleet first)"
    printf '%s\n' "$hostdir"
}

print_host() {
    read_address "$1"
    printf 'host %s %s %s %s\n' "${1##*/h}" "$HOST_ADDRESS" "$PORT" "$1"
}

# Stops every host of DIR, including those whose sandbox lost its files.
cmd_stop_hosts() {
    local d
    local -a dirs=()
    for d in "$1"/hosts/h*; do
        [[ -d $d ]] && dirs+=("$d")
    done
    ((${#dirs[@]} == 0)) || stop_hosts "${dirs[@]}"
}

# Sibling fleets (DIR's parent, chom-sshfleet-*) whose owner process is gone:
# a crashed test never ran its stop, and its sshd would hold the addresses.
reap_orphans() {
    local dir=$1 other owner
    for other in "${dir%/*}"/chom-sshfleet-*; do
        [[ $other != "$dir" && -f $other/.run/owner.pid ]] || continue
        read -r owner <"$other/.run/owner.pid" || continue
        [[ $owner =~ ^[0-9]+$ ]] || continue
        kill -0 "$owner" 2>/dev/null && continue
        echo "sshd-fleet: stopping the orphaned fleet $other (its owner $owner is gone)" >&2
        cmd_stop_hosts "$other" >/dev/null 2>&1 || true
        remove_client_key "$other" || true
        rm -f "$other/.run/owner.pid"
    done
}

cmd_start() {
    local dir=$1 count=$2 first=${3:-10} net i hostdir deadline group
    local -a hostdirs=() stale=()
    if ! [[ $count =~ ^[0-9]{1,3}$ ]] || ((10#$count < 1 || 10#$count > 200)); then
        die "COUNT must be 1..200, got '$count'"
    fi
    count=$((10#$count))
    if ! [[ $first =~ ^[0-9]{1,3}$ ]] || ((10#$first < 1 || 10#$first + count - 1 > 254)); then
        die "FIRST_OCTET must be >= 1 with FIRST_OCTET+COUNT-1 <= 254, got '$first' (COUNT $count)"
    fi
    first=$((10#$first))
    net=${CHOM_FLEET_NET:-127.0.0}
    if ! [[ $net =~ ^127\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$ ]] ||
        ((BASH_REMATCH[1] > 255 || BASH_REMATCH[2] > 255)); then
        die "CHOM_FLEET_NET must be 127.X.Y (a loopback /24), got '$net'"
    fi
    require_root
    require_tools
    dir=$(resolve_dir "$dir")

    cmd_stop_hosts "$dir"
    # The sandboxes are written by $FLEET_USER: DIR must be reachable by it.
    chmod 755 "$dir"
    [[ -f $dir/hostkey ]] || ssh-keygen -q -t ed25519 -N '' -C chomfleet-host -f "$dir/hostkey"
    [[ -f $dir/client_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C "chomfleet-client@$dir" -f "$dir/client_ed25519"
    chmod 600 "$dir/hostkey" "$dir/client_ed25519"
    ensure_user_and_key "$dir"
    group=$(id -gn "$FLEET_USER")

    mkdir -p "$dir/hosts" "$dir/.run"
    chmod 755 "$dir/hosts"
    if [[ -n ${CHOM_FLEET_FORCE_COMMAND-} ]]; then
        install -m 755 "$CHOM_FLEET_FORCE_COMMAND" "$dir/force-command"
        FORCE_COMMAND=$dir/force-command
    fi
    if [[ ${CHOM_FLEET_ROOT_LOGIN-} == 1 ]]; then
        install -m 600 "$dir/client_ed25519.pub" "$dir/root_authorized_keys"
        ROOT_LOGIN=$dir/root_authorized_keys
    fi
    chmod 700 "$dir/.run"
    reap_orphans "$dir"
    echo "${CHOM_FLEET_OWNER_PID:-$PPID}" >"$dir/.run/owner.pid"
    # A previous, larger fleet in the same DIR: forget the extra hosts.
    while read -r hostdir; do
        i=${hostdir##*/h}
        ((10#$i >= count)) && stale+=("$hostdir/sshd_config")
    done < <(host_dirs "$dir")
    ((${#stale[@]} == 0)) || rm -f "${stale[@]}"

    for ((i = 0; i < count; i++)); do
        printf -v hostdir '%s/hosts/h%02d' "$dir" "$i"
        hostdirs+=("$hostdir")
    done
    install -d -m 755 -o "$FLEET_USER" -g "$group" "${hostdirs[@]}"
    # Every host starts with the fleet key (undo earlier rotate-key).
    rm -f "$dir"/hostkey-h*
    for ((i = 0; i < count; i++)); do
        write_config "${hostdirs[i]}" "$net.$((first + i))" "$dir/hostkey"
    done
    if ! runuser -u "$FLEET_USER" -- test -w "${hostdirs[0]}" 2>/dev/null; then
        die "$FLEET_USER cannot write ${hostdirs[0]}: every parent directory of DIR must be searchable by others"
    fi

    mkdir -p /run/sshd
    chmod 755 /run/sshd
    deadline=$((SECONDS + WAIT_SECONDS))
    # Any failure below: leave nothing running.
    CLEANUP_DIR=$dir
    trap 'cmd_stop_hosts "$CLEANUP_DIR" >/dev/null 2>&1 || true; remove_client_key "$CLEANUP_DIR" || true' EXIT
    for hostdir in "${hostdirs[@]}"; do
        launch_one "$hostdir"
    done
    for hostdir in "${hostdirs[@]}"; do
        wait_started "$hostdir" "$deadline"
    done
    trap - EXIT
    for hostdir in "${hostdirs[@]}"; do
        print_host "$hostdir"
    done
}

cmd_stop() {
    local dir=$1
    require_root
    [[ -d $dir ]] || return 0
    dir=$(resolve_dir "$dir")
    cmd_stop_hosts "$dir"
    remove_client_key "$dir"
}

cmd_status() {
    local dir hostdir state rc=0 any=0
    dir=$(resolve_dir "$1")
    while read -r hostdir; do
        any=1
        state=down
        read_pid "$hostdir"
        read_address "$hostdir"
        if [[ -n $HOST_PID ]] && port_open "$HOST_ADDRESS"; then
            state=up
        else
            rc=3
        fi
        printf 'host %s %s %s %s %s\n' "${hostdir##*/h}" "$HOST_ADDRESS" "$PORT" "$hostdir" "$state"
    done < <(host_dirs "$dir")
    ((any)) || { echo "sshd-fleet: no hosts in $dir" >&2; return 3; }
    return "$rc"
}

cmd_start_host() {
    local dir hostdir
    require_root
    dir=$(resolve_dir "$1")
    hostdir=$(index_dir "$dir" "$2")
    start_one "$hostdir"
    print_host "$hostdir"
}

cmd_stop_host() {
    local dir hostdir
    require_root
    dir=$(resolve_dir "$1")
    hostdir=$(index_dir "$dir" "$2")
    stop_hosts "$hostdir"
}

cmd_rotate_key() {
    local dir hostdir key
    require_root
    dir=$(resolve_dir "$1")
    hostdir=$(index_dir "$dir" "$2")
    key=$dir/hostkey-${hostdir##*/}
    stop_hosts "$hostdir"
    rm -f "$key" "$key.pub"
    ssh-keygen -q -t ed25519 -N '' -C "chomfleet-host-${hostdir##*/}" -f "$key"
    chmod 600 "$key"
    sed -i "s|^HostKey .*|HostKey $key|" "$hostdir/sshd_config"
    start_one "$hostdir"
    print_host "$hostdir"
}

main() {
    (($# >= 2)) || usage
    local cmd=$1
    shift
    case $cmd in
    start) (($# == 2 || $# == 3)) || usage; cmd_start "$@" ;;
    stop) (($# == 1)) || usage; cmd_stop "$1" ;;
    status) (($# == 1)) || usage; cmd_status "$1" ;;
    start-host) (($# == 2)) || usage; cmd_start_host "$@" ;;
    stop-host) (($# == 2)) || usage; cmd_stop_host "$@" ;;
    rotate-key) (($# == 2)) || usage; cmd_rotate_key "$@" ;;
    *) usage ;;
    esac
}

main "$@"

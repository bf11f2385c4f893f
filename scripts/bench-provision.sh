#!/usr/bin/env bash
# Site provisioning: the console (SiteOperations over the SSH pool, the
# operation runner and its journal) against the same agent commands sent
# with parallel-ssh, in the same run and alternating (bench_provision).
# Starts a loopback fleet of 4 root-login sshd hosts on 127.0.0.150..153:2222
# (scripts/services/sshd-fleet.sh), the agent installed in each host's
# sandbox, and one web stack per host (scripts/services/webstack.sh: nginx on
# 127.0.0.1:18600/18602/18604/18606, HTTPS one port up, PHP-FPM, MariaDB on
# 18650..18653) whose agent makes site users prefixed "chomb-". Prints
# Markdown for docs/PERFORMANCE.md on stdout; progress goes to stderr.
#
# On exit, whatever happened: bench_provision is stopped, every "chomb-"
# database and database user is dropped, the stacks and the fleet are
# stopped, every "chomb-" user and group is deleted and the scratch
# directory removed. Loopback only.
#
# Usage: scripts/bench-provision.sh [build-dir] [bench_provision options...]
#   build-dir defaults to "build"; options: --rounds N (3) --parallel N (8)
#   --html N (20) --wordpress N (5) (see bench/sites/bench_provision.cpp).
# Needs root, openssh-server/-client, nginx, php-fpm, mariadb-server and
# parallel-ssh (installed here). A few minutes on a 2-core box.
set -euo pipefail
cd "$(dirname "$0")/.."
# The peers and tools each benchmark compares against (idempotent): pssh is
# in "bench", the web stack and sshd in "test".
scripts/install-deps.sh build test bench >&2
ROOT=$PWD
B=build
if [[ $# -gt 0 && $1 != --* ]]; then
    B=$1
    shift
fi
BIN=$B/bench/sites/bench_provision
FLEET=$ROOT/scripts/services/sshd-fleet.sh
STACK=$ROOT/scripts/services/webstack.sh
AGENT=$ROOT/resources/agent/chom-agent
COUNT=4
FIRST=150
WEB_PORT=18600 # host i: nginx on WEB_PORT + 2i (HTTPS + 1)
DB_PORT=18650  # host i: MariaDB on DB_PORT + i
PREFIX=chomb-

die() {
    echo "bench-provision: $*" >&2
    exit 1
}
[[ $EUID -eq 0 ]] || die "needs root (site users, sshd, php-fpm's master)"
for tool in ssh parallel-ssh nginx mariadbd; do
    command -v "$tool" >/dev/null || die "$tool not found (scripts/install-deps.sh test bench)"
done

echo "bench-provision: building bench_provision in $B" >&2
nice -n 19 ninja -C "$B" bench_provision >&2
[[ -x $BIN ]] || die "$BIN not built"

DIR=$(mktemp -d /tmp/chom-benchprov-XXXXXX)
chmod 755 "$DIR"
BENCH_PID=
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
    local i sock u
    if [[ -n $BENCH_PID ]]; then
        kill -TERM "$BENCH_PID" 2>/dev/null || true
        wait "$BENCH_PID" 2>/dev/null || true
    fi
    for sock in "$DIR"/fleet/hosts/h*/run/mysqld/mysqld.sock; do
        if [[ -S $sock ]]; then
            mariadb --no-defaults --socket="$sock" -uroot -N -B -e \
                "SELECT CONCAT('DROP DATABASE \`', SCHEMA_NAME, '\`;') FROM information_schema.SCHEMATA
                 WHERE SCHEMA_NAME LIKE 'chomb\\_%';
                 SELECT CONCAT('DROP USER \`', User, '\`@\`', Host, '\`;') FROM mysql.user
                 WHERE User LIKE 'chomb\\_%';" 2>/dev/null |
                mariadb --no-defaults --socket="$sock" -uroot 2>/dev/null || true
        fi
    done
    for ((i = 0; i < COUNT; i++)); do
        if [[ -d $DIR/stack$i ]]; then bash "$STACK" stop "$DIR/stack$i" >/dev/null 2>&1 || true; fi
    done
    if [[ -d $DIR/fleet ]]; then bash "$FLEET" stop "$DIR/fleet" >/dev/null 2>&1 || true; fi
    for u in $(getent passwd | cut -d: -f1 | grep "^$PREFIX" || true); do
        userdel "$u" >/dev/null 2>&1 || true
    done
    for u in $(getent group | cut -d: -f1 | grep "^$PREFIX" || true); do
        groupdel "$u" >/dev/null 2>&1 || true
    done
    rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Users left by an earlier run that could not clean up would make site:create
# refuse (USER_CONFLICT): the prefix is this benchmark's own.
if getent passwd | grep -q "^$PREFIX"; then
    die "users $PREFIX* exist already (an earlier run?): $(getent passwd | cut -d: -f1 | grep "^$PREFIX" | tr '\n' ' ')"
fi

echo "bench-provision: starting $COUNT sshd hosts on 127.0.0.$FIRST.. and their web stacks" >&2
mkdir -p "$DIR/fleet"
CHOM_FLEET_ROOT_LOGIN=1 CHOM_FLEET_OWNER_PID=$$ bash "$FLEET" start "$DIR/fleet" "$COUNT" "$FIRST" >"$DIR/fleet.txt"
: >"$DIR/hosts.txt"
php=""
i=0
while read -r _ _ address port sandbox; do
    # The agent first: handing the sandbox to the fleet's user, as bootstrap lays it out.
    install -D -m 755 "$AGENT" "$sandbox/opt/chom-agent/bin/chom-agent"
    chown -R chomfleet "$sandbox"
    info=$(bash "$STACK" start "$DIR/stack$i" $((WEB_PORT + 2 * i)) "$sandbox" $((DB_PORT + i)))
    php=$(awk '$1 == "php" { print $2 }' <<<"$info")
    sed -i "s/^site_user_prefix=.*/site_user_prefix=$PREFIX/" "$sandbox/etc/chom-agent/agent.conf"
    grep -q "^site_user_prefix=$PREFIX\$" "$sandbox/etc/chom-agent/agent.conf" || die "cannot set the site user prefix"
    echo "$address $port" >>"$DIR/hosts.txt"
    i=$((i + 1))
done <"$DIR/fleet.txt"
((i == COUNT)) || die "the fleet started $i hosts, not $COUNT"

echo "## Site provisioning run of $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo "Command: \`scripts/bench-provision.sh $B${*:+ $*}\`. Fleet: $COUNT root-login sshd hosts on"
echo "127.0.0.$FIRST..$((FIRST + COUNT - 1)):2222 ($(ssh -V 2>&1 | cut -d, -f1)), each with nginx $(nginx -v 2>&1 | sed 's|.*/||'),"
echo "PHP-FPM $php and $(mariadbd --version | awk '{print $3}') of its own; $(parallel-ssh --version 2>&1 | sed 's/^/parallel-ssh /')."
echo
"$BIN" --hosts "$DIR/hosts.txt" --key "$DIR/fleet/client_ed25519" --php "$php" --work "$DIR/work" "$@" &
BENCH_PID=$!
rc=0
wait "$BENCH_PID" || rc=$?
BENCH_PID=
echo "bench-provision: done (rc $rc; removing the sites' users, the stacks and the fleet)" >&2
exit "$rc"

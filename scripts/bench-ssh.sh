#!/usr/bin/env bash
# SSH benchmarks: our pooled libssh (SshPool), one-shot and through
# `chom-agent serve`, against OpenSSH ControlMaster, a fresh ssh per command,
# parallel-ssh, xargs over ControlMaster sockets and ansible-core, all against
# one loopback sshd fleet of 20 hosts on 127.0.0.100..119:2222 started (and
# stopped) here; then the warm sweep of a wide fleet (200 hosts on
# 127.0.1.10..209, started by bench_ssh beside the 20) against xargs -P50; then
# the GUI event-loop stall during a 20-host sweep (bench_gui_sweep, its own
# fleet on .120..139). Prints Markdown for docs/PERFORMANCE.md on stdout;
# progress goes to stderr.
#
# Usage: scripts/bench-ssh.sh [build-dir] [bench_ssh options...]
#   build-dir defaults to "build" (build with scripts/build.sh first);
#   options: --reps N --fresh-reps N --fresh-count N --seq-count N --ansible-reps N
#   --wide-hosts N (200; 0 = no wide sweep) --wide-parallel N (50)
#   (see bench/ssh/bench_ssh.cpp). Needs root, openssh-server/-client, pssh;
#   ansible-core and hyperfine are used when installed. ~4 minutes on an idle 2-core box (longer under load).
set -euo pipefail
cd "$(dirname "$0")/.."
# The peers and tools each benchmark compares against (idempotent).
scripts/install-deps.sh build test bench >&2
ROOT=$PWD
B=build
if [[ $# -gt 0 && $1 != --* ]]; then
    B=$1
    shift
fi
BIN=$B/bench/ssh/bench_ssh
FLEET=$ROOT/scripts/services/sshd-fleet.sh
COUNT=20
FIRST=100
WIDE=200 # the wide sweep's hosts (bench_ssh starts that fleet itself)

die() {
    echo "bench-ssh: $*" >&2
    exit 1
}
[[ $EUID -eq 0 ]] || die "needs root (the fleet creates user chomfleet and runs sshd)"
[[ -x $BIN ]] || die "$BIN not built (scripts/build.sh, or ninja -C $B bench_ssh)"
for tool in ssh parallel-ssh xargs; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install openssh-client pssh)"
done

DIR=$(mktemp -d /tmp/chom-benchssh-XXXXXX)
chmod 755 "$DIR"
BENCH_PID=
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
    local d owner
    if [[ -n $BENCH_PID ]]; then
        # Interrupted mid-run: bench_ssh, and the wide fleet it started (killed
        # before it could stop it, its 200 sshd would outlive it).
        kill -TERM "$BENCH_PID" 2>/dev/null || true
        wait "$BENCH_PID" 2>/dev/null || true
        for d in "${TMPDIR:-/tmp}"/chom-sshfleet-*; do
            [[ -f $d/.run/owner.pid ]] || continue
            read -r owner <"$d/.run/owner.pid" || continue
            [[ $owner == "$BENCH_PID" ]] || continue
            bash "$FLEET" stop "$d" >/dev/null 2>&1 || true
            rm -rf "$d"
        done
    fi
    bash "$FLEET" stop "$DIR" >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "bench-ssh: starting $COUNT sshd hosts on 127.0.0.$FIRST..$((FIRST + COUNT - 1)):2222" >&2
bash "$FLEET" start "$DIR" "$COUNT" "$FIRST" >/dev/null

echo "## SSH: pooled libssh vs OpenSSH tools — run of $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo "Loopback fleet: $COUNT sshd (OpenSSH $(ssh -V 2>&1 | sed -E 's/^OpenSSH_([^ ,]+).*/\1/'), one per host), user chomfleet, ed25519 key;"
echo "libssh $(pkg-config --modversion libssh 2>/dev/null || echo '?'), parallel-ssh $(parallel-ssh --version 2>&1 | head -n1)$(command -v ansible >/dev/null && echo ", ansible-core $(ansible --version | sed -nE '1s/.*core ([0-9.]+).*/\1/p')")."
echo "Wide sweep (--wide-hosts, $WIDE unless told otherwise): a second fleet on 127.0.1.10.. beside it, started by bench_ssh; the footer says how many hosts the box held."
echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg). Wall time of each whole batch, medians; ratio < 1 means ours is faster."
echo
rc=0
# Options given to this script come last: they win over the defaults here. In
# the background (then waited for), so that an interrupt can stop it and its
# fleets (a background job ignores the terminal's SIGINT).
QT_QPA_PLATFORM=offscreen "$BIN" --fleet-dir "$DIR" --wide-hosts "$WIDE" "$@" &
BENCH_PID=$!
wait "$BENCH_PID" || rc=$?
BENCH_PID=

if command -v hyperfine >/dev/null; then
    # Cross-check of the per-command peer costs with an independent timer
    # (no QProcess in the loop; hyperfine subtracts its own spawn overhead).
    KEY=$DIR/client_ed25519
    A=127.0.0.$FIRST
    OPTS="-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR -i $KEY -p 2222"
    CM="-o ControlMaster=auto -o ControlPath=$DIR/hf-cm-%h -o ControlPersist=60"
    echo
    echo "hyperfine cross-check, one \`true\` on $A (per command):"
    echo
    hyperfine -N --style none --warmup 3 --runs 40 --export-markdown "$DIR/hf1.md" \
        -n 'ssh + ControlMaster (warm)' "ssh $CM $OPTS chomfleet@$A true" >/dev/null 2>&1 || true
    hyperfine -N --style none --warmup 1 --runs 10 --export-markdown "$DIR/hf2.md" \
        -n 'fresh ssh' "ssh $OPTS chomfleet@$A true" >/dev/null 2>&1 || true
    cat "$DIR/hf1.md" 2>/dev/null || true
    tail -n +3 "$DIR/hf2.md" 2>/dev/null || true
    # shellcheck disable=SC2086 # option strings are split on purpose
    ssh $CM $OPTS -O exit "chomfleet@$A" >/dev/null 2>&1 || true
fi
# The window during a sweep: its own 20-host fleet on 127.0.0.120..139.
GUI_BIN=$B/bench/gui/bench_gui_sweep
if [[ -x $GUI_BIN ]]; then
    bash "$FLEET" stop "$DIR" >/dev/null 2>&1 || true # free the CPU first
    echo
    echo "### GUI responsiveness during a 20-host sweep (\`bench_gui_sweep\`)"
    echo
    QT_QPA_PLATFORM=offscreen "$GUI_BIN" --hosts "$COUNT" --sweeps 5 || rc=$?
else
    echo "bench-ssh: $GUI_BIN not built (GUI off?): GUI stall not measured" >&2
fi
echo
echo "bench-ssh: done (stopping the fleet)" >&2
exit "$rc"

#!/usr/bin/env bash
# chom-agent `site:list` over large registries: this tree's agent side by side
# with the agent of an older commit (default d934124, which cut the registry
# reading apart field by field), both on the same generated registries of
# 1,000 / 2,000 / 4,000 / 10,000 sites in a sandbox root (--root) under a
# mktemp directory. hyperfine when installed (-N, medians), else a bash timing
# loop. The old agent is first run once under `timeout`: a size it cannot
# list within the cap is reported as "> CAP s", and larger sizes are not run
# for it. Goal: 10,000 sites in at most 1 s. Prints Markdown for
# docs/PERFORMANCE.md on stdout; progress goes to stderr. A benchmark, not a
# test: nothing here fails on a slow time.
#
# Usage: scripts/bench-agent.sh [--reps N] [--old-reps N] [--old-cap S] [--base REV]
#   --reps N      runs per size of this tree's agent (default 10)
#   --old-reps N  runs per size of the old agent, after the capped first run (default 3)
#   --old-cap S   seconds the old agent may take for one run (default 120)
#   --base REV    the commit whose agent is the peer (default d934124)
# Needs bash, jq, git; hyperfine is used when installed. A few minutes on a
# 2-core box, most of it the old agent at 2,000 and 4,000 sites.
set -euo pipefail
cd "$(dirname "$0")/.."
# The peers and tools each benchmark compares against (idempotent).
scripts/install-deps.sh build test bench >&2

REPS=10
OLD_REPS=3
OLD_CAP=120
BASE=d934124
SIZES=(1000 2000 4000 10000)
while [[ $# -gt 0 ]]; do
    case $1 in
    --reps) REPS=$2 ;;
    --old-reps) OLD_REPS=$2 ;;
    --old-cap) OLD_CAP=$2 ;;
    --base) BASE=$2 ;;
    *)
        echo "bench-agent: unknown option $1" >&2
        exit 2
        ;;
    esac
    shift 2
done

die() {
    echo "bench-agent: $*" >&2
    exit 1
}
for tool in bash jq git timeout; do
    command -v "$tool" >/dev/null || die "$tool not found"
done

DIR=$(mktemp -d /tmp/chom-benchagent-XXXXXX)
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() { rm -rf "$DIR"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

NEW=$PWD/resources/agent/chom-agent
OLD=$DIR/chom-agent-$BASE
git show "$BASE:resources/agent/chom-agent" >"$OLD" || die "no agent at $BASE"
ROOT=$DIR/root
mkdir -p "$ROOT/var/lib/chom-agent" "$ROOT/var/log"
REGISTRY=$ROOT/var/lib/chom-agent/sites.json
HYPERFINE=$(command -v hyperfine || true)

# registry N: N sites shaped like the console's entries (about 170 bytes each).
registry() {
    jq -n -c --argjson n "$1" '{sites: [range($n) | {domain: "site\(.).example.com",
        type: "wordpress", php_version: "8.2", site_root: "/var/www/sites/site\(.).example.com",
        enabled: true, created_at: "2025-01-02T03:04:05Z"}]}' >"$REGISTRY"
}

# check AGENT N: the agent lists all N sites (a fast wrong answer is no result).
check() {
    local count
    count=$(bash "$1" --root "$ROOT" site:list | jq -r 'if .ok then .data.count else "error" end')
    [[ $count == "$2" ]] || die "$1 listed '$count' sites, expected $2"
}

# median_ms MS... -> the median of the values, in ms.
median_ms() {
    printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m }'
}

# time_ms AGENT RUNS WARMUP [ARGS...] -> the median wall time of the agent
# running ARGS (default site:list), in ms. The paths have no spaces (mktemp).
time_ms() {
    local agent=$1 runs=$2 warmup=$3
    shift 3
    local -a args=("${@:-site:list}")
    if [[ -n $HYPERFINE ]]; then
        hyperfine -N --style none --warmup "$warmup" --runs "$runs" \
            --export-json "$DIR/hf.json" "bash $agent --root $ROOT ${args[*]}" >/dev/null 2>&1
        jq -r '.results[0].median * 1000 | . * 10 | round / 10' "$DIR/hf.json"
        return
    fi
    local -a ms=()
    local i t0
    for ((i = 0; i < warmup; i++)); do bash "$agent" --root "$ROOT" "${args[@]}" >/dev/null; done
    for ((i = 0; i < runs; i++)); do
        t0=${EPOCHREALTIME/./}
        bash "$agent" --root "$ROOT" "${args[@]}" >/dev/null
        ms+=($(((${EPOCHREALTIME/./} - t0) / 1000)))
    done
    median_ms "${ms[@]}"
}

# grouped N -> N with thousands separators (10,000).
grouped() {
    local n=$1 out=""
    while ((${#n} > 3)); do
        out=",${n: -3}$out"
        n=${n:0:${#n}-3}
    done
    echo "$n$out"
}

# shown MS -> "4.2 ms", "40 ms" or "6.31 s".
shown() {
    awk -v m="$1" 'BEGIN { if (m < 10) printf "%.1f ms", m; else if (m < 1000) printf "%.0f ms", m
        else printf "%.2f s", m / 1000 }'
}

# ratio NEW_MS OLD_MS -> "0.006× (160× faster)".
ratio() {
    awk -v n="$1" -v o="$2" 'BEGIN { r = n / o; d = r < 0.01 ? 4 : 3
        printf "%." d "f× (%.0f× faster)", r, o / n }'
}

echo "## Agent: site:list over large registries — run of $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo "Command: \`scripts/bench-agent.sh --reps $REPS --old-reps $OLD_REPS --old-cap $OLD_CAP --base $BASE\`."
echo "\`bash chom-agent --root DIR site:list\` over a generated registry (jq, ~170 bytes a site), output discarded;"
if ((OLD_REPS > 0)); then
    old_runs="$OLD_REPS runs after one run capped at $OLD_CAP s"
else
    old_runs="one run capped at $OLD_CAP s"
fi
echo "new: this tree's agent, $REPS runs after 1 warm-up; old: the agent of $BASE, $old_runs."
echo "$(bash --version | head -n1 | sed -E 's/^GNU bash, version ([^ ]+).*/bash \1/'), $(jq --version)$([[ -n $HYPERFINE ]] && echo ", $(hyperfine --version)" || echo ", bash timing loop (no hyperfine)")."
echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg). Medians of wall time; ratio < 1 means the new agent is faster."
echo
echo "| sites | registry | new (median) | old $BASE (median) | new / old |"
echo "|---:|---:|---:|---:|---|"
over=""
for n in "${SIZES[@]}"; do
    registry "$n"
    size=$(awk -v b="$(stat -c %s "$REGISTRY")" 'BEGIN { printf "%.2f MB", b / 1e6 }')
    echo "bench-agent: $n sites ($size): new agent" >&2
    check "$NEW" "$n"
    new_ms=$(time_ms "$NEW" "$REPS" 1)
    old="" rel=""
    if [[ -n $over ]]; then
        old="> $OLD_CAP s (not run: $(grouped "$over") sites took longer)"
        rel="—"
    else
        echo "bench-agent: $n sites: old agent, first run capped at $OLD_CAP s" >&2
        t0=${EPOCHREALTIME/./}
        # -k: the old agent defers the TERM until its parsing ends; KILL does
        # not wait (the subshell keeps bash's "Killed" notice off the output).
        if (timeout -k 2 "$OLD_CAP" bash "$OLD" --root "$ROOT" site:list >"$DIR/old.json") 2>/dev/null; then
            first_ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
            jq -e --argjson n "$n" '.ok and .data.count == $n' "$DIR/old.json" >/dev/null ||
                die "the old agent did not list $n sites"
            if ((OLD_REPS > 0)); then
                echo "bench-agent: $n sites: old agent, $OLD_REPS runs" >&2
                old_ms=$(time_ms "$OLD" "$OLD_REPS" 0)
            else
                old_ms=$first_ms
            fi
            old=$(shown "$old_ms")
            rel=$(ratio "$new_ms" "$old_ms")
        else
            over=$n
            old="> $OLD_CAP s"
            rel=$(awk -v n="$new_ms" -v c="$OLD_CAP" 'BEGIN { printf "< %.4f× (> %.0f× faster)", n / (c * 1000), c * 1000 / n }')
        fi
    fi
    printf '| %s | %s | %s | %s | %s |\n' "$(grouped "$n")" "$size" \
        "$(shown "$new_ms")" "$old" "$rel"
    last_new_ms=$new_ms
done
echo
goal=$(awk -v m="$last_new_ms" 'BEGIN { print (m <= 1000 ? "met" : "missed") }')
echo "Goal: \`site:list\` at 10,000 sites ≤ 1 s — $goal ($(shown "$last_new_ms"))."

# The other commands on a small registry: what the scratch file (mktemp, rm)
# and the site_root checks cost where the registry is not the work.
SMALL_RUNS=$((REPS * 3))
jq -n -c '{sites: [{domain: "example.com", type: "wordpress", php_version: "8.2",
    site_root: "/var/www/sites/example.com", enabled: true}, {domain: "legacy.org",
    type: "php", php_version: 8.4, site_root: "/var/www/sites/legacy.org", enabled: false}]}' >"$REGISTRY"
mkdir -p "$ROOT/var/www/sites/example.com"
echo
echo "The other commands, 2-site registry, real probes under the sandbox root: $SMALL_RUNS runs each after 3 warm-ups."
echo
echo "| command | new (median) | old $BASE (median) | new / old |"
echo "|---|---:|---:|---:|"
for cmd in version health stats site:list "site:info example.com"; do
    echo "bench-agent: $cmd, 2 sites" >&2
    read -r -a words <<<"$cmd"
    new_ms=$(time_ms "$NEW" "$SMALL_RUNS" 3 "${words[@]}")
    old_ms=$(time_ms "$OLD" "$SMALL_RUNS" 3 "${words[@]}")
    printf "| \`%s\` | %s | %s | %s |\n" "$cmd" "$(shown "$new_ms")" "$(shown "$old_ms")" \
        "$(awk -v n="$new_ms" -v o="$old_ms" 'BEGIN { printf "%.2f×", n / o }')"
done

#!/usr/bin/env bash
# Keeps classes small enough to read in one sitting: a class is a header X.h
# plus every .cpp in the same directory whose first #include "..." names X.h
# (plain or folder-qualified, e.g. "fleet/FleetService.h"); their line counts
# are summed. Fails listing each class over LIMIT lines, unless the header is
# listed with a reason in scripts/size-allowlist.txt.
# Scans app/ ui/ models/ services/ (tests and benchmarks are exempt).
# Usage: scripts/check-size.sh [ROOT] [LIMIT=400]
set -euo pipefail

ROOT=${1:-$(dirname "$0")/..}
LIMIT=${2:-400}
cd "$ROOT"
dirs=(app ui models services)

# Tracked plus untracked-but-not-ignored files in a git checkout, else every file.
list_files() {
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files --cached --others --exclude-standard -- "${dirs[@]}"
    else
        find "${dirs[@]}" -type f 2>/dev/null || true
    fi | grep -E '\.(cpp|h)$' | sort -u
}

declare -A total=() files=() allowed=()
while IFS= read -r f; do
    [[ -f $f ]] || continue # listed but moved or deleted meanwhile
    if [[ $f == *.h ]]; then
        header=$f
    else
        inc=$(grep -m1 -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" || true)
        inc=${inc#*\"}
        inc=${inc%%\"*}
        header=$(dirname "$f")/$(basename "${inc:-none}")
        [[ -f $header ]] || continue # first include is not a header of this directory
    fi
    n=$(wc -l <"$f")
    total[$header]=$((${total[$header]:-0} + n))
    files[$header]+=" $f ($n)"
done < <(list_files)

if [[ -f scripts/size-allowlist.txt ]]; then
    while read -r path _; do
        [[ -z $path || $path == \#* ]] || allowed[$path]=1
    done <scripts/size-allowlist.txt
fi

if ((${#total[@]} == 0)); then
    echo "size: no headers found under ${dirs[*]} in $PWD" >&2
    exit 1
fi
largest="" over=0
mapfile -t classes < <(printf '%s\n' "${!total[@]}" | sort)
for h in "${classes[@]}"; do
    if [[ -z $largest ]] || ((total[$h] > total[$largest])); then largest=$h; fi
    if ((total[$h] > LIMIT)) && [[ -z ${allowed[$h]:-} ]]; then
        echo "size: $h: ${total[$h]} lines (limit $LIMIT):${files[$h]}" >&2
        over=$((over + 1))
    fi
done

if ((over)); then
    echo "size: $over classes over $LIMIT lines (split them, or justify in scripts/size-allowlist.txt)" >&2
    exit 1
fi
echo "size: ${#total[@]} classes checked, largest $largest (${total[$largest]} lines)"

#!/usr/bin/env bash
# Checks that every C++ source and header under app/ ui/ models/ services/
# tests/ bench/ matches clang-format with the root .clang-format, so the code
# reads the same everywhere and reviews show only real changes.
# Usage: scripts/check-format.sh [--fix] [ROOT]   (--fix reformats drifting files)
set -euo pipefail

fix=0
if [[ ${1:-} == --fix ]]; then
    fix=1
    shift
fi
ROOT=${1:-$(dirname "$0")/..}
cd "$ROOT"
dirs=(app ui models services tests bench)

# Tracked plus untracked-but-not-ignored files in a git checkout, else every file.
list_files() {
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files --cached --others --exclude-standard -- "${dirs[@]}"
    else
        find "${dirs[@]}" -type f 2>/dev/null || true
    fi | grep -E '\.(cpp|h)$' | sort -u
}

checked=0
drift=()
while IFS= read -r f; do
    [[ -f $f ]] || continue # listed but moved or deleted meanwhile
    checked=$((checked + 1))
    if ! clang-format --style=file:.clang-format "$f" | cmp -s - "$f"; then
        drift+=("$f")
    fi
done < <(list_files)

if ((checked == 0)); then
    echo "format: no C++ files found under ${dirs[*]} in $PWD" >&2
    exit 1
elif ((${#drift[@]} == 0)); then
    echo "format: $checked files checked, all clean"
elif ((fix)); then
    clang-format --style=file:.clang-format -i "${drift[@]}"
    printf 'format: reformatted %s\n' "${drift[@]}"
else
    printf 'format: %s differs from clang-format\n' "${drift[@]}" >&2
    echo "format: ${#drift[@]} of $checked files drift (fix: scripts/check-format.sh --fix)" >&2
    exit 1
fi

#!/usr/bin/env bash
# Proves the test suite leaves the user's home alone: `start DIR` drops a
# marker before the first test, `check DIR` (after the last) fails listing
# every file created or changed since under the places a Qt program or our
# tools would write (~/.config, ~/.local, ~/.cache, ~/.ssh, ~/.pgpass and
# other files directly in $HOME). Tests keep their settings and data under
# the build tree (tests/CMakeLists.txt sets XDG_* per test) and temp dirs.
# Usage: scripts/check-home.sh start|check MARKER_DIR
set -euo pipefail
action=${1:-}
dir=${2:-}
[[ -n $action && -n $dir ]] || {
    echo "usage: check-home.sh start|check MARKER_DIR" >&2
    exit 2
}
marker=$dir/home-marker
case $action in
start)
    mkdir -p "$dir"
    : >"$marker"
    ;;
check)
    [[ -f $marker ]] || {
        echo "check-home: no marker in $dir (run start first)" >&2
        exit 2
    }
    home=${HOME:?}
    found=()
    for d in .config .local .cache .ssh; do
        [[ -d $home/$d ]] || continue
        while IFS= read -r -d '' f; do found+=("$f"); done < <(find "$home/$d" -newer "$marker" -type f -print0 2>/dev/null)
    done
    while IFS= read -r -d '' f; do found+=("$f"); done < <(find "$home" -maxdepth 1 -newer "$marker" -type f ! -name '.*history' -print0 2>/dev/null)
    if ((${#found[@]})); then
        echo "check-home: the suite wrote outside the build and temp directories:" >&2
        printf '  %s\n' "${found[@]}" >&2
        exit 1
    fi
    echo "check-home: nothing written under $home"
    ;;
*)
    echo "check-home: unknown action $action" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Keeps product code, build files and docs in product wording: fails on
# references to the work-tracking process (numbered work items, planned
# deliveries, dated work logs) and prints them as file:line:text.
# Health "issues" of a VPS (HealthReport::issues, the JSON key) are product
# vocabulary and pass.
# Usage: scripts/check-wording.sh [ROOT]
set -euo pipefail

ROOT=${1:-$(dirname "$0")/..}
cd "$ROOT"
paths=(app ui models services tests bench resources scripts docs packaging translations
    cmake README.md CMakeLists.txt '*/CMakeLists.txt')
patterns=(
    '\bissues?[ -]?#?[0-9]+'                          # issue 4, issue-2, issue #12
    '\bissue-level\b'
    '\bticket'
    '\bsession of 20'                                 # dated work logs
    '\b(the|this|upcoming|later|next) .{0,20}issue\b' # a later issue, the logs issue
    '\barrives? with the .{0,30}issue'
    '\(issue[ #-]'                                    # (issue on ...), not f(issues)
    'TODO\(issue'
)
regex=$(IFS='|' && echo "${patterns[*]}")

# Tracked plus untracked-but-not-ignored files in a git checkout, else every file.
list_files() {
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files --cached --others --exclude-standard -- "${paths[@]}"
    else
        find "${paths[@]}" -type f 2>/dev/null || true
    fi | grep -v -x 'scripts/check-wording.sh' | sort -u # its patterns name the words
}

hits=$(list_files | xargs -r -d '\n' grep -nHIisE "$regex" || true)
if [[ -n $hits ]]; then
    echo "$hits" >&2
    echo "wording: $(wc -l <<<"$hits") lines refer to the work process; use product wording" >&2
    exit 1
fi
echo "wording: $(list_files | wc -l) files checked, all in product wording"

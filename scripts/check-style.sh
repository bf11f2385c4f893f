#!/usr/bin/env bash
# Runs every style check on the repository (format, class size, wording, layering) and
# fails if any of them fails; all of them run, so one pass reports everything.
# Usage: scripts/check-style.sh
set -euo pipefail
cd "$(dirname "$0")/.."

failed=()
for check in check-format check-size check-wording check-layering; do
    scripts/$check.sh || failed+=("$check")
done
if ((${#failed[@]})); then
    echo "style: failed: ${failed[*]}" >&2
    exit 1
fi
echo "style: all checks pass"

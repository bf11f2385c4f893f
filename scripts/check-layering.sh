#!/usr/bin/env bash
# Front-ends (ui/, app/) read and write through the core's services, never
# through the store's repositories or raw SQL: a repository include or a
# QSqlQuery outside services/ fails the check; so does a label that could
# render markup.
# Usage: scripts/check-layering.sh
set -euo pipefail
cd "$(dirname "$0")/.."

hits=$(grep -rnE '#include "store/[A-Za-z]*Repository\.h"|#include "store/Sql\.h"|QSqlQuery' \
    ui app --include='*.h' --include='*.cpp' || true)
if [[ -n "$hits" ]]; then
    echo "layering: front-ends reach into the store (use the services' read methods):" >&2
    echo "$hits" >&2
    exit 1
fi
# Labels show host names, tenant names and remote error text: always plain
# text, so every label comes from plainLabel() (ui/widgets/PlainLabel.h).
labels=$(grep -rn 'new QLabel' ui --include='*.h' --include='*.cpp' |
    grep -v '^ui/widgets/PlainLabel.h:' || true)
if [[ -n "$labels" ]]; then
    echo "layering: a bare QLabel renders markup in remote text; use plainLabel():" >&2
    echo "$labels" >&2
    exit 1
fi
echo "layering: ui/ and app/ use the services only; every label is plain text"

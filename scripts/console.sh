#!/usr/bin/env bash
# One command: install dependencies, build, start the console on the per-user
# SQLite store (demo data when it is empty). Extra arguments go to the console.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
CHOM_BUILD_DIR=${CHOM_BUILD_DIR:-build} scripts/build.sh -DCHOM_BUILD_TESTS=OFF -DCHOM_BUILD_BENCH=OFF
exec "${CHOM_BUILD_DIR:-build}/app/gui/chom-console" --demo "$@"

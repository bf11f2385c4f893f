#!/usr/bin/env bash
# One command: install dependencies, build everything, run the whole suite.
# Tests that need servers start real ones on loopback from scripts/services/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build test
export CHOM_BUILD_DIR=${CHOM_BUILD_DIR:-build}
# Warnings are errors here (this is what CI runs); the style checks run as
# the suite's "style" test.
scripts/build.sh -DCHOM_BUILD_TESTS=ON -DCHOM_BUILD_BENCH=ON -DCHOM_WERROR=ON
cd "$CHOM_BUILD_DIR"
QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j2 --timeout 600

#!/usr/bin/env bash
# Renders the README's screenshots (tst_screenshot, offscreen, into the build
# tree) and copies them into docs/. The test suite itself never writes there.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${CHOM_BUILD_DIR:-build}
scripts/install-deps.sh build test
scripts/build.sh -DCHOM_BUILD_TESTS=ON
(cd "$BUILD_DIR" && QT_QPA_PLATFORM=offscreen ctest -R '^tst_screenshot$' --output-on-failure)
cp "$BUILD_DIR"/tests/ui/screenshots/screenshot-*.png docs/
echo "update-screenshots: copied $(ls "$BUILD_DIR"/tests/ui/screenshots/screenshot-*.png | wc -l) files into docs/"

#!/usr/bin/env bash
# Builds the shutdown-sensitive tests with AddressSanitizer (and UBSan) into
# build-asan/ and runs them: the runtime's teardown with running, timed-out
# and stuck steps, the Operations and VPS Fleet pages closed mid-operation,
# the executor's drain at exit. Any use after free or leak fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build test
BUILD_DIR=${CHOM_ASAN_BUILD_DIR:-build-asan}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCHOM_BUILD_BENCH=OFF \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
tests=(tst_runtime tst_executor tst_operations tst_operationspage tst_fleetpage tst_mainwindow
    tst_masterpassphrase tst_dashboard)
cmake --build "$BUILD_DIR" -j"$(nproc)" --target chomctl "${tests[@]}"
regex="^($(IFS='|'; echo "${tests[*]}"))\$"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Qt's own one-time allocations (plugins, fonts) are not ours to report.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp}
cd "$BUILD_DIR"
QT_QPA_PLATFORM=offscreen ctest -R "$regex" --output-on-failure --timeout 600

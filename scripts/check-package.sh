#!/usr/bin/env bash
# Builds the Debian package from a build tree into a temporary directory and
# checks what it ships: chom-console and chomctl stripped (no .debug_info;
# that goes to the -dbgsym package), the desktop entry present. Prints the
# package and binary sizes (docs/PERFORMANCE.md quotes them).
# Usage: scripts/check-package.sh [BUILD_DIR]   (default: build)
set -euo pipefail
B=${1:-build}
[[ -f $B/CPackConfig.cmake ]] || {
    echo "check-package: $B/CPackConfig.cmake missing (configure the build first)" >&2
    exit 2
}
for tool in cpack dpkg-deb readelf; do
    command -v "$tool" >/dev/null || {
        echo "check-package: $tool not found" >&2
        exit 2
    }
done
out=$(mktemp -d /tmp/chom-package-XXXXXX)
trap 'rm -rf "$out"' EXIT
B=$(cd "$B" && pwd)
(cd "$out" && cpack --config "$B/CPackConfig.cmake" -G DEB -B "$out" >cpack.log 2>&1) || {
    cat "$out/cpack.log" >&2
    exit 1
}
deb=$(find "$out" -maxdepth 1 -name 'chom-console_*.deb' ! -name '*dbgsym*' | head -n1)
[[ -n $deb ]] || {
    echo "check-package: no package was made" >&2
    exit 1
}
mkdir "$out/root"
dpkg-deb -x "$deb" "$out/root"
fail=0
for exe in chom-console chomctl; do
    f=$out/root/usr/bin/$exe
    if [[ ! -x $f ]]; then
        echo "check-package: $exe missing from the package" >&2
        fail=1
    elif readelf -S "$f" | grep -q '\.debug_info'; then
        echo "check-package: $exe ships with debug info (not stripped)" >&2
        fail=1
    else
        printf '%-12s %8d KiB\n' "$exe" $(($(stat -c %s "$f") / 1024))
    fi
done
[[ -f $out/root/usr/share/applications/io.chom.Console.desktop ]] || {
    echo "check-package: the desktop entry is missing" >&2
    fail=1
}
printf 'package      %8d KiB  %s\n' $(($(stat -c %s "$deb") / 1024)) "$(basename "$deb")"
exit "$fail"

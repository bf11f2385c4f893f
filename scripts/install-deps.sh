#!/usr/bin/env bash
# Installs the Debian packages a group needs (build, test, bench). Idempotent: skips
# apt entirely when everything is already installed.
set -euo pipefail
cd "$(dirname "$0")/.."
groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(build)
pkgs=()
for g in "${groups[@]}"; do
    line=$(grep -E "^${g}:" scripts/debian-packages.txt | cut -d: -f2-)
    [ -n "$line" ] || { echo "install-deps: unknown group '$g'" >&2; exit 2; }
    read -r -a more <<<"$line"
    pkgs+=("${more[@]}")
done
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"

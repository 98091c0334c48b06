#!/usr/bin/env bash
# Installs the Debian 12 packages listed in packaging/debian-packages.txt that are missing, then
# configures and builds into build/. Used by tools/office.sh and tools/check.sh.
# Usage: tools/setup.sh [--no-build]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

want=$(sed -e 's/#.*//' packaging/debian-packages.txt | xargs)
missing=()
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  as_root=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "setup: run as root (or install sudo) to install packages" >&2; exit 1; }
    as_root=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ "${1:-}" = "--no-build" ] && exit 0
jobs=$(nproc 2>/dev/null || echo 2)
# Every suite on, explicitly (an older build/ may have one turned off): configuring fails, with
# the package to install, when a program a suite needs is missing.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCSC_BUILD_GUI=ON \
      -DCSC_TEST_LAN=ON -DCSC_TEST_USB=ON -DCSC_TEST_GUI=ON -DCSC_TEST_WEB=ON -DCSC_TEST_PACKAGE=ON >/dev/null
cmake --build build -j"$jobs"

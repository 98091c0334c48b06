#!/usr/bin/env bash
# The README's second command: installs what is missing, builds everything, runs every test.
# `.ci/run` runs exactly this.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/tools/setup.sh"
cd "$here/build"
jobs=$(nproc 2>/dev/null || echo 2)
ctest --output-on-failure -j"$jobs" "$@"

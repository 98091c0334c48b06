#!/usr/bin/env bash
# Starts the single-machine office from an existing build: the entrance kiosk (windowed).
# Extra arguments go to `kiosk run`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
exec "$here/build/kiosk/kiosk" run --windowed "$@"

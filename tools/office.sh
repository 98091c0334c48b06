#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and starts the single-machine
# office (SQLite store in ~/.local/share/csc-kiosk, printer emulated unless configured).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/tools/setup.sh"
cd "$here"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "office: no desktop display found (DISPLAY is not set)."
  echo "office: the program is built at build/kiosk/kiosk; on a desktop run: bash tools/office.sh"
  echo "office: to try it headless: xvfb-run -a -s '-screen 0 1080x1920x24' build/kiosk/kiosk run"
  exit 1
fi
exec "$here/tools/start-office.sh" "$@"

#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and starts the single-machine
# office (entrance kiosk, queue display and counter 1 on one SQLite store in
# ~/.local/share/csc-kiosk; the USB printer if one is attached, else the emulated one).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/tools/setup.sh"
cd "$here"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  # A server without a desktop: run the office on a virtual screen so it still works end to end
  # (tickets from `kiosk issue`, calls from `kiosk counter call`, the display speaking them).
  echo "office: no desktop display (DISPLAY is not set): starting the office on a virtual screen."
  echo "office: try it from another terminal with build/kiosk/kiosk issue / status / counter ..."
  echo "office: on a desktop, the same command opens the three windows. Ctrl-C stops it."
  exec xvfb-run -a -s "-screen 0 1920x1920x24" "$here/tools/start-office.sh" "$@"
fi
exec "$here/tools/start-office.sh" "$@"

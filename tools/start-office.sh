#!/usr/bin/env bash
# Starts the single-machine office from an existing build: three programs on one store, so a
# newcomer can play the whole flow (tap a sector, see the wait, call at the counter, see and
# hear the call on the display):
#   - the queue display (landscape window; chime and voice on the sound card),
#   - counter 1 (operator window; sign in, F1 calls the next ticket),
#   - the entrance kiosk in the foreground: closing it closes the other two.
# Each program applies the others' events from the store every 200 ms (docs/DISPLAY.md).
# Environment: CSC_DATA (store directory, default ~/.local/share/csc-kiosk), CSC_KIOSK (the
# program), CSC_COUNTER (counter number, default 1). Extra arguments go to the entrance's `kiosk run`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
kiosk=${CSC_KIOSK:-$here/build/kiosk/kiosk}
counter=${CSC_COUNTER:-1}
global=()
[ -n "${CSC_DATA:-}" ] && global+=(--data "$CSC_DATA")

if [ ! -x "$kiosk" ]; then
  echo "office: $kiosk is missing: build first (bash tools/office.sh does)" >&2
  exit 1
fi

# The counter needs an operator. On a store without any, add a demonstration one and say so.
if "$kiosk" "${global[@]}" operator list --json | grep -q '"operators":\[\]'; then
  printf '0000\n' | "$kiosk" "${global[@]}" operator add --name "Operatore demo" >/dev/null
  echo "office: counter $counter: sign in as \"Operatore demo\", PIN 0000 (a demonstration operator;"
  echo "office:   add your own with: kiosk operator add --name NAME, remove it with:"
  echo "office:   kiosk operator remove --name \"Operatore demo\")"
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

"$kiosk" "${global[@]}" --device display-1 run --role display --windowed &
pids+=($!)
"$kiosk" "${global[@]}" --device "counter-$counter" run --role counter --counter "$counter" --windowed &
pids+=($!)
"$kiosk" "${global[@]}" --device entrance-1 run --windowed "$@"

#!/usr/bin/env bash
# Runs a command against an Xvfb of its own: xvfb_test.sh WIDTHxHEIGHTxDEPTH -- COMMAND ARGS…
# Xvfb picks a free display itself and says which (-displayfd): two GUI tests may start at the
# same moment (ctest -j), where `xvfb-run -a` could pick the same number twice and fail.
# The server goes with the command; the command's exit code is this script's.
set -euo pipefail
screen=$1
shift
[ "${1:-}" = "--" ] && shift
dir=$(mktemp -d /tmp/csc-xvfb-XXXXXX)
Xvfb -displayfd 3 -screen 0 "$screen" -nolisten tcp -noreset 3>"$dir/display" 2>"$dir/xvfb.log" &
xvfb=$!
cleanup() {
  kill "$xvfb" 2>/dev/null || true
  wait "$xvfb" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 200); do
  [ -s "$dir/display" ] && break
  if ! kill -0 "$xvfb" 2>/dev/null; then
    echo "xvfb_test: Xvfb did not start: $(cat "$dir/xvfb.log")" >&2
    exit 1
  fi
  sleep 0.05
done
[ -s "$dir/display" ] || { echo "xvfb_test: Xvfb gave no display number within 10 s" >&2; exit 1; }
export DISPLAY=":$(tr -d '[:space:]' < "$dir/display")"
"$@"

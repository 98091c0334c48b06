#!/usr/bin/env bash
# The README's second command: installs what is missing, builds everything, runs every test;
# then the ASan + UBSan build of the core and application tests: build-asan (-DCSC_SANITIZE=ON,
# no GUI), only the programs those tests need (target sanitize_tests), `ctest -L sanitize`.
# The sanitizer build starts while the main suite runs, one compiler at a time at the lowest CPU
# and I/O priority (nice 19, ionice idle): the suite leaves 15–70% of the CPU idle (GUI tests
# wait on the X server, LAN tests on timers) and keeps its CPU whenever it wants it; what is
# left once the suite is done compiles at full speed (docs/PERFORMANCE.md, "Build and CI time").
# `.ci/run` runs exactly this. Arguments go to the first ctest; CSC_CHECK_SANITIZE=0 skips the
# sanitizer build. Fails if either suite fails (both always run), and if build/ has no LAN, USB,
# GUI or web tests (a suite left out never passes as green).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/tools/setup.sh"
jobs=$(nproc 2>/dev/null || echo 2)
status=0
asan_pid=
if [ "${CSC_CHECK_SANITIZE:-1}" != 0 ]; then
  echo "check: ASan + UBSan build of the core and application tests (build-asan), beside the main suite at idle priority"
  mkdir -p "$here/build-asan"
  # Debug (-O0 -g): the sanitizers' instrumentation makes -O2 builds several times slower to compile.
  # Its own process group (setsid), so that a check that stops early stops it too (trap below).
  configure_asan() {
    cmake -S "$here" -B "$here/build-asan" -DCMAKE_BUILD_TYPE=Debug -DCSC_SANITIZE=ON -DCSC_BUILD_GUI=OFF \
          -DCSC_TEST_GUI=OFF -DCSC_TEST_WEB=OFF -DCSC_TEST_LAN=ON >/dev/null
  }
  configure_asan > "$here/build-asan/check-build.log" 2>&1 || true
  setsid nice -n 19 ionice -c 3 cmake --build "$here/build-asan" -j1 --target sanitize_tests \
    >> "$here/build-asan/check-build.log" 2>&1 &
  asan_pid=$!
  trap '[ -n "$asan_pid" ] && kill -- -"$asan_pid" 2>/dev/null; exit 130' INT TERM
  trap '[ -n "$asan_pid" ] && kill -- -"$asan_pid" 2>/dev/null || true' EXIT
fi
(cd "$here/build" && ctest --output-on-failure -j"$jobs" "$@") || status=$?
# Never green without the suites that need the LAN, USB and GUI programs: each must have tests
# registered in this build (setup.sh configured them on; this catches a suite gone missing).
for suite in "lan:-L lan" "usb:-R ^printer_usb_tests$" "gui:-L gui" "web:-L web" "package:-L package" "printer-links:-R ^printer_links_without_core$"; do
  name=${suite%%:*}
  # shellcheck disable=SC2086
  count=$(cd "$here/build" && ctest -N ${suite#*:} | sed -n 's/^Total Tests: //p')
  if [ "${count:-0}" -eq 0 ]; then
    echo "check: the $name suite has no tests in build/: it was left out (see the configure output)" >&2
    status=1
  fi
done
if [ -n "$asan_pid" ]; then
  # The suite is done: whatever is left compiles at full speed (make removes a file it was
  # writing when stopped, so nothing half-made is kept).
  kill -- -"$asan_pid" 2>/dev/null || true
  wait "$asan_pid" 2>/dev/null || true
  asan_pid=
  if configure_asan >> "$here/build-asan/check-build.log" 2>&1 &&
     cmake --build "$here/build-asan" -j"$jobs" --target sanitize_tests >> "$here/build-asan/check-build.log" 2>&1; then
    echo "check: build-asan built (its log: build-asan/check-build.log)"
    (cd "$here/build-asan" && ctest --output-on-failure -j"$jobs" -L sanitize) || status=$?
  else
    tail -n 60 "$here/build-asan/check-build.log" >&2
    echo "check: the ASan + UBSan build failed (the whole log: build-asan/check-build.log)" >&2
    status=1
  fi
fi
exit $status

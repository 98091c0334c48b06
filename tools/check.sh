#!/usr/bin/env bash
# The README's second command: installs what is missing, builds everything, runs every test;
# then the ASan + UBSan build of the core and application tests: build-asan (-DCSC_SANITIZE=ON,
# no GUI), only the programs those tests need (target sanitize_tests), `ctest -L sanitize`.
# `.ci/run` runs exactly this. Arguments go to the first ctest; CSC_CHECK_SANITIZE=0 skips the
# sanitizer build. Fails if either suite fails (both always run), and if build/ has no LAN, USB,
# GUI or web tests (a suite left out never passes as green).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/tools/setup.sh"
jobs=$(nproc 2>/dev/null || echo 2)
status=0
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
if [ "${CSC_CHECK_SANITIZE:-1}" != 0 ]; then
  echo "check: ASan + UBSan build of the core and application tests (build-asan)"
  # Debug (-O0 -g): the sanitizers' instrumentation makes -O2 builds several times slower to compile.
  cmake -S "$here" -B "$here/build-asan" -DCMAKE_BUILD_TYPE=Debug -DCSC_SANITIZE=ON -DCSC_BUILD_GUI=OFF \
        -DCSC_TEST_GUI=OFF -DCSC_TEST_WEB=OFF -DCSC_TEST_LAN=ON >/dev/null
  cmake --build "$here/build-asan" -j"$jobs" --target sanitize_tests
  (cd "$here/build-asan" && ctest --output-on-failure -j"$jobs" -L sanitize) || status=$?
fi
exit $status

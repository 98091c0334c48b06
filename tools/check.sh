#!/usr/bin/env bash
# The README's second command: installs what is missing, builds everything, runs every test;
# then the ASan + UBSan build of the core and application tests: build-asan (-DCSC_SANITIZE=ON,
# no GUI), only the programs those tests need (target sanitize_tests), `ctest -L sanitize`.
# `.ci/run` runs exactly this. Arguments go to the first ctest; CSC_CHECK_SANITIZE=0 skips the
# sanitizer build. Fails if either suite fails (both always run).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/tools/setup.sh"
jobs=$(nproc 2>/dev/null || echo 2)
status=0
(cd "$here/build" && ctest --output-on-failure -j"$jobs" "$@") || status=$?
if [ "${CSC_CHECK_SANITIZE:-1}" != 0 ]; then
  echo "check: ASan + UBSan build of the core and application tests (build-asan)"
  # Debug (-O0 -g): the sanitizers' instrumentation makes -O2 builds several times slower to compile.
  cmake -S "$here" -B "$here/build-asan" -DCMAKE_BUILD_TYPE=Debug -DCSC_SANITIZE=ON -DCSC_BUILD_GUI=OFF >/dev/null
  cmake --build "$here/build-asan" -j"$jobs" --target sanitize_tests
  (cd "$here/build-asan" && ctest --output-on-failure -j"$jobs" -L sanitize) || status=$?
fi
exit $status

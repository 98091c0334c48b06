#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz for MINUTES each and prints, per target: executions,
# executions per second, corpus size (files, bytes) and findings (crashes, timeouts, leaks, OOMs).
# Builds the fuzzers with clang (ASan + UBSan, -DCSC_FUZZ=ON) in a separate build dir, so the
# normal gcc build is untouched. Figures go to docs/PERFORMANCE.md ("Fuzzing (issue 17)").
#
# Usage: bench/fuzz/run_fuzzers.sh [MINUTES=1] [TARGET...]
#   env BUILD_DIR (default build-fuzz), OUT (default /tmp/csc-fuzz-bench), JOBS (default nproc).
# Each target starts from its committed corpus (tests/fuzz/corpus/<target>, read only) and writes
# what it finds to OUT/<target>/{corpus,findings}; to keep new inputs, merge them into the
# committed corpus (tests/fuzz/README.md). Fork mode (-fork=1 -ignore_crashes=1) keeps a target
# running after a finding, so one known bug does not end the run; every finding is counted.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
minutes=${1:-1}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(event_decoder site_config scenario)
build=${BUILD_DIR:-$here/build-fuzz}
out=${OUT:-/tmp/csc-fuzz-bench}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
case "$minutes" in ''|*[!0-9]*) echo "run_fuzzers: MINUTES must be a whole number" >&2; exit 2;; esac

cmake -S "$here" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCSC_FUZZ=ON \
      -DCSC_BUILD_GUI=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$jobs" --target "${targets[@]/#/fuzz_}" >/dev/null

declare -A dict=([event_decoder]=event.dict [site_config]=toml.dict [scenario]=toml.dict)
declare -A maxlen=([event_decoder]=20000 [site_config]=4096 [scenario]=4096)
rows=()
for t in "${targets[@]}"; do
  dir=$out/$t
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/findings"
  echo "== fuzz_$t for $minutes min" >&2
  start=$(date +%s)
  (cd "$dir" && "$build/tests/fuzz/fuzz_$t" corpus "$here/tests/fuzz/corpus/$t" \
      -dict="$here/tests/fuzz/${dict[$t]}" -max_len="${maxlen[$t]}" -max_total_time=$((minutes * 60)) \
      -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -timeout=10 \
      -artifact_prefix=findings/ >log.txt 2>&1) || true
  secs=$(( $(date +%s) - start ))
  # Fork mode logs "#N: cov: .. exec/s: .. crashes: .." per round; take the last round's figures.
  last=$(grep -E '^#[0-9]+: cov:' "$dir/log.txt" | tail -1 || true)
  execs=$(sed -nE 's/^#([0-9]+):.*/\1/p' <<<"$last")
  rate=$(sed -nE 's/.*exec\/s:? ([0-9]+).*/\1/p' <<<"$last")
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  files=$(find "$here/tests/fuzz/corpus/$t" "$dir/corpus" -type f | wc -l)
  bytes=$(find "$here/tests/fuzz/corpus/$t" "$dir/corpus" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
  crashes=$(find "$dir/findings" -name 'crash-*' | wc -l)
  timeouts=$(find "$dir/findings" -name 'timeout-*' | wc -l)
  leaks=$(find "$dir/findings" -name 'leak-*' | wc -l)
  ooms=$(find "$dir/findings" -name 'oom-*' | wc -l)
  # Distinct causes: each finding replayed once; the sanitizer's first report line, else the signal.
  causes=$(for f in $(find "$dir/findings" -type f | head -50); do
             "$build/tests/fuzz/fuzz_$t" "$f" 2>&1 | grep -m1 -E 'runtime error|ERROR: (Address|Leak)Sanitizer|deadly signal|timeout' \
               | sed -E 's/^==[0-9]+==//; s/0x[0-9a-f]+/0x../g' || true
           done | sort | uniq -c | sort -rn | head -5)
  rows+=("$(printf '%-14s %6ss %10s %8s %6s %6s %9s %7s %8s %5s %4s' "$t" "$secs" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
            "$files" "$bytes" "$crashes" "$timeouts" "$leaks" "$ooms")")
  if [ -n "$causes" ]; then rows+=("$(sed 's/^/                 /' <<<"$causes")"); fi
done
printf '%-14s %7s %10s %8s %6s %6s %9s %7s %8s %5s %4s\n' target time execs exec/s cov files bytes crashes timeouts leaks ooms
printf '%s\n' "${rows[@]}"
echo "logs and findings: $out/<target>/{log.txt,findings/}"

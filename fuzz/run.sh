#!/usr/bin/env bash
# Runs the fuzz targets with cargo-fuzz on the stable toolchain.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# Each target named (every target when none is) runs for SECONDS (60 by
# default) in one libFuzzer process, so on one core, one after another.
# Seeds are read from fuzz/corpus/TARGET/ (committed); inputs the fuzzer
# finds go to fuzz/work/TARGET/, crashes to fuzz/artifacts/TARGET/ and the
# output to fuzz/logs/TARGET.log, all gitignored. Exits non-zero when any
# target found a crash, a timeout or an out-of-memory input.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true

# cargo-fuzz passes -Z flags to rustc; this lets a stable rustc accept them.
export RUSTC_BOOTSTRAP=1

# No sanitizer: the code is safe Rust, and ASan would halve the speed. Debug
# assertions and overflow checks are on.
build=(--sanitizer none --debug-assertions)

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list)
fi

cargo fuzz build "${build[@]}"
mkdir -p fuzz/logs

failed=()
for target in "${targets[@]}"; do
  mkdir -p "fuzz/work/$target" "fuzz/artifacts/$target"
  flags=(
    "-max_total_time=$seconds" -rss_limit_mb=2048 -timeout=10
    -max_len=16384 -print_final_stats=1
    "-artifact_prefix=fuzz/artifacts/$target/"
  )
  case "$target" in
    parse_check) flags+=(-dict=fuzz/dict/vakt.dict) ;;
    jsonl | evaluate) flags+=(-dict=fuzz/dict/events.dict) ;;
  esac

  echo "== $target: ${seconds}s" >&2
  if ! cargo fuzz run "${build[@]}" "$target" \
    "fuzz/work/$target" "fuzz/corpus/$target" -- "${flags[@]}" \
    >"fuzz/logs/$target.log" 2>&1; then
    failed+=("$target")
    tail -n 40 "fuzz/logs/$target.log" >&2
  fi
  grep -E '^(stat::|#[0-9]+ *DONE)' "fuzz/logs/$target.log" >&2 || true
done

passed=$((${#targets[@]} - ${#failed[@]}))
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (see fuzz/artifacts/)" >&2
  echo "fuzz: $passed passed, ${#failed[@]} failed"
  exit 1
fi
echo "fuzz: $passed passed, 0 failed"

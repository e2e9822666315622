#!/usr/bin/env bash
# Fuzzes every decoder of sensor bytes and the sync engine with libFuzzer
# (cargo-fuzz, nightly), each target for FUZZ_SECONDS (default 20), starting
# from the committed corpora in fuzz/corpus/<target>. Fails on a crash; the
# crashing input is left in fuzz/artifacts/<target>/ for a regression test.
#
#   FUZZ_SECONDS=60 tests/fuzz.sh            # every target
#   tests/fuzz.sh sync_engine record         # some targets
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/fuzz"
seconds=${FUZZ_SECONDS:-20}

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  # A scratch copy: new inputs found on this run do not grow the repository.
  scratch=$(mktemp -d)
  cp -r "corpus/$target/." "$scratch/"
  log=$(mktemp)
  if ! cargo +nightly fuzz run "$target" "$scratch" -- \
      -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz: $target FAILED (input in fuzz/artifacts/$target/)" >&2
    rm -rf "$scratch" "$log"
    exit 1
  fi
  runs=$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  echo "fuzz: $target ok, $runs executions in ${seconds} s"
  rm -rf "$scratch" "$log"
done

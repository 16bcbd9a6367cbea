#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (ASan + UBSan, `fuzz` preset) and runs the front-end
# fuzzer for N seconds (default 60). Exits non-zero when it finds a crash, leak, timeout or
# out-of-memory; the input that did it is saved under build/fuzz/artifacts/.
#
#   scripts/fuzz.sh [SECONDS]      FUZZ_JOBS=N limits build parallelism (default: all cores);
#                                  FUZZ_READER_SECONDS=N the package, data-set and compile-cache
#                                  fuzzers (20 each)
#
# Steps: build fuzz_frontend; replay fuzz/regressions/ and the big generated seeds (too big for
# the fuzzer's -max_len) once; then fuzz, starting from fuzz/corpus/ and fuzz/regressions/, with
# new inputs kept in fuzz/corpus-run/ (ignored by git) for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
build=build/fuzz
artifacts="$build/artifacts/"
say() { echo "fuzz.sh: $*"; }

for tool in clang++-14 cmake ninja; do
  command -v "$tool" >/dev/null || { say "$tool not found: run scripts/setup.sh first"; exit 2; }
done

say "configuring $build (clang++-14, ASan + UBSan + libFuzzer)"
cmake --preset fuzz -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
say "building fuzz_frontend"
cmake --build --preset fuzz --target fuzz_frontend ${FUZZ_JOBS:+-j"$FUZZ_JOBS"}
fuzzer="$build/fuzz/fuzz_frontend"
mkdir -p fuzz/corpus-run "$artifacts"

# Big seeds: written at run time, not committed (make_seeds.py needs python3).
big="$build/seeds-big"
replay=(fuzz/regressions/*)
if command -v python3 >/dev/null; then
  python3 fuzz/make_seeds.py big "$big"
  replay+=("$big"/*)
else
  say "python3 not found: skipping the generated big seeds"
fi
replay=($(for f in "${replay[@]}"; do [ -f "$f" ] && [ "${f##*/}" != README.md ] && echo "$f"; done))
if [ ${#replay[@]} -gt 0 ]; then
  say "replaying ${#replay[@]} regression and big inputs"
  "$fuzzer" -timeout=60 -rss_limit_mb=4096 -artifact_prefix="$artifacts" "${replay[@]}" ||
    { say "FAILED while replaying (artifacts in $artifacts)"; exit 1; }
fi

say "fuzzing for ${seconds}s (corpus: fuzz/corpus-run fuzz/corpus fuzz/regressions)"
status=0
"$fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=25 -rss_limit_mb=2560 \
  -dict=fuzz/tri.dict -print_final_stats=1 -artifact_prefix="$artifacts" \
  fuzz/corpus-run fuzz/corpus fuzz/regressions || status=$?
if [ "$status" -ne 0 ]; then
  say "FAILED (exit $status): the input is in $artifacts; reproduce with $fuzzer FILE," \
    "minimize with $fuzzer -minimize_crash=1 -runs=10000 FILE, then add it to fuzz/regressions/"
  exit 1
fi
say "ok: no crash in ${seconds}s"

# The file readers: packages (seeds: the damaged-package corpus) and data sets (IDX, JPEG, tar,
# CIFAR binary), FUZZ_READER_SECONDS each (default 20; 0 skips them).
reader_seconds="${FUZZ_READER_SECONDS:-20}"
if [ "$reader_seconds" -gt 0 ]; then
  for target in fuzz_package:triton/format/testdata/damaged fuzz_data:fuzz/data-seeds \
    fuzz_cache:fuzz/cache-seeds; do
    name="${target%%:*}" seeds="${target#*:}"
    say "building $name"
    cmake --build --preset fuzz --target "$name" ${FUZZ_JOBS:+-j"$FUZZ_JOBS"}
    run_dir="$build/corpus-$name"
    mkdir -p "$run_dir"
    say "fuzzing $name for ${reader_seconds}s (seeds: $seeds)"
    "$build/fuzz/$name" -max_total_time="$reader_seconds" -max_len=65536 -timeout=25 \
      -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$artifacts" "$run_dir" "$seeds" ||
      { say "FAILED: $name (the input is in $artifacts)"; exit 1; }
  done
  say "ok: the file readers survived ${reader_seconds}s each"
fi

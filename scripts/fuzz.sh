#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs the front-end fuzzer for N seconds (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
CXX=clang++-14 cmake --preset fuzz -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
cmake --build --preset fuzz --target fuzz_frontend
mkdir -p fuzz/corpus-run
./build/fuzz/fuzz/fuzz_frontend -max_total_time="$seconds" -max_len=65536 -timeout=10 \
  -rss_limit_mb=2048 fuzz/corpus-run fuzz/corpus

#!/usr/bin/env bash
# Runs `triton bench perf` for every zoo model (`triton bench all --steps perf`: the batch sizes
# per model are in triton/cli/bench_all_cmd.cc) and the ternary convolution microbenchmarks, into
# bench/results/, then regenerates docs/benchmarks/ (`triton bench report`).
#   bench/run_perf.sh [--quick]      (--quick: fewer runs, for a smoke check)
# Every engine alternates in one process on identical inputs (spec/benchmarks.md). Needs the
# release build (scripts/setup.sh release). Takes about 30 minutes on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
triton=build/release/triton/cli/triton
bench_tconv=build/release/triton/kernels/tconv/bench_tconv
out=bench/results
mkdir -p "$out"
iters=1000 min_time=10 warmup=100
[ "${1:-}" = "--quick" ] && iters=100 min_time=2 warmup=10
threads=${TRITON_NUM_THREADS:-$(nproc)}

"$triton" bench all --out "$out" --steps perf --threads "$threads" --iters "$iters" \
  --min-time "$min_time" --warmup "$warmup"

# Its console output (with the measured clock and vpdpbusd ceiling) goes to bench_tconv.txt.
"$bench_tconv" --benchmark_filter='threads:1' --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_out="$out/bench_tconv.json" \
  --benchmark_out_format=json > "$out/bench_tconv.txt"
"$triton" bench report "$out" --out docs/benchmarks

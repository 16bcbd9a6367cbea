#!/usr/bin/env bash
# Runs `triton bench perf` for the models and batches of docs/benchmarks/performance.md, and the
# ternary convolution microbenchmarks, into bench/results/, then regenerates the page.
#   bench/run_perf.sh [--quick]      (--quick: fewer runs, for a smoke check; ~3 minutes)
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

run() {  # model batches
  echo "== $1 batch $2" >&2
  "$triton" bench perf --model "$1" --batch "$2" --threads "$threads" --iters "$iters" \
    --min-time "$min_time" --warmup "$warmup" --json "$out/perf_$1.json"
}
run resnet18 1,8,32
run resnet18_cifar 1,8,32
run mnist_mlp 1,32
run resnet50 1,8
run mobilenet_v2 1,8
run efficientnet_b0 1,8
run vgg16 1

# Its console output (with the measured clock and vpdpbusd ceiling) goes to bench_tconv.txt.
"$bench_tconv" --benchmark_filter='threads:1' --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_out="$out/bench_tconv.json" \
  --benchmark_out_format=json > "$out/bench_tconv.txt"
python3 bench/perf_report.py "$out"/perf_*.json --kernels "$out/bench_tconv.json" \
  --command "bench/run_perf.sh${1:+ $1}"

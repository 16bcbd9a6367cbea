#!/usr/bin/env bash
# The main job: installs dependencies, builds, compiles every model of the zoo from DSL source to
# verified IR (printing parameters, MACs and compile time of each), then prints the per-layer
# summary of one model (default resnet18; pass another zoo name as $1), its packages, a run on the
# CPU engine and `triton bench perf` against libtorch FP32.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release triton
triton=./build/release/triton/cli/triton
model="${1:-resnet18}"

printf '%-16s %-28s %14s %14s %16s %10s\n' model file parameters ternary "MACs/sample" "compile"
for file in models/*.tri; do
  for m in $(sed -n 's/^model \([A-Za-z_0-9]*\) *=.*/\1/p' "$file"); do
    json=$("$triton" compile "$file" --model "$m" --emit=summary --json --timing --no-cache)
    field() { echo "$json" | grep -m1 -E "^ {2,4}\"$1\":" | sed 's/.*: *\([0-9.]*\).*/\1/'; }
    printf '%-16s %-28s %14s %14s %16s %8.2f ms\n' "$m" "$file" "$(field parameters)" \
      "$(field ternary_parameters)" "$(field macs)" "$(field total_ms)"
  done
done
echo
file=$(grep -l "^model $model *=" models/*.tri | head -1)
"$triton" compile "$file" --model "$model" --emit=summary --timing --no-cache

# The package path: FP32 package with seeded (untrained) weights, ternarized two ways, inspected
# and run by the reference runtime. Sizes are measured on the files just written.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo
echo "== packages: $model"
"$triton" compile "$file" --model "$model" -o "$work/fp32.tnn" --no-cache
"$triton" quantize "$work/fp32.tnn" -o "$work/2bit.tnn" --method twn --format 2bit
"$triton" quantize "$work/fp32.tnn" -o "$work/base3.tnn" --method twn --format base3
for p in fp32 2bit base3; do
  printf '%-6s ' "$p"
  "$triton" info "$work/$p.tnn" | tail -1
done
echo
echo "== CPU engine: resnet20_cifar (ternary, random input), then its per-step profile"
"$triton" compile models/resnet_cifar.tri --model resnet20_cifar -o "$work/r20.tnn" --no-cache
"$triton" quantize "$work/r20.tnn" -o "$work/r20t.tnn" --method twn >/dev/null
"$triton" run "$work/r20t.tnn" --random --top 3 --profile 200
echo
# Speed and memory against libtorch FP32, measured side by side in this run (seeded, untrained
# weights: speed does not depend on their values).
echo "== triton bench perf: ResNet-18 at 224 px and 32 px, batch 1"
for m in resnet18 resnet18_cifar; do
  "$triton" bench perf --model "$m" --batch 1 --iters 300 --min-time 3 --warmup 20 --quiet
  echo
done

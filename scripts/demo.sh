#!/usr/bin/env bash
# The main job, end to end on a fresh machine: installs dependencies and builds (scripts/setup.sh),
# then, every number measured in this run:
#   1. compiles every zoo model from DSL source (parameters, MACs, compile time);
#   2. trains mnist_mlp on Fashion-MNIST (Debian's dataset-fashion-mnist) twice with the same
#      recipe: the FP32 baseline and the ternary (TWN, quantization-aware) model, each exported
#      to a .tnn package whose accuracy the runtime measures;
#   3. re-evaluates both packages with `triton eval` and times them against libtorch FP32 with
#      `triton bench perf` (mnist_mlp and the ternary ResNet-18 at 32 px);
#   4. prints a summary: accuracy FP32 vs ternary, file size ratio, speed ratio vs libtorch FP32.
# Usage: scripts/demo.sh [EPOCHS (default 5)]. About 2 minutes after the build on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release triton
triton=./build/release/triton/cli/triton
epochs="${1:-5}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== 1. the zoo: DSL source -> verified IR (-O2)"
printf '%-16s %-22s %14s %14s %16s %10s\n' model file parameters ternary "MACs/sample" "compile"
for file in models/*.tri; do
  for m in $(sed -n 's/^model \([A-Za-z_0-9]*\) *=.*/\1/p' "$file"); do
    json=$("$triton" compile "$file" --model "$m" --emit=summary --json --timing --no-cache)
    field() { echo "$json" | grep -m1 -E "^ {2,4}\"$1\":" | sed 's/.*: *\([0-9.]*\).*/\1/'; }
    printf '%-16s %-22s %14s %14s %16s %8.2f ms\n' "$m" "$file" "$(field parameters)" \
      "$(field ternary_parameters)" "$(field macs)" "$(field total_ms)"
  done
done
echo
"$triton" compile models/mnist_mlp.tri --emit=summary --no-cache

echo
echo "== 2. training mnist_mlp on Fashion-MNIST, $epochs epochs each (seed 0)"
for method in none twn; do
  label=$([[ $method == none ]] && echo "FP32 baseline" || echo "ternary (TWN QAT)")
  echo "-- $label"
  "$triton" train --model mnist_mlp --data fashion-mnist --epochs "$epochs" --method "$method" \
    --out "$work/$method" --json > "$work/$method.json"
done

echo
echo "== 3. the packages re-measured by the runtime, and timed against libtorch FP32"
fp32_pkg=$work/none/model_fp32.tnn
tern_pkg=$work/twn/model_ternary.tnn
"$triton" eval "$fp32_pkg" --data fashion-mnist --json > "$work/eval_fp32.json"
"$triton" eval "$tern_pkg" --data fashion-mnist --json > "$work/eval_tern.json"
"$triton" eval "$tern_pkg" --data fashion-mnist > "$work/eval_tern.txt"
head -n 2 "$work/eval_tern.txt"
"$triton" bench perf --model mnist_mlp --batch 1 --iters 2000 --min-time 3 --quiet \
  --json "$work/perf_mlp.json" > /dev/null
"$triton" bench perf --model resnet18_cifar --batch 1 --iters 300 --min-time 3 --warmup 20 \
  --quiet --json "$work/perf_r18.json"

echo
echo "== 4. summary (measured in this run)"
python3 - "$work" <<'EOF'
import json, os, sys
w = sys.argv[1]
load = lambda name: json.load(open(os.path.join(w, name)))
fp32, tern = load("eval_fp32.json")["top1"], load("eval_tern.json")["top1"]
fp32_size = os.path.getsize(os.path.join(w, "none", "model_fp32.tnn"))
tern_size = os.path.getsize(os.path.join(w, "twn", "model_ternary.tnn"))
def speedup(name):
    recs = {r["engine"]: r for r in load(name)["records"] if r["batch"] == 1}
    return recs["libtorch-fp32"]["median_ms"] / recs["triton-ternary"]["median_ms"], recs
s_mlp, mlp = speedup("perf_mlp.json")
s_r18, r18 = speedup("perf_r18.json")
print(f"mnist_mlp on Fashion-MNIST (10,000 test images, triton eval):")
print(f"  accuracy   FP32 {100 * fp32:.2f} %   ternary {100 * tern:.2f} %   "
      f"(gap {100 * (fp32 - tern):+.2f} points)")
print(f"  file size  FP32 {fp32_size / 1e6:.2f} MB   ternary {tern_size / 1e6:.2f} MB   "
      f"({fp32_size / tern_size:.2f}x smaller; only fc2 is ternary, fc1 and fc3 stay FP32)")
print(f"  speed      libtorch FP32 {1000 * mlp['libtorch-fp32']['median_ms']:.1f} us, "
      f"Triton ternary {1000 * mlp['triton-ternary']['median_ms']:.1f} us per image "
      f"({s_mlp:.2f}x, batch 1, median)")
print(f"resnet18_cifar (99.9 % ternary weights, seeded): {s_r18:.2f}x faster than libtorch FP32 "
      f"at batch 1 ({r18['libtorch-fp32']['median_ms']:.2f} ms vs "
      f"{r18['triton-ternary']['median_ms']:.2f} ms); packages: `triton zoo list`")
EOF

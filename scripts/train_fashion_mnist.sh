#!/usr/bin/env bash
# Trains mnist_mlp on Fashion-MNIST twice with the same recipe -- ternary (quantization-aware,
# the model's own TWN hidden layer) and the FP32 baseline (--method none: no ternarization while
# training) -- then re-measures both exported packages with `triton eval` and prints the gap.
#
#   scripts/train_fashion_mnist.sh [TRITON_BINARY] [OUT_DIR] [EPOCHS]
#
# Needs Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist). Every number it prints
# comes from `triton eval` on the CPU engine (int8 activations), as docs/training.md reports.
set -euo pipefail
triton=${1:-build/release/triton/cli/triton}
out=${2:-train_runs/fashion_mnist}
epochs=${3:-10}
threads=${THREADS:-2}
mkdir -p "$out"

for run in ternary fp32; do
  method=()
  [[ $run == fp32 ]] && method=(--method none)
  if [[ ! -f $out/$run/model_ternary.tnn ]]; then
    "$triton" train --model mnist_mlp --data fashion-mnist --epochs "$epochs" --seed 0 \
      --threads "$threads" "${method[@]}" --out "$out/$run" --resume --json >"$out/$run.json"
  fi
done

ternary=$("$triton" eval "$out/ternary/model_ternary.tnn" --data fashion-mnist \
  --threads "$threads" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["top1"])')
fp32=$("$triton" eval "$out/fp32/model_fp32.tnn" --data fashion-mnist --threads "$threads" \
  --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["top1"])')
python3 - "$ternary" "$fp32" <<'PY'
import sys
t, f = (100 * float(x) for x in sys.argv[1:])
print(f"mnist_mlp on Fashion-MNIST (test, triton eval): ternary {t:.2f} %, FP32 {f:.2f} %, "
      f"gap {f - t:+.2f} points")
PY

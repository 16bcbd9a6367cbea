#!/usr/bin/env bash
# QAT of a zoo model on a CUDA machine with `triton train --device cuda` (docs/training.md "On a
# GPU"): the triton binary must be built against the libtorch of a PyTorch wheel of the same
# version as the machine's python3 torch (scripts/build_cuda.sh), since Debian's libtorch has no
# CUDA. The machine's torch supplies libtorch and the CUDA libraries at run time.
#
# Usage: scripts/train_gpu.sh BUNDLE DATA OUT MODEL BUDGET_S [triton train options...]
#   BUNDLE   a folder with bin/triton and lib/ (the shared libraries triton needs besides torch's,
#            from scripts/build_cuda.sh), or a .tar.xz of one
#   DATA     the data set spec (cifar10:PATH, ...)
#   OUT      where the run's log, CSV, packages and train.json go
#   MODEL    zoo model name
#   BUDGET_S training seconds: a two-epoch probe measures the speed (its second epoch: the first
#            carries CUDA and cuDNN start-up), and the run gets as many epochs as fit (the
#            schedule needs the epoch count up front), at most 200
# The rest goes to `triton train` (--batch, --lr, ...) for the probe and the run alike.
set -euo pipefail
[[ $# -ge 5 ]] || { sed -n 2,16p "$0"; exit 2; }
bundle=$1 data=$2 out=$3 model=$4 budget=$5
shift 5
work=$(mktemp -d /tmp/triton-gpu.XXXXXX)
if [[ -f $bundle ]]; then
  tar -xJf "$bundle" -C "$work"
  bundle=$work/bundle
fi
torch_dir=$(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__))')
nv_libs=$(find "$(dirname "$torch_dir")/nvidia" -maxdepth 3 -type d -name lib 2>/dev/null |
  paste -sd: -)
export LD_LIBRARY_PATH="$torch_dir/lib:${nv_libs}:$bundle/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export TRITON_DATA_DIR=${TRITON_DATA_DIR:-$work/data}  # a decoded cache may be shared
triton=$bundle/bin/triton
mkdir -p "$out"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$out/gpu.txt"
python3 -c 'import torch; print("machine torch", torch.__version__)'
if ldd "$triton" | grep "not found"; then echo "train_gpu.sh: missing libraries (above)" >&2; fi

echo "== probe: two epochs to measure the speed"
"$triton" train --model "$model" --data "$data" --device cuda --epochs 200 --stop-after 2 \
  --no-export --out "$work/probe" "$@"
epoch_s=$(python3 -c "import json; print(json.load(open('$work/probe/log.json'))['epochs'][1]['seconds'])")
epochs=$(python3 -c "print(max(1, min(200, int($budget / ($epoch_s * 1.03)))))")
echo "== probe epoch: ${epoch_s} s; training ${epochs} epochs in a budget of ${budget} s"

# --no-export-eval: the packages are measured afterwards with `triton eval` (on the lent H100
# machine the runtime's CPU evaluation of ResNet-18 took minutes and once outran the call's limit).
"$triton" train --model "$model" --data "$data" --device cuda --epochs "$epochs" \
  --out "$work/run" --json --no-export-eval "$@" > "$out/train.json"
cp "$work/run/log.json" "$work/run/log.csv" "$work/run/model_fp32.tnn" "$work/run/model_ternary.tnn" \
  "$out/"
python3 - "$out/train.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
e = r["epochs"][-1]
print(f"epochs {len(r['epochs'])}, {r['seconds']:.0f} s; libtorch test acc "
      f"{100*e['test_acc']:.2f} %; measure and record it with: triton eval model_ternary.tnn --record")
EOF

#!/usr/bin/env bash
# Fashion-MNIST, FP32 against ternary per quantizer, for mnist_mlp and mnist_cnn (the accuracy
# table of docs/benchmarks/quantization_accuracy.md): one `triton train --json` per (model,
# method) into OUT/<model>_<method>/, its result in train.json, which `triton bench accuracy
# --runs OUT` collects. Methods: none (FP32 baseline, same recipe), twn, threshold, stochastic,
# learned (TTQ), absmean, each on every ternary layer of the model; stochastic with
# --bn-recal 100. A run whose train.json exists is skipped, so an interrupted sweep continues
# where it stopped.
#
# Usage: scripts/train_quantizers.sh TRITON OUT [MLP_EPOCHS (10)] [CNN_EPOCHS (5)] [THREADS (1)]
# Needs Debian's dataset-fashion-mnist (scripts/setup.sh installs it).
set -euo pipefail
[[ $# -ge 2 ]] || { sed -n 2,10p "$0"; exit 2; }
triton=$1 out=$2 mlp_epochs=${3:-10} cnn_epochs=${4:-5} threads=${5:-1}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}  # shares the CPU well with other jobs
mkdir -p "$out"
for model in mnist_mlp mnist_cnn; do
  epochs=$mlp_epochs
  [[ $model == mnist_cnn ]] && epochs=$cnn_epochs
  for method in none twn threshold stochastic learned absmean; do
    dir=$out/${model}_${method}
    if [[ -s $dir/train.json ]]; then
      echo "== $model $method: done earlier ($dir/train.json)"
      continue
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    echo "== $model $method: $epochs epochs"
    # stochastic trains on random codes and deploys TWN's: its batch norms are re-estimated with
    # the deployed codes (docs/training.md, --bn-recal).
    extra=()
    [[ $method == stochastic ]] && extra=(--bn-recal 100)
    "$triton" train --model "$model" --data fashion-mnist --method "$method" --epochs "$epochs" \
      --threads "$threads" "${extra[@]}" --out "$dir" --json > "$dir/train.json.part" \
      2> "$dir/train.log"
    mv "$dir/train.json.part" "$dir/train.json"
    tail -n 3 "$dir/train.log" | grep -v '^$' || true
  done
done
python3 - "$out" <<'EOF'
import json, pathlib, sys
print(f"{'model':<10} {'method':<11} {'runtime top-1':>13} {'libtorch':>9} {'seconds':>8}")
for f in sorted(pathlib.Path(sys.argv[1]).glob("*/train.json")):
    r = json.loads(f.read_text())
    method = f.parent.name.split("_", 2)[2]
    acc = r["fp32_acc"] if method == "none" else r["ternary_acc"]
    print(f"{r['model']:<10} {method:<11} {100 * acc:12.2f}% {100 * r['torch_test_acc']:8.2f}% "
          f"{r['seconds']:8.0f}")
EOF

#!/usr/bin/env bash
# The main job: installs dependencies, builds, compiles every model of the zoo from DSL source to
# verified IR (printing parameters, MACs and compile time of each), then prints the per-layer
# summary of one model (default resnet18; pass another zoo name as $1).
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

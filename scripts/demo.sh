#!/usr/bin/env bash
# The main job: installs dependencies, builds, and compiles a zoo model to verified IR, printing
# its per-layer summary and the time of every compiler stage.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release
model="${1:-resnet18}"
./build/release/triton/cli/triton compile "models/zoo.tri" --model "$model" --emit=summary --timing

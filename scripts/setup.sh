#!/usr/bin/env bash
# Installs every Debian package Triton needs (idempotent, non-interactive) and builds a preset.
# Usage: scripts/setup.sh [preset [target...]]   (default: release, every target)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
shift || true
targets=()
for t in "$@"; do targets+=(--target "$t"); done

packages=(
  build-essential cmake ninja-build pkg-config clang-14 libclang-rt-14-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev libfmt-dev
  libxxhash-dev libmimalloc-dev clang-format-14
  libtorch-dev libopenblas0 libopenblas-dev
  libjpeg-dev zlib1g-dev dataset-fashion-mnist
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake --preset "$preset" >/dev/null
echo "setup: building preset $preset ${*:-(all targets)}"
cmake --build --preset "$preset" "${targets[@]}"

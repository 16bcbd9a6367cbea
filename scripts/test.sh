#!/usr/bin/env bash
# Installs dependencies, builds the release preset and runs the whole test suite through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release
ctest --preset release -j"$(nproc)" "$@"

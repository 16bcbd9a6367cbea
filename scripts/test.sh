#!/usr/bin/env bash
# Installs dependencies, builds the release preset and runs the whole test suite through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release
# Tests run side by side (-j) and several use 2 threads: with OpenMP's default spin-waiting, a
# thread that waits at a barrier burns the core its partner needs, and each parallel region can
# stall for a scheduler time slice (measured: ~10 ms on a shared 2-core VM). Passive waiting
# keeps the suite fast; benchmarks leave the default (libtorch and Triton share libgomp).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"
ctest --preset release -j"$(nproc)" "$@"

#!/usr/bin/env bash
# Builds `triton` and its libtorch helper `triton-torch` against the libtorch inside a PyTorch
# wheel (which has CUDA; Debian's libtorch has not) and packs them, with the shared libraries they
# need besides torch's and CUDA's, into a bundle that scripts/train_gpu.sh runs on a CUDA machine
# whose python3 has the same torch version.
# Needs nvcc and the CUDA libraries here (to configure and link), not a GPU. docs/training.md.
#
# Usage: scripts/build_cuda.sh [TORCH_VERSION (default 2.11.0)] [BUNDLE.tar.xz]
# Env: TRITON_WHEEL_DIR (default ~/.cache/triton/wheels) keeps the ~530 MB wheel and its unpacked
# libtorch between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ver=${1:-2.11.0}
bundle_out=${2:-.devcarry/triton-cuda.tar.xz}
wheels=${TRITON_WHEEL_DIR:-$HOME/.cache/triton/wheels}
unpacked=$wheels/torch-$ver
mkdir -p "$wheels"
if [[ ! -f $unpacked/torch/share/cmake/Torch/TorchConfig.cmake ]]; then
  echo "== downloading torch $ver (no dependencies) into $wheels"
  python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
    --implementation cp --platform manylinux_2_28_x86_64 -d "$wheels" "torch==$ver"
  mkdir -p "$unpacked"
  unzip -q -o "$wheels"/torch-"$ver"-*.whl 'torch/include/*' 'torch/lib/*' 'torch/share/*' \
    -d "$unpacked"
fi
# The wheel's prefix first, so that its Torch and Caffe2 configs and libraries win over Debian's;
# an explicit arch list skips the configure-time GPU probe (there is no GPU here).
cmake -S . -B build/cuda -G Ninja -DCMAKE_BUILD_TYPE=Release -DTRITON_BUILD_TESTS=OFF \
  -DTORCH_CUDA_ARCH_LIST=9.0 "-DCMAKE_PREFIX_PATH=$unpacked/torch;$unpacked/torch/share/cmake"
cmake --build build/cuda --target triton -j"$(nproc)"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bundle/bin" "$stage/bundle/lib"
# `triton` and its helper `triton-torch`, which runs `train` and `bench perf` (the commands that
# need libtorch; triton/cli/torch_helper.h) and must stay beside it.
strip -o "$stage/bundle/bin/triton" build/cuda/triton/cli/triton
strip -o "$stage/bundle/bin/triton-torch" build/cuda/triton/cli/triton-torch
# Every resolved library except torch's, CUDA's and the C/C++ runtime's (the machine has those).
ldd build/cuda/triton/cli/triton build/cuda/triton/cli/triton-torch | awk '$3 ~ /^\// {print $3}' | sort -u |
  grep -Ev '/torch/lib/|/cuda[^/]*/|/lib(cu|nv|nccl)[^/]*$|/(libc|libm|libstdc\+\+|libgcc_s|libpthread|libdl|librt|libutil|ld-linux[^/]*)\.so' |
  while read -r lib; do cp -L "$lib" "$stage/bundle/lib/"; done
# OpenBLAS is loaded by its soname on first use (triton/kernels/fconv/blas.h), so ldd does not
# list it: bundle it under that name, with the libraries it needs.
blas=$(ldconfig -p | awk '$1 == "libopenblas.so.0" {print $NF; exit}')
[[ -n $blas ]] || { echo "build_cuda.sh: libopenblas.so.0 not found (install libopenblas0)" >&2; exit 1; }
cp -L "$blas" "$stage/bundle/lib/libopenblas.so.0"
ldd "$blas" | awk '$3 ~ /^\// {print $3}' |
  grep -Ev '/(libc|libm|libstdc\+\+|libgcc_s|libpthread|libdl|librt|ld-linux[^/]*)\.so' |
  while read -r lib; do cp -L "$lib" "$stage/bundle/lib/"; done
mkdir -p "$(dirname "$bundle_out")"
tar -C "$stage" -cJf "$bundle_out" bundle
echo "== $bundle_out: $(du -h "$bundle_out" | cut -f1) ($(ls "$stage/bundle/lib" | tr '\n' ' '))"

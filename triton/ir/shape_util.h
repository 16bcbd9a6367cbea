#pragma once
// Dimension arithmetic shared by the shape rules (shape.cc), the reference evaluator and the
// kernels, so that every stage computes output sizes with the same PyTorch formulas.
#include <cstdint>
#include <optional>
#include <vector>

#include "triton/ir/type.h"

namespace triton::ir {

// True when two dims may be equal at run time: both static and equal, or either not static.
bool DimsCompatible(const Dim& a, const Dim& b);
// The more informative of two compatible dims: static beats symbolic beats unknown; of two
// different symbols, the first.
Dim UnifyDims(const Dim& a, const Dim& b);

// NumPy broadcasting of two shapes, right-aligned. Static 1 yields to the other dim, equal dims
// stay, a static non-1 dim wins over a symbolic or unknown one (it must be that size or 1 at run
// time), and two different non-static dims give unknown. Nullopt when two static sizes differ
// and neither is 1; *conflict (if given) then holds the offending pair (a's dim first).
std::optional<std::vector<Dim>> BroadcastDims(const std::vector<Dim>& a, const std::vector<Dim>& b,
                                              std::pair<int64_t, int64_t>* conflict = nullptr);

// PyTorch's convolution output size: floor((in + 2*pad - dilation*(kernel-1) - 1) / stride) + 1.
// May be < 1 (the caller reports it); nullopt only if the result does not fit in int64.
std::optional<int64_t> ConvOutputSize(int64_t in, int64_t kernel, int64_t stride, int64_t pad,
                                      int64_t dilation);
// PyTorch's pooling output size (pooling_output_shape): as ConvOutputSize, but with ceil_mode the
// division rounds up and the last window must start inside the input or its left padding.
std::optional<int64_t> PoolOutputSize(int64_t in, int64_t kernel, int64_t stride, int64_t pad,
                                      int64_t dilation, bool ceil_mode);

}  // namespace triton::ir

#pragma once
// Shared by the libtorch agreement tests: seeded random tensors and Agree(), which runs one op
// through the reference evaluator and through libtorch (torch_ops.h) and compares them.
//
// Error measure: max |evaluator - libtorch| / max |libtorch| over the result (absolute when the
// result is all zeros); NaN must meet NaN. The bound is 1e-5 (kTolerance): the zoo models must
// agree within 1e-4 end to end, so single ops are held ten times tighter. The largest error seen
// per op is printed when the test binary exits.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "triton/ir/eval.h"
#include "triton/ir/test_util.h"
#include "triton/train/torch_ops.h"

namespace triton::torch_ops::testing {

using ir::DType;
using ir::HostTensor;
using ir::testing::A;
using ir::testing::Ints;
using K = ir::OpKind;

inline constexpr double kTolerance = 1e-5;

// SplitMix64: the same numbers on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  double Uniform(double lo, double hi);  // [lo, hi)
  double Normal();                       // N(0, 1), Box-Muller

 private:
  uint64_t state_;
};

// A float32 tensor with the given values.
HostTensor Fixed(std::vector<int64_t> shape, std::vector<float> data);
HostTensor Uniform(Rng& rng, std::vector<int64_t> shape, double lo = -1, double hi = 1,
                   DType dtype = DType::kFloat32);
HostTensor Normal(Rng& rng, std::vector<int64_t> shape, double stddev = 1);
// Integers uniform in [lo, hi].
HostTensor RandomInts(Rng& rng, std::vector<int64_t> shape, int lo, int hi, DType dtype);
// Random codes with scales: one per dim-0 channel (per_channel) or one for all; `ttq` draws
// different positive and negative scales.
HostTensor RandomTrits(Rng& rng, std::vector<int64_t> shape, bool per_channel = true,
                       bool ttq = false);

// Runs op `k` on `inputs` in both implementations, checks dtype, shape and values within `tol`
// (see above) and records the error under the op's mnemonic. Returns the relative error.
double Agree(K k, const std::vector<HostTensor>& inputs, const ir::Attrs& attrs = {},
             double tol = kTolerance);

}  // namespace triton::torch_ops::testing

#pragma once
// Test-only helpers for the pass tests and tests/opt_levels: seeded random inputs and parameters
// for a module, and the error measure that compares optimized outputs with unoptimized ones.
//
// Parameters get values by the role the module gives them (the first op that reads them decides):
// batch_norm / fused batch-norm running variances U(0.5, 2) (positive, as trained ones are),
// means N(0, 0.1^2), gammas U(0.5, 1.5), betas and biases N(0, 0.1^2); other tensors of rank >= 2
// N(0, 1/fan_in) (fan_in = elements per dim-0 slice), so deep networks stay finite; ternary
// parameters random codes in {-1, 0, 1} with one scale per output channel U(0.5, 1.5)/sqrt(fan_in).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "triton/ir/eval.h"
#include "triton/ir/fused.h"
#include "triton/ir/module.h"

namespace triton::ir::passes::testing {

enum class Role { kWeight, kGamma, kBeta, kMean, kVar };

inline std::vector<Role> ParamRoles(const Module& m) {
  std::vector<Role> by_value(m.values.size(), Role::kWeight);
  std::vector<bool> seen(m.values.size(), false);
  auto set = [&](ValueId v, Role r) {
    if (!seen[static_cast<size_t>(v)]) by_value[static_cast<size_t>(v)] = r;
    seen[static_cast<size_t>(v)] = true;
  };
  for (const Op& op : m.ops) {
    int bn = -1, bias = -1;
    if (op.kind == OpKind::kBatchNorm) bn = 1;
    if (IsFusedDense(op.kind)) {
      const FusedLayout l = GetFusedLayout(op.attrs);
      bn = l.bn, bias = l.bias;
    }
    if ((op.kind == OpKind::kConv2d || op.kind == OpKind::kLinear) && op.operands.size() == 3) {
      bias = 2;
    }
    if (bn >= 0) {
      const Role roles[] = {Role::kGamma, Role::kBeta, Role::kMean, Role::kVar};
      for (int k = 0; k < 4; ++k) set(op.operands[static_cast<size_t>(bn + k)], roles[k]);
    }
    if (bias >= 0) set(op.operands[static_cast<size_t>(bias)], Role::kBeta);
    for (ValueId v : op.operands) set(v, Role::kWeight);
  }
  std::vector<Role> out;
  for (const Param& p : m.params) out.push_back(by_value[static_cast<size_t>(p.value)]);
  return out;
}

// A tensor of `type` with every symbolic or unknown dim taken as `batch`.
inline HostTensor Shaped(const TensorType& type, int64_t batch) {
  HostTensor t;
  t.dtype = type.dtype;
  for (const Dim& d : type.dims) t.shape.push_back(d.is_static() ? d.size : batch);
  t.data.assign(static_cast<size_t>(t.num_elements()), 0.0f);
  return t;
}

inline std::vector<HostTensor> RandomParams(const Module& m, uint64_t seed, int64_t batch = 1) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const std::vector<Role> roles = ParamRoles(m);
  std::vector<HostTensor> out;
  for (size_t i = 0; i < m.params.size(); ++i) {
    HostTensor t = Shaped(m.type(m.params[i].value), batch);
    const int64_t fan_in = t.shape.empty() || t.shape[0] == 0
                               ? 1
                               : std::max<int64_t>(1, t.num_elements() / t.shape[0]);
    const float stddev = static_cast<float>(1.0 / std::sqrt(static_cast<double>(fan_in)));
    for (float& v : t.data) {
      if (t.dtype == DType::kTrit) {
        v = static_cast<float>(static_cast<int>(uniform(rng) * 3.0) - 1);
        continue;
      }
      switch (roles[i]) {
        case Role::kVar:
          v = static_cast<float>(0.5 + 1.5 * uniform(rng));
          break;
        case Role::kGamma:
          v = static_cast<float>(0.5 + uniform(rng));
          break;
        case Role::kMean:
        case Role::kBeta:
          v = static_cast<float>(0.1 * normal(rng));
          break;
        case Role::kWeight:
          v = t.shape.size() >= 2 ? static_cast<float>(normal(rng)) * stddev
                                  : static_cast<float>(0.1 * normal(rng));
          break;
      }
      if (IsInteger(t.dtype)) v = std::round(v);
    }
    if (t.dtype == DType::kTrit) {
      const int64_t channels = t.shape.empty() ? 1 : t.shape[0];
      for (int64_t c = 0; c < channels; ++c) {
        t.scale_pos.push_back(static_cast<float>((0.5 + uniform(rng)) * stddev));
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

// N(0, 1) inputs with symbolic dims taken as `batch`: integer inputs rounded, float16/bfloat16
// ones rounded to multiples of 1/32 in [-4, 4] (exact in both formats).
inline std::vector<HostTensor> RandomInputs(const Module& m, uint64_t seed, int64_t batch = 1) {
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ull);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<HostTensor> out;
  for (ValueId in : m.inputs) {
    HostTensor t = Shaped(m.type(in), batch);
    for (float& v : t.data) {
      v = static_cast<float>(normal(rng));
      if (t.dtype == DType::kTrit) {
        v = std::clamp(std::round(v), -1.0f, 1.0f);
      } else if (IsInteger(t.dtype)) {
        v = std::round(v);
      } else if (t.dtype == DType::kFloat16 || t.dtype == DType::kBFloat16) {
        v = std::clamp(std::round(v * 32.0f) / 32.0f, -4.0f, 4.0f);  // exact in both formats
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

// max |a - b| / max |b| over all elements (0 when both are all zero); +inf on a shape mismatch or
// a non-finite value on one side only. `b` is the reference.
inline double MaxRelativeError(const HostTensor& a, const HostTensor& b) {
  if (a.shape != b.shape || a.dtype != b.dtype) return HUGE_VAL;
  const std::vector<float> av = Dequantized(a), bv = Dequantized(b);
  double diff = 0, scale = 0;
  for (size_t i = 0; i < av.size(); ++i) {
    if (std::isfinite(av[i]) != std::isfinite(bv[i])) return HUGE_VAL;
    if (!std::isfinite(bv[i])) continue;
    diff = std::max(diff, std::fabs(static_cast<double>(av[i]) - bv[i]));
    scale = std::max(scale, std::fabs(static_cast<double>(bv[i])));
  }
  if (diff == 0) return 0;
  return scale == 0 ? HUGE_VAL : diff / scale;
}

}  // namespace triton::ir::passes::testing

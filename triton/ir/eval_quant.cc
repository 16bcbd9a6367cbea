// Reference quantization and conversion ops. The ternary rules are implemented here, not called
// from triton/quant (the IR sits below it); they are the rules of docs/quantization.md, and
// tests/torch checks them against triton::quant::Ternarize.
#include <fmt/format.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

#include "triton/ir/eval_internal.h"

namespace triton::ir::eval_internal {
namespace {

// The largest and smallest value of an integer dtype.
void IntRange(DType t, double* lo, double* hi) {
  switch (DTypeBits(t)) {
    case 8:
      *lo = -128, *hi = 127;
      return;
    case 16:
      *lo = -32768, *hi = 32767;
      return;
    case 32:
      *lo = -2147483648.0, *hi = 2147483647.0;
      return;
    default:
      *lo = -9223372036854775808.0, *hi = 9223372036854775807.0;
      return;
  }
}

// Round to nearest, ties to even, as torch.round and cvtps2dq (exact for |v| < 2^23).
float RoundHalfEven(float v) {
  const float r = std::round(v);
  return std::fabs(v - r) == 0.5f ? 2.0f * std::round(v * 0.5f) : r;
}

}  // namespace

// float -> integer: NaN -> 0, truncation toward zero, saturation at the type's range (C's
// conversion, with saturation where C leaves out-of-range values undefined); integer -> integer
// wraps (two's complement, as C++20 and PyTorch); -> bool: v != 0; -> float: rounded to the
// format. A trit source arrives as its code (integer targets) or code * scale (float targets).
float CastValue(DType from, DType to, double v) {
  if (IsInteger(to) && to != DType::kTrit && IsFloat(from)) {
    if (std::isnan(v)) return 0;
    double lo = 0, hi = 0;
    IntRange(to, &lo, &hi);
    return static_cast<float>(std::clamp(std::trunc(v), lo, hi));
  }
  return StoreAs(to, v);
}

// ternary_quantize(w; method, threshold = f, per_channel): groups are the slices along dim 0
// (per_channel, rank >= 1) or the whole tensor. Per group, with sums in double:
//   twn:       delta = f * mean|w|; t = sign(w) where |w| > delta; scale = mean |w| over t != 0.
//   threshold: delta = f * max|w|;  t and scale as twn.
//   absmean:   gamma = mean|w| (BitNet b1.58); t = round-clip(w / max(gamma, 1e-5)) to [-1, 1]
//              with ties to even (|q| = 0.5 gives 0); scale = gamma.
//   stochastic, learned: as twn. At evaluation time there is no random draw and no trained
//              Wp/Wn: the evaluator gives the deterministic TWN ternarization (the training
//              library and the .tnn package carry the trained or sampled trits and scales).
// A group without nonzero trits has scale 0 (it reads back as exact zeros). Weights must be
// finite. scale_neg = scale_pos.
Status EvalTernaryQuantize(const Op& op, const Ins& in, HostTensor& out) {
  const std::string method = op.attrs.GetString("method", "twn");
  const double factor = op.attrs.GetFloat("threshold", 0.7);
  const bool per_channel = op.attrs.GetBool("per_channel", true);
  const HostTensor& x = *in[0];
  for (size_t i = 0; i < x.data.size(); ++i) {
    if (!std::isfinite(x.data[i])) {
      return OpError(op.kind,
                     fmt::format("element {} is {}; weights must be finite", i, x.data[i]));
    }
  }
  const int64_t n = x.num_elements();
  const int64_t groups = per_channel && !x.shape.empty() ? x.shape[0] : 1;
  const int64_t size = groups == 0 ? 0 : n / groups;
  out.scale_pos.assign(static_cast<size_t>(std::max<int64_t>(groups, 1)), 0.0f);
  out.scale_axis = 0;
  for (int64_t g = 0; g < groups; ++g) {
    const float* w = x.data.data() + g * size;
    float* t = out.data.data() + g * size;
    double sum = 0, mx = 0;
    for (int64_t i = 0; i < size; ++i) {
      sum += std::fabs(static_cast<double>(w[i]));
      mx = std::max(mx, std::fabs(static_cast<double>(w[i])));
    }
    const double mean = size == 0 ? 0.0 : sum / static_cast<double>(size);
    float scale = 0;
    if (method == "absmean") {
      const auto gamma = static_cast<float>(mean);
      const float d = std::max(gamma, 1e-5f);
      for (int64_t i = 0; i < size; ++i) {
        const float q = w[i] / d;
        t[i] = q > 0.5f ? 1.0f : (q < -0.5f ? -1.0f : 0.0f);
      }
      scale = gamma;
    } else {
      const double delta = factor * (method == "threshold" ? mx : mean);
      double kept = 0;
      int64_t count = 0;
      for (int64_t i = 0; i < size; ++i) {
        const double v = w[i];
        t[i] = v > delta ? 1.0f : (v < -delta ? -1.0f : 0.0f);
        if (t[i] != 0) kept += std::fabs(v), ++count;
      }
      scale = count == 0 ? 0.0f : static_cast<float>(kept / static_cast<double>(count));
    }
    bool any = false;
    for (int64_t i = 0; i < size && !any; ++i) any = t[i] != 0;
    out.scale_pos[static_cast<size_t>(g)] = any ? scale : 0.0f;
  }
  out.scale_neg = out.scale_pos;
  return Status();
}

// dequantize(x) -> float32: a trit gives code * its scales; an int8 result of quantize_int8
// gives q * its scale; other tensors their values. dequantize(x, scale): x's raw elements (a
// trit's codes: the operand replaces its own scales) times the scale: one value, or one per
// slice along `axis` (default 0).
Status EvalDequantize(const Op& op, const Ins& in, HostTensor& out) {
  const HostTensor& x = *in[0];
  if (in.size() == 1) {
    if (x.dtype == DType::kTrit || x.scale_pos.empty()) {
      const std::vector<float> v = Dequantized(x);
      for (size_t i = 0; i < v.size(); ++i) out.data[i] = StoreAs(out.dtype, v[i]);
      return Status();
    }
    for (size_t i = 0; i < x.data.size(); ++i) {
      float sp = 1, sn = 1;
      ElementScales(x, static_cast<int64_t>(i), &sp, &sn);
      out.data[i] = StoreAs(out.dtype, static_cast<double>(x.data[i]) * sp);
    }
    return Status();
  }
  const std::vector<float> s = Dequantized(*in[1]);
  int64_t axis = op.attrs.GetInt("axis", 0);
  if (axis < 0) axis += static_cast<int64_t>(x.shape.size());
  const bool one = s.size() == 1;
  const int64_t inner = one ? 1 : Product(x.shape, static_cast<size_t>(axis) + 1);
  const auto channels = static_cast<int64_t>(s.size());
  for (size_t i = 0; i < x.data.size(); ++i) {
    const size_t c = one ? 0 : static_cast<size_t>((static_cast<int64_t>(i) / inner) % channels);
    out.data[i] = StoreAs(out.dtype, static_cast<double>(x.data[i]) * s[c]);
  }
  return Status();
}

// quantize_int8: per-tensor absmax, symmetric (docs/quantization.md, "Activations"):
// scale = max|x| / 127 over the finite elements (1 for an all-zero tensor; at least FLT_MIN),
// q = clamp(round_half_even(x / scale), -127, 127), NaN -> 0. The result holds the codes q; its
// scale is not part of the IR type, so it rides along as scale_pos[0] (dequantize undoes it).
Status EvalQuantizeInt8(const Op&, const Ins& in, HostTensor& out) {
  const HostTensor& x = *in[0];
  float max_value = 0;
  for (float v : x.data) {
    if (std::isfinite(v)) max_value = std::max(max_value, std::fabs(v));
  }
  const float scale = max_value == 0 ? 1.0f : std::max(max_value / 127.0f, FLT_MIN);
  for (size_t i = 0; i < x.data.size(); ++i) {
    const float v = x.data[i] / scale;
    out.data[i] = std::isnan(v) ? 0.0f : RoundHalfEven(std::clamp(v, -127.0f, 127.0f));
  }
  out.scale_pos = {scale};
  return Status();
}

// cast(dtype): element-wise CastValue. trit -> trit keeps codes and scales; an int8 -> int8 cast
// keeps a quantize_int8 scale.
Status EvalCast(const Op& op, const Ins& in, HostTensor& out) {
  const HostTensor& x = *in[0];
  if (x.dtype == out.dtype) return EvalIdentity(op, in, out);
  const Values v(x, ReadsCodes(out.dtype));
  for (size_t i = 0; i < out.data.size(); ++i) {
    out.data[i] = CastValue(x.dtype, out.dtype, v[static_cast<int64_t>(i)]);
  }
  return Status();
}

}  // namespace triton::ir::eval_internal

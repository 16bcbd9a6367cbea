// int8 activation quantization; the scheme is written in docs/quantization.md ("Activations").
// Rounding is to nearest, ties to even: the rule of cvtps2dq under the default MXCSR and of
// torch.round, so SIMD kernels and the training code can match this reference bit for bit.
#include "triton/quant/int8.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "triton/base/check.h"

namespace triton::quant {
namespace {

// The magnitude a value contributes to a scale: |x| (signed) or max(x, 0) (unsigned, after
// ReLU). Non-finite values contribute nothing: one Inf must not flatten a whole tensor to 0.
inline bool Magnitude(float x, bool is_unsigned, float* m) {
  if (!std::isfinite(x)) return false;
  *m = is_unsigned ? std::max(x, 0.0f) : std::fabs(x);
  return true;
}

// max_value / qmax, or 1.0 when max_value is 0. Never below FLT_MIN, so 1/scale is finite.
float ScaleFor(float max_value, bool is_unsigned) {
  if (max_value == 0) return 1.0f;
  const float s = max_value / (is_unsigned ? 255.0f : 127.0f);
  return std::max(s, std::numeric_limits<float>::min());
}

void CheckScale(float scale) {
  TRITON_CHECK_MSG(std::isfinite(scale) && scale > 0, "int8 quantization scale must be > 0");
}

// Round to nearest, ties to even, independent of the floating-point environment. Exact for
// |v| < 2^23 (v - round(v) is then exact); callers clamp to a few hundred first.
inline float RoundHalfEven(float v) {
  const float r = std::round(v);  // ties away from zero
  return std::fabs(v - r) == 0.5f ? 2.0f * std::round(v * 0.5f) : r;
}

// round(x / scale) clamped to [lo, hi]; NaN maps to 0, +-Inf to the bounds.
inline int32_t QuantizeOne(float x, float scale, float lo, float hi) {
  const float v = x / scale;
  if (std::isnan(v)) return 0;
  return static_cast<int32_t>(RoundHalfEven(std::clamp(v, lo, hi)));
}

}  // namespace

float AbsmaxScale(std::span<const float> x, bool is_unsigned) {
  float max_value = 0;
  for (float v : x) {
    float m;
    if (Magnitude(v, is_unsigned, &m)) max_value = std::max(max_value, m);
  }
  return ScaleFor(max_value, is_unsigned);
}

float PercentileScale(std::span<const float> calibration, double percentile, bool is_unsigned) {
  TRITON_CHECK_MSG(percentile > 0 && percentile <= 100, "percentile must be in (0, 100]");
  std::vector<float> a;
  a.reserve(calibration.size());
  for (float v : calibration) {
    float m;
    if (Magnitude(v, is_unsigned, &m)) a.push_back(m);
  }
  if (a.empty()) return 1.0f;
  // Nearest rank: the r-th smallest with r = ceil(P / 100 * n), clamped to [1, n]. A product
  // within 1e-9 (relative) above an integer counts as that integer, so that a decimal P such as
  // 99.99, inexact in binary, does not move the rank up by one.
  const double n = static_cast<double>(a.size());
  const double x = percentile * n / 100.0;
  double r = std::ceil(x);
  if (r - 1 >= x * (1 - 1e-9)) r -= 1;
  const auto rank = static_cast<size_t>(std::clamp(r, 1.0, n));
  std::nth_element(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(rank - 1), a.end());
  return ScaleFor(a[rank - 1], is_unsigned);
}

void QuantizeS8(std::span<const float> x, float scale, std::span<int8_t> out) {
  CheckScale(scale);
  TRITON_CHECK_MSG(out.size() == x.size(), "QuantizeS8: output size differs from input size");
  for (size_t i = 0; i < x.size(); ++i) {
    out[i] = static_cast<int8_t>(QuantizeOne(x[i], scale, -127.0f, 127.0f));
  }
}

void QuantizeU8(std::span<const float> x, float scale, std::span<uint8_t> out) {
  CheckScale(scale);
  TRITON_CHECK_MSG(out.size() == x.size(), "QuantizeU8: output size differs from input size");
  for (size_t i = 0; i < x.size(); ++i) {
    out[i] = static_cast<uint8_t>(QuantizeOne(x[i], scale, 0.0f, 255.0f));
  }
}

void DequantizeS8(std::span<const int8_t> q, float scale, std::span<float> out) {
  TRITON_CHECK_MSG(out.size() == q.size(), "DequantizeS8: output size differs from input size");
  for (size_t i = 0; i < q.size(); ++i) out[i] = static_cast<float>(q[i]) * scale;
}

void DequantizeU8(std::span<const uint8_t> q, float scale, std::span<float> out) {
  TRITON_CHECK_MSG(out.size() == q.size(), "DequantizeU8: output size differs from input size");
  for (size_t i = 0; i < q.size(); ++i) out[i] = static_cast<float>(q[i]) * scale;
}

}  // namespace triton::quant

#pragma once
// int8 activation quantization (symmetric, per tensor): q = clamp(round(x / scale), -127, 127)
// (or 0..255 for unsigned after ReLU), x ~ q * scale. round() is to nearest, ties to even (as
// cvtps2dq and torch.round). Details and reasons: docs/quantization.md, "Activations".
#include <cstdint>
#include <span>

namespace triton::quant {

// Dynamic scale: max|x| / 127 (unsigned: max(x) / 255); 1.0 for an all-zero input.
// Non-finite values are skipped (they saturate when quantized); an empty input gives 1.0. The
// result is finite and >= FLT_MIN, so 1 / scale is finite.
float AbsmaxScale(std::span<const float> x, bool is_unsigned = false);
// Calibrated scale: the `percentile` (e.g. 99.99) of |x| over a calibration set / 127 (or / 255).
// Nearest rank over the finite values: the r-th smallest |x| (unsigned: max(x, 0)) with
// r = ceil(percentile / 100 * n) clamped to [1, n]; 100 gives AbsmaxScale. O(n) time and a copy
// of the input. Precondition: 0 < percentile <= 100 (checked; validate user input first).
float PercentileScale(std::span<const float> calibration, double percentile,
                      bool is_unsigned = false);
// Preconditions (checked): scale finite and > 0, out.size() == x.size(). NaN quantizes to 0,
// +-Inf and out-of-range values saturate.
void QuantizeS8(std::span<const float> x, float scale, std::span<int8_t> out);
void QuantizeU8(std::span<const float> x, float scale, std::span<uint8_t> out);
void DequantizeS8(std::span<const int8_t> q, float scale, std::span<float> out);
void DequantizeU8(std::span<const uint8_t> q, float scale, std::span<float> out);

}  // namespace triton::quant

#pragma once
// Ternarization of FP32 weights: W ~ scale * T with T in {-1, 0, +1}. Methods and their sources
// are written in docs/quantization.md. "Per channel" means one scale (or one pair for learned/TTQ)
// per output channel, i.e. per index of dim 0 over the remaining dims; "per tensor" one for all.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "triton/base/status.h"

namespace triton::quant {

enum class Method { kTwn, kThreshold, kStochastic, kLearned, kAbsmean };

const char* MethodName(Method m);                     // "twn", "threshold", ...
Result<Method> ParseMethod(const std::string& name);  // error lists the valid names

// The published threshold factor of each method: 0.7 for kTwn (TWN), 0.05 for kLearned and
// kThreshold (TTQ's t; both use threshold = t * max|W|), 0 for methods without a threshold.
double DefaultThresholdFactor(Method m);

// kAbsmean divides by max(mean|W|, kAbsmeanEpsilon), as BitNet b1.58's released training code
// does, so that an all-zero group does not divide by zero (docs/quantization.md).
inline constexpr float kAbsmeanEpsilon = 1e-5f;

struct TernaryOptions {
  Method method = Method::kTwn;
  bool per_channel = true;
  // kTwn: threshold = factor * mean|W| (TWN's 0.7). kThreshold: threshold = factor * max|W|
  // (fixed threshold relative to the range). kLearned: initial threshold factor * max|W| (TTQ's
  // t = 0.05). Ignored by kAbsmean and kStochastic. The default suits kTwn only: callers choosing
  // another method pass DefaultThresholdFactor(method) or their own value. A weight becomes
  // sign(w) when |w| > threshold, else 0. Must be finite and >= 0 when used.
  double threshold_factor = 0.7;
  // When in [0, 1]: search the threshold per group (channel or tensor) so that this fraction of
  // the weights becomes 0 (overrides threshold_factor; an error for kAbsmean/kStochastic).
  // Negative (the default): no search. NaN or > 1: an error.
  double target_sparsity = -1;
  uint64_t seed = 0;  // kStochastic only: results are a pure function of (weights, seed)
};

// Ternary weights: codes and scales. Value of element i of channel c:
//   t > 0: scale_pos[c] * t;  t < 0: scale_neg[c] * t  (scale_neg == scale_pos unless learned).
struct TernaryTensor {
  std::vector<int64_t> shape;
  std::vector<int8_t> trits;     // -1, 0, +1, row-major
  std::vector<float> scale_pos;  // one per channel (dim 0) or one per tensor
  std::vector<float> scale_neg;  // same length as scale_pos
  bool per_channel() const { return scale_pos.size() > 1 || (!shape.empty() && shape[0] == 1); }
};

struct TernaryReport {
  double sparsity = 0;        // fraction of zero trits (0 for an empty W)
  double relative_error = 0;  // ||W - deq(T)||_2 / ||W||_2 (0 for an all-zero or empty W)
  double mean_scale = 0;      // mean of the 2C values scale_pos[c], scale_neg[c] (0 if C = 0)
};

// Ternarizes `w` of the given shape (rank >= 1; per channel groups by dim 0). Fails only on a
// shape that does not match w.size(), invalid options, or a NaN/Inf weight (the message names its
// index). Every group, including an empty or all-zero one, gets a scale; a group without
// nonzero trits has scale 0 (kLearned: a side without trits has scale 0), so it dequantizes to
// exact zeros.
Result<TernaryTensor> Ternarize(std::span<const float> w, const std::vector<int64_t>& shape,
                                const TernaryOptions& options, TernaryReport* report = nullptr);

// Back to FP32: scale * trit per element. Checks that the trit count matches the shape and that
// there is one scale pair, or one per channel.
std::vector<float> Dequantize(const TernaryTensor& t);

// The report of `t` as an approximation of `w` (same element count; checked). Ternarize fills
// its report with this; call it again after the scales change (e.g. TTQ training).
TernaryReport Measure(std::span<const float> w, const TernaryTensor& t);

}  // namespace triton::quant

#include "triton/kernels/common/epilogue.h"

#include <algorithm>
#include <numbers>

#include "triton/kernels/common/fast_math.h"

namespace triton::kernels {
namespace {

double Clamp(double v, double lo, double hi) {
  if (std::isnan(v)) return v;
  return std::min(std::max(v, lo), hi);
}

}  // namespace

bool ParseAct(std::string_view name, Act* out) {
  static constexpr std::pair<std::string_view, Act> kNames[] = {{"none", Act::kNone},
                                                                {"relu", Act::kRelu},
                                                                {"relu6", Act::kRelu6},
                                                                {"sigmoid", Act::kSigmoid},
                                                                {"silu", Act::kSilu},
                                                                {"hardswish", Act::kHardswish},
                                                                {"hardsigmoid", Act::kHardsigmoid},
                                                                {"gelu", Act::kGelu},
                                                                {"tanh", Act::kTanh}};
  for (const auto& [n, a] : kNames) {
    if (n == name) {
      *out = a;
      return true;
    }
  }
  return false;
}

// The formulas of ir/eval_elementwise.cc (PyTorch's, in double, rounded once to float), except
// sigmoid and SiLU: the float definitions of fast_math.h, which the SIMD epilogues reproduce bit
// for bit (within kFastMathMaxUlp of the double formulas).
float ApplyAct(Act act, float y) {
  const double v = y;
  switch (act) {
    case Act::kNone:
      return y;
    case Act::kRelu:
      return std::isnan(y) ? y : std::max(y, 0.0f);
    case Act::kRelu6:
      return static_cast<float>(Clamp(v, 0, 6));
    case Act::kSigmoid:
      return FastSigmoid(y);
    case Act::kSilu:
      return FastSilu(y);
    case Act::kHardswish:
      return static_cast<float>(v * Clamp(v + 3, 0, 6) / 6);
    case Act::kHardsigmoid:
      return static_cast<float>(Clamp(v + 3, 0, 6) / 6);
    case Act::kGelu:
      return static_cast<float>(0.5 * v * (1.0 + std::erf(v * (1.0 / std::numbers::sqrt2))));
    case Act::kTanh:
      return static_cast<float>(std::tanh(v));
  }
  return y;
}

}  // namespace triton::kernels

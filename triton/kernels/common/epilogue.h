#pragma once
// The fused epilogue shared by every dense kernel family (ternary int8 and FP32), applied per
// output element (pixel p, channel c) to the dense result v (FP32, or an int32 accumulator
// converted to float exactly), in this order, each step one float operation:
//   y = fma(v, mul[c], add[c])      (mul == nullptr: y = v + add[c]; add == nullptr: 0)
//   y = y + residual[p * residual_stride + c]   (residual != nullptr)
//   y = act(y)
// so that a SIMD kernel (vfmadd, vaddps, vmaxps/vminps) and the scalar reference produce
// bit-identical floats. SIMD ReLU must keep NaN and -0.0 as std::max(y, 0) does: use
// max_ps(zero, y) (MAXPS returns its second operand on NaN and on equal values). mul carries the
// scale product (activation scale x channel scale x folded batch-norm factor), add the folded bias
// (docs/compiler.md, "Batch-norm folding").
#include <cmath>
#include <cstdint>
#include <string_view>

namespace triton::kernels {

// Activations a kernel epilogue can apply. kRelu/kRelu6 have SIMD forms in every ISA, and so do
// kSigmoid/kSilu (the float definitions of fast_math.h, SIMD forms in fast_math_simd_inl.h); the
// others are applied by the scalar ApplyAct (std:: math in double) -- any kernel may do so after
// its vector part.
enum class Act : uint8_t {
  kNone,
  kRelu,
  kRelu6,
  kSigmoid,
  kSilu,
  kHardswish,
  kHardsigmoid,
  kGelu,
  kTanh
};

// "relu" -> kRelu (the IR's activation attribute names); false for an unknown name.
bool ParseAct(std::string_view name, Act* out);

// The reference activation: the IR reference evaluator's double formula (ir/eval_elementwise.cc)
// rounded to float, except kSigmoid/kSilu = FastSigmoid/FastSilu (fast_math.h; within a few ulp
// of the double formulas).
float ApplyAct(Act act, float y);

struct Epilogue {
  const float* mul = nullptr;       // [out_c] or nullptr (1)
  const float* add = nullptr;       // [out_c] or nullptr (0)
  const float* residual = nullptr;  // nullptr, or indexed [p * residual_stride + c]
  int64_t residual_stride = 0;      // elements between pixels of the residual (usually out_c)
  Act act = Act::kNone;
};

// The scalar definition of the epilogue for one element.
inline float EpilogueScalar(const Epilogue& e, int64_t p, int64_t c, float v) {
  float y = e.mul ? std::fma(v, e.mul[c], e.add ? e.add[c] : 0.0f) : v + (e.add ? e.add[c] : 0.0f);
  if (e.residual) y = y + e.residual[p * e.residual_stride + c];
  return ApplyAct(e.act, y);
}

}  // namespace triton::kernels

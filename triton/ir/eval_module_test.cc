// Hand-computed cases for the reference evaluator: pooling, layout ops, reductions, quantization
// and conversion, operand validation, and whole-module evaluation.
#include <cmath>
#include <limits>

#include "triton/ir/builder.h"
#include "triton/ir/eval_test_util.h"
#include "triton/ir/test_modules.h"

namespace triton::ir::testing {
namespace {

using K = OpKind;
const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

Attrs Pool(Ints kernel, Ints stride, Ints padding, bool ceil_mode = false) {
  return A(
      {{"kernel", kernel}, {"stride", stride}, {"padding", padding}, {"ceil_mode", ceil_mode}});
}

// ---------------------------------------------------------------- pooling

TEST(EvalPool, MaxPoolPaddingAndCeilMode) {
  const HostTensor x = Iota({1, 1, 4, 4});
  ExpectTensor(RunOk(K::kMaxPool2d, {x}, A({{"kernel", Ints{2, 2}}})), {1, 1, 2, 2},
               {5, 7, 13, 15});
  ExpectTensor(RunOk(K::kMaxPool2d, {x}, Pool({3, 3}, {2, 2}, {1, 1})), {1, 1, 2, 2},
               {5, 7, 13, 15});
  const HostTensor y = Iota({1, 1, 5, 5});
  ExpectTensor(RunOk(K::kMaxPool2d, {y}, Pool({2, 2}, {2, 2}, {0, 0})), {1, 1, 2, 2},
               {6, 8, 16, 18});
  ExpectTensor(RunOk(K::kMaxPool2d, {y}, Pool({2, 2}, {2, 2}, {0, 0}, true)), {1, 1, 3, 3},
               {6, 8, 9, 16, 18, 19, 21, 23, 24});
  // Padding never wins, even over negative values.
  const HostTensor neg = Tensor({1, 1, 2, 2}, {-1, -2, -3, -4});
  ExpectTensor(RunOk(K::kMaxPool2d, {neg}, Pool({2, 2}, {1, 1}, {1, 1})), {1, 1, 3, 3},
               {-1, -1, -2, -1, -1, -2, -3, -3, -4});
  ExpectTensor(
      RunOk(K::kMaxPool2d, {Tensor({1, 1, 1, 2}, {1, kNaN})}, Pool({1, 2}, {1, 2}, {0, 0})),
      {1, 1, 1, 1}, {kNaN});
}

TEST(EvalPool, MaxPoolOfTritsKeepsCodesAndScales) {
  const HostTensor t = Trits({2, 1, 1, 2}, {1, -1, -1, 0}, {0.5, 2});
  const HostTensor out = RunOk(K::kMaxPool2d, {t}, A({{"kernel", Ints{1, 2}}}));
  EXPECT_EQ(out.dtype, DType::kTrit);
  EXPECT_EQ(out.data, (std::vector<float>{1, 0}));
  EXPECT_EQ(Dequantized(out), (std::vector<float>{0.5, 0}));
}

TEST(EvalPool, AvgPoolCountsPaddingButClipsCeilWindows) {
  const HostTensor ones = Tensor({1, 1, 2, 2}, {1, 1, 1, 1});
  ExpectTensor(RunOk(K::kAvgPool2d, {ones}, Pool({2, 2}, {1, 1}, {1, 1})), {1, 1, 3, 3},
               {0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25});
  // ceil_mode without padding: the last window [4, 6) is clipped to the input, divisor 2 x 2 ->
  // 1 x 2, so every output of a ones input stays 1.
  const HostTensor y = Tensor({1, 1, 5, 5}, std::vector<float>(25, 1.0f));
  ExpectTensor(RunOk(K::kAvgPool2d, {y}, Pool({2, 2}, {2, 2}, {0, 0}, true)), {1, 1, 3, 3},
               std::vector<float>(9, 1.0f));
  // ceil_mode with padding 1 on 6: windows [-1, 2), [1, 4), [3, 6), [5, 8) -> divisors 3, 3, 3
  // and 2 (clipped at 6 + 1), holding 2, 3, 3 and 1 input rows.
  const HostTensor z = Tensor({1, 1, 6, 6}, std::vector<float>(36, 1.0f));
  const float r[4] = {2.0f / 3, 1, 1, 0.5f};
  std::vector<float> want;
  for (float a : r) {
    for (float b : r) want.push_back(a * b);
  }
  ExpectTensor(RunOk(K::kAvgPool2d, {z}, Pool({3, 3}, {2, 2}, {1, 1}, true)), {1, 1, 4, 4}, want);
  const HostTensor q = RunOk(K::kAvgPool2d, {Tensor({1, 1, 1, 2}, {1, 2}, DType::kInt8)},
                             A({{"kernel", Ints{1, 2}}}));
  EXPECT_EQ(q.dtype, DType::kFloat32);
  ExpectTensor(q, {1, 1, 1, 1}, {1.5});
}

TEST(EvalPool, GlobalAndAdaptive) {
  ExpectTensor(RunOk(K::kGlobalAvgPool2d, {Iota({1, 2, 2, 2})}), {1, 2, 1, 1}, {1.5, 5.5});
  const HostTensor x = Tensor({1, 1, 1, 5}, {1, 2, 3, 4, 5});
  ExpectTensor(RunOk(K::kAdaptiveAvgPool2d, {x}, A({{"output_size", Ints{1, 3}}})), {1, 1, 1, 3},
               {1.5, 3, 4.5});
  // Upsampling 3 -> 5: windows [0,1) [0,2) [1,2) [1,3) [2,3).
  ExpectTensor(RunOk(K::kAdaptiveAvgPool2d, {Tensor({1, 1, 3, 1}, {0, 2, 4})},
                     A({{"output_size", Ints{5, 1}}})),
               {1, 1, 5, 1}, {0, 1, 2, 3, 4});
  ExpectTensor(RunOk(K::kAdaptiveAvgPool2d, {Iota({1, 1, 4, 4})}, A({{"output_size", Ints{2, 2}}})),
               {1, 1, 2, 2}, {2.5, 4.5, 10.5, 12.5});
}

// ---------------------------------------------------------------- layout

TEST(EvalLayout, FlattenReshapeTransposePermute) {
  const HostTensor x = Iota({2, 3, 2});
  ExpectTensor(RunOk(K::kFlatten, {x}), {2, 6}, x.data);
  ExpectTensor(RunOk(K::kFlatten, {x}, A({{"start_dim", int64_t{0}}})), {12}, x.data);
  ExpectTensor(RunOk(K::kReshape, {x}, A({{"shape", Ints{-1, 3}}})), {4, 3}, x.data);
  ExpectTensor(
      RunOk(K::kTranspose, {Iota({2, 3})}, A({{"dim0", int64_t{0}}, {"dim1", int64_t{-1}}})),
      {3, 2}, {0, 3, 1, 4, 2, 5});
  const HostTensor p = RunOk(K::kPermute, {Iota({2, 3, 4})}, A({{"dims", Ints{2, 0, -2}}}));
  std::vector<float> want;
  for (int k = 0; k < 4; ++k) {
    for (int i = 0; i < 2; ++i) {
      for (int j = 0; j < 3; ++j) want.push_back(static_cast<float>(12 * i + 4 * j + k));
    }
  }
  ExpectTensor(p, {4, 2, 3}, want);
  EXPECT_EQ(RunErr(K::kReshape, {x}, A({{"shape", Ints{5, -1}}})),
            "cannot reshape Tensor<float32, [2, 3, 2]> (12 elements) to [5, -1]");
}

TEST(EvalLayout, ConcatMixedTypes) {
  ExpectTensor(RunOk(K::kConcat, {Tensor({2, 1}, {1, 2}), Tensor({2, 2}, {3, 4, 5, 6})},
                     A({{"axis", int64_t{1}}})),
               {2, 3}, {1, 3, 4, 2, 5, 6});
  ExpectTensor(RunOk(K::kConcat, {Iota({1, 2}), Iota({2, 2}, 1, 5), Iota({1, 2}, -1)}), {4, 2},
               {0, 1, 5, 6, 7, 8, 0, -1});
  // trit with int8 concatenates codes as int8.
  const HostTensor r =
      RunOk(K::kConcat, {Trits({2}, {1, -1}, {0.5}), Tensor({1}, {7}, DType::kInt8)});
  EXPECT_EQ(r.dtype, DType::kInt8);
  ExpectTensor(r, {3}, {1, -1, 7});
}

TEST(EvalLayout, TritScalesFollowTheirElements) {
  const HostTensor w = Trits({2, 3}, {1, 0, -1, -1, 1, 0}, {0.5, 2});
  // Transpose moves the per-channel axis to dim 1.
  const HostTensor t = RunOk(K::kTranspose, {w}, A({{"dim0", int64_t{0}}, {"dim1", int64_t{1}}}));
  EXPECT_EQ(t.dtype, DType::kTrit);
  EXPECT_EQ(t.scale_axis, 1);
  EXPECT_EQ(Dequantized(t), (std::vector<float>{0.5, -2, 0, 2, -0.5, 0}));
  // Concat along dim 0 concatenates the channels' scales.
  const HostTensor v = Trits({1, 3}, {1, 1, 1}, {4});
  const HostTensor c = RunOk(K::kConcat, {w, v});
  EXPECT_EQ(Dequantized(c), (std::vector<float>{0.5, 0, -0.5, -2, 2, 0, 4, 4, 4}));
  EXPECT_EQ(c.scale_pos, (std::vector<float>{0.5, 2, 4}));
  // Along dim 1 the slices of either axis would need two scales: an error.
  const std::string e =
      RunErr(K::kConcat, {w, Trits({2, 1}, {1, 1}, {3, 4})}, A({{"axis", int64_t{1}}}));
  EXPECT_NE(e.find("would need different scales"), std::string::npos) << e;
  // Reshape keeping dim 0 keeps the per-channel scales; TTQ pairs survive.
  const HostTensor ttq = Trits({2, 2}, {1, -1, 1, -1}, {1, 2}, {3, 4});
  const HostTensor f = RunOk(K::kReshape, {ttq}, A({{"shape", Ints{2, 2, 1}}}));
  EXPECT_EQ(Dequantized(f), (std::vector<float>{1, -3, 2, -4}));
  EXPECT_EQ(f.scale_neg, (std::vector<float>{3, 4}));
}

TEST(EvalLayout, PadModes) {
  const HostTensor x = Iota({1, 4});
  ExpectTensor(RunOk(K::kPad, {Iota({2, 2})}, A({{"pads", Ints{1, 0}}, {"value", -1.0}})), {2, 3},
               {-1, 0, 1, -1, 2, 3});
  ExpectTensor(RunOk(K::kPad, {Iota({2, 2})}, A({{"pads", Ints{0, 0, 1, 1}}})), {4, 2},
               {0, 0, 0, 1, 2, 3, 0, 0});
  const auto mode = [](const char* m) {
    return A({{"pads", Ints{2, 1}}, {"mode", std::string(m)}});
  };
  ExpectTensor(RunOk(K::kPad, {x}, mode("reflect")), {1, 7}, {2, 1, 0, 1, 2, 3, 2});
  ExpectTensor(RunOk(K::kPad, {x}, mode("replicate")), {1, 7}, {0, 0, 0, 1, 2, 3, 3});
  ExpectTensor(RunOk(K::kPad, {x}, mode("circular")), {1, 7}, {2, 3, 0, 1, 2, 3, 0});
  ExpectTensor(RunOk(K::kPad, {x}, A({{"pads", Ints{-1, -2}}})), {1, 1}, {1});
  EXPECT_EQ(RunErr(K::kPad, {x}, A({{"pads", Ints{4, 0}}, {"mode", std::string("reflect")}})),
            "pad: reflect padding 4 of dimension 1 (size 4) is too large; reflect needs padding "
            "below the size");
  // int tensors take the value as cast would (truncation toward zero).
  ExpectTensor(
      RunOk(K::kPad, {Tensor({1}, {5}, DType::kInt8)}, A({{"pads", Ints{1, 0}}, {"value", -2.7}})),
      {2}, {-2, 5});
}

TEST(EvalLayout, PadOfTritsTakesACodeValue) {
  const HostTensor t = Trits({2, 1}, {1, -1}, {0.5, 2});
  const HostTensor out = RunOk(K::kPad, {t}, A({{"pads", Ints{1, 0}}, {"value", 1.0}}));
  EXPECT_EQ(out.data, (std::vector<float>{1, 1, 1, -1}));
  EXPECT_EQ(Dequantized(out), (std::vector<float>{0.5, 0.5, 2, -2}));
  // The type rule: a trit pad value must be a trit (fixed in shape_ops.cc).
  EXPECT_SHAPE_ERROR(InferErr(K::kPad, {"trit[2, 1]"}, A({{"pads", Ints{1, 0}}, {"value", 2.0}})),
                     kAttr, -1, "pad value 2 of a trit tensor must be -1, 0 or 1");
  EXPECT_SHAPE_ERROR(InferErr(K::kPad, {"trit[2]"}, A({{"pads", Ints{1, 0}}, {"value", 0.5}})),
                     kAttr, -1, "pad value 0.5 of a trit tensor must be -1, 0 or 1");
  EXPECT_EQ(Infer(K::kPad, {"trit[2]"}, A({{"pads", Ints{1, 0}}, {"value", -1.0}})), "trit[3]");
  EXPECT_EQ(Infer(K::kPad, {"f32[2]"}, A({{"pads", Ints{1, 0}}, {"value", 2.0}})), "f32[3]");
}

// ---------------------------------------------------------------- reductions

TEST(EvalReduce, AxesAndKeepdim) {
  const HostTensor x = Iota({2, 3});
  ExpectTensor(RunOk(K::kSum, {x}, A({{"axes", Ints{1}}})), {2}, {3, 12});
  ExpectTensor(RunOk(K::kSum, {x}, A({{"axes", Ints{1}}, {"keepdim", true}})), {2, 1}, {3, 12});
  ExpectTensor(RunOk(K::kMean, {x}, A({{"axes", Ints{0}}})), {3}, {1.5, 2.5, 3.5});
  ExpectTensor(RunOk(K::kMean, {x}), {}, {2.5});
  ExpectTensor(RunOk(K::kReduceMax, {x}), {}, {5});
  ExpectTensor(RunOk(K::kReduceMin, {x}, A({{"axes", Ints{-1}}, {"keepdim", true}})), {2, 1},
               {0, 3});
  ExpectTensor(RunOk(K::kReduceMax, {Iota({2, 2, 2})}, A({{"axes", Ints{0, 2}}})), {2}, {5, 7});
  ExpectTensor(RunOk(K::kReduceMax, {Tensor({3}, {1, kNaN, 2})}), {}, {kNaN});
  const HostTensor s = RunOk(K::kSum, {Tensor({2}, {100, 100}, DType::kInt8)});
  EXPECT_EQ(s.dtype, DType::kInt64);
  ExpectTensor(s, {}, {200});
}

TEST(EvalReduce, EmptyAndTernary) {
  const HostTensor e = Tensor({2, 0}, {});
  ExpectTensor(RunOk(K::kSum, {e}, A({{"axes", Ints{1}}})), {2}, {0, 0});
  ExpectTensor(RunOk(K::kMean, {e}, A({{"axes", Ints{1}}})), {2}, {kNaN, kNaN});
  EXPECT_EQ(RunErr(K::kReduceMax, {e}, A({{"axes", Ints{1}}})),
            "max: cannot reduce over an empty dimension (the result has no value)");
  // max compares trits by value and keeps the winner's code and scale.
  const HostTensor t = Trits({2, 2}, {1, -1, -1, 0}, {0.5, 2});
  const HostTensor m = RunOk(K::kReduceMax, {t}, A({{"axes", Ints{1}}}));
  EXPECT_EQ(m.dtype, DType::kTrit);
  EXPECT_EQ(Dequantized(m), (std::vector<float>{0.5, 0}));
  ExpectTensor(RunOk(K::kMean, {t}), {}, {(0.5f - 0.5f - 2) / 4});
  ExpectTensor(RunOk(K::kSum, {t}), {}, {-1});  // int64 of codes
}

// ---------------------------------------------------------------- quantization

TEST(EvalQuant, TernaryQuantizeMethods) {
  const HostTensor w = Tensor({2, 4}, {1, -1, 0.1f, 0.2f, 0.5f, 0.5f, -0.5f, 0.05f});
  // TWN per channel: delta = 0.7 * mean|w| = 0.4025 and 0.27125.
  HostTensor q = RunOk(K::kTernaryQuantize, {w});
  EXPECT_EQ(q.dtype, DType::kTrit);
  EXPECT_EQ(q.data, (std::vector<float>{1, -1, 0, 0, 1, 1, -1, 0}));
  ExpectTensor(Tensor({2}, q.scale_pos), {2}, {1, 0.5});
  EXPECT_EQ(q.scale_neg, q.scale_pos);
  // Per tensor: delta = 0.7 * 0.48125; alpha = mean of the five kept |w| = 0.7.
  q = RunOk(K::kTernaryQuantize, {w}, A({{"per_channel", false}}));
  EXPECT_EQ(q.data, (std::vector<float>{1, -1, 0, 0, 1, 1, -1, 0}));
  ExpectTensor(Tensor({1}, q.scale_pos), {1}, {0.7f});
  // threshold: delta = f * max|w| per channel.
  q = RunOk(K::kTernaryQuantize, {w},
            A({{"method", std::string("threshold")}, {"threshold", 0.6}}));
  EXPECT_EQ(q.data, (std::vector<float>{1, -1, 0, 0, 1, 1, -1, 0}));
  ExpectTensor(Tensor({2}, q.scale_pos), {2}, {1, 0.5});
  q = RunOk(K::kTernaryQuantize, {w},
            A({{"method", std::string("threshold")}, {"threshold", 1.0}}));
  EXPECT_EQ(q.data, std::vector<float>(8, 0.0f));
  ExpectTensor(Tensor({2}, q.scale_pos), {2}, {0, 0});  // a channel without trits has scale 0
  // absmean: scale gamma = mean|w|, codes round(w / gamma) clipped.
  q = RunOk(K::kTernaryQuantize, {w}, A({{"method", std::string("absmean")}}));
  EXPECT_EQ(q.data, (std::vector<float>{1, -1, 0, 0, 1, 1, -1, 0}));
  ExpectTensor(Tensor({2}, q.scale_pos), {2}, {0.575f, 0.3875f});
  // stochastic and learned evaluate as TWN.
  const HostTensor twn = RunOk(K::kTernaryQuantize, {w});
  for (const char* m : {"stochastic", "learned"}) {
    q = RunOk(K::kTernaryQuantize, {w}, A({{"method", std::string(m)}}));
    EXPECT_EQ(q.data, twn.data) << m;
    EXPECT_EQ(q.scale_pos, twn.scale_pos) << m;
  }
  q = RunOk(K::kTernaryQuantize, {Tensor({2, 2}, {0, 0, 3, -3})});
  ExpectTensor(Tensor({2}, q.scale_pos), {2}, {0, 3});
  EXPECT_EQ(RunErr(K::kTernaryQuantize, {Tensor({2}, {1, kNaN})}),
            "ternary_quantize: element 1 is nan; weights must be finite");
}

TEST(EvalQuant, SteDequantizeAndInt8) {
  const HostTensor t = Trits({2, 2}, {1, -1, 0, 1}, {0.5, 2}, {0.25, 3});
  const HostTensor s = RunOk(K::kSteQuantize, {t});
  EXPECT_EQ(s.dtype, DType::kTrit);
  EXPECT_EQ(s.scale_neg, t.scale_neg);
  ExpectTensor(RunOk(K::kDequantize, {t}), {2, 2}, {0.5, -0.25, 0, 2});
  // A scale operand replaces the trit's own scales: per slice along axis 1, or one value.
  ExpectTensor(RunOk(K::kDequantize, {t, Tensor({2}, {10, 100})}, A({{"axis", int64_t{1}}})),
               {2, 2}, {10, -100, 0, 100});
  ExpectTensor(RunOk(K::kDequantize, {t, Tensor({}, {4})}), {2, 2}, {4, -4, 0, 4});
  ExpectTensor(RunOk(K::kDequantize, {Tensor({2}, {3, -1}, DType::kInt32)}), {2}, {3, -1});
  // quantize_int8: scale = max|x| / 127 = 1 here; round half to even; NaN -> 0; clamp.
  const HostTensor x = Tensor({6}, {127, 2.5, 3.5, -0.5, kNaN, -kInf});
  const HostTensor q = RunOk(K::kQuantizeInt8, {x});
  EXPECT_EQ(q.dtype, DType::kInt8);
  ExpectTensor(q, {6}, {127, 2, 4, 0, 0, -127}, 0);
  EXPECT_EQ(q.scale_pos, (std::vector<float>{1}));
  const HostTensor y = Tensor({3}, {1, -2, 0.5});
  const HostTensor qy = RunOk(K::kQuantizeInt8, {y});
  ExpectTensor(qy, {3}, {64, -127, 32}, 0);
  ExpectTensor(RunOk(K::kDequantize, {qy}), {3}, {64 * 2.0f / 127, -2, 32 * 2.0f / 127}, 1e-6);
  // The scale follows a layout op, then dequantize undoes it.
  const HostTensor moved = RunOk(K::kReshape, {qy}, A({{"shape", Ints{3, 1}}}));
  EXPECT_EQ(moved.scale_pos, qy.scale_pos);
  EXPECT_EQ(RunOk(K::kQuantizeInt8, {Tensor({2}, {0, 0})}).scale_pos, (std::vector<float>{1}));
}

TEST(EvalQuant, CastSaturatesAndRounds) {
  const HostTensor x = Tensor({5}, {1.7f, -1.7f, 300, -300, kNaN});
  ExpectTensor(RunOk(K::kCast, {x}, A({{"dtype", std::string("int8")}})), {5},
               {1, -1, 127, -128, 0});
  ExpectTensor(RunOk(K::kCast, {Tensor({2}, {300, -129}, DType::kInt16)},
                     A({{"dtype", std::string("int8")}})),
               {2}, {44, 127});  // integer -> integer wraps
  const HostTensor h = RunOk(K::kCast, {Tensor({4}, {1 + 1.0f / 2048, 70000, 1e-8f, 3e-5f})},
                             A({{"dtype", std::string("float16")}}));
  EXPECT_EQ(h.data[0], 1);
  EXPECT_EQ(h.data[1], kInf);
  EXPECT_EQ(h.data[2], 0);
  EXPECT_EQ(h.data[3], static_cast<float>(503 * std::ldexp(1.0, -24)));  // subnormal half
  const HostTensor b = RunOk(K::kCast, {Tensor({2}, {1 + 1.0f / 256, 1 + 3.0f / 256})},
                             A({{"dtype", std::string("bfloat16")}}));
  EXPECT_EQ(b.data, (std::vector<float>{1, 1.015625f}));
  const HostTensor t = Trits({2}, {1, -1}, {0.5});
  ExpectTensor(RunOk(K::kCast, {t}, A({{"dtype", std::string("float32")}})), {2}, {0.5, -0.5});
  ExpectTensor(RunOk(K::kCast, {t}, A({{"dtype", std::string("int8")}})), {2}, {1, -1});
  ExpectTensor(RunOk(K::kCast, {Tensor({3}, {0.5, 0, -2})}, A({{"dtype", std::string("bool")}})),
               {3}, {1, 0, 1});
  EXPECT_EQ(RunErr(K::kCast, {x}, A({{"dtype", std::string("trit")}})),
            "cannot cast Tensor<float32, [5]> to trit: use ternary_quantize");
}

// ---------------------------------------------------------------- validation

TEST(EvalOp, RejectsMalformedOperands) {
  Op op;
  op.kind = K::kRelu;
  EXPECT_EQ(EvalOp(op, {nullptr}).status().message(), "operand 0 of relu is missing");
  EXPECT_EQ(RunErr(K::kRelu, {Tensor({2, 2}, {1, 2, 3})}),
            "operand 0 of relu: shape f32[2, 2] holds 4 elements but the data has 3");
  EXPECT_EQ(RunErr(K::kRelu, {Trits({2}, {1, 2})}),
            "operand 0 of relu: element 1 is 2, not a trit (-1, 0 or 1) as trit requires");
  EXPECT_NE(RunErr(K::kRelu, {Trits({3}, {1, 0, 1}, {1, 2})}).find("scale_pos"), std::string::npos);
  EXPECT_NE(RunErr(K::kRelu, {Tensor({1}, {1 + 1.0f / 4096}, DType::kFloat16)})
                .find("not a float16 value"),
            std::string::npos);
  EXPECT_NE(RunErr(K::kRelu, {Tensor({1}, {0.5}, DType::kInt32)}).find("not an integer"),
            std::string::npos);
  HostTensor scaled = Tensor({1}, {1});
  scaled.scale_pos = {2};
  EXPECT_EQ(RunErr(K::kRelu, {scaled}),
            "operand 0 of relu: only trit tensors (and int8 for scale_pos) carry scales");
  EXPECT_EQ(RunErr(K::kRelu, {}), "relu takes 1 operand, got 0");
}

// ---------------------------------------------------------------- whole modules

// y = relu(linear(x, w, b)); s = 2 * sum(y, axis 1), with a ternary per-channel w.
Module SmallModule() {
  Module m;
  m.name = "small";
  Builder b(m);
  ValueId x = b.AddInput("x", T("f32[N, 2]"));
  ValueId w = b.AddParam("fc.weight", T("trit[3, 2]"), Ternary());
  ValueId bias = b.AddParam("fc.bias", T("f32[3]"), Init("zeros"));
  ValueId two = b.AddConst(T("f32[]"), {2.0});
  ValueId h = Emit(b, K::kLinear, {x, w, bias}, {}, "fc");
  h = Emit(b, K::kRelu, {h});
  ValueId s = Emit(b, K::kSum, {h}, A({{"axes", Ints{1}}}));
  b.AddOutput(h);
  b.AddOutput(Emit(b, K::kMul, {s, two}));
  return m;
}

TEST(Evaluate, SmallModuleByHand) {
  const Module m = SmallModule();
  const HostTensor x = Tensor({2, 2}, {1, 2, 3, -4});
  const HostTensor w = Trits({3, 2}, {1, 0, -1, 1, 1, 1}, {0.5, 1, 2});
  const HostTensor b = Tensor({3}, {0, 1, -1});
  Result<std::vector<HostTensor>> r = Evaluate(m, {x}, {w, b});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r.value().size(), 2u);
  ExpectTensor(r.value()[0], {2, 3}, {0.5, 2, 5, 1.5, 0, 0});
  ExpectTensor(r.value()[1], {2}, {15, 3});
}

TEST(Evaluate, ErrorsNameTheValue) {
  const Module m = SmallModule();
  const HostTensor w = Trits({3, 2}, {1, 0, -1, 1, 1, 1});
  const HostTensor b = Tensor({3}, {0, 1, -1});
  const auto err = [&](std::vector<HostTensor> in, std::vector<HostTensor> p) {
    Result<std::vector<HostTensor>> r = Evaluate(m, in, p);
    return r.ok() ? std::string("ok") : r.status().message();
  };
  EXPECT_EQ(err({}, {w, b}), "module small takes 1 inputs, got 0");
  EXPECT_EQ(err({Iota({2, 2})}, {w}), "module small has 2 params, got 1");
  EXPECT_EQ(err({Iota({2, 3})}, {w, b}),
            "input x: expected f32[N, 2], got f32[2, 3] (dimension 1 is 3, not 2)");
  EXPECT_EQ(err({Iota({2})}, {w, b}), "input x: expected f32[N, 2] (2 dimensions), got f32[2]");
  EXPECT_EQ(err({Iota({2, 2})}, {Iota({3, 2}), b}),
            "param fc.weight: element type float32 but the module declares trit (trit[3, 2])");
  EXPECT_EQ(err({Iota({2, 2})}, {w, Iota({4})}),
            "param fc.bias: expected f32[3], got f32[4] (dimension 0 is 4, not 3)");
  EXPECT_EQ(err({Iota({0, 2})}, {w, b}), "ok");  // an empty batch is fine
}

TEST(Evaluate, SymbolsBindAcrossInputs) {
  Module m;
  m.name = "two_inputs";
  Builder b(m);
  ValueId x = b.AddInput("x", T("f32[N, 2]"));
  ValueId y = b.AddInput("y", T("f32[N, 2]"));
  b.AddOutput(Emit(b, K::kAdd, {x, y}));
  Result<std::vector<HostTensor>> r = Evaluate(m, {Iota({2, 2}), Iota({3, 2})}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "input y: expected f32[N, 2], got f32[3, 2]: dimension 0 binds N = 3, but N = 2 "
            "already");
}

// Every op of ops.def in one module (test_modules.h): evaluates end to end.
TEST(Evaluate, EveryOpModuleRuns) {
  const Module m = EveryOp();
  std::vector<HostTensor> params;
  for (const Param& p : m.params) {
    HostTensor t;
    t.dtype = m.type(p.value).dtype;
    for (const Dim& d : m.type(p.value).dims) t.shape.push_back(d.size);
    t.data.resize(static_cast<size_t>(t.num_elements()));
    for (size_t i = 0; i < t.data.size(); ++i) {
      t.data[i] = t.dtype == DType::kTrit ? static_cast<float>(static_cast<int>(i % 3) - 1)
                                          : 0.5f + 0.01f * static_cast<float>(i % 7);
    }
    if (t.dtype == DType::kTrit) t.scale_pos.assign(static_cast<size_t>(t.shape[0]), 0.1f);
    params.push_back(std::move(t));
  }
  const HostTensor x = Iota({2, 8, 16, 16}, 0.001f, -1);
  const HostTensor seq = Iota({2, 4, 16}, 0.01f, -0.5f);
  Result<std::vector<HostTensor>> r = Evaluate(m, {x, seq}, params);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r.value().size(), m.outputs.size());
  const std::vector<std::vector<int64_t>> shapes = {{2, 10}, {2, 1},     {},
                                                    {2, 16}, {2, 16, 1}, {2, 8, 16, 16}};
  for (size_t i = 0; i < shapes.size(); ++i) {
    EXPECT_EQ(r.value()[i].shape, shapes[i]) << "output " << i;
    for (float v : r.value()[i].data) EXPECT_TRUE(std::isfinite(v)) << "output " << i;
  }
  EXPECT_EQ(r.value()[5].dtype, DType::kFloat16);
}

}  // namespace
}  // namespace triton::ir::testing

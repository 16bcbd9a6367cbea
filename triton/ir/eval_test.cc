// Hand-computed cases for the reference evaluator: dense layers, normalization, activations and
// arithmetic (layout, pooling, quantization and whole modules: eval_module_test.cc).
#include <cmath>
#include <limits>

#include "triton/ir/eval_test_util.h"

namespace triton::ir::testing {
namespace {

using K = OpKind;
const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

// ---------------------------------------------------------------- conv2d

TEST(EvalConv2d, Basic2x2KernelAndBias) {
  const HostTensor x = Iota({1, 1, 3, 3}, 1, 1);  // 1..9
  const HostTensor w = Tensor({1, 1, 2, 2}, {1, 0, 0, 1});
  ExpectTensor(RunOk(K::kConv2d, {x, w}), {1, 1, 2, 2}, {6, 8, 12, 14});
  ExpectTensor(RunOk(K::kConv2d, {x, w, Tensor({1}, {0.5})}), {1, 1, 2, 2}, {6.5, 8.5, 12.5, 14.5});
}

TEST(EvalConv2d, Stride2WithPadding) {
  const HostTensor x = Iota({1, 1, 3, 3}, 1, 1);
  const HostTensor w = Tensor({1, 1, 3, 3}, std::vector<float>(9, 1.0f));
  const Attrs a = A({{"stride", Ints{2, 2}}, {"padding", Ints{1, 1}}});
  // Windows centred on the corners see the 2x2 corner blocks.
  ExpectTensor(RunOk(K::kConv2d, {x, w}, a), {1, 1, 2, 2}, {12, 16, 24, 28});
}

TEST(EvalConv2d, DilationAndOddSizes) {
  const HostTensor x = Iota({1, 1, 5, 5});
  const HostTensor w = Tensor({1, 1, 2, 2}, {1, 1, 1, 1});
  const HostTensor out = RunOk(K::kConv2d, {x, w}, A({{"dilation", Ints{2, 2}}}));
  // out[i, j] = x[i, j] + x[i, j+2] + x[i+2, j] + x[i+2, j+2] = 4 (5i + j) + 24.
  std::vector<float> want;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) want.push_back(static_cast<float>(4 * (5 * i + j) + 24));
  }
  ExpectTensor(out, {1, 1, 3, 3}, want);
  // Asymmetric stride and padding on a 5x4 input: a 1x1 kernel picks x[2i - 1, 3j] (rows -1
  // and 5 are padding).
  const HostTensor y = Iota({1, 1, 5, 4});
  const HostTensor one = Tensor({1, 1, 1, 1}, {2});
  ExpectTensor(RunOk(K::kConv2d, {y, one}, A({{"stride", Ints{2, 3}}, {"padding", Ints{1, 0}}})),
               {1, 1, 4, 2}, {0, 0, 2 * 4, 2 * 7, 2 * 12, 2 * 15, 0, 0});
}

TEST(EvalConv2d, GroupsAndDepthwise) {
  const HostTensor x = Tensor({1, 4, 1, 1}, {1, 2, 3, 4});
  const HostTensor w = Tensor({2, 2, 1, 1}, {1, 1, 1, -1});
  ExpectTensor(RunOk(K::kConv2d, {x, w}, A({{"groups", int64_t{2}}})), {1, 2, 1, 1}, {3, -1});
  // Depthwise with a channel multiplier of 2: output channel oc reads input channel oc / 2.
  const HostTensor dw = Tensor({8, 1, 1, 1}, {1, 2, 3, 4, 5, 6, 7, 8});
  ExpectTensor(RunOk(K::kConv2d, {x, dw}, A({{"groups", int64_t{4}}})), {1, 8, 1, 1},
               {1, 2, 6, 8, 15, 18, 28, 32});
}

TEST(EvalConv2d, BatchOfTwoAndManyChannels) {
  const HostTensor x = Iota({2, 3, 2, 2});
  const HostTensor w = Tensor({1, 3, 1, 1}, {1, -1, 2});
  // out = x[c0] - x[c1] + 2 x[c2] = i - (i + 4) + 2 (i + 8) = 2i + 12 for n = 0; +12 per n.
  ExpectTensor(RunOk(K::kConv2d, {x, w}), {2, 1, 2, 2}, {12, 14, 16, 18, 36, 38, 40, 42});
}

TEST(EvalConv2d, TernaryWeightsUseTheirScales) {
  const HostTensor x = Tensor({1, 1, 1, 1}, {3});
  // Per channel: channel 0 scale 0.5, channel 1 scale 2.
  const HostTensor w = Trits({2, 1, 1, 1}, {1, -1}, {0.5, 2});
  ExpectTensor(RunOk(K::kConv2d, {x, w}), {1, 2, 1, 1}, {1.5, -6});
  // TTQ style: different positive and negative scales.
  const HostTensor x2 = Tensor({1, 2, 1, 1}, {1, 1});
  const HostTensor ttq = Trits({1, 2, 1, 1}, {1, -1}, {2}, {3});
  ExpectTensor(RunOk(K::kConv2d, {x2, ttq}), {1, 1, 1, 1}, {-1});
  // int8 x trit gives the int32 accumulator of the codes (scales apply where values are real).
  const HostTensor q = Tensor({1, 2, 1, 1}, {3, -2}, DType::kInt8);
  const HostTensor out = RunOk(K::kConv2d, {q, Trits({1, 2, 1, 1}, {1, 1}, {0.5})});
  EXPECT_EQ(out.dtype, DType::kInt32);
  ExpectTensor(out, {1, 1, 1, 1}, {1});
}

TEST(EvalConv2d, ShapeErrorsCarryTheIrMessage) {
  const std::string e = RunErr(K::kConv2d, {Iota({1, 3, 4, 4}), Iota({2, 2, 1, 1})});
  EXPECT_EQ(e, "conv2d input has 3 channels but the weight expects 2 x 1 groups");
}

// ---------------------------------------------------------------- linear, matmul

TEST(EvalLinear, WithAndWithoutBias) {
  const HostTensor x = Tensor({2, 3}, {1, 2, 3, 4, 5, 6});
  const HostTensor w = Tensor({2, 3}, {1, 0, -1, 0.5, 0.5, 0.5});
  ExpectTensor(RunOk(K::kLinear, {x, w}), {2, 2}, {-2, 3, -2, 7.5});
  ExpectTensor(RunOk(K::kLinear, {x, w, Tensor({2}, {1, -1})}), {2, 2}, {-1, 2, -1, 6.5});
  // K = 1 and a rank-3 input.
  ExpectTensor(RunOk(K::kLinear, {Iota({2, 2, 1}), Tensor({3, 1}, {1, 2, 3})}), {2, 2, 3},
               {0, 0, 0, 1, 2, 3, 2, 4, 6, 3, 6, 9});
  // A ternary weight with per-output scales.
  ExpectTensor(RunOk(K::kLinear, {x, Trits({2, 3}, {1, 0, -1, 1, 1, 1}, {2, 0.5})}), {2, 2},
               {-4, 3, -4, 7.5});
}

TEST(EvalMatMul, MatrixVectorAndBatchBroadcast) {
  const HostTensor a = Tensor({2, 3}, {1, 2, 3, 4, 5, 6});
  const HostTensor b = Tensor({3, 2}, {1, 0, 0, 1, 1, 1});
  ExpectTensor(RunOk(K::kMatMul, {a, b}), {2, 2}, {4, 5, 10, 11});
  ExpectTensor(RunOk(K::kMatMul, {a, Tensor({3}, {1, 1, 1})}), {2}, {6, 15});
  ExpectTensor(RunOk(K::kMatMul, {Tensor({2}, {1, -1}), a}), {3}, {-3, -3, -3});
  ExpectTensor(RunOk(K::kMatMul, {Tensor({3}, {1, 2, 3}), Tensor({3}, {1, 1, 1})}), {}, {6});
  // [2, 1, 2, 2] x [3, 2, 2] -> [2, 3, 2, 2]: out[i, j] = A[i] @ B[j].
  const HostTensor ba = Iota({2, 1, 2, 2});
  const HostTensor bb = Iota({3, 2, 2}, 1, -5);
  const HostTensor out = RunOk(K::kMatMul, {ba, bb});
  ASSERT_EQ(out.shape, (std::vector<int64_t>{2, 3, 2, 2}));
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 3; ++j) {
      for (int r = 0; r < 2; ++r) {
        for (int c = 0; c < 2; ++c) {
          float want = 0;
          for (int k = 0; k < 2; ++k)
            want += ba.data[i * 4 + r * 2 + k] * bb.data[j * 4 + k * 2 + c];
          EXPECT_EQ(out.data[((i * 3 + j) * 2 + r) * 2 + c], want) << i << j << r << c;
        }
      }
    }
  }
  EXPECT_EQ(RunErr(K::kMatMul, {a, a}),
            "cannot multiply Tensor<float32, [2, 3]> by Tensor<float32, [2, 3]>: inner "
            "dimensions 3 and 2 differ");
}

TEST(EvalMatMul, TritTimesTritIsAnIntegerOfCodes) {
  const HostTensor a = Trits({1, 2}, {1, -1}, {0.25});
  const HostTensor b = Trits({2, 1}, {1, 1}, {3, 3});
  const HostTensor out = RunOk(K::kMatMul, {a, b});
  EXPECT_EQ(out.dtype, DType::kInt32);
  ExpectTensor(out, {1, 1}, {0});
  // float x trit: the trit means code * scale.
  ExpectTensor(RunOk(K::kMatMul, {Tensor({1, 2}, {1, 2}), b}), {1, 1}, {9});
}

// ---------------------------------------------------------------- normalization

TEST(EvalBatchNorm, InferenceFormula) {
  const HostTensor x = Tensor({1, 2, 1, 2}, {3, 5, 1, 2});
  const HostTensor out =
      RunOk(K::kBatchNorm,
            {x, Tensor({2}, {1, 2}), Tensor({2}, {0, 1}), Tensor({2}, {1, 0}), Tensor({2}, {4, 1})},
            A({{"eps", 0.0}}));
  ExpectTensor(out, {1, 2, 1, 2}, {1, 2, 3, 5});
  // Default eps 1e-5 and a rank-2 input.
  const HostTensor y = RunOk(K::kBatchNorm, {Tensor({1, 1}, {2}), Tensor({1}, {1}),
                                             Tensor({1}, {0}), Tensor({1}, {0}), Tensor({1}, {1})});
  ExpectTensor(y, {1, 1}, {static_cast<float>(2 / std::sqrt(1 + 1e-5))});
}

TEST(EvalLayerNorm, LastDimAndTwoDims) {
  const HostTensor x = Tensor({1, 4}, {1, 2, 3, 4});
  const double sd = std::sqrt(1.25 + 1e-5);
  const auto f = [&](double v) { return static_cast<float>((v - 2.5) / sd); };
  ExpectTensor(RunOk(K::kLayerNorm, {x}), {1, 4}, {f(1), f(2), f(3), f(4)});
  ExpectTensor(RunOk(K::kLayerNorm, {x, Tensor({4}, {1, 2, 1, 1}), Tensor({4}, {0, 0, 1, 0})}),
               {1, 4}, {f(1), 2 * f(2), f(3) + 1, f(4)});
  // Over the last two dims of [2, 1, 2]: each row of 2 values normalizes to -1, +1.
  const HostTensor y = RunOk(
      K::kLayerNorm, {Tensor({2, 1, 2}, {0, 2, 5, 9}), Tensor({1, 2}, {1, 1})}, A({{"eps", 0.0}}));
  ExpectTensor(y, {2, 1, 2}, {-1, 1, -1, 1});
  ExpectTensor(RunOk(K::kLayerNorm, {Tensor({2, 2}, {0, 2, 4, 6})},
                     A({{"normalized_shape", Ints{2, 2}}, {"eps", 0.0}})),
               {2, 2}, {-1.341640786f, -0.447213595f, 0.447213595f, 1.341640786f});
}

// ---------------------------------------------------------------- activations

TEST(EvalActivation, PyTorchFormulasAtKnownPoints) {
  const HostTensor x = Tensor({5}, {-3, -1, 0, 1, 7});
  const auto run = [&](K k) { return RunOk(k, {x}); };
  ExpectTensor(run(K::kRelu), {5}, {0, 0, 0, 1, 7});
  ExpectTensor(run(K::kRelu6), {5}, {0, 0, 0, 1, 6});
  ExpectTensor(run(K::kSigmoid), {5},
               {0.047425873f, 0.268941421f, 0.5f, 0.731058579f, 0.999088949f});
  ExpectTensor(run(K::kTanh), {5}, {-0.995054754f, -0.761594156f, 0, 0.761594156f, 0.999998337f});
  ExpectTensor(run(K::kGelu), {5}, {-0.004049694f, -0.158655254f, 0, 0.841344746f, 7});
  ExpectTensor(run(K::kSilu), {5}, {-0.142277620f, -0.268941421f, 0, 0.731058579f, 6.993622645f});
  ExpectTensor(run(K::kHardswish), {5}, {0, -1.0f / 3, 0, 2.0f / 3, 7});
  ExpectTensor(run(K::kHardsigmoid), {5}, {0, 1.0f / 3, 0.5f, 2.0f / 3, 1});
  ExpectTensor(run(K::kAbs), {5}, {3, 1, 0, 1, 7});
  ExpectTensor(run(K::kNeg), {5}, {3, 1, 0, -1, -7});
  ExpectTensor(RunOk(K::kClip, {x}, A({{"min", -1.5}, {"max", 2.0}})), {5}, {-1.5, -1, 0, 1, 2});
  ExpectTensor(RunOk(K::kClip, {x}, A({{"min", 0.5}})), {5}, {0.5, 0.5, 0.5, 1, 7});
  ExpectTensor(RunOk(K::kDropout, {x}, A({{"p", 0.5}})), {5}, {-3, -1, 0, 1, 7});
}

TEST(EvalActivation, NanPropagatesAndIntegersKeepTheirType) {
  const HostTensor x = Tensor({2}, {kNaN, -kInf});
  ExpectTensor(RunOk(K::kRelu, {x}), {2}, {kNaN, 0});
  ExpectTensor(RunOk(K::kRelu6, {x}), {2}, {kNaN, 0});
  ExpectTensor(RunOk(K::kSigmoid, {x}), {2}, {kNaN, 0});
  const HostTensor i8 = Tensor({3}, {-128, -5, 7}, DType::kInt8);
  HostTensor r = RunOk(K::kAbs, {i8});
  EXPECT_EQ(r.dtype, DType::kInt8);
  ExpectTensor(r, {3}, {-128, 5, 7});  // wraps as PyTorch's int8
  ExpectTensor(RunOk(K::kNeg, {i8}), {3}, {-128, 5, -7});
  // relu of a trit widens to int8 codes; sigmoid of a trit reads code * scale.
  const HostTensor t = Trits({2}, {1, -1}, {0.5});
  r = RunOk(K::kRelu, {t});
  EXPECT_EQ(r.dtype, DType::kInt8);
  ExpectTensor(r, {2}, {1, 0});
  ExpectTensor(RunOk(K::kSigmoid, {t}), {2}, {0.622459331f, 0.377540669f});
  // Dropout keeps a trit's codes and scales.
  const HostTensor d = RunOk(K::kDropout, {Trits({2}, {1, -1}, {0.5}, {0.25})});
  EXPECT_EQ(d.dtype, DType::kTrit);
  EXPECT_EQ(Dequantized(d), (std::vector<float>{0.5f, -0.25f}));
}

TEST(EvalSoftmax, StableAlongAnyAxis) {
  const HostTensor x = Tensor({3}, {1, 2, 3});
  ExpectTensor(RunOk(K::kSoftmax, {x}), {3}, {0.090030573f, 0.244728471f, 0.665240956f});
  ExpectTensor(RunOk(K::kLogSoftmax, {x}), {3}, {-2.407605964f, -1.407605964f, -0.407605964f});
  ExpectTensor(RunOk(K::kSoftmax, {Tensor({2}, {1000, 1000})}), {2}, {0.5, 0.5});
  ExpectTensor(RunOk(K::kLogSoftmax, {Tensor({2}, {-1000, 0})}), {2}, {-1000, 0});
  const HostTensor m = Tensor({2, 2}, {0, 1, 0, 3});
  const float s = 0.5f;
  ExpectTensor(RunOk(K::kSoftmax, {m}, A({{"axis", int64_t{0}}})), {2, 2},
               {s, 0.119202922f, s, 0.880797078f});
  ExpectTensor(RunOk(K::kSoftmax, {m}, A({{"axis", int64_t{-1}}})), {2, 2},
               {0.268941421f, 0.731058579f, 0.047425873f, 0.952574127f});
  EXPECT_EQ(RunErr(K::kSoftmax, {m}, A({{"axis", int64_t{2}}})),
            "softmax axis 2 is out of range for a 2-d tensor");
}

// ---------------------------------------------------------------- arithmetic

TEST(EvalBinary, BroadcastingShapes) {
  const HostTensor a = Tensor({2, 1}, {1, 2});
  const HostTensor b = Tensor({3}, {10, 20, 30});
  ExpectTensor(RunOk(K::kAdd, {a, b}), {2, 3}, {11, 21, 31, 12, 22, 32});
  ExpectTensor(RunOk(K::kSub, {a, b}), {2, 3}, {-9, -19, -29, -8, -18, -28});
  ExpectTensor(RunOk(K::kMul, {b, a}), {2, 3}, {10, 20, 30, 20, 40, 60});
  ExpectTensor(RunOk(K::kDiv, {b, a}), {2, 3}, {10, 20, 30, 5, 10, 15});
  ExpectTensor(RunOk(K::kPow, {a, Tensor({}, {3})}), {2, 1}, {1, 8});
  // Middle-dim broadcast [2, 1, 2] + [1, 3, 1].
  ExpectTensor(RunOk(K::kAdd, {Iota({2, 1, 2}), Iota({1, 3, 1}, 10)}), {2, 3, 2},
               {0, 1, 10, 11, 20, 21, 2, 3, 12, 13, 22, 23});
  ExpectTensor(RunOk(K::kDiv, {Tensor({2}, {1, -1}), Tensor({2}, {0, 0})}), {2}, {kInf, -kInf});
  EXPECT_EQ(RunErr(K::kAdd, {Iota({2, 3}), Iota({4})}),
            "cannot add Tensor<float32, [2, 3]> and Tensor<float32, [4]>: shapes do not "
            "broadcast (dimensions 3 and 4 differ)");
}

TEST(EvalBinary, IntegerAndTernaryOperands) {
  const HostTensor a = Tensor({2}, {100, -100}, DType::kInt8);
  HostTensor r = RunOk(K::kAdd, {a, a});
  EXPECT_EQ(r.dtype, DType::kInt8);
  ExpectTensor(r, {2}, {-56, 56});  // two's complement wrap, as PyTorch
  r = RunOk(K::kDiv, {Tensor({2}, {7, -7}, DType::kInt32), Tensor({1}, {2}, DType::kInt32)});
  EXPECT_EQ(r.dtype, DType::kFloat32);
  ExpectTensor(r, {2}, {3.5, -3.5});
  EXPECT_EQ(RunErr(K::kPow, {a, Tensor({}, {-1}, DType::kInt8)}),
            "pow: integers to negative integer powers are not allowed");
  // trit + trit -> int8 of codes; float + trit -> code * scale.
  const HostTensor t = Trits({2, 1}, {1, -1}, {0.5, 4});
  r = RunOk(K::kAdd, {t, t});
  EXPECT_EQ(r.dtype, DType::kInt8);
  ExpectTensor(r, {2, 1}, {2, -2});
  ExpectTensor(RunOk(K::kAdd, {Tensor({2, 1}, {1, 1}), t}), {2, 1}, {1.5, -3});
  // float16 results round to half precision: 1 + 2^-11 is a tie and goes to even (1).
  r = RunOk(K::kAdd, {Tensor({2}, {1, 65504}, DType::kFloat16),
                      Tensor({2}, {1.0f / 2048, 32}, DType::kFloat16)});
  ExpectTensor(r, {2}, {1, kInf}, 0);
}

}  // namespace
}  // namespace triton::ir::testing

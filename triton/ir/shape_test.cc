// Shape rules of dense, normalization, unary, element-wise and pooling ops (shape.cc), and the
// arity check shared by all ops.
#include <gtest/gtest.h>

#include "triton/ir/ops.h"
#include "triton/ir/test_util.h"

namespace triton::ir {
namespace {

using testing::A;
using testing::Floats;
using testing::Infer;
using testing::InferErr;
using testing::Ints;
using testing::T;
using testing::Ts;

// ---------------------------------------------------------------- arity

TEST(ShapeArity, EveryOpRejectsTooFewAndTooMany) {
  for (OpKind k : AllOps()) {
    const int lo = OpMinOperands(k), hi = OpMaxOperands(k);
    std::vector<TensorType> few(static_cast<size_t>(lo - 1), T("f32[2, 3, 8, 8]"));
    TypeOrError r = InferType(k, few, {});
    ASSERT_TRUE(std::holds_alternative<ShapeError>(r)) << OpMnemonic(k);
    EXPECT_EQ(std::get<ShapeError>(r).code, ShapeErrorCode::kArity) << OpMnemonic(k);
    if (hi >= 0) {
      std::vector<TensorType> many(static_cast<size_t>(hi + 1), T("f32[2, 3, 8, 8]"));
      r = InferType(k, many, {});
      ASSERT_TRUE(std::holds_alternative<ShapeError>(r)) << OpMnemonic(k);
      EXPECT_EQ(std::get<ShapeError>(r).code, ShapeErrorCode::kArity) << OpMnemonic(k);
    }
  }
}

TEST(ShapeArity, Messages) {
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {"f32[1, 3, 8, 8]"}), kArity, -1,
                     "conv2d takes 2 to 3 operands, got 1");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kRelu, {"f32[1]", "f32[1]"}), kArity, -1,
                     "relu takes 1 operand, got 2");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kAdd, {"f32[1]"}), kArity, -1, "add takes 2 operands, got 1");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConcat, {}), kArity, -1,
                     "concat takes at least 1 operand, got 0");
}

// ---------------------------------------------------------------- conv2d

TEST(ShapeConv2d, ResNetStem) {
  EXPECT_EQ(Infer(OpKind::kConv2d, {"f32[N, 3, 224, 224]", "f32[64, 3, 7, 7]"},
                  A({{"stride", Ints{2, 2}}, {"padding", Ints{3, 3}}})),
            "f32[N, 64, 112, 112]");
}

TEST(ShapeConv2d, DefaultsBiasGroupsDilation) {
  EXPECT_EQ(Infer(OpKind::kConv2d, {"f32[1, 3, 32, 32]", "f32[16, 3, 3, 3]"}),
            "f32[1, 16, 30, 30]");
  EXPECT_EQ(Infer(OpKind::kConv2d, {"f32[1, 3, 32, 32]", "f32[16, 3, 3, 3]", "f32[16]"},
                  A({{"padding", Ints{1, 1}}})),
            "f32[1, 16, 32, 32]");
  // Depthwise: groups = C, weight [C, 1, 3, 3].
  EXPECT_EQ(Infer(OpKind::kConv2d, {"f32[N, 32, 56, 56]", "f32[32, 1, 3, 3]"},
                  A({{"groups", int64_t{32}}, {"stride", Ints{2, 2}}, {"padding", Ints{1, 1}}})),
            "f32[N, 32, 28, 28]");
  EXPECT_EQ(Infer(OpKind::kConv2d, {"f32[1, 8, 32, 32]", "f32[8, 8, 3, 3]"},
                  A({{"dilation", Ints{2, 2}}})),
            "f32[1, 8, 28, 28]");
  // Non-square: H and W independently.
  EXPECT_EQ(Infer(OpKind::kConv2d, {"f32[1, 1, 10, 20]", "f32[4, 1, 3, 5]"},
                  A({{"stride", Ints{1, 2}}, {"padding", Ints{0, 2}}})),
            "f32[1, 4, 8, 10]");
}

TEST(ShapeConv2d, SymbolicAndUnknownDims) {
  EXPECT_EQ(Infer(OpKind::kConv2d, {"f32[N, 3, H, W]", "f32[8, 3, 3, 3]"}), "f32[N, 8, ?, ?]");
  EXPECT_EQ(Infer(OpKind::kConv2d, {"f32[?, 3, ?, 32]", "f32[8, 3, 3, 3]"}), "f32[?, 8, ?, 30]");
  EXPECT_EQ(Infer(OpKind::kConv2d, {"f32[N, C, 8, 8]", "f32[8, 3, 3, 3]"}), "f32[N, 8, 6, 6]");
}

TEST(ShapeConv2d, ElementTypes) {
  EXPECT_EQ(Infer(OpKind::kConv2d, {"f32[1, 3, 8, 8]", "trit[4, 3, 3, 3]"}), "f32[1, 4, 6, 6]");
  EXPECT_EQ(Infer(OpKind::kConv2d, {"i8[1, 3, 8, 8]", "trit[4, 3, 3, 3]"}), "i32[1, 4, 6, 6]");
  EXPECT_EQ(Infer(OpKind::kConv2d, {"f16[1, 3, 8, 8]", "f16[4, 3, 3, 3]"}), "f16[1, 4, 6, 6]");
  EXPECT_EQ(Infer(OpKind::kConv2d, {"i8[1, 3, 8, 8]", "trit[4, 3, 3, 3]", "f32[4]"}),
            "f32[1, 4, 6, 6]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {"bool[1, 3, 8, 8]", "f32[4, 3, 3, 3]"}), kType, 1,
                     "conv2d cannot combine a Tensor<bool, [1, 3, 8, 8]> input with a "
                     "Tensor<float32, [4, 3, 3, 3]> weight");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {"f32[1, 3, 8, 8]", "f32[4, 3, 3, 3]", "bool[4]"}),
                     kType, 2, "conv2d bias Tensor<bool, [4]> has no common type with the input");
}

TEST(ShapeConv2d, Errors) {
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {"f32[3, 8, 8]", "f32[4, 3, 3, 3]"}), kRank, 0,
                     "conv2d expects a 4-d input [N, C, H, W], got Tensor<float32, [3, 8, 8]>");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kConv2d, {"f32[1, 3, 8, 8]", "f32[4, 3, 3]"}), kRank, 1,
      "conv2d expects a 4-d weight [Cout, Cin/groups, kh, kw], got Tensor<float32, [4, 3, 3]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {"f32[1, 64, 8, 8]", "f32[16, 32, 3, 3]"}), kShape,
                     1, "conv2d input has 64 channels but the weight expects 32 x 1 groups");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {"f32[1, 64, 8, 8]", "f32[16, 32, 3, 3]"},
                              A({{"groups", int64_t{4}}})),
                     kShape, 1,
                     "conv2d input has 64 channels but the weight expects 32 x 4 groups");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {"f32[1, 6, 8, 8]", "f32[10, 2, 3, 3]"},
                              A({{"groups", int64_t{3}}})),
                     kShape, 1,
                     "conv2d weight has 10 output channels, which is not divisible by 3 groups");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {"f32[1, 3, 8, 8]", "f32[4, 3, 3, 3]", "f32[5]"}),
                     kShape, 2, "conv2d bias must have shape [4], got Tensor<float32, [5]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {"f32[1, 3, 8, 8]", "f32[4, 3, 3, 3]", "f32[4, 1]"}),
                     kShape, 2, "conv2d bias must have shape [4], got Tensor<float32, [4, 1]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {"f32[1, 3, 2, 8]", "f32[4, 3, 3, 3]"}), kShape, 0,
                     "conv2d output height would be 0: input height 2 with kernel 3, stride 1, "
                     "padding 0, dilation 1");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {"f32[1, 3, 8, 4]", "f32[4, 3, 3, 3]"},
                              A({{"dilation", Ints{1, 3}}})),
                     kShape, 0,
                     "conv2d output width would be -2: input width 4 with kernel 3, stride 1, "
                     "padding 0, dilation 3");
}

TEST(ShapeConv2d, AttrErrors) {
  const auto x = "f32[1, 3, 8, 8]", w = "f32[4, 3, 3, 3]";
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {x, w}, A({{"stride", int64_t{2}}})), kAttr, -1,
                     "conv2d attribute stride must be a list of integers, got 2");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {x, w}, A({{"stride", Ints{1, 1, 1}}})), kAttr, -1,
                     "conv2d attribute stride must have 2 values, got [1, 1, 1]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {x, w}, A({{"stride", Ints{0, 1}}})), kAttr, -1,
                     "conv2d stride must be positive, got [0, 1]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {x, w}, A({{"padding", Ints{-1, 0}}})), kAttr, -1,
                     "conv2d padding must be non-negative, got [-1, 0]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {x, w}, A({{"dilation", Ints{1, 0}}})), kAttr, -1,
                     "conv2d dilation must be positive, got [1, 0]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {x, w}, A({{"groups", int64_t{0}}})), kAttr, -1,
                     "conv2d groups must be positive, got 0");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConv2d, {x, w}, A({{"groups", 1.0}})), kAttr, -1,
                     "conv2d attribute groups must be an integer, got 1.0");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kConv2d, {x, w}, A({{"padding", Ints{int64_t{1} << 62, 0}}})), kShape, 0,
      "conv2d output height would be out of range: input height 8 with kernel 3, stride 1, "
      "padding 4611686018427387904, dilation 1");
}

// ---------------------------------------------------------------- linear and matmul

TEST(ShapeLinear, Shapes) {
  EXPECT_EQ(Infer(OpKind::kLinear, {"f32[N, 512]", "trit[10, 512]"}), "f32[N, 10]");
  EXPECT_EQ(Infer(OpKind::kLinear, {"f32[N, 512]", "f32[10, 512]", "f32[10]"}), "f32[N, 10]");
  EXPECT_EQ(Infer(OpKind::kLinear, {"f32[2, 7, 64]", "f32[32, 64]"}), "f32[2, 7, 32]");
  EXPECT_EQ(Infer(OpKind::kLinear, {"f32[64]", "f32[32, 64]"}), "f32[32]");
  EXPECT_EQ(Infer(OpKind::kLinear, {"f32[N, ?]", "f32[32, 64]"}), "f32[N, 32]");
  EXPECT_EQ(Infer(OpKind::kLinear, {"i8[N, 64]", "trit[32, 64]"}), "i32[N, 32]");
  EXPECT_EQ(Infer(OpKind::kLinear, {"i64[N, 64]", "trit[32, 64]"}), "i64[N, 32]");
}

TEST(ShapeLinear, Errors) {
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kLinear, {"f32[]", "f32[10, 512]"}), kRank, 0,
                     "linear expects an input [..., in] with at least 1 dimension, got float32");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kLinear, {"f32[N, 512]", "f32[512]"}), kRank, 1,
                     "linear expects a 2-d weight [out, in], got Tensor<float32, [512]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kLinear, {"f32[N, 512]", "trit[10, 256]"}), kShape, 1,
                     "linear input Tensor<float32, [N, 512]> has 512 features but the weight "
                     "TernaryTensor<trit, [10, 256]> expects 256");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kLinear, {"f32[N, 512]", "f32[10, 512]", "f32[11]"}), kShape,
                     2, "linear bias must have shape [10], got Tensor<float32, [11]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kLinear, {"f32[N, 512]", "bool[10, 512]"}), kType, 1,
                     "linear cannot combine a Tensor<float32, [N, 512]> input with a "
                     "Tensor<bool, [10, 512]> weight");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kLinear, {"f32[N, 512]", "f32[10, 512]", "bool[10]"}), kType,
                     2, "linear bias Tensor<bool, [10]> has no common type with the input");
}

TEST(ShapeMatMul, Shapes) {
  EXPECT_EQ(Infer(OpKind::kMatMul, {"f32[N, 512]", "trit[512, 10]"}), "f32[N, 10]");
  EXPECT_EQ(Infer(OpKind::kMatMul, {"f32[4]", "f32[4, 5]"}), "f32[5]");
  EXPECT_EQ(Infer(OpKind::kMatMul, {"f32[3, 4]", "f32[4]"}), "f32[3]");
  EXPECT_EQ(Infer(OpKind::kMatMul, {"f32[4]", "f32[4]"}), "f32[]");
  EXPECT_EQ(Infer(OpKind::kMatMul, {"f32[2, 1, 3, 4]", "f32[5, 4, 6]"}), "f32[2, 5, 3, 6]");
  EXPECT_EQ(Infer(OpKind::kMatMul, {"f32[4]", "f32[B, 4, 6]"}), "f32[B, 6]");
  EXPECT_EQ(Infer(OpKind::kMatMul, {"f32[B, 3, K]", "f32[4, 6]"}), "f32[B, 3, 6]");
  EXPECT_EQ(Infer(OpKind::kMatMul, {"trit[3, 4]", "trit[4, 6]"}), "i32[3, 6]");
}

TEST(ShapeMatMul, Errors) {
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kMatMul, {"f32[N, 512]", "trit[256, 10]"}), kShape, 1,
                     "cannot multiply Tensor<float32, [N, 512]> by TernaryTensor<trit, [256, 10]>: "
                     "inner dimensions 512 and 256 differ");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kMatMul, {"f32[2, 3, 4]", "f32[3, 4, 5]"}), kShape, 1,
                     "cannot multiply Tensor<float32, [2, 3, 4]> by Tensor<float32, [3, 4, 5]>: "
                     "batch dimensions [2] and [3] do not broadcast");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kMatMul, {"f32[]", "f32[3]"}), kRank, 0,
      "cannot multiply float32 by Tensor<float32, [3]>: matmul needs tensors with at "
      "least 1 dimension");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kMatMul, {"f32[3]", "f32[]"}), kRank, 1,
      "cannot multiply Tensor<float32, [3]> by float32: matmul needs tensors with at "
      "least 1 dimension");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kMatMul, {"f32[3, 4]", "bool[4, 2]"}), kType, 1,
                     "cannot multiply Tensor<float32, [3, 4]> by Tensor<bool, [4, 2]>: element "
                     "types float32 and bool do not combine");
}

// ---------------------------------------------------------------- normalization

TEST(ShapeBatchNorm, ShapesAndErrors) {
  EXPECT_EQ(
      Infer(OpKind::kBatchNorm, {"f32[N, 64, 56, 56]", "f32[64]", "f32[64]", "f32[64]", "f32[64]"},
            A({{"eps", 1e-5}})),
      "f32[N, 64, 56, 56]");
  EXPECT_EQ(Infer(OpKind::kBatchNorm, {"f32[N, 64]", "f32[64]", "f32[64]", "f32[64]", "f32[64]"}),
            "f32[N, 64]");
  const auto p = "f32[64]";
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kBatchNorm, {"f32[64]", p, p, p, p}), kRank, 0,
                     "batch_norm expects an input [N, C, ...] with at least 2 dimensions, got "
                     "Tensor<float32, [64]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kBatchNorm, {"i8[N, 64]", p, p, p, p}), kType, 0,
                     "batch_norm expects a float input, got Tensor<int8, [N, 64]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kBatchNorm, {"f32[N, 64]", "f32[32]", p, p, p}), kShape, 1,
                     "batch_norm weight (gamma) must have shape [64], got Tensor<float32, [32]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kBatchNorm, {"f32[N, 64]", p, "f32[64, 1]", p, p}), kShape, 2,
                     "batch_norm bias (beta) must have shape [64], got Tensor<float32, [64, 1]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kBatchNorm, {"f32[N, 64]", p, p, "f32[1]", p}), kShape, 3,
                     "batch_norm running mean must have shape [64], got Tensor<float32, [1]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kBatchNorm, {"f32[N, 64]", p, p, p, "i32[64]"}), kType, 4,
                     "batch_norm expects a float running variance, got Tensor<int32, [64]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kBatchNorm, {"f32[N, 64]", p, p, p, p}, A({{"eps", -1.0}})),
                     kAttr, -1, "batch_norm eps must be non-negative, got -1");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kBatchNorm, {"f32[N, 64]", p, p, p, p}, A({{"eps", std::string("x")}})),
      kAttr, -1, "batch_norm attribute eps must be a number, got \"x\"");
}

TEST(ShapeLayerNorm, Shapes) {
  EXPECT_EQ(Infer(OpKind::kLayerNorm, {"f32[N, T, 64]", "f32[64]", "f32[64]"}), "f32[N, T, 64]");
  EXPECT_EQ(Infer(OpKind::kLayerNorm, {"f32[N, T, 64]"}), "f32[N, T, 64]");
  EXPECT_EQ(Infer(OpKind::kLayerNorm, {"f32[N, 8, 4, 4]", "f32[4, 4]"}), "f32[N, 8, 4, 4]");
  EXPECT_EQ(Infer(OpKind::kLayerNorm, {"f32[N, 8, 4, 4]"}, A({{"normalized_shape", Ints{4, 4}}})),
            "f32[N, 8, 4, 4]");
}

TEST(ShapeLayerNorm, Errors) {
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kLayerNorm, {"f32[]"}), kRank, 0,
                     "layer_norm expects an input with at least 1 dimension, got float32");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kLayerNorm, {"i8[4]"}), kType, 0,
                     "layer_norm expects a float input, got Tensor<int8, [4]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kLayerNorm, {"f32[N, 64]", "f32[32]"}), kShape, 1,
                     "layer_norm normalized shape [32] does not match the trailing dimensions of "
                     "Tensor<float32, [N, 64]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kLayerNorm, {"f32[64]", "f32[2, 64]"}), kRank, 1,
                     "layer_norm normalized shape [2, 64] must cover 1 to 1 trailing dimensions of "
                     "Tensor<float32, [64]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kLayerNorm, {"f32[N, 64]", "f32[64]", "f32[32]"}), kShape, 2,
                     "layer_norm bias Tensor<float32, [32]> must have the weight's shape [64]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kLayerNorm, {"f32[N, 64]", "i8[64]"}), kType, 1,
                     "layer_norm expects a float weight (gamma), got Tensor<int8, [64]>");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kLayerNorm, {"f32[N, 64]"}, A({{"normalized_shape", Ints{32}}})), kAttr, -1,
      "layer_norm normalized shape [32] does not match the trailing dimensions of "
      "Tensor<float32, [N, 64]>");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kLayerNorm, {"f32[N, 64]", "f32[64]"},
               A({{"normalized_shape", Ints{1, 64}}})),
      kAttr, -1,
      "layer_norm normalized_shape [1, 64] disagrees with the weight Tensor<float32, [64]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kLayerNorm, {"f32[N, 64]"}, A({{"eps", -0.5}})), kAttr, -1,
                     "layer_norm eps must be non-negative, got -0.5");
}

// ---------------------------------------------------------------- unary

TEST(ShapeUnary, SameShapeAndElementTypes) {
  const OpKind real_valued[] = {OpKind::kSigmoid, OpKind::kTanh,      OpKind::kGelu,
                                OpKind::kSilu,    OpKind::kHardswish, OpKind::kHardsigmoid,
                                OpKind::kClip,    OpKind::kSoftmax,   OpKind::kLogSoftmax};
  for (OpKind k : real_valued) {
    EXPECT_EQ(Infer(k, {"f32[N, 10]"}), "f32[N, 10]") << OpMnemonic(k);
    EXPECT_EQ(Infer(k, {"f16[N, 10]"}), "f16[N, 10]") << OpMnemonic(k);
    EXPECT_EQ(Infer(k, {"i8[N, 10]"}), "f32[N, 10]") << OpMnemonic(k);
    EXPECT_EQ(Infer(k, {"trit[N, 10]"}), "f32[N, 10]") << OpMnemonic(k);
  }
  const OpKind integral[] = {OpKind::kRelu, OpKind::kRelu6, OpKind::kAbs, OpKind::kNeg};
  for (OpKind k : integral) {
    EXPECT_EQ(Infer(k, {"f32[N, ?, 3]"}), "f32[N, ?, 3]") << OpMnemonic(k);
    EXPECT_EQ(Infer(k, {"i8[N, 10]"}), "i8[N, 10]") << OpMnemonic(k);
    EXPECT_EQ(Infer(k, {"trit[10]"}), "i8[10]") << OpMnemonic(k);
  }
  EXPECT_EQ(Infer(OpKind::kDropout, {"trit[10]"}, A({{"p", 0.1}})), "trit[10]");
  EXPECT_EQ(Infer(OpKind::kDropout, {"f32[]"}), "f32[]");
  EXPECT_EQ(Infer(OpKind::kRelu, {"f32[]"}), "f32[]");
  for (OpKind k : AllOps()) {
    if (!(OpTraits(k) & kUnary)) continue;
    EXPECT_SHAPE_ERROR(
        InferErr(k, {"bool[3]"}), kType, 0,
        std::string(OpMnemonic(k)) + " expects a numeric input, got Tensor<bool, [3]>");
  }
}

TEST(ShapeUnary, Attributes) {
  EXPECT_EQ(Infer(OpKind::kClip, {"f32[3]"}, A({{"min", 0.0}, {"max", int64_t{6}}})), "f32[3]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kClip, {"f32[3]"}, A({{"min", 1.0}, {"max", 0.5}})), kAttr,
                     -1, "clip min 1 is greater than max 0.5");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kClip, {"f32[3]"}, A({{"min", true}})), kAttr, -1,
                     "clip attribute min must be a number, got true");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kDropout, {"f32[3]"}, A({{"p", 1.5}})), kAttr, -1,
                     "dropout p must be in [0, 1], got 1.5");
  EXPECT_EQ(Infer(OpKind::kSoftmax, {"f32[N, 10]"}, A({{"axis", int64_t{1}}})), "f32[N, 10]");
  EXPECT_EQ(Infer(OpKind::kLogSoftmax, {"f32[N, 10]"}, A({{"axis", int64_t{-2}}})), "f32[N, 10]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kSoftmax, {"f32[N, 10]"}, A({{"axis", int64_t{2}}})), kAttr,
                     -1, "softmax axis 2 is out of range for a 2-d tensor");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kLogSoftmax, {"f32[N, 10]"}, A({{"axis", int64_t{-3}}})),
                     kAttr, -1, "log_softmax axis -3 is out of range for a 2-d tensor");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kSoftmax, {"f32[]"}), kRank, 0,
                     "softmax expects an input with at least 1 dimension, got float32");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kSoftmax, {"f32[3]"}, A({{"axis", Ints{0}}})), kAttr, -1,
                     "softmax attribute axis must be an integer, got [0]");
}

// ---------------------------------------------------------------- element-wise

TEST(ShapeElementwise, Broadcasting) {
  EXPECT_EQ(Infer(OpKind::kAdd, {"f32[N, 64, 8, 8]", "f32[N, 64, 8, 8]"}), "f32[N, 64, 8, 8]");
  EXPECT_EQ(Infer(OpKind::kAdd, {"f32[N, 64]", "f32[64]"}), "f32[N, 64]");
  EXPECT_EQ(Infer(OpKind::kMul, {"f32[N, 64, 8, 8]", "f32[64, 1, 1]"}), "f32[N, 64, 8, 8]");
  EXPECT_EQ(Infer(OpKind::kSub, {"f32[1, 3]", "f32[4, 1]"}), "f32[4, 3]");
  EXPECT_EQ(Infer(OpKind::kAdd, {"f32[]", "f32[2, 3]"}), "f32[2, 3]");
  EXPECT_EQ(Infer(OpKind::kAdd, {"f32[?, 3]", "f32[5, 3]"}), "f32[5, 3]");
  EXPECT_EQ(Infer(OpKind::kAdd, {"f32[N, 3]", "f32[5, 3]"}), "f32[5, 3]");
  EXPECT_EQ(Infer(OpKind::kAdd, {"f32[N, 3]", "f32[1, 3]"}), "f32[N, 3]");
  EXPECT_EQ(Infer(OpKind::kAdd, {"f32[N, 3]", "f32[M, 3]"}), "f32[?, 3]");
  EXPECT_EQ(Infer(OpKind::kAdd, {"f32[N, 3]", "f32[?, 3]"}), "f32[?, 3]");
  EXPECT_EQ(Infer(OpKind::kAdd, {"f32[0, 3]", "f32[1, 3]"}), "f32[0, 3]");
}

TEST(ShapeElementwise, ElementTypes) {
  EXPECT_EQ(Infer(OpKind::kAdd, {"trit[3]", "trit[3]"}), "i8[3]");
  EXPECT_EQ(Infer(OpKind::kMul, {"trit[3]", "i8[]"}), "i8[3]");
  EXPECT_EQ(Infer(OpKind::kMul, {"trit[3]", "f32[]"}), "f32[3]");
  EXPECT_EQ(Infer(OpKind::kAdd, {"i8[3]", "i16[3]"}), "i16[3]");
  EXPECT_EQ(Infer(OpKind::kAdd, {"f16[3]", "bf16[3]"}), "f32[3]");
  EXPECT_EQ(Infer(OpKind::kDiv, {"i8[3]", "i8[3]"}), "f32[3]");
  EXPECT_EQ(Infer(OpKind::kDiv, {"trit[3]", "trit[3]"}), "f32[3]");
  EXPECT_EQ(Infer(OpKind::kDiv, {"f64[3]", "i8[3]"}), "f64[3]");
  EXPECT_EQ(Infer(OpKind::kPow, {"trit[3]", "trit[3]"}), "i8[3]");
  EXPECT_EQ(Infer(OpKind::kPow, {"f32[3]", "f32[]"}), "f32[3]");
}

TEST(ShapeElementwise, Errors) {
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kAdd, {"f32[N, 64]", "f32[32]"}), kShape, 1,
                     "cannot add Tensor<float32, [N, 64]> and Tensor<float32, [32]>: shapes do not "
                     "broadcast (dimensions 64 and 32 differ)");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kSub, {"f32[2]", "f32[3]"}), kShape, 1,
      "cannot subtract Tensor<float32, [3]> from Tensor<float32, [2]>: shapes do not "
      "broadcast (dimensions 2 and 3 differ)");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kMul, {"f32[2]", "f32[3]"}), kShape, 1,
                     "cannot multiply Tensor<float32, [2]> and Tensor<float32, [3]>: shapes do not "
                     "broadcast (dimensions 2 and 3 differ)");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kDiv, {"f32[2]", "f32[3]"}), kShape, 1,
                     "cannot divide Tensor<float32, [2]> by Tensor<float32, [3]>: shapes do not "
                     "broadcast (dimensions 2 and 3 differ)");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kPow, {"f32[2]", "f32[3]"}), kShape, 1,
                     "cannot raise Tensor<float32, [2]> to the power Tensor<float32, [3]>: shapes "
                     "do not broadcast (dimensions 2 and 3 differ)");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kAdd, {"bool[2]", "f32[2]"}), kType, 0,
                     "cannot add Tensor<bool, [2]> and Tensor<float32, [2]>: arithmetic on bool is "
                     "not defined");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kAdd, {"f32[2]", "bool[2]"}), kType, 1,
                     "cannot add Tensor<float32, [2]> and Tensor<bool, [2]>: arithmetic on bool is "
                     "not defined");
}

// ---------------------------------------------------------------- pooling

TEST(ShapePool, MaxAndAvg) {
  EXPECT_EQ(Infer(OpKind::kMaxPool2d, {"f32[N, 64, 112, 112]"},
                  A({{"kernel", Ints{3, 3}}, {"stride", Ints{2, 2}}, {"padding", Ints{1, 1}}})),
            "f32[N, 64, 56, 56]");
  EXPECT_EQ(Infer(OpKind::kAvgPool2d, {"f32[N, 8, 32, 32]"}, A({{"kernel", Ints{2, 2}}})),
            "f32[N, 8, 16, 16]");
  EXPECT_EQ(Infer(OpKind::kMaxPool2d, {"trit[1, 8, 5, 5]"}, A({{"kernel", Ints{2, 2}}})),
            "trit[1, 8, 2, 2]");
  EXPECT_EQ(Infer(OpKind::kAvgPool2d, {"i8[1, 8, 4, 4]"}, A({{"kernel", Ints{2, 2}}})),
            "f32[1, 8, 2, 2]");
  EXPECT_EQ(Infer(OpKind::kMaxPool2d, {"f32[N, 8, H, ?]"}, A({{"kernel", Ints{2, 2}}})),
            "f32[N, 8, ?, ?]");
}

TEST(ShapePool, CeilMode) {
  const auto pool = [](const char* x, Ints k, Ints s, Ints p, bool ceil) {
    return Infer(OpKind::kMaxPool2d, {x},
                 A({{"kernel", k}, {"stride", s}, {"padding", p}, {"ceil_mode", ceil}}));
  };
  EXPECT_EQ(pool("f32[1, 1, 5, 5]", {2, 2}, {2, 2}, {0, 0}, false), "f32[1, 1, 2, 2]");
  EXPECT_EQ(pool("f32[1, 1, 5, 5]", {2, 2}, {2, 2}, {0, 0}, true), "f32[1, 1, 3, 3]");
  // The last window would start in the right padding only: dropped (PyTorch gives 2, not 3).
  EXPECT_EQ(pool("f32[1, 1, 3, 3]", {2, 2}, {2, 2}, {1, 1}, true), "f32[1, 1, 2, 2]");
  EXPECT_EQ(pool("f32[1, 1, 6, 7]", {3, 3}, {2, 2}, {1, 1}, true), "f32[1, 1, 4, 4]");
  EXPECT_EQ(pool("f32[1, 1, 6, 7]", {3, 3}, {2, 2}, {1, 1}, false), "f32[1, 1, 3, 4]");
}

TEST(ShapePool, Errors) {
  const auto x = "f32[1, 8, 4, 4]";
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kMaxPool2d, {x}), kAttr, -1,
                     "maxpool2d needs an attribute kernel (a list of integers)");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kAvgPool2d, {x}, A({{"kernel", Ints{2}}})), kAttr, -1,
                     "avgpool2d attribute kernel must have 2 values, got [2]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kMaxPool2d, {x}, A({{"kernel", Ints{0, 2}}})), kAttr, -1,
                     "maxpool2d kernel must be positive, got [0, 2]");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kMaxPool2d, {x}, A({{"kernel", Ints{2, 2}}, {"stride", Ints{0, 0}}})), kAttr,
      -1, "maxpool2d stride must be positive, got [0, 0]");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kMaxPool2d, {x}, A({{"kernel", Ints{2, 2}}, {"padding", Ints{-1, 0}}})),
      kAttr, -1, "maxpool2d padding must be non-negative, got [-1, 0]");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kMaxPool2d, {x}, A({{"kernel", Ints{3, 3}}, {"padding", Ints{2, 0}}})),
      kAttr, -1, "maxpool2d padding [2, 0] must be at most half the kernel [3, 3]");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kMaxPool2d, {x}, A({{"kernel", Ints{2, 2}}, {"ceil_mode", int64_t{1}}})),
      kAttr, -1, "maxpool2d attribute ceil_mode must be true or false, got 1");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kMaxPool2d, {x}, A({{"kernel", Ints{5, 2}}})), kShape, 0,
                     "maxpool2d output height would be 0: input height 4 with kernel 5, stride 5, "
                     "padding 0");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kMaxPool2d, {"f32[8, 4, 4]"}, A({{"kernel", Ints{2, 2}}})),
                     kRank, 0,
                     "maxpool2d expects a 4-d input [N, C, H, W], got Tensor<float32, [8, 4, 4]>");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kAvgPool2d, {"bool[1, 8, 4, 4]"}, A({{"kernel", Ints{2, 2}}})), kType, 0,
      "avgpool2d expects a numeric input, got Tensor<bool, [1, 8, 4, 4]>");
}

TEST(ShapePool, GlobalAndAdaptive) {
  EXPECT_EQ(Infer(OpKind::kGlobalAvgPool2d, {"f32[N, 512, 7, 7]"}), "f32[N, 512, 1, 1]");
  EXPECT_EQ(Infer(OpKind::kGlobalAvgPool2d, {"i8[N, 512, ?, ?]"}), "f32[N, 512, 1, 1]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kGlobalAvgPool2d, {"f32[N, 512]"}), kRank, 0,
                     "global_avgpool2d expects a 4-d input [N, C, H, W], got "
                     "Tensor<float32, [N, 512]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kGlobalAvgPool2d, {"bool[1, 1, 2, 2]"}), kType, 0,
                     "global_avgpool2d expects a numeric input, got Tensor<bool, [1, 1, 2, 2]>");
  EXPECT_EQ(
      Infer(OpKind::kAdaptiveAvgPool2d, {"f32[N, 512, H, W]"}, A({{"output_size", Ints{1, 1}}})),
      "f32[N, 512, 1, 1]");
  EXPECT_EQ(
      Infer(OpKind::kAdaptiveAvgPool2d, {"trit[N, 8, 7, 7]"}, A({{"output_size", Ints{2, 3}}})),
      "f32[N, 8, 2, 3]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kAdaptiveAvgPool2d, {"f32[N, 8, 7, 7]"}), kAttr, -1,
                     "adaptive_avgpool2d needs an attribute output_size (a list of integers)");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kAdaptiveAvgPool2d, {"f32[N, 8, 7, 7]"}, A({{"output_size", Ints{0, 1}}})),
      kAttr, -1, "adaptive_avgpool2d output_size must be positive, got [0, 1]");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kAdaptiveAvgPool2d, {"f32[8, 7, 7]"}, A({{"output_size", Ints{1, 1}}})),
      kRank, 0,
      "adaptive_avgpool2d expects a 4-d input [N, C, H, W], got "
      "Tensor<float32, [8, 7, 7]>");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kAdaptiveAvgPool2d, {"bool[1, 8, 7, 7]"}, A({{"output_size", Ints{1, 1}}})),
      kType, 0, "adaptive_avgpool2d expects a numeric input, got Tensor<bool, [1, 8, 7, 7]>");
}

}  // namespace
}  // namespace triton::ir

// Shape rules of layout, reduction and quantization ops (shape_ops.cc), and the dimension
// arithmetic of shape_util.h.
#include <gtest/gtest.h>

#include "triton/ir/ops.h"
#include "triton/ir/shape_util.h"
#include "triton/ir/test_util.h"

namespace triton::ir {
namespace {

using testing::A;
using testing::Floats;
using testing::Infer;
using testing::InferErr;
using testing::Ints;
using testing::T;

TEST(ShapeUtil, Broadcast) {
  std::pair<int64_t, int64_t> conflict;
  EXPECT_FALSE(BroadcastDims(T("f32[2, 3]").dims, T("f32[4]").dims, &conflict));
  EXPECT_EQ(conflict, (std::pair<int64_t, int64_t>{3, 4}));
  EXPECT_TRUE(BroadcastDims({}, {}).has_value());
  EXPECT_TRUE(DimsCompatible(Dim::Symbol("N"), Dim::Static(3)));
  EXPECT_FALSE(DimsCompatible(Dim::Static(2), Dim::Static(3)));
  EXPECT_EQ(UnifyDims(Dim::Symbol("N"), Dim::Static(3)), Dim::Static(3));
  EXPECT_EQ(UnifyDims(Dim::Unknown(), Dim::Symbol("N")), Dim::Symbol("N"));
  EXPECT_EQ(UnifyDims(Dim::Symbol("M"), Dim::Symbol("N")), Dim::Symbol("M"));
}

TEST(ShapeUtil, OutputSizes) {
  EXPECT_EQ(ConvOutputSize(224, 7, 2, 3, 1), 112);
  EXPECT_EQ(ConvOutputSize(2, 3, 1, 0, 1), 0);
  EXPECT_EQ(ConvOutputSize(5, 3, 0, 0, 1), std::nullopt);
  EXPECT_EQ(ConvOutputSize(INT64_MAX, 1, 1, INT64_MAX, 1), std::nullopt);
  EXPECT_EQ(PoolOutputSize(112, 3, 2, 1, 1, false), 56);
  EXPECT_EQ(PoolOutputSize(3, 2, 2, 1, 1, true), 2);
  EXPECT_EQ(PoolOutputSize(5, 2, 2, 0, 1, true), 3);
}

TEST(ShapeFlatten, Shapes) {
  EXPECT_EQ(Infer(OpKind::kFlatten, {"f32[N, 512, 1, 1]"}), "f32[N, 512]");
  EXPECT_EQ(Infer(OpKind::kFlatten, {"f32[N, 64, 7, 7]"}), "f32[N, 3136]");
  EXPECT_EQ(Infer(OpKind::kFlatten, {"f32[N, 64, 7, 7]"}, A({{"start_dim", int64_t{0}}})),
            "f32[?]");
  EXPECT_EQ(Infer(OpKind::kFlatten, {"f32[2, 3, 4, 5]"},
                  A({{"start_dim", int64_t{1}}, {"end_dim", int64_t{2}}})),
            "f32[2, 12, 5]");
  EXPECT_EQ(Infer(OpKind::kFlatten, {"f32[N, C, H]"},
                  A({{"start_dim", int64_t{1}}, {"end_dim", int64_t{1}}})),
            "f32[N, C, H]");
  EXPECT_EQ(Infer(OpKind::kFlatten, {"f32[N, 8, ?]"}), "f32[N, ?]");
  EXPECT_EQ(Infer(OpKind::kFlatten, {"bool[N, 2, 2]"}), "bool[N, 4]");
  EXPECT_EQ(Infer(OpKind::kFlatten, {"f32[5]"}, A({{"start_dim", int64_t{0}}})), "f32[5]");
}

TEST(ShapeFlatten, Errors) {
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kFlatten, {"f32[]"}), kRank, 0,
                     "flatten expects an input with at least 1 dimension, got float32");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kFlatten, {"f32[4]"}), kAttr, -1,
                     "flatten start_dim 1 is out of range for a 1-d tensor");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kFlatten, {"f32[4, 4]"}, A({{"end_dim", int64_t{-3}}})),
                     kAttr, -1, "flatten end_dim -3 is out of range for a 2-d tensor");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kFlatten, {"f32[4, 4, 4]"},
                              A({{"start_dim", int64_t{2}}, {"end_dim", int64_t{1}}})),
                     kAttr, -1, "flatten start_dim 2 comes after end_dim 1");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kFlatten, {"f32[4, 4]"}, A({{"start_dim", 1.0}})), kAttr, -1,
                     "flatten attribute start_dim must be an integer, got 1.0");
}

TEST(ShapeReshape, Shapes) {
  EXPECT_EQ(Infer(OpKind::kReshape, {"f32[2, 3, 4]"}, A({{"shape", Ints{6, 4}}})), "f32[6, 4]");
  EXPECT_EQ(Infer(OpKind::kReshape, {"f32[2, 3, 4]"}, A({{"shape", Ints{-1, 4}}})), "f32[6, 4]");
  EXPECT_EQ(Infer(OpKind::kReshape, {"f32[2, 3, 4]"}, A({{"shape", Ints{-1}}})), "f32[24]");
  EXPECT_EQ(Infer(OpKind::kReshape, {"f32[N, 512, 1, 1]"}, A({{"shape", Ints{-1, 512}}})),
            "f32[N, 512]");
  EXPECT_EQ(Infer(OpKind::kReshape, {"f32[N, 4, 8]"}, A({{"shape", Ints{-1, 2, 16}}})),
            "f32[N, 2, 16]");
  EXPECT_EQ(Infer(OpKind::kReshape, {"f32[N, 4, 8]"}, A({{"shape", Ints{-1, 16}}})), "f32[?, 16]");
  EXPECT_EQ(Infer(OpKind::kReshape, {"f32[N, M, 8]"}, A({{"shape", Ints{-1, 8}}})), "f32[?, 8]");
  EXPECT_EQ(Infer(OpKind::kReshape, {"f32[N, 8]"}, A({{"shape", Ints{4, 2}}})), "f32[4, 2]");
  EXPECT_EQ(Infer(OpKind::kReshape, {"f32[]"}, A({{"shape", Ints{1, 1}}})), "f32[1, 1]");
  EXPECT_EQ(Infer(OpKind::kReshape, {"f32[3]"}, A({{"shape", Ints{}}})),
            "error: cannot reshape "
            "Tensor<float32, [3]> (3 elements) to []");
  EXPECT_EQ(Infer(OpKind::kReshape, {"f32[0, 4]"}, A({{"shape", Ints{0, -1}}})),
            "error: cannot reshape Tensor<float32, [0, 4]> (0 elements) to [0, -1]");
}

TEST(ShapeReshape, Errors) {
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kReshape, {"f32[2, 3]"}), kAttr, -1,
                     "reshape needs an attribute shape (a list of integers)");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kReshape, {"f32[2, 3]"}, A({{"shape", Ints{-1, -1}}})), kAttr,
                     -1, "reshape shape [-1, -1] may hold one -1 and otherwise sizes >= 0");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kReshape, {"f32[2, 3]"}, A({{"shape", Ints{-2, 3}}})), kAttr,
                     -1, "reshape shape [-2, 3] may hold one -1 and otherwise sizes >= 0");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kReshape, {"f32[2, 3]"}, A({{"shape", Ints{4, 2}}})), kShape,
                     0, "cannot reshape Tensor<float32, [2, 3]> (6 elements) to [4, 2]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kReshape, {"f32[2, 3]"}, A({{"shape", Ints{-1, 4}}})), kShape,
                     0, "cannot reshape Tensor<float32, [2, 3]> (6 elements) to [-1, 4]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kReshape, {"f32[N]"},
                              A({{"shape", Ints{int64_t{1} << 40, int64_t{1} << 40}}})),
                     kAttr, -1, "reshape shape [1099511627776, 1099511627776] is too large");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kReshape, {"f32[2, 3]"}, A({{"shape", Floats{6.0}}})), kAttr,
                     -1, "reshape attribute shape must be a list of integers, got [6.0]");
}

TEST(ShapeTransposePermute, All) {
  EXPECT_EQ(
      Infer(OpKind::kTranspose, {"f32[N, 3, 4]"}, A({{"dim0", int64_t{1}}, {"dim1", int64_t{-1}}})),
      "f32[N, 4, 3]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kTranspose, {"f32[N, 3]"}, A({{"dim0", int64_t{0}}})), kAttr,
                     -1, "transpose needs an integer attribute dim1");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kTranspose, {"f32[N, 3]"}, A({{"dim0", int64_t{0}}, {"dim1", int64_t{2}}})),
      kAttr, -1, "transpose dim1 2 is out of range for a 2-d tensor");
  EXPECT_EQ(Infer(OpKind::kPermute, {"f32[N, 3, 4, 5]"}, A({{"dims", Ints{0, 2, 3, 1}}})),
            "f32[N, 4, 5, 3]");
  EXPECT_EQ(Infer(OpKind::kPermute, {"f32[N, 3]"}, A({{"dims", Ints{-1, 0}}})), "f32[3, N]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kPermute, {"f32[N, 3]"}), kAttr, -1,
                     "permute needs an attribute dims (a list of integers)");
  const char* bad =
      "permute dims {} must be a permutation of the 2 dimensions of "
      "Tensor<float32, [N, 3]>";
  for (const Ints& dims : {Ints{0}, Ints{0, 0}, Ints{0, 2}, Ints{0, -1, 1}}) {
    std::string list = "[";
    for (size_t i = 0; i < dims.size(); ++i) list += (i ? ", " : "") + std::to_string(dims[i]);
    std::string msg = bad;
    msg.replace(msg.find("{}"), 2, list + "]");
    EXPECT_SHAPE_ERROR(InferErr(OpKind::kPermute, {"f32[N, 3]"}, A({{"dims", dims}})), kAttr, -1,
                       msg);
  }
}

TEST(ShapeConcat, Shapes) {
  EXPECT_EQ(Infer(OpKind::kConcat, {"f32[N, 3, 8]", "f32[N, 5, 8]"}, A({{"axis", int64_t{1}}})),
            "f32[N, 8, 8]");
  EXPECT_EQ(
      Infer(OpKind::kConcat, {"f32[N, 3]", "f32[N, 5]", "f32[N, 1]"}, A({{"axis", int64_t{-1}}})),
      "f32[N, 9]");
  EXPECT_EQ(Infer(OpKind::kConcat, {"f32[2, 3]", "f32[4, 3]"}), "f32[6, 3]");
  EXPECT_EQ(Infer(OpKind::kConcat, {"f32[N, 3]", "f32[4, 3]"}), "f32[?, 3]");
  EXPECT_EQ(Infer(OpKind::kConcat, {"f32[N, 3]"}), "f32[N, 3]");
  EXPECT_EQ(Infer(OpKind::kConcat, {"f32[?, 3]", "f32[N, 3]"}, A({{"axis", int64_t{1}}})),
            "f32[N, 6]");
  EXPECT_EQ(Infer(OpKind::kConcat, {"trit[2]", "trit[3]"}), "trit[5]");
  EXPECT_EQ(Infer(OpKind::kConcat, {"trit[2]", "f32[3]"}), "f32[5]");
}

TEST(ShapeConcat, Errors) {
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConcat, {"f32[]", "f32[]"}), kRank, 0,
                     "concat expects operands with at least 1 dimension, got float32");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConcat, {"f32[N, 3]", "f32[N, 3, 1]"}), kRank, 1,
                     "concat operand 1 is Tensor<float32, [N, 3, 1]> but operand 0 is "
                     "Tensor<float32, [N, 3]>: ranks differ");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConcat, {"f32[N, 3]", "f32[N, 3]", "f32[N, 4]"}), kShape, 2,
                     "concat operand 2 is Tensor<float32, [N, 4]> but operand 0 is "
                     "Tensor<float32, [N, 3]>: dimension 1 differs (only axis 0 may)");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConcat, {"f32[3]", "bool[3]"}), kType, 1,
                     "concat operand 1 has element type bool, which has no common type with "
                     "float32");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kConcat, {"f32[3]", "f32[3]"}, A({{"axis", int64_t{1}}})),
                     kAttr, -1, "concat axis 1 is out of range for a 1-d tensor");
}

TEST(ShapePad, All) {
  EXPECT_EQ(Infer(OpKind::kPad, {"f32[N, 3, 8, 8]"}, A({{"pads", Ints{1, 1, 2, 2}}})),
            "f32[N, 3, 12, 10]");
  EXPECT_EQ(Infer(OpKind::kPad, {"f32[N, 3, 8, 8]"},
                  A({{"pads", Ints{0, 0, 0, 0, 1, 0}}, {"value", 0.5}})),
            "f32[N, 4, 8, 8]");
  EXPECT_EQ(Infer(OpKind::kPad, {"f32[N, 8]"}, A({{"pads", Ints{-2, -1}}})), "f32[N, 5]");
  EXPECT_EQ(Infer(OpKind::kPad, {"f32[N, 8]"}, A({{"pads", Ints{0, 0, 1, 0}}})), "f32[?, 8]");
  EXPECT_EQ(
      Infer(OpKind::kPad, {"f32[N, 8]"}, A({{"pads", Ints{}}, {"mode", std::string("reflect")}})),
      "f32[N, 8]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kPad, {"f32[8]"}), kAttr, -1,
                     "pad needs an attribute pads (a list of integers)");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kPad, {"f32[8]"}, A({{"pads", Ints{1}}})), kAttr, -1,
                     "pad pads [1] must be (before, after) pairs for at most the 1 dimensions of "
                     "Tensor<float32, [8]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kPad, {"f32[8]"}, A({{"pads", Ints{1, 1, 1, 1}}})), kAttr, -1,
                     "pad pads [1, 1, 1, 1] must be (before, after) pairs for at most the 1 "
                     "dimensions of Tensor<float32, [8]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kPad, {"f32[8]"}, A({{"pads", Ints{-5, -4}}})), kShape, 0,
                     "pad [-5, -4] of Tensor<float32, [8]> gives dimension 0 a size out of range");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kPad, {"f32[8]"}, A({{"pads", Ints{0, 0}}, {"mode", std::string("wrap")}})),
      kAttr, -1, "pad mode \"wrap\" must be constant, reflect, replicate or circular");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kPad, {"f32[8]"}, A({{"pads", Ints{0, 0}}, {"value", std::string("x")}})),
      kAttr, -1, "pad attribute value must be a number, got \"x\"");
}

TEST(ShapeReduce, All) {
  EXPECT_EQ(Infer(OpKind::kMean, {"f32[N, 64, 7, 7]"}, A({{"axes", Ints{2, 3}}})), "f32[N, 64]");
  EXPECT_EQ(
      Infer(OpKind::kMean, {"f32[N, 64, 7, 7]"}, A({{"axes", Ints{-1, -2}}, {"keepdim", true}})),
      "f32[N, 64, 1, 1]");
  EXPECT_EQ(Infer(OpKind::kSum, {"f32[N, 64]"}), "f32[]");
  EXPECT_EQ(Infer(OpKind::kSum, {"f32[N, 64]"}, A({{"keepdim", true}})), "f32[1, 1]");
  EXPECT_EQ(Infer(OpKind::kSum, {"f32[N, 64]"}, A({{"axes", Floats{}}})), "f32[]");
  EXPECT_EQ(Infer(OpKind::kSum, {"trit[3, 4]"}, A({{"axes", Ints{1}}})), "i64[3]");
  EXPECT_EQ(Infer(OpKind::kMean, {"i8[3, 4]"}, A({{"axes", Ints{1}}})), "f32[3]");
  EXPECT_EQ(Infer(OpKind::kReduceMax, {"trit[3, 4]"}, A({{"axes", Ints{0}}})), "trit[4]");
  EXPECT_EQ(Infer(OpKind::kReduceMin, {"f16[3, 4]"}, A({{"axes", Ints{0}}})), "f16[4]");
  EXPECT_EQ(Infer(OpKind::kSum, {"f32[]"}), "f32[]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kMean, {"f32[3, 4]"}, A({{"axes", Ints{2}}})), kAttr, -1,
                     "mean axis 2 is out of range for a 2-d tensor");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kSum, {"f32[3, 4]"}, A({{"axes", Ints{1, -1}}})), kAttr, -1,
                     "sum axes [1, -1] name dimension 1 twice");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kReduceMax, {"f32[3, 4]"}, A({{"keepdim", int64_t{1}}})),
                     kAttr, -1, "max attribute keepdim must be true or false, got 1");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kReduceMin, {"bool[3]"}), kType, 0,
                     "min expects a numeric input, got Tensor<bool, [3]>");
}

TEST(ShapeQuant, TernaryQuantize) {
  EXPECT_EQ(Infer(OpKind::kTernaryQuantize, {"f32[64, 3, 3, 3]"}), "trit[64, 3, 3, 3]");
  EXPECT_EQ(
      Infer(OpKind::kTernaryQuantize, {"f16[N, 8]"},
            A({{"method", std::string("absmean")}, {"threshold", 0.5}, {"per_channel", false}})),
      "trit[N, 8]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kTernaryQuantize, {"i8[4]"}), kType, 0,
                     "ternary_quantize expects a float input, got Tensor<int8, [4]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kTernaryQuantize, {"trit[4]"}), kType, 0,
                     "ternary_quantize expects a float input, got TernaryTensor<trit, [4]>");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kTernaryQuantize, {"f32[4]"}, A({{"method", std::string("magic")}})), kAttr,
      -1,
      "ternary_quantize method \"magic\" is not one of twn, threshold, stochastic, learned, "
      "absmean");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kTernaryQuantize, {"f32[4]"}, A({{"threshold", -0.1}})),
                     kAttr, -1, "ternary_quantize threshold must be non-negative, got -0.1");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kTernaryQuantize, {"f32[4]"}, A({{"method", int64_t{1}}})),
                     kAttr, -1, "ternary_quantize attribute method must be a string, got 1");
}

TEST(ShapeQuant, SteDequantizeInt8Cast) {
  EXPECT_EQ(Infer(OpKind::kSteQuantize, {"trit[64, 3]"}), "trit[64, 3]");
  EXPECT_EQ(Infer(OpKind::kSteQuantize, {"f32[N, 3]"}), "f32[N, 3]");
  EXPECT_EQ(Infer(OpKind::kDequantize, {"trit[64, 3]"}), "f32[64, 3]");
  EXPECT_EQ(Infer(OpKind::kDequantize, {"trit[64, 3]", "f32[64]"}), "f32[64, 3]");
  EXPECT_EQ(Infer(OpKind::kDequantize, {"i8[N, 3]", "f32[]"}), "f32[N, 3]");
  EXPECT_EQ(Infer(OpKind::kDequantize, {"i8[N, 3]", "f32[1]"}), "f32[N, 3]");
  EXPECT_EQ(Infer(OpKind::kDequantize, {"i8[N, 3]", "f32[3]"}, A({{"axis", int64_t{-1}}})),
            "f32[N, 3]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kDequantize, {"trit[64, 3]", "f32[32]"}), kShape, 1,
                     "dequantize scale Tensor<float32, [32]> must hold 1 value or one per slice of "
                     "TernaryTensor<trit, [64, 3]> along axis 0");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kDequantize, {"trit[64, 3]", "f32[64, 1]"}), kRank, 1,
                     "dequantize scale must be a scalar or a vector, got Tensor<float32, [64, 1]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kDequantize, {"trit[64, 3]", "i8[64]"}), kType, 1,
                     "dequantize expects a float scale, got Tensor<int8, [64]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kDequantize, {"bool[64]"}), kType, 0,
                     "dequantize expects a numeric input, got Tensor<bool, [64]>");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kDequantize, {"trit[64, 3]", "f32[64]"}, A({{"axis", int64_t{2}}})), kAttr,
      -1, "dequantize axis 2 is out of range for a 2-d tensor");
  EXPECT_EQ(Infer(OpKind::kQuantizeInt8, {"f32[N, 3]"}), "i8[N, 3]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kQuantizeInt8, {"i32[3]"}), kType, 0,
                     "quantize_int8 expects a float input, got Tensor<int32, [3]>");
  EXPECT_EQ(Infer(OpKind::kCast, {"f32[N, 3]"}, A({{"dtype", std::string("int8")}})), "i8[N, 3]");
  EXPECT_EQ(Infer(OpKind::kCast, {"trit[3]"}, A({{"dtype", std::string("float")}})), "f32[3]");
  EXPECT_EQ(Infer(OpKind::kCast, {"trit[3]"}, A({{"dtype", std::string("trit")}})), "trit[3]");
  EXPECT_EQ(Infer(OpKind::kCast, {"bool[3]"}, A({{"dtype", std::string("int")}})), "i64[3]");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kCast, {"f32[3]"}), kAttr, -1,
                     "cast needs a string attribute dtype");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kCast, {"f32[3]"}, A({{"dtype", std::string("f32")}})), kAttr,
                     -1, "cast dtype \"f32\" is not an element type");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kCast, {"f32[3]"}, A({{"dtype", std::string("trit")}})),
                     kType, 0, "cannot cast Tensor<float32, [3]> to trit: use ternary_quantize");
}

// Every op has at least one accepted call above; this guards that each rule returns a type of
// the documented rank for a typical call, so a new op without a rule test stands out.
TEST(ShapeCoverage, EveryOpAcceptsATypicalCall) {
  const std::string x = "f32[N, 8, 16, 16]";
  for (OpKind k : AllOps()) {
    std::vector<TensorType> in = {T(x)};
    Attrs a;
    switch (k) {
      case OpKind::kConv2d:
      case OpKind::kFusedConv2d:  // no flags: just the convolution (fused_test.cc has the rest)
        in.push_back(T("f32[4, 8, 3, 3]"));
        break;
      case OpKind::kLinear:
      case OpKind::kFusedLinear:
        in.push_back(T("f32[4, 16]"));
        break;
      case OpKind::kMatMul:
        in.push_back(T("f32[16, 4]"));
        break;
      case OpKind::kBatchNorm:
        for (int i = 0; i < 4; ++i) in.push_back(T("f32[8]"));
        break;
      case OpKind::kLayerNorm:
        in.push_back(T("f32[16]"));
        break;
      case OpKind::kAdd:
      case OpKind::kSub:
      case OpKind::kMul:
      case OpKind::kDiv:
      case OpKind::kPow:
        in.push_back(T("f32[16]"));
        break;
      case OpKind::kMaxPool2d:
      case OpKind::kAvgPool2d:
        a.Set("kernel", Ints{2, 2});
        break;
      case OpKind::kAdaptiveAvgPool2d:
        a.Set("output_size", Ints{1, 1});
        break;
      case OpKind::kReshape:
        a.Set("shape", Ints{-1, 8, 256});
        break;
      case OpKind::kTranspose:
        a.Set("dim0", int64_t{2});
        a.Set("dim1", int64_t{3});
        break;
      case OpKind::kPermute:
        a.Set("dims", Ints{0, 2, 3, 1});
        break;
      case OpKind::kConcat:
        in.push_back(T(x));
        break;
      case OpKind::kPad:
        a.Set("pads", Ints{1, 1});
        break;
      case OpKind::kDequantize:
        in.push_back(T("f32[]"));
        break;
      case OpKind::kCast:
        a.Set("dtype", std::string("float16"));
        break;
      default:
        break;
    }
    TypeOrError r = InferType(k, in, a);
    EXPECT_TRUE(std::holds_alternative<TensorType>(r))
        << OpMnemonic(k) << ": " << std::get<ShapeError>(r).message;
  }
}

}  // namespace
}  // namespace triton::ir

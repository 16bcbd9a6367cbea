// fused_conv2d and fused_linear: the type rule, the MAC count, and the reference evaluation,
// which must equal the unfused ops run one after another bit for bit.
#include "triton/ir/fused.h"

#include <gtest/gtest.h>

#include <random>

#include "triton/ir/eval_test_util.h"

namespace triton::ir {
namespace {

using testing::A;
using testing::Infer;
using testing::InferErr;
using testing::Ints;
using testing::T;
using testing::Ts;

Attrs Conv(bool bias, bool bn, bool residual, const char* act) {
  return A({{"stride", Ints{1, 1}},
            {"padding", Ints{1, 1}},
            {"dilation", Ints{1, 1}},
            {"groups", int64_t{1}},
            {"has_bias", bias},
            {"has_bn", bn},
            {"has_residual", residual},
            {"eps", 1e-3},
            {"activation", std::string(act)}});
}

// A conv2d's own attributes (what the fused rule reads for its dense step).
Attrs ConvOnly() {
  return A({{"stride", Ints{1, 1}},
            {"padding", Ints{1, 1}},
            {"dilation", Ints{1, 1}},
            {"groups", int64_t{1}}});
}

Attrs Lin(bool bias, bool bn, bool residual, const char* act) {
  return A({{"has_bias", bias},
            {"has_bn", bn},
            {"has_residual", residual},
            {"activation", std::string(act)}});
}

TEST(FusedLayout, OperandGroups) {
  FusedLayout l = GetFusedLayout(Conv(true, true, true, "relu"));
  EXPECT_EQ(l.bias, 2);
  EXPECT_EQ(l.bn, 3);
  EXPECT_EQ(l.residual, 7);
  EXPECT_EQ(l.operand_count, 8);
  EXPECT_EQ(l.eps, 1e-3);
  EXPECT_EQ(l.activation, "relu");
  l = GetFusedLayout(A({{"has_residual", true}}));
  EXPECT_EQ(l.bias, -1);
  EXPECT_EQ(l.bn, -1);
  EXPECT_EQ(l.residual, 2);
  EXPECT_EQ(l.activation, "none");
  EXPECT_EQ(FusedActivationOp("hardswish"), OpKind::kHardswish);
  EXPECT_EQ(FusedActivationOp("none"), std::nullopt);
  EXPECT_FALSE(IsFusedActivation("softmax"));
  EXPECT_EQ(FusedActivationName(OpKind::kSilu), "silu");
  EXPECT_EQ(FusedActivationName(OpKind::kAbs), std::nullopt);
}

TEST(FusedType, Accepts) {
  const char* c = "f32[8]";
  EXPECT_EQ(Infer(OpKind::kFusedConv2d, {"f32[N, 4, 8, 8]", "trit[8, 4, 3, 3]"},
                  Conv(false, false, false, "none")),
            "f32[N, 8, 8, 8]");
  EXPECT_EQ(Infer(OpKind::kFusedConv2d,
                  {"f32[N, 4, 8, 8]", "trit[8, 4, 3, 3]", c, c, c, c, c, "f32[N, 8, 8, 8]"},
                  Conv(true, true, true, "silu")),
            "f32[N, 8, 8, 8]");
  EXPECT_EQ(Infer(OpKind::kFusedLinear, {"f32[N, 16]", "trit[8, 16]", c, c, c, c},
                  Lin(false, true, false, "relu6")),
            "f32[N, 8]");
  // Without batch-norm, a linear of any rank; an int32 accumulator keeps relu.
  EXPECT_EQ(Infer(OpKind::kFusedLinear, {"f32[N, 5, 16]", "f32[8, 16]", "f32[N, 5, 8]"},
                  Lin(false, false, true, "gelu")),
            "f32[N, 5, 8]");
  EXPECT_EQ(
      Infer(OpKind::kFusedLinear, {"i8[N, 16]", "trit[8, 16]"}, Lin(false, false, false, "relu")),
      "i32[N, 8]");
}

TEST(FusedType, Rejects) {
  const char* c = "f32[8]";
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kFusedConv2d, {"f32[N, 4, 8, 8]", "f32[8, 4, 3, 3]", c},
                              Conv(false, true, false, "none")),
                     kArity, -1,
                     "fused_conv2d with has_bias=false, has_bn=true, has_residual=false takes 6 "
                     "operands, got 3");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kFusedConv2d, {"f32[N, 4, 8, 8]", "f32[8, 4, 3, 3]"},
                              Conv(false, false, false, "softmax")),
                     kAttr, -1,
                     "fused_conv2d activation \"softmax\" is not one of none, relu, relu6, "
                     "sigmoid, silu, hardswish, hardsigmoid, gelu, tanh");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kFusedConv2d, {"f32[N, 4, 8, 8]", "f32[8, 4, 3, 3]", c, "f32[4]", c, c},
               Conv(false, true, false, "none")),
      kShape, 3, "batch_norm bias (beta) must have shape [8], got Tensor<float32, [4]>");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kFusedConv2d, {"f32[N, 4, 8, 8]", "f32[8, 4, 3, 3]", "f32[N, 8, 4, 4]"},
               Conv(false, false, true, "none")),
      kShape, 2,
      "fused_conv2d residual Tensor<float32, [N, 8, 4, 4]> must have the result's "
      "type Tensor<float32, [N, 8, 8, 8]>");
  EXPECT_SHAPE_ERROR(
      InferErr(OpKind::kFusedConv2d, {"f32[N, 4, 8, 8]", "f32[8, 4, 3, 3]", "f16[N, 8, 8, 8]"},
               Conv(false, false, true, "none")),
      kType, 2,
      "fused_conv2d residual Tensor<float16, [N, 8, 8, 8]> must have the result's "
      "type Tensor<float32, [N, 8, 8, 8]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kFusedLinear, {"f32[N, 5, 16]", "f32[8, 16]", c, c, c, c},
                              Lin(false, true, false, "none")),
                     kRank, 0,
                     "fused_linear with has_bn needs a 2-d result [N, out] (batch-norm over the "
                     "features), got Tensor<float32, [N, 5, 8]>");
  EXPECT_SHAPE_ERROR(InferErr(OpKind::kFusedLinear, {"i8[N, 16]", "trit[8, 16]"},
                              Lin(false, false, false, "sigmoid")),
                     kType, -1,
                     "fused_linear activation sigmoid would change the result type from int32 to "
                     "float32");
  // The dense step's own errors come through with their operand.
  EXPECT_EQ(InferErr(OpKind::kFusedConv2d, {"f32[N, 3, 8, 8]", "f32[8, 4, 3, 3]"},
                     Conv(false, false, false, "none"))
                .operand,
            1);
}

// The passes check candidates with FusedType on decoded parts; it must answer exactly as
// InferType does on the attributes those parts spell (accepted types and every error alike).
// What the pass matchers pass as `known` (the type after the dense step, or after the dense step
// and batch-norm, of a candidate's source op) answers like running those steps: for well-typed
// prefixes the result and every later step's error are the same.
TEST(FusedType, KnownPrefixAnswersLikeTheFullRule) {
  const char* c = "f32[8]";
  const Attrs conv = ConvOnly();
  struct Case {
    std::vector<std::string> operands;  // x, w, bn?, residual?
    bool bn, residual;
    const char* act;
  };
  const std::vector<Case> cases = {
      {{"f32[N, 4, 8, 8]", "f32[8, 4, 3, 3]", c, c, c, c}, true, false, "relu"},
      {{"f32[N, 4, 8, 8]", "f32[8, 4, 3, 3]", c, c, c, c, "f32[N, 8, 8, 8]"}, true, true, "relu"},
      {{"f32[N, 4, 8, 8]", "f32[8, 4, 3, 3]", c, c, c, c, "f32[N, 8, 4, 4]"}, true, true, "none"},
      {{"f32[N, 4, 8, 8]", "f32[8, 4, 3, 3]", c, c, c, c, "f16[N, 8, 8, 8]"}, true, true, "none"},
      {{"f32[N, 4, 8, 8]", "f32[8, 4, 3, 3]", "f32[N, 8, 8, 8]"}, false, true, "silu"},
      {{"f32[N, 4, 8, 8]", "trit[8, 4, 3, 3]"}, false, false, "hardswish"},
      {{"f32[N, 4, 8, 8]", "f32[8, 4, 3, 3]", c, "f32[4]", c, c}, true, false, "none"},
  };
  for (const Case& k : cases) {
    std::vector<TensorType> in;
    for (const std::string& o : k.operands) in.push_back(T(o));
    const FusedParts parts{false, k.bn, k.residual, 1e-5, k.act};
    const TypeOrError want = FusedType(OpKind::kFusedConv2d, in, conv, parts);
    // After the dense step: the conv2d's own type.
    const TypeOrError dense = InferType(OpKind::kConv2d, std::span(in).first(2), conv);
    ASSERT_TRUE(std::holds_alternative<TensorType>(dense));
    std::vector<FusedKnown> knowns = {{FusedKnown::kDense, &std::get<TensorType>(dense)}};
    // After the batch-norm too, when the prefix with it is well-typed.
    const FusedParts norm_only{false, k.bn, false, 1e-5, "none"};
    std::vector<TensorType> norm_in(in.begin(), in.begin() + (k.bn ? 6 : 2));
    const TypeOrError norm = FusedType(OpKind::kFusedConv2d, norm_in, conv, norm_only);
    if (const auto* t = std::get_if<TensorType>(&norm)) knowns.push_back({FusedKnown::kNorm, t});
    for (const FusedKnown& known : knowns) {
      const TypeOrError got = FusedType(OpKind::kFusedConv2d, in, conv, parts, known);
      const std::string what = k.operands.back() + " " + k.act + " known " +
                               std::to_string(static_cast<int>(known.through));
      ASSERT_EQ(want.index(), got.index()) << what;
      if (const auto* t = std::get_if<TensorType>(&want)) {
        EXPECT_EQ(*t, std::get<TensorType>(got)) << what;
      } else {
        EXPECT_EQ(std::get<ShapeError>(want).message, std::get<ShapeError>(got).message) << what;
        EXPECT_EQ(std::get<ShapeError>(want).operand, std::get<ShapeError>(got).operand) << what;
      }
    }
  }
}

TEST(FusedType, PartsAnswerLikeTheAttributes) {
  const char* c = "f32[8]";
  const Attrs conv_only = ConvOnly();
  struct Case {
    OpKind kind;
    std::vector<std::string> operands;
    bool bias, bn, residual;
    const char* act;
  };
  const std::vector<Case> cases = {
      {OpKind::kFusedConv2d, {"f32[N, 4, 8, 8]", "trit[8, 4, 3, 3]"}, false, false, false, "none"},
      {OpKind::kFusedConv2d,
       {"f32[N, 4, 8, 8]", "trit[8, 4, 3, 3]", c, c, c, c, c, "f32[N, 8, 8, 8]"},
       true,
       true,
       true,
       "silu"},
      {OpKind::kFusedConv2d, {"f32[N, 4, 8, 8]", "f32[8, 4, 3, 3]", c}, false, true, false, "none"},
      {OpKind::kFusedConv2d,
       {"f32[N, 4, 8, 8]", "f32[8, 4, 3, 3]"},
       false,
       false,
       false,
       "softmax"},
      {OpKind::kFusedConv2d,
       {"f32[N, 4, 8, 8]", "f32[8, 4, 3, 3]", c, "f32[4]", c, c},
       false,
       true,
       false,
       "none"},
      {OpKind::kFusedConv2d,
       {"f32[N, 4, 8, 8]", "f32[8, 4, 3, 3]", "f16[N, 8, 8, 8]"},
       false,
       false,
       true,
       "relu"},
      {OpKind::kFusedConv2d, {"f32[N, 3, 8, 8]", "f32[8, 4, 3, 3]"}, false, false, false, "none"},
      {OpKind::kFusedLinear,
       {"f32[N, 16]", "trit[8, 16]", c, c, c, c},
       false,
       true,
       false,
       "relu6"},
      {OpKind::kFusedLinear,
       {"f32[N, 5, 16]", "f32[8, 16]", c, c, c, c},
       false,
       true,
       false,
       "none"},
      {OpKind::kFusedLinear, {"i8[N, 16]", "trit[8, 16]"}, false, false, false, "sigmoid"},
      {OpKind::kFusedLinear, {"i8[N, 16]", "trit[8, 16]"}, false, false, false, "relu"},
  };
  for (const Case& k : cases) {
    const bool conv = k.kind == OpKind::kFusedConv2d;
    const Attrs attrs =
        conv ? Conv(k.bias, k.bn, k.residual, k.act) : Lin(k.bias, k.bn, k.residual, k.act);
    const FusedParts parts{k.bias, k.bn, k.residual, conv ? 1e-3 : 1e-5, k.act};
    std::vector<TensorType> in;
    for (const std::string& o : k.operands) in.push_back(T(o));
    const TypeOrError want = InferType(k.kind, in, attrs);
    const TypeOrError got = FusedType(k.kind, in, conv ? conv_only : Attrs{}, parts);
    ASSERT_EQ(want.index(), got.index()) << k.operands[0] << " " << k.act;
    if (const auto* t = std::get_if<TensorType>(&want)) {
      EXPECT_EQ(*t, std::get<TensorType>(got));
    } else {
      const ShapeError& a = std::get<ShapeError>(want);
      const ShapeError& b = std::get<ShapeError>(got);
      EXPECT_EQ(a.code, b.code);
      EXPECT_EQ(a.operand, b.operand);
      EXPECT_EQ(a.message, b.message);
    }
  }
}

TEST(FusedMacs, LikeTheDenseOp) {
  const std::vector<TensorType> conv = Ts({"f32[N, 4, 8, 8]", "trit[8, 4, 3, 3]"});
  const TensorType out = T("f32[N, 8, 8, 8]");
  const Attrs a = Conv(false, false, false, "relu");
  EXPECT_EQ(CountMacs(OpKind::kFusedConv2d, conv, out, a),
            CountMacs(OpKind::kConv2d, conv, out, a));
  EXPECT_EQ(CountMacs(OpKind::kFusedConv2d, conv, out, a), 8 * 8 * 8 * 4 * 9);
  const std::vector<TensorType> lin = Ts({"f32[N, 16]", "f32[8, 16]"});
  EXPECT_EQ(CountMacs(OpKind::kFusedLinear, lin, T("f32[N, 8]"), {}), 8 * 16);
}

HostTensor Random(std::mt19937& rng, std::vector<int64_t> shape, float lo, float hi) {
  std::uniform_real_distribution<float> d(lo, hi);
  HostTensor t = testing::Iota(std::move(shape));
  for (float& v : t.data) v = d(rng);
  return t;
}

// fused(x, ...) == act(batch_norm(dense(x, w, bias)) + residual), op by op, bit for bit.
void ExpectEqualsSteps(OpKind fused, const std::vector<HostTensor>& in, const Attrs& a) {
  const FusedLayout l = GetFusedLayout(a);
  HostTensor want =
      testing::RunOk(FusedBaseOp(fused),
                     std::vector<HostTensor>(in.begin(), in.begin() + (l.bias >= 0 ? 3 : 2)), a);
  if (l.bn >= 0) {
    const auto b = static_cast<size_t>(l.bn);
    want = testing::RunOk(OpKind::kBatchNorm, {want, in[b], in[b + 1], in[b + 2], in[b + 3]},
                          A({{"eps", l.eps}}));
  }
  if (l.residual >= 0) {
    want = testing::RunOk(OpKind::kAdd, {in[static_cast<size_t>(l.residual)], want});
  }
  if (auto act = FusedActivationOp(l.activation)) want = testing::RunOk(*act, {want});
  const HostTensor got = testing::RunOk(fused, in, a);
  EXPECT_EQ(got.shape, want.shape);
  EXPECT_EQ(got.dtype, want.dtype);
  EXPECT_EQ(got.data, want.data) << OpMnemonic(fused) << " " << l.activation;
}

TEST(FusedEval, EqualsTheUnfusedSteps) {
  std::mt19937 rng(5);
  const HostTensor x = Random(rng, {2, 4, 6, 6}, -2, 2);
  HostTensor w = testing::Trits({8, 4, 3, 3}, std::vector<float>(8 * 4 * 9));
  for (float& v : w.data) v = static_cast<float>(static_cast<int>(rng() % 3) - 1);
  for (int c = 0; c < 8; ++c) w.scale_pos.push_back(0.1f + 0.05f * static_cast<float>(c));
  const HostTensor b = Random(rng, {8}, -1, 1), g = Random(rng, {8}, 0.5, 1.5);
  const HostTensor beta = Random(rng, {8}, -1, 1), mean = Random(rng, {8}, -1, 1);
  const HostTensor var = Random(rng, {8}, 0.5, 2), res = Random(rng, {2, 8, 6, 6}, -2, 2);
  for (const char* act :
       {"none", "relu", "relu6", "sigmoid", "silu", "hardswish", "hardsigmoid", "gelu", "tanh"}) {
    ExpectEqualsSteps(OpKind::kFusedConv2d, {x, w, b, g, beta, mean, var, res},
                      Conv(true, true, true, act));
    ExpectEqualsSteps(OpKind::kFusedConv2d, {x, w, res}, Conv(false, false, true, act));
  }
  ExpectEqualsSteps(OpKind::kFusedConv2d, {x, w, g, beta, mean, var},
                    Conv(false, true, false, "relu"));
  const HostTensor xl = Random(rng, {3, 16}, -2, 2), wl = Random(rng, {8, 16}, -1, 1);
  ExpectEqualsSteps(OpKind::kFusedLinear, {xl, wl, g, beta, mean, var},
                    Lin(false, true, false, "relu6"));
  ExpectEqualsSteps(OpKind::kFusedLinear, {xl, wl, b, Random(rng, {3, 8}, -1, 1)},
                    Lin(true, false, true, "gelu"));
}

TEST(FusedEval, ErrorsNameTheOp) {
  const HostTensor x = testing::Iota({1, 2, 3, 3});
  const HostTensor w = testing::Iota({2, 2, 1, 1});
  EXPECT_EQ(testing::RunErr(OpKind::kFusedConv2d, {x, w, x}, Conv(false, false, false, "none")),
            "fused_conv2d with has_bias=false, has_bn=false, has_residual=false takes 2 operands, "
            "got 3");
}

}  // namespace
}  // namespace triton::ir

// Print and ParseModule round trips on builder-made modules.
#include "triton/ir/printer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "triton/ir/builder.h"
#include "triton/ir/test_util.h"
#include "triton/ir/verifier.h"

namespace triton::ir {
namespace {

using testing::A;
using testing::Floats;
using testing::Ints;
using testing::T;

ValueId Emit(Builder& b, OpKind k, std::vector<ValueId> in, Attrs a = {}, std::string scope = {}) {
  auto r = b.AddOp(k, std::move(in), std::move(a), std::move(scope));
  if (auto* e = std::get_if<ShapeError>(&r)) {
    ADD_FAILURE() << e->message;
    return kNoValue;
  }
  return std::get<ValueId>(r);
}

// Field-by-field equality (Module has no operator==: Attrs holding NaN never compare equal).
void ExpectSameModule(const Module& a, const Module& b) {
  EXPECT_EQ(a.name, b.name);
  ASSERT_EQ(a.values.size(), b.values.size());
  for (size_t i = 0; i < a.values.size(); ++i) {
    EXPECT_EQ(a.values[i].kind, b.values[i].kind) << i;
    EXPECT_EQ(a.values[i].type, b.values[i].type) << i;
    EXPECT_EQ(a.values[i].name, b.values[i].name) << i;
    EXPECT_EQ(a.values[i].def, b.values[i].def) << i;
  }
  EXPECT_EQ(a.inputs, b.inputs);
  ASSERT_EQ(a.params.size(), b.params.size());
  for (size_t i = 0; i < a.params.size(); ++i) {
    const Param &p = a.params[i], &q = b.params[i];
    EXPECT_EQ(p.value, q.value);
    EXPECT_EQ(p.trainable, q.trainable);
    EXPECT_EQ(p.ternary, q.ternary);
    EXPECT_EQ(p.quant, q.quant);
    EXPECT_EQ(p.init, q.init);
    EXPECT_EQ(p.init_args, q.init_args);
  }
  ASSERT_EQ(a.consts.size(), b.consts.size());
  for (size_t i = 0; i < a.consts.size(); ++i) {
    EXPECT_EQ(a.consts[i].value, b.consts[i].value);
    EXPECT_EQ(a.consts[i].data, b.consts[i].data);
  }
  ASSERT_EQ(a.ops.size(), b.ops.size());
  for (size_t i = 0; i < a.ops.size(); ++i) {
    EXPECT_EQ(a.ops[i].kind, b.ops[i].kind) << i;
    EXPECT_EQ(a.ops[i].operands, b.ops[i].operands) << i;
    EXPECT_EQ(a.ops[i].attrs, b.ops[i].attrs) << i;
    EXPECT_EQ(a.ops[i].result, b.ops[i].result) << i;
    EXPECT_EQ(a.ops[i].scope, b.ops[i].scope) << i;
  }
  EXPECT_EQ(a.outputs, b.outputs);
}

// Print -> parse -> print gives the same text, and the parsed module equals the original.
void ExpectRoundTrip(const Module& m) {
  const std::string text = Print(m);
  Result<Module> parsed = ParseModule(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message() << "\n" << text;
  EXPECT_EQ(Print(parsed.value()), text);
  ExpectSameModule(m, parsed.value());
  EXPECT_EQ(Verify(parsed.value()), Verify(m));
}

TEST(Printer, SmallModuleText) {
  Module m;
  m.name = "tiny";
  Builder b(m);
  ValueId x = b.AddInput("x", T("f32[N, 4]"));
  Param p;
  p.ternary = true;
  p.init = "random_ternary";
  ValueId w = b.AddParam("fc.weight", T("trit[2, 4]"), p);
  ValueId c = b.AddConst(T("f32[]"), {2.0});
  ValueId h = Emit(b, OpKind::kLinear, {x, w}, {}, "fc");
  ValueId y = Emit(b, OpKind::kMul, {h, c});
  b.AddOutput(y);
  EXPECT_EQ(Print(m),
            "module tiny {\n"
            "  input %x: f32[N, 4]\n"
            "  param %fc.weight: trit[2, 4] ternary(twn, 0.7, per_channel) init=random_ternary\n"
            "  const %c0: f32[] = [2.0]\n"
            "  %0 = linear(%x, %fc.weight) : f32[N, 2] @fc\n"
            "  %1 = mul(%0, %c0) : f32[N, 2]\n"
            "  return %1\n"
            "}\n");
  ExpectRoundTrip(m);
}

TEST(Printer, ParamsBuffersAndQuantSpecs) {
  Module m;
  m.name = "params";
  Builder b(m);
  ValueId x = b.AddInput("x", T("f32[N, 3, 32, 32]"));
  Param conv;
  conv.init = "kaiming_normal";
  conv.init_args = A({{"mode", std::string("fan_out")}, {"nonlinearity", std::string("relu")}});
  ValueId w0 = b.AddParam("conv1.weight", T("f32[16, 3, 3, 3]"), conv);
  Param tern;
  tern.ternary = true;
  tern.quant = QuantSpec{"threshold", 0.05, false};
  tern.init = "normal";
  tern.init_args = A({{"std", 0.01}, {"mean", 0.0}});
  ValueId w1 = b.AddParam("layer1.0.conv1.weight", T("trit[16, 16, 3, 3]"), tern);
  Param learned;
  learned.ternary = true;
  learned.quant = QuantSpec{"learned", 0.7, true};
  b.AddParam("layer1.0.conv2.weight", T("trit[16, 16, 3, 3]"), learned);
  Param odd;  // a non-ternary param with a recorded spec
  odd.quant.method = "absmean";
  b.AddParam("head.weight", T("f32[4, 16]"), odd);
  Param stat;
  stat.trainable = false;
  stat.init = "ones";
  ValueId gamma = b.AddParam("bn1.weight", T("f32[16]"), Param{});
  ValueId beta = b.AddParam("bn1.bias", T("f32[16]"), Param{});
  Param mean = stat;
  mean.init = "zeros";
  ValueId rm = b.AddParam("bn1.running_mean", T("f32[16]"), mean);
  ValueId rv = b.AddParam("bn1.running_var", T("f32[16]"), stat);
  ValueId h = Emit(b, OpKind::kConv2d, {x, w0}, A({{"padding", Ints{1, 1}}}), "conv1");
  h = Emit(b, OpKind::kBatchNorm, {h, gamma, beta, rm, rv}, A({{"eps", 1e-5}}), "bn1");
  h = Emit(b, OpKind::kRelu, {h});
  h = Emit(b, OpKind::kConv2d, {h, w1}, A({{"padding", Ints{1, 1}}}), "layer1.0.conv1");
  b.AddOutput(h);
  const std::string text = Print(m);
  EXPECT_NE(text.find("param %conv1.weight: f32[16, 3, 3, 3] init=kaiming_normal "
                      "{mode=\"fan_out\", nonlinearity=\"relu\"}\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("param %layer1.0.conv1.weight: trit[16, 16, 3, 3] "
                      "ternary(threshold, 0.05, per_tensor) init=normal {mean=0.0, std=0.01}\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("param %head.weight: f32[4, 16] quant(absmean, 0.7, per_channel) "
                      "init=zeros\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("buffer %bn1.running_var: f32[16] init=ones\n"), std::string::npos) << text;
  EXPECT_NE(text.find("%1 = batch_norm(%0, %bn1.weight, %bn1.bias, %bn1.running_mean, "
                      "%bn1.running_var) {eps=1e-05} : f32[N, 16, 32, 32] @bn1\n"),
            std::string::npos)
      << text;
  ExpectRoundTrip(m);
}

TEST(Printer, EveryAttrValueType) {
  Module m;
  m.name = "attrs";
  Builder b(m);
  ValueId x = b.AddInput("x", T("f32[N, 8]"));
  // Unknown attributes are allowed and kept; they exercise every value type.
  Attrs a = A({{"i", int64_t{-3}},
               {"big", std::numeric_limits<int64_t>::min()},
               {"f", 0.1},
               {"g", 2.0},
               {"tiny", 5e-324},
               {"huge", 1.7976931348623157e308},
               {"neg_zero", -0.0},
               {"inf", std::numeric_limits<double>::infinity()},
               {"ninf", -std::numeric_limits<double>::infinity()},
               {"t", true},
               {"fl", false},
               {"s", std::string("twn")},
               {"esc", std::string("a \"quoted\" \\ line\nand\ttab\x01\xff")},
               {"empty_s", std::string()},
               {"ints", Ints{1, -2, 3}},
               {"no_ints", Ints{}},
               {"floats", Floats{0.5, -2.0, 1e-10}},
               {"no_floats", Floats{}},
               {"odd name", int64_t{1}}});
  ValueId y = Emit(b, OpKind::kDropout, {x}, a);
  b.AddOutput(y);
  ExpectRoundTrip(m);
  const std::string text = Print(m);
  EXPECT_NE(text.find("no_floats=float[]"), std::string::npos) << text;
  EXPECT_NE(text.find("no_ints=[]"), std::string::npos) << text;
  EXPECT_NE(text.find("\"odd name\"=1"), std::string::npos) << text;
  EXPECT_NE(text.find("big=-9223372036854775808"), std::string::npos) << text;
  EXPECT_NE(text.find("esc=\"a \\\"quoted\\\" \\\\ line\\nand\\ttab\\x01\\xff\""),
            std::string::npos)
      << text;
}

TEST(Printer, NanAttributeRoundTripsAsText) {
  Module m;
  Builder b(m);
  ValueId x = b.AddInput("x", T("f32[2]"));
  b.AddOutput(
      Emit(b, OpKind::kDropout, {x}, A({{"q", std::nan("")}, {"l", Floats{std::nan("")}}})));
  const std::string text = Print(m);
  Result<Module> parsed = ParseModule(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(Print(parsed.value()), text);
  EXPECT_TRUE(std::isnan(parsed.value().ops[0].attrs.GetFloat("q", 0)));
}

TEST(Printer, NamesScopesHintsAndConsts) {
  Module m;
  m.name = "weird module";
  Builder b(m);
  ValueId x = b.AddInput("input image", TensorType{DType::kFloat32,
                                                   {Dim::Symbol("batch"), Dim::Static(3),
                                                    Dim::Symbol("H w"), Dim::Unknown()}});
  ValueId c0 = b.AddInput("c0", T("f32[1]"));        // would read as a constant
  ValueId n7 = b.AddInput("7", T("f32[1]"));         // would read as an op result
  ValueId dotted = b.AddInput("c0.x", T("f32[1]"));  // fine bare
  ValueId k = b.AddConst(T("f32[2, 2]"), {1.0, -0.5, 1e-7, 3.0});
  ValueId t = b.AddConst(T("trit[4]"), {-1, 0, 1, 1});
  ValueId i = b.AddConst(T("i64[2]"), {9007199254740992.0, -3});
  ValueId e = b.AddConst(T("f32[0]"), {});
  m.values[static_cast<size_t>(k)].name = "kernel";
  ValueId s = Emit(b, OpKind::kAdd, {c0, n7}, {}, "0.stage one");
  m.values[static_cast<size_t>(s)].name = "sum \"1\"";
  ValueId u = Emit(b, OpKind::kAdd, {s, dotted}, {}, "layer1.0");
  b.AddOutput(u);
  b.AddOutput(x);
  b.AddOutput(k);
  b.AddOutput(t);
  b.AddOutput(i);
  b.AddOutput(e);
  const std::string text = Print(m);
  EXPECT_NE(text.find("module \"weird module\" {"), std::string::npos) << text;
  EXPECT_NE(text.find("input %\"input image\": f32[batch, 3, \"H w\", ?]"), std::string::npos);
  EXPECT_NE(text.find("input %\"c0\": f32[1]"), std::string::npos) << text;
  EXPECT_NE(text.find("input %\"7\": f32[1]"), std::string::npos) << text;
  EXPECT_NE(text.find("input %c0.x: f32[1]"), std::string::npos) << text;
  EXPECT_NE(text.find("const %c0: f32[2, 2] = [1.0, -0.5, 1e-07, 3.0] hint=\"kernel\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("const %c1: trit[4] = [-1, 0, 1, 1]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("const %c2: i64[2] = [9007199254740992, -3]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("const %c3: f32[0] = []\n"), std::string::npos) << text;
  EXPECT_NE(text.find("%0 = add(%\"c0\", %\"7\") : f32[1] @\"0.stage one\" hint=\"sum \\\"1\\\"\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("@layer1.0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("return %1, %\"input image\", %c0, %c1, %c2, %c3\n"), std::string::npos)
      << text;
  ExpectRoundTrip(m);
}

TEST(Printer, EmptyNameAndNoOutputs) {
  Module m;
  Builder b(m);
  b.AddInput("x", T("bool[]"));
  EXPECT_EQ(Print(m), "module \"\" {\n  input %x: bool[]\n  return\n}\n");
  ExpectRoundTrip(m);
}

TEST(Printer, InterleavedBuildIsCanonicalized) {
  // Built out of order: the text lists inputs, params, consts, then ops, and reparsing renumbers
  // the values in that order; the text is stable.
  Module m;
  m.name = "interleaved";
  Builder b(m);
  ValueId x = b.AddInput("x", T("f32[N, 4]"));
  ValueId h = Emit(b, OpKind::kRelu, {x});
  ValueId w = b.AddParam("w", T("f32[3, 4]"), Param{});
  ValueId y = Emit(b, OpKind::kLinear, {h, w});
  ValueId c = b.AddConst(T("f32[]"), {0.5});
  b.AddOutput(Emit(b, OpKind::kMul, {y, c}));
  const std::string text = Print(m);
  Result<Module> parsed = ParseModule(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(Print(parsed.value()), text);
  EXPECT_TRUE(Verify(parsed.value()).empty());
  EXPECT_EQ(parsed.value().type(parsed.value().outputs[0]), T("f32[N, 3]"));
}

TEST(Printer, InvalidModulesPrintWithoutCrashing) {
  Module m;
  m.inputs = {5};
  m.outputs = {-1, 99};
  m.consts.push_back(Constant{42, {1.0}});
  m.ops.push_back(Op{OpKind::kRelu, {7}, {}, 3, ""});
  const std::string text = Print(m);
  EXPECT_NE(text.find("%<invalid 99>"), std::string::npos) << text;
  EXPECT_FALSE(ParseModule(text).ok());
}

}  // namespace
}  // namespace triton::ir

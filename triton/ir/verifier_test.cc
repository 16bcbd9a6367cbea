// Verify: one test per kind of problem, on a valid module corrupted in one place.
#include "triton/ir/verifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "triton/ir/printer.h"
#include "triton/ir/test_modules.h"

namespace triton::ir {
namespace {

using testing::A;
using ::testing::ElementsAre;
using testing::Emit;
using ::testing::HasSubstr;
using testing::T;

using Problems = std::vector<std::string>;

// x: f32[N, 4] -> linear(w: trit[3, 4] ternary) -> mul by const 2.0 -> output.
Module Small() {
  Module m;
  m.name = "small";
  Builder b(m);
  ValueId x = b.AddInput("x", T("f32[N, 4]"));
  ValueId w = b.AddParam("w", T("trit[3, 4]"), testing::Ternary());
  ValueId c = b.AddConst(T("f32[]"), {2.0});
  ValueId h = Emit(b, OpKind::kLinear, {x, w});
  b.AddOutput(Emit(b, OpKind::kMul, {h, c}));
  return m;
}

Module Parse(const std::string& text) {
  Result<Module> m = ParseModule(text);
  EXPECT_TRUE(m.ok()) << m.status().message();
  return m.ok() ? std::move(m).value() : Module{};
}

TEST(Verifier, ValidModulesHaveNoProblems) {
  EXPECT_EQ(Verify(Small()), Problems{});
  EXPECT_EQ(Verify(testing::TernaryMlp()), Problems{});
  EXPECT_EQ(Verify(testing::ResNetBlock()), Problems{});
  EXPECT_EQ(Verify(testing::EveryOp()), Problems{});
}

TEST(Verifier, ResultTypeMustMatchInference) {
  Module m = Small();
  m.values[static_cast<size_t>(m.ops[0].result)].type = T("f32[N, 5]");
  EXPECT_EQ(Verify(m), (Problems{"op %0 (linear) has result type f32[N, 5] but its operands give "
                                 "f32[N, 3]",
                                 "op %1 (mul) has result type f32[N, 3] but its operands give "
                                 "f32[N, 5]"}));
  // The same through the text form.
  Module p = Parse(
      "module m {\n  input %x: f32[N, 4]\n  %0 = relu(%x) : f32[N, 4]\n"
      "  %1 = softmax(%0) : i8[N, 4]\n  return %1\n}\n");
  EXPECT_EQ(Verify(p),
            Problems{"op %1 (softmax) has result type i8[N, 4] but its operands give f32[N, 4]"});
}

TEST(Verifier, IllTypedOp) {
  Module p = Parse(
      "module m {\n  input %x: f32[N, 512]\n  param %w: trit[256, 10] ternary(twn, 0.7, "
      "per_channel) init=zeros\n  %0 = matmul(%x, %w) : f32[N, 10]\n  return %0\n}\n");
  EXPECT_EQ(Verify(p), Problems{"op %0 (matmul) is ill-typed: cannot multiply Tensor<float32, [N, "
                                "512]> by TernaryTensor<trit, [256, 10]>: inner dimensions 512 "
                                "and 256 differ"});
  Module q = Parse(
      "module m {\n  input %x: f32[N, 4]\n  %0 = softmax(%x) {axis=5} : f32[N, 4]\n"
      "  return %0\n}\n");
  EXPECT_EQ(Verify(q), Problems{"op %0 (softmax) is ill-typed: softmax axis 5 is out of range for "
                                "a 2-d tensor"});
}

TEST(Verifier, Arity) {
  Module p =
      Parse("module m {\n  input %x: f32[N, 4]\n  %0 = add(%x) : f32[N, 4]\n  return %0\n}\n");
  EXPECT_EQ(Verify(p),
            Problems{"op %0 (add) has the wrong operand count: add takes 2 operands, got 1"});
  Module q = Parse("module m {\n  %0 = concat() : f32[1]\n  return %0\n}\n");
  EXPECT_EQ(
      Verify(q),
      Problems{
          "op %0 (concat) has the wrong operand count: concat takes at least 1 operand, got 0"});
}

TEST(Verifier, OperandsDefinedBeforeUse) {
  Module m = Small();
  std::swap(m.ops[0], m.ops[1]);  // mul now precedes the linear that feeds it
  m.values[static_cast<size_t>(m.ops[0].result)].def = 0;
  m.values[static_cast<size_t>(m.ops[1].result)].def = 1;
  EXPECT_EQ(Verify(m), Problems{"op %0 (mul) operand 0 uses value 3 before its definition"});
  Module self = Small();
  self.ops[0].operands[0] = self.ops[0].result;
  EXPECT_THAT(Verify(self),
              ElementsAre("op %0 (linear) operand 0 uses value 3 before its definition"));
}

TEST(Verifier, IdsInRange) {
  Module m = Small();
  m.ops[1].operands[1] = 99;
  m.outputs.push_back(-1);
  m.inputs.push_back(77);
  EXPECT_EQ(Verify(m), (Problems{"input 1 has value id 77 out of range (module has 5 values)",
                                 "op %1 (mul) operand 1 is value 99, out of range",
                                 "output 1 is value -1, out of range"}));
  Module k = Small();
  k.ops[0].kind = static_cast<OpKind>(999);
  EXPECT_THAT(Verify(k), ElementsAre("op 0 has an invalid kind 999"));
}

TEST(Verifier, BackReferences) {
  Module m = Small();
  m.values[0].def = 3;  // the input claims to be input 3
  EXPECT_THAT(Verify(m), ElementsAre("value 0 (input) refers to input 3 but there are 1",
                                     "input 0 names value 0, which is not input 0"));
  Module d = Small();
  d.consts.push_back(d.consts[0]);  // two consts define the same value
  EXPECT_THAT(Verify(d), ElementsAre("const 1 names value 2, which is not const 1"));
  Module t = Small();
  t.values.push_back(Value{ValueKind::kOp, T("f32[1]"), "", 0});  // op 0 defines value 3, not 5
  EXPECT_THAT(Verify(t), ElementsAre("value 5 (op) refers to op 0, which defines value 3"));
  Module w = Small();
  w.params[0].value = 0;  // names the input
  EXPECT_THAT(Verify(w),
              ElementsAre("value 1 (param) refers to param 0, which defines value 0",
                          "param 0 names value 0, which is not param 0",
                          "op %0 (linear) operand 1 uses value 1 before its definition"));
}

TEST(Verifier, TernaryFlags) {
  Module m = Small();
  m.params[0].ternary = false;
  EXPECT_EQ(Verify(m), Problems{"param 'w' has type trit[3, 4] but is not marked ternary"});
  Module f = Parse(
      "module m {\n  param %w: f32[3] ternary(twn, 0.7, per_channel) init=zeros\n  return %w\n}\n");
  EXPECT_EQ(Verify(f), Problems{"param 'w' is marked ternary but has type f32[3]"});
}

TEST(Verifier, ParamTypesMustBeStatic) {
  Module f = Parse("module m {\n  param %w: f32[N, 3] init=zeros\n  return %w\n}\n");
  EXPECT_EQ(Verify(f), Problems{"param 'w' has non-static type f32[N, 3]"});
}

TEST(Verifier, UniqueNonEmptyNames) {
  Module m = Small();
  m.values[1].name = "x";  // param named like the input
  EXPECT_EQ(Verify(m), Problems{"duplicate input or param name 'x'"});
  // Any bytes can name a value of a parsed or decoded module: a message stays one line.
  m.values[0].name = m.values[1].name = "a\nb";
  EXPECT_EQ(Verify(m), Problems{"duplicate input or param name \"a\\nb\""});
  Module e = Small();
  e.values[0].name = "";
  EXPECT_EQ(Verify(e), Problems{"input value 0 has an empty name"});
}

TEST(Verifier, Constants) {
  Module m = Small();
  m.consts[0].data = {1.0, 2.0};
  EXPECT_EQ(Verify(m), Problems{"const %c0 of type f32[] holds 2 values"});
  Module t = Parse("module m {\n  const %c0: trit[3] = [1, 2, 0]\n  return %c0\n}\n");
  EXPECT_EQ(Verify(t), Problems{"const %c0 has trit value 2, not -1, 0 or 1"});
  Module s = Parse("module m {\n  const %c0: f32[N] = []\n  return %c0\n}\n");
  EXPECT_EQ(Verify(s), Problems{"const %c0 of type f32[N] holds 0 values"});
}

TEST(Verifier, Outputs) {
  Module m = Small();
  m.outputs.clear();
  EXPECT_EQ(Verify(m), Problems{"module has no outputs"});
  Module u = Small();
  u.values.push_back(Value{ValueKind::kOp, T("f32[1]"), "", 7});
  u.outputs = {5};
  EXPECT_THAT(Verify(u), ElementsAre("value 5 (op) refers to op 7 but there are 2",
                                     "output 0 is value 5, which is never defined"));
}

TEST(Verifier, InvalidDims) {
  Module m = Small();
  m.values[0].type.dims[1] = Dim{-7, ""};
  EXPECT_THAT(Verify(m), ::testing::Contains(HasSubstr("value 0 has an invalid dimension")));
  Module s = Small();
  s.values[0].type.dims[1] = Dim{4, "K"};
  EXPECT_THAT(Verify(s),
              ::testing::Contains("value 0 has an invalid dimension (size 4, symbol 'K')"));
}

TEST(Verifier, ReportsEveryProblem) {
  Module m = Small();
  m.params[0].ternary = false;
  m.consts[0].data.clear();
  m.outputs.clear();
  EXPECT_EQ(Verify(m).size(), 3u);
}

}  // namespace
}  // namespace triton::ir

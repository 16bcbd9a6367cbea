// LowerDirect and PrintPlan: golden plans (testdata/<case>.plan; TRITON_UPDATE_GOLDEN=1 rewrites
// them), dimension binding, and the errors for inputs that do not fit the model.
#include "triton/runtime/plan.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "triton/ir/test_util.h"
#include "triton/runtime/test_util.h"

#ifndef TRITON_RUNTIME_TESTDATA
#define TRITON_RUNTIME_TESTDATA "triton/runtime/testdata"
#endif

namespace triton::runtime {
namespace {

using ir::testing::T;
using testing::ParseVerified;
using testing::ReadText;

std::string Data(const std::string& name) {
  return std::string(TRITON_RUNTIME_TESTDATA) + "/" + name;
}

ir::Module Load(const std::string& name) {
  return ParseVerified(ReadText(Data(name + ".ir")), name + ".ir");
}

std::string LowerError(const ir::Module& m, const std::vector<ir::TensorType>& types) {
  Result<Plan> p = LowerDirect(m, types);
  return p.ok() ? "(no error)" : p.status().message();
}

std::string LowerError(const ir::Module& m, int64_t batch) {
  Result<Plan> p = LowerDirect(m, batch);
  return p.ok() ? "(no error)" : p.status().message();
}

struct GoldenCase {
  const char* ir;      // testdata/<ir>.ir
  const char* golden;  // testdata/<golden>.plan
  int64_t batch;       // > 0: LowerDirect(m, batch); else `types`
  std::vector<const char*> types;
};

void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.golden; }

class PlanGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(PlanGolden, MatchesFile) {
  const GoldenCase& c = GetParam();
  ir::Module m = Load(c.ir);
  Result<Plan> plan = [&] {
    if (c.batch > 0) return LowerDirect(m, c.batch);
    std::vector<ir::TensorType> types;
    for (const char* t : c.types) types.push_back(T(t));
    return LowerDirect(m, types);
  }();
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  const std::string text = PrintPlan(plan.value());
  const std::string path = Data(std::string(c.golden) + ".plan");
  if (const char* u = std::getenv("TRITON_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    std::ofstream(path, std::ios::binary) << text;
    GTEST_SKIP() << "updated " << path;
  }
  EXPECT_EQ(text, ReadText(path)) << "rerun with TRITON_UPDATE_GOLDEN=1 to accept";
}

INSTANTIATE_TEST_SUITE_P(Cases, PlanGolden,
                         ::testing::Values(GoldenCase{"mnist_mlp", "mnist_mlp_b2", 2, {}},
                                           GoldenCase{"resnet_block", "resnet_block_b1", 1, {}},
                                           GoldenCase{"every_op", "every_op_b3", 3, {}},
                                           GoldenCase{"conv_spatial",
                                                      "conv_spatial_2x8x6",
                                                      0,
                                                      {"f32[2, 4, 8, 6]", "f32[2, 8, 8, 6]"}}),
                         [](const auto& info) { return std::string(info.param.golden); });

TEST(LowerDirect, OneStepPerOpOneBufferPerValue) {
  ir::Module m = Load("mnist_mlp");
  Result<Plan> p = LowerDirect(m, 4);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p.value().batch, 4);
  EXPECT_EQ(p.value().steps.size(), m.ops.size());
  EXPECT_EQ(p.value().buffers.size(), m.values.size());
  // [4, 256] + [4, 256] + [4, 128] + [4, 128] + [4, 10] floats.
  EXPECT_EQ(p.value().ActivationBytes(), 4 * 4 * (256 + 256 + 128 + 128 + 10));
  for (const PlanStep& s : p.value().steps) {
    EXPECT_EQ(s.kernel, std::string(ir::OpMnemonic(s.op)) + "__reference");
  }
  ASSERT_EQ(p.value().outputs.size(), 1u);
  EXPECT_EQ(p.value().buffers[static_cast<size_t>(p.value().outputs[0])].type.ToString(),
            "f32[4, 10]");
}

TEST(LowerDirect, BindsSymbolsAndUnknownsFromInputs) {
  ir::Module m = Load("conv_spatial");
  Result<Plan> p = LowerDirect(m, {T("f32[1, 4, 10, 12]"), T("f32[1, 8, 10, 12]")});
  ASSERT_TRUE(p.ok()) << p.status().message();
  const Plan& plan = p.value();
  EXPECT_EQ(plan.buffers[static_cast<size_t>(plan.outputs[0])].type.ToString(), "f32[1, 8]");
  EXPECT_EQ(plan.buffers[static_cast<size_t>(plan.outputs[1])].type.ToString(), "f32[1, 8, 5, 6]");
  for (const PlanBuffer& b : plan.buffers) EXPECT_TRUE(b.type.is_static()) << b.name;
}

TEST(LowerDirect, WrongInputShapeNamesInputAndDim) {
  ir::Module m = Load("mnist_mlp");
  EXPECT_EQ(LowerError(m, {T("f32[2, 100]")}),
            "input 'x' must be f32[N, 784], got f32[2, 100]: dim 1 must be 784, got 100");
  EXPECT_EQ(LowerError(m, {T("i8[2, 784]")}), "input 'x' must be f32[N, 784], got i8[2, 784]");
  EXPECT_EQ(LowerError(m, {T("f32[784]")}),
            "input 'x' must be f32[N, 784], got f32[784] (rank 1 instead of 2)");
  EXPECT_EQ(LowerError(m, {T("f32[2, 784]"), T("f32[2, 784]")}),
            "model 'mnist_mlp' takes 1 input(s), got 2");
  EXPECT_EQ(LowerError(m, {T("f32[N, 784]")}),
            "input 'x': the given type f32[N, 784] is not static");
}

TEST(LowerDirect, ConflictingSymbolBindings) {
  ir::Module m = Load("conv_spatial");
  EXPECT_EQ(LowerError(m, {T("f32[2, 4, 8, 8]"), T("f32[3, 8, 8, 8]")}),
            "input 'y' dim 0 (N) is 3, but input 'x' dim 0 sets N to 2");
  // y's spatial dims are unknown in the IR: the mismatch surfaces at the op that combines them.
  const std::string e = LowerError(m, {T("f32[2, 4, 8, 8]"), T("f32[2, 8, 4, 4]")});
  EXPECT_EQ(e.rfind("op %2 (add): ", 0), 0u) << e;
}

TEST(LowerDirect, BatchOverload) {
  EXPECT_EQ(LowerError(Load("conv_spatial"), 1),
            "input 'x' dim 2 (H) is not fixed by the model (f32[N, 4, H, W]); give the input's "
            "full shape");
  EXPECT_EQ(LowerError(Load("mnist_mlp"), 0), "the batch size must be positive, got 0");
  ir::Module fixed = ParseVerified(
      "module fixed {\n  input %x: f32[1, 3]\n  %0 = relu(%x) : f32[1, 3]\n  return %0\n}\n",
      "fixed");
  EXPECT_EQ(LowerError(fixed, 1), "(no error)");
  EXPECT_EQ(LowerError(fixed, 4),
            "input 'x' has a fixed batch size of 1 (f32[1, 3]); it cannot run at batch 4");
  ir::Module scalar = ParseVerified(
      "module scalar {\n  input %x: f32[]\n  %0 = relu(%x) : f32[]\n  return %0\n}\n", "scalar");
  EXPECT_EQ(LowerError(scalar, 1), "input 'x' is a scalar (f32[]); it has no batch dimension");
  EXPECT_EQ(LowerError(scalar, std::vector<ir::TensorType>{T("f32[]")}), "(no error)");
}

TEST(LowerDirect, ParamWithUnboundDimension) {
  // The verifier rejects non-static params; LowerDirect does not rely on it.
  Result<ir::Module> m = ir::ParseModule(
      "module unbound {\n  input %x: f32[N, 4]\n  param %w: f32[M, 4] init=zeros\n"
      "  %0 = linear(%x, %w) : f32[N, M]\n  return %0\n}\n");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(LowerError(m.value(), 2), "param 'w' has dimension M (dim 0) that no input binds");
}

TEST(LowerDirect, ResultTypeContradictingTheIrIsAnError) {
  // Parsed but not verified: the declared result type is wrong.
  Result<ir::Module> m = ir::ParseModule(
      "module lie {\n  input %x: f32[N, 4]\n  %0 = relu(%x) : f32[N, 5]\n  return %0\n}\n");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(LowerError(m.value(), 2),
            "op %0 (relu) gives f32[2, 4], but the IR declares f32[N, 5]");
}

}  // namespace
}  // namespace triton::runtime

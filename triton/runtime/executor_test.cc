// The executor: kernel registry, validation of params and inputs, and equality with the
// reference evaluator (ir::Evaluate) on small modules, including one use of every op.
#include "triton/runtime/executor.h"

#include <gtest/gtest.h>

#include <random>

#include "triton/ir/test_modules.h"
#include "triton/runtime/kernels.h"
#include "triton/runtime/test_util.h"

namespace triton::runtime {
namespace {

using testing::ParseVerified;
using testing::RandomBuffers;
using testing::RandomTensor;

Executor MustCreate(const ir::Module& m, const Plan& plan, std::vector<ir::HostTensor> params) {
  Result<std::vector<ir::HostTensor>> consts = ConstantTensors(m, plan);
  EXPECT_TRUE(consts.ok()) << consts.status().message();
  Result<Executor> e = Executor::Create(plan, std::move(params), std::move(consts).value());
  EXPECT_TRUE(e.ok()) << e.status().message();
  return std::move(e).value();
}

// Runs `m` through LowerDirect + Executor and through ir::Evaluate on the same random inputs and
// params; both use the same reference op definitions, so the results are bitwise equal.
void ExpectExecutorEqualsEvaluate(const ir::Module& m, const std::vector<ir::TensorType>& types,
                                  uint64_t seed) {
  Result<Plan> plan = LowerDirect(m, types);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  std::mt19937_64 rng(seed);
  std::vector<ir::HostTensor> params = RandomBuffers(plan.value(), PlanBuffer::kParam, rng);
  std::vector<ir::HostTensor> inputs = RandomBuffers(plan.value(), PlanBuffer::kInput, rng);
  Result<std::vector<ir::HostTensor>> want = ir::Evaluate(m, inputs, params);
  ASSERT_TRUE(want.ok()) << want.status().message();
  Executor e = MustCreate(m, plan.value(), params);
  Result<std::vector<ir::HostTensor>> got = e.Run(inputs);
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_EQ(got.value().size(), want.value().size());
  for (size_t i = 0; i < got.value().size(); ++i) {
    const ir::HostTensor& g = got.value()[i];
    const ir::HostTensor& w = want.value()[i];
    EXPECT_EQ(g.type().ToString(), w.type().ToString()) << "output " << i;
    ASSERT_EQ(g.data.size(), w.data.size()) << "output " << i;
    for (size_t k = 0; k < g.data.size(); ++k) {
      // Bitwise, NaN included (every_op's pow of negative bases).
      ASSERT_TRUE(g.data[k] == w.data[k] || (std::isnan(g.data[k]) && std::isnan(w.data[k])))
          << "output " << i << " element " << k << ": " << g.data[k] << " vs " << w.data[k];
    }
    EXPECT_EQ(g.scale_pos, w.scale_pos) << "output " << i;
    EXPECT_EQ(g.scale_neg, w.scale_neg) << "output " << i;
  }
  // A second run on the same executor gives the same results (no state leaks between runs).
  Result<std::vector<ir::HostTensor>> again = e.Run(inputs);
  ASSERT_TRUE(again.ok()) << again.status().message();
  for (size_t i = 0; i < got.value().size(); ++i) {
    const auto& a = again.value()[i].data;
    const auto& b = got.value()[i].data;
    ASSERT_EQ(a.size(), b.size());
    for (size_t k = 0; k < a.size(); ++k) {
      ASSERT_TRUE(a[k] == b[k] || (std::isnan(a[k]) && std::isnan(b[k])));
    }
  }
}

std::vector<ir::TensorType> Ts(std::initializer_list<const char*> specs) {
  std::vector<ir::TensorType> out;
  for (const char* s : specs) out.push_back(ir::testing::T(s));
  return out;
}

TEST(KernelRegistry, EveryOpHasAReferenceKernel) {
  const KernelRegistry& r = KernelRegistry::Global();
  for (ir::OpKind op : ir::AllOps()) {
    const Kernel* k = r.Find(ReferenceKernelName(op));
    ASSERT_NE(k, nullptr) << ir::OpMnemonic(op);
    EXPECT_EQ(k->op, op);
    EXPECT_EQ(k->isa, "reference");
    EXPECT_FALSE(r.ForOp(op).empty());
  }
  EXPECT_EQ(r.Find("conv2d__avx9000"), nullptr);
  EXPECT_EQ(ReferenceKernelName(ir::OpKind::kConv2d), "conv2d__reference");
}

TEST(Executor, EqualsEvaluateOnTernaryMlp) {
  ExpectExecutorEqualsEvaluate(ir::testing::TernaryMlp(), Ts({"f32[3, 784]"}), 1);
}

TEST(Executor, EqualsEvaluateOnResNetBlock) {
  ExpectExecutorEqualsEvaluate(ir::testing::ResNetBlock(), Ts({"f32[1, 64, 56, 56]"}), 2);
}

TEST(Executor, EqualsEvaluateOnEveryOp) {
  ExpectExecutorEqualsEvaluate(ir::testing::EveryOp(), Ts({"f32[2, 8, 16, 16]", "f32[2, 4, 16]"}),
                               3);
}

TEST(Executor, EqualsEvaluateWithSymbolicSpatialDims) {
  ir::Module m = ParseVerified(
      "module spatial {\n"
      "  input %x: f32[N, 4, H, W]\n"
      "  param %w: trit[8, 4, 3, 3] ternary(twn, 0.7, per_channel) init=kaiming_normal\n"
      "  const %c0: f32[] = [0.5]\n"
      "  %0 = conv2d(%x, %w) {padding=[1, 1]} : f32[N, 8, ?, ?]\n"
      "  %1 = mul(%0, %c0) : f32[N, 8, ?, ?]\n"
      "  %2 = maxpool2d(%1) {kernel=[2, 2], stride=[2, 2]} : f32[N, 8, ?, ?]\n"
      "  return %2, %1, %x\n"
      "}\n",
      "spatial");
  ExpectExecutorEqualsEvaluate(m, Ts({"f32[2, 4, 9, 7]"}), 4);
}

// A module whose outputs include an input, a param and one value twice.
TEST(Executor, OutputsMayBeInputsParamsOrRepeated) {
  ir::Module m = ParseVerified(
      "module passthrough {\n  input %x: f32[N, 3]\n  param %b: f32[3] init=zeros\n"
      "  %0 = add(%x, %b) : f32[N, 3]\n  return %0, %x, %b, %0\n}\n",
      "passthrough");
  ExpectExecutorEqualsEvaluate(m, Ts({"f32[2, 3]"}), 5);
}

class ExecutorErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    m_ = ParseVerified(
        "module image {\n  input %x: f32[N, 3, 224, 224]\n"
        "  param %w: trit[4, 3, 1, 1] ternary(twn, 0.7, per_channel) init=kaiming_normal\n"
        "  %0 = conv2d(%x, %w) : f32[N, 4, 224, 224]\n  return %0\n}\n",
        "image");
    Result<Plan> p = LowerDirect(m_, 1);
    ASSERT_TRUE(p.ok()) << p.status().message();
    plan_ = p.value();
    std::mt19937_64 rng(7);
    params_ = RandomBuffers(plan_, PlanBuffer::kParam, rng);
  }
  std::string CreateError(std::vector<ir::HostTensor> params) {
    Result<Executor> e = Executor::Create(plan_, std::move(params), {});
    return e.ok() ? "(no error)" : e.status().message();
  }
  ir::Module m_;
  Plan plan_;
  std::vector<ir::HostTensor> params_;
};

TEST_F(ExecutorErrors, WrongInputShapeOrDtype) {
  Executor e = MustCreate(m_, plan_, params_);
  std::mt19937_64 rng(8);
  ir::HostTensor small = RandomTensor(ir::testing::T("f32[1, 3, 32, 32]"), rng);
  Result<std::vector<ir::HostTensor>> r = e.Run({small});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "input 'x' must be f32[1, 3, 224, 224], got f32[1, 3, 32, 32]");
  ir::HostTensor ints = RandomTensor(ir::testing::T("i8[1, 3, 224, 224]"), rng);
  r = e.Run({ints});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "input 'x' must be f32[1, 3, 224, 224], got i8[1, 3, 224, 224]");
  r = e.Run({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "model 'image' takes 1 input(s), got 0");
  ir::HostTensor short_data = RandomTensor(ir::testing::T("f32[1, 3, 224, 224]"), rng);
  short_data.data.resize(10);
  r = e.Run({short_data});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("input 'x'"), std::string::npos) << r.status().message();
}

TEST_F(ExecutorErrors, BadParams) {
  EXPECT_EQ(CreateError({}), "model 'image' has 1 params and 0 constants, got 0 and 0");
  std::vector<ir::HostTensor> p = params_;
  p[0].shape = {4, 3, 3, 3};
  p[0].data.resize(4 * 27);
  EXPECT_EQ(CreateError(p), "param 'w' must be trit[4, 3, 1, 1], got trit[4, 3, 3, 3]");
  p = params_;
  p[0].dtype = ir::DType::kFloat32;
  EXPECT_EQ(CreateError(p), "param 'w' must be trit[4, 3, 1, 1], got f32[4, 3, 1, 1]");
  p = params_;
  p[0].data[0] = 2;  // not a trit
  EXPECT_NE(CreateError(p), "(no error)");
  EXPECT_EQ(CreateError(params_), "(no error)");
}

TEST_F(ExecutorErrors, UnknownKernel) {
  plan_.steps[0].kernel = "conv2d__avx9000";
  EXPECT_EQ(CreateError(params_), "step 0 (conv2d__avx9000) names a kernel that is not registered");
  plan_.steps[0].kernel = "relu__reference";
  EXPECT_EQ(CreateError(params_), "step 0 (relu__reference) runs op conv2d with a kernel for relu");
}

// A kernel error (concat of trit tensors whose per-channel scales differ, along another axis,
// which the evaluator rejects) is reported with the step, not a crash.
TEST(Executor, KernelErrorsNameTheStep) {
  ir::Module m = ParseVerified(
      "module cat {\n  input %x: f32[N, 2]\n"
      "  param %a: trit[2, 3] ternary(twn, 0.7, per_channel) init=zeros\n"
      "  param %b: trit[2, 3] ternary(twn, 0.7, per_channel) init=zeros\n"
      "  %0 = concat(%a, %b) {axis=1} : trit[2, 6]\n  return %0\n}\n",
      "cat");
  Result<Plan> p = LowerDirect(m, 2);
  ASSERT_TRUE(p.ok()) << p.status().message();
  ir::HostTensor a;
  a.dtype = ir::DType::kTrit;
  a.shape = {2, 3};
  a.data = {1, 0, -1, 1, 1, 0};
  a.scale_pos = a.scale_neg = {1.0f, 2.0f};
  ir::HostTensor b = a;
  b.scale_pos = b.scale_neg = {3.0f, 4.0f};
  Executor e = MustCreate(m, p.value(), {a, b});
  ir::HostTensor x;
  x.shape = {2, 2};
  x.data = {1, 2, 3, 4};
  Result<std::vector<ir::HostTensor>> r = e.Run({x});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("step 0 (concat__reference): ", 0), 0u)
      << r.status().message();
}

}  // namespace
}  // namespace triton::runtime

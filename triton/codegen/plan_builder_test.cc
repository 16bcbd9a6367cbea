// BuildPlan: golden plans (testdata/<case>.plan; TRITON_UPDATE_GOLDEN=1 rewrites them), the
// memory planner's properties and in-place choices, and execution equal to ir::Evaluate.
#include "triton/codegen/plan_builder.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "triton/codegen/test_util.h"
#include "triton/ir/test_util.h"
#include "triton/runtime/test_util.h"

namespace triton::codegen {
namespace {

using runtime::Plan;
using runtime::PlanBuffer;
using runtime::PlanStep;
using runtime::testing::ReadText;
using testing::AlignedTempBytes;
using testing::ArenaProblem;

using testing::Data;

ir::Module Load(const std::string& name) { return testing::LoadCase(name); }

Plan MustBuild(const ir::Module& m, int64_t batch) {
  Result<Plan> p = BuildPlan(m, batch);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return p.ok() ? std::move(p).value() : Plan{};
}

struct GoldenCase {
  const char* ir;  // testdata/<ir>.ir
  int64_t batch;   // testdata/<ir>_b<batch>.plan
};

void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.ir << "_b" << c.batch; }

class PlanGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(PlanGolden, MatchesFile) {
  const GoldenCase& c = GetParam();
  const Plan plan = MustBuild(Load(c.ir), c.batch);
  const std::string text = runtime::PrintPlan(plan);
  const std::string path = Data(std::string(c.ir) + "_b" + std::to_string(c.batch) + ".plan");
  if (const char* u = std::getenv("TRITON_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    std::ofstream(path, std::ios::binary) << text;
    GTEST_SKIP() << "updated " << path;
  }
  EXPECT_EQ(text, ReadText(path)) << "rerun with TRITON_UPDATE_GOLDEN=1 to accept";
}

INSTANTIATE_TEST_SUITE_P(Cases, PlanGolden,
                         ::testing::Values(GoldenCase{"residual_chain", 1},
                                           GoldenCase{"resnet_block", 1},
                                           GoldenCase{"mnist_mlp", 2}, GoldenCase{"every_op", 3}),
                         [](const auto& info) {
                           return std::string(info.param.ir) + "_b" +
                                  std::to_string(info.param.batch);
                         });

// Properties every plan must have, on every test module and several batch sizes.
TEST(BuildPlan, ArenaIsValidAndNoLargerThanNoReuse) {
  for (const char* name : {"residual_chain", "resnet_block", "mnist_mlp", "every_op"}) {
    const ir::Module m = Load(name);
    for (int64_t batch : {1, 3, 8}) {
      SCOPED_TRACE(std::string(name) + " batch " + std::to_string(batch));
      const Plan p = MustBuild(m, batch);
      EXPECT_EQ(ArenaProblem(p), "");
      Status st = runtime::CheckArena(p);
      EXPECT_TRUE(st.ok()) << st.message();
      EXPECT_LE(p.arena_bytes, AlignedTempBytes(p));
      EXPECT_EQ(p.steps.size(), m.ops.size());
      for (const PlanStep& s : p.steps) {
        EXPECT_NE(runtime::KernelRegistry::Global().Find(s.kernel), nullptr) << s.kernel;
      }
    }
  }
}

TEST(BuildPlan, InPlaceOnlyWhereTheInputDiesWithTheSameSize) {
  const Plan p = MustBuild(Load("residual_chain"), 2);
  std::vector<int32_t> in_place;
  for (const PlanStep& s : p.steps) in_place.push_back(s.in_place);
  // %0 relu(input): no temp to reuse. %2 relu(%1): yes. %4 add(%3, %0): both die, first taken.
  // %5 relu: yes. %7 mul(%6, %5): %6 is smaller, %5 (operand 1) taken. %9 add(%8, %b): yes.
  // %10 sigmoid(%9): %9 is a plan output and lives on.
  EXPECT_EQ(in_place, (std::vector<int32_t>{-1, -1, 0, -1, 0, 0, -1, 1, -1, 0, -1}));
  // The conv2d chain reuses: %0, %1/%2 and %3/%4/%5/%7 need at most three blocks of 576 bytes.
  EXPECT_LT(p.arena_bytes, AlignedTempBytes(p));
}

TEST(BuildPlan, ResidualBlockPeak) {
  // Batch 1, every temp 401408 bytes. Live together at most: %4 (bn2 out), %5/%6 (downsample),
  // and %x's consumers are done -- three blocks; the no-reuse plan needs nine.
  const Plan p = MustBuild(Load("resnet_block"), 1);
  EXPECT_EQ(p.ActivationBytes(), 9 * 401408);
  EXPECT_EQ(p.arena_bytes, 3 * 401408);
  EXPECT_EQ(p.ArenaBytesPerSample(), 3 * 401408);
  EXPECT_EQ(MustBuild(Load("resnet_block"), 4).ArenaBytesPerSample(), 3 * 401408);
}

TEST(BuildPlan, ErrorsAreLowerDirects) {
  const ir::Module m = Load("mnist_mlp");
  Result<Plan> p = BuildPlan(m, std::vector<ir::TensorType>{ir::testing::T("f32[2, 100]")});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "input 'x' must be f32[N, 784], got f32[2, 100]: dim 1 must be 784, got 100");
  EXPECT_EQ(BuildPlan(m, 0).status().message(), "the batch size must be positive, got 0");
}

TEST(BuildPlan, ExplicitTypesBindSymbols) {
  const ir::Module m = Load("mnist_mlp");
  Result<Plan> p = BuildPlan(m, std::vector<ir::TensorType>{ir::testing::T("f32[5, 784]")});
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p.value().batch, 5);
  EXPECT_EQ(ArenaProblem(p.value()), "");
}

TEST(CheckArena, RejectsOverlapsAndBadInPlaceMarks) {
  const Plan good = MustBuild(Load("resnet_block"), 1);
  ASSERT_TRUE(runtime::CheckArena(good).ok());
  Plan overlap = good;
  for (PlanBuffer& b : overlap.buffers) {
    if (b.kind == PlanBuffer::kTemp) b.offset = 0;
  }
  Status st = runtime::CheckArena(overlap);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("are live together but overlap"), std::string::npos) << st.message();
  EXPECT_NE(ArenaProblem(overlap), "");
  // The executor refuses such a plan.
  std::mt19937_64 rng(1);
  Result<runtime::Executor> e = runtime::Executor::Create(
      overlap, runtime::testing::RandomBuffers(overlap, PlanBuffer::kParam, rng), {});
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("invalid plan: temps"), std::string::npos)
      << e.status().message();

  Plan bad_mark = good;
  bad_mark.steps[3].in_place = 0;  // conv2d over its input, which the planner placed elsewhere
  EXPECT_FALSE(runtime::CheckArena(bad_mark).ok());
  Plan outside = good;
  outside.arena_bytes -= 64;
  EXPECT_FALSE(runtime::CheckArena(outside).ok());
}

TEST(BuildPlan, ExecutesLikeTheReferenceEvaluator) {
  for (const char* name : {"residual_chain", "resnet_block", "mnist_mlp", "every_op"}) {
    SCOPED_TRACE(name);
    const ir::Module m = Load(name);
    testing::ExpectPlanEqualsEvaluate(m, MustBuild(m, 2), 7);
  }
}

}  // namespace
}  // namespace triton::codegen

// BuildCpuPlan: golden CPU plans (testdata/<case>_cpu_b<batch>.plan at the reference ISA level,
// whose kernel names are the same on every machine; TRITON_UPDATE_GOLDEN=1 rewrites them), the
// layout rules (every reorder converts between the layouts its neighbours need, each tensor is
// reordered at most once, plan outputs are NCHW) and the arena. Execution is tested through the
// engine (tests/runtime/zoo_cpu_test.cc).
#include "triton/codegen/cpu_plan.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include "triton/codegen/test_util.h"
#include "triton/ir/passes/pass.h"
#include "triton/runtime/test_util.h"

namespace triton::codegen {
namespace {

using runtime::Plan;
using runtime::PlanBuffer;
using runtime::PlanStep;

using testing::Data;

ir::Module Load(const std::string& name) {
  ir::Module m =
      runtime::testing::ParseVerified(runtime::testing::ReadText(Data(name + ".ir")), name + ".ir");
  ir::passes::PassResult r;
  Status st = ir::passes::RunPipeline(m, 2, ir::passes::PassOptions{}, &r);
  EXPECT_TRUE(st.ok()) << st.message();
  return m;
}

Plan MustBuild(const ir::Module& m, int64_t batch, bool quantize = true) {
  std::vector<ir::TensorType> types;
  for (ir::ValueId v : m.inputs) {
    ir::TensorType t = m.type(v);
    t.dims[0] = ir::Dim::Static(batch);
    types.push_back(t);
  }
  CpuPlanOptions o;
  o.quantize_activations = quantize;
  Result<Plan> p = BuildCpuPlan(m, types, o);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return p.ok() ? std::move(p).value() : Plan{};
}

class CpuPlanGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(CpuPlanGolden, MatchesFile) {
  const std::string name = GetParam();
  const Plan plan = MustBuild(Load(name), 1);
  const std::string text = runtime::PrintPlan(plan);
  const std::string path = Data(name + "_cpu_b1.plan");
  if (const char* u = std::getenv("TRITON_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    std::ofstream(path, std::ios::binary) << text;
    GTEST_SKIP() << "updated " << path;
  }
  EXPECT_EQ(text, runtime::testing::ReadText(path))
      << "golden mismatch for " << path << "; rerun with TRITON_UPDATE_GOLDEN=1 to accept";
}

INSTANTIATE_TEST_SUITE_P(Cases, CpuPlanGolden,
                         ::testing::Values("resnet_block", "mnist_mlp", "every_op"));

// Layout invariants on every case, with and without int8 activations.
TEST(CpuPlan, LayoutRules) {
  for (const char* name : {"resnet_block", "mnist_mlp", "every_op", "residual_chain"}) {
    for (bool quantize : {true, false}) {
      SCOPED_TRACE(std::string(name) + (quantize ? " int8" : " f32"));
      const Plan p = MustBuild(Load(name), 2, quantize);
      EXPECT_EQ(testing::ArenaProblem(p), "");
      std::set<int32_t> reordered;
      for (const PlanStep& s : p.steps) {
        const bool ref = s.kernel == runtime::ReferenceKernelName(s.op);
        for (int32_t b : s.inputs) {
          const PlanBuffer& in = p.buffers[static_cast<size_t>(b)];
          if (ref && s.op != ir::OpKind::kReorder) {
            EXPECT_FALSE(in.nhwc) << s.kernel << " reads NHWC #" << b;
          }
          if (s.kernel.find("_nhwc__") != std::string::npos && in.type.rank() == 4 &&
              in.kind == PlanBuffer::kTemp) {
            EXPECT_TRUE(in.nhwc) << s.kernel << " reads NCHW #" << b;
          }
        }
        if (s.op == ir::OpKind::kReorder) {
          const PlanBuffer& in = p.buffers[static_cast<size_t>(s.inputs[0])];
          const PlanBuffer& out = p.buffers[static_cast<size_t>(s.output)];
          EXPECT_NE(in.nhwc, out.nhwc);
          EXPECT_TRUE(reordered.insert(s.inputs[0]).second) << "#" << s.inputs[0] << " twice";
        }
      }
      for (int32_t b : p.outputs) EXPECT_FALSE(p.buffers[static_cast<size_t>(b)].nhwc);
    }
  }
}

}  // namespace
}  // namespace triton::codegen

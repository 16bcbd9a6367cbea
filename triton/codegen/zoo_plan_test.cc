// The memory planner on every model of the zoo (models/*.tri, compiled at -O2): at batch 1 and 8
// no two temps live at the same step overlap (checked step by step, independently of
// runtime::CheckArena), the arena is no larger than the temps without reuse, and the plans of
// mnist_mlp and resnet20_cifar execute exactly like ir::Evaluate. Prints a table of arena sizes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "triton/codegen/plan_builder.h"
#include "triton/codegen/test_util.h"
#include "triton/driver/compile.h"

#ifndef TRITON_SOURCE_DIR
#define TRITON_SOURCE_DIR "."
#endif

namespace triton::codegen {
namespace {

struct ZooModule {
  std::string file, name;
  ir::Module module;
};

// Every `model` of every models/*.tri, compiled at -O2.
const std::vector<ZooModule>& Zoo() {
  static const std::vector<ZooModule>* zoo = [] {
    auto* out = new std::vector<ZooModule>;
    std::vector<std::string> files;
    for (const auto& e :
         std::filesystem::directory_iterator(std::string(TRITON_SOURCE_DIR) + "/models")) {
      if (e.path().extension() == ".tri") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) {
      driver::CompileOptions check;
      check.check_only = true;
      const driver::FileCompileResult names = driver::CompileFile(f, check);
      EXPECT_TRUE(names.read_error.empty()) << names.read_error;
      for (const std::string& name : names.model_names) {
        driver::CompileOptions o;
        o.model = name;
        o.opt_level = 2;
        driver::FileCompileResult r = driver::CompileFile(f, o);
        EXPECT_TRUE(r.ok() && r.module) << f << " " << name;
        if (r.module) out->push_back({f, name, r.module.Take()});
      }
    }
    return out;
  }();
  return *zoo;
}

TEST(ZooPlans, ArenaLayoutIsValidAtBatch1And8) {
  ASSERT_GE(Zoo().size(), 9u);
  std::printf("%-18s %5s %14s %14s %14s %7s\n", "model", "steps", "arena/sample", "no-reuse",
              "arena b8", "ratio");
  for (const ZooModule& z : Zoo()) {
    for (int64_t batch : {1, 8}) {
      SCOPED_TRACE(z.name + " batch " + std::to_string(batch));
      Result<runtime::Plan> p = BuildPlan(z.module, batch);
      ASSERT_TRUE(p.ok()) << p.status().message();
      EXPECT_EQ(testing::ArenaProblem(p.value()), "");
      Status st = runtime::CheckArena(p.value());
      EXPECT_TRUE(st.ok()) << st.message();
      EXPECT_LE(p.value().arena_bytes, testing::AlignedTempBytes(p.value()));
      EXPECT_LE(p.value().arena_bytes, p.value().ActivationBytes() + 64 * p.value().steps.size());
      if (batch == 1) {
        Result<runtime::Plan> b8 = BuildPlan(z.module, 8);
        ASSERT_TRUE(b8.ok());
        std::printf("%-18s %5zu %14lld %14lld %14lld %6.1fx\n", z.name.c_str(),
                    p.value().steps.size(), static_cast<long long>(p.value().arena_bytes),
                    static_cast<long long>(p.value().ActivationBytes()),
                    static_cast<long long>(b8.value().arena_bytes),
                    static_cast<double>(p.value().ActivationBytes()) /
                        static_cast<double>(p.value().arena_bytes));
      }
    }
  }
}

TEST(ZooPlans, SmallModelsExecuteLikeTheReferenceEvaluator) {
  int ran = 0;
  for (const ZooModule& z : Zoo()) {
    if (z.name != "mnist_mlp" && z.name != "resnet20_cifar") continue;
    SCOPED_TRACE(z.name);
    Result<runtime::Plan> p = BuildPlan(z.module, 2);
    ASSERT_TRUE(p.ok()) << p.status().message();
    testing::ExpectPlanEqualsEvaluate(z.module, p.value(), 11);
    ++ran;
  }
  EXPECT_EQ(ran, 2);
}

}  // namespace
}  // namespace triton::codegen

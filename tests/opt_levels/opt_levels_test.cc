// Every -O level computes the same outputs as -O0 for every model of the zoo (models/*.tri), on
// the reference evaluator (ir::Evaluate), with seeded random weights and a random input at batch
// 1 (triton/ir/passes/test_util.h: batch-norm running variances are positive, ternary weights are
// random codes with per-channel scales). Tolerance: max |out - out_O0| <= 1e-4 * max |out_O0|.
//
// All levels share the -O0 module's params: passes keep every parameter, in order (checked).
// -O3 runs the same passes as -O2 today; where its module prints identically to -O2's, its
// outputs are -O2's by determinism and are not evaluated again (the printed equality is
// asserted, so the shortcut disappears the day -O3 differs).
//
// The 224 px models dominate the time (the scalar reference evaluator; ResNet-50 is 4.1 GMAC and
// VGG-16 15.5 GMAC per image); their fixed input size (the forward types name 224) rules out a
// smaller input, so they run once per level and the slowest are named *_heavy:
// --gtest_filter=-*heavy* skips them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include "triton/base/timer.h"
#include "triton/driver/compile.h"
#include "triton/ir/eval.h"
#include "triton/ir/passes/test_util.h"
#include "triton/ir/printer.h"

#ifndef TRITON_SOURCE_DIR
#define TRITON_SOURCE_DIR "."
#endif

namespace triton {
namespace {

constexpr double kTolerance = 1e-4;

struct ZooCase {
  const char* file;
  const char* model;
  const char* test_name;  // gtest name; "_heavy" marks the slowest
};

void PrintTo(const ZooCase& c, std::ostream* os) { *os << c.test_name; }

std::optional<ir::Module> Compile(const ZooCase& z, int level) {
  driver::CompileOptions o;
  o.model = z.model;
  o.opt_level = level;
  o.verify_each = true;
  driver::FileCompileResult r =
      driver::CompileFile(std::string(TRITON_SOURCE_DIR) + "/models/" + z.file, o);
  if (!r.read_error.empty() || !r.ok() || !r.module || !r.verify_errors.empty()) {
    ADD_FAILURE() << z.file << " --model " << z.model << " -O" << level << ": " << r.read_error
                  << r.diags->RenderText(false)
                  << (r.verify_errors.empty() ? "" : r.verify_errors[0]);
    return std::nullopt;
  }
  return r.module.Take();
}

std::map<std::string, int> OpCounts(const ir::Module& m) {
  std::map<std::string, int> n;
  for (const ir::Op& op : m.ops) ++n[ir::OpMnemonic(op.kind)];
  return n;
}

int Count(const std::map<std::string, int>& n, const std::string& op) {
  auto it = n.find(op);
  return it == n.end() ? 0 : it->second;
}

std::string Histogram(const std::map<std::string, int>& n) {
  std::vector<std::pair<int, std::string>> v;
  for (const auto& [op, count] : n) v.push_back({-count, op});
  std::sort(v.begin(), v.end());
  std::string s;
  for (const auto& [count, op] : v)
    s += (s.empty() ? "" : ", ") + op + " " + std::to_string(-count);
  return s;
}

class OptLevels : public ::testing::TestWithParam<ZooCase> {};

TEST_P(OptLevels, EveryLevelComputesWhatO0Computes) {
  const ZooCase& z = GetParam();
  std::optional<ir::Module> m[4];
  for (int level = 0; level <= 3; ++level) {
    m[level] = Compile(z, level);
    ASSERT_TRUE(m[level]) << "-O" << level;
  }
  const std::vector<ir::HostTensor> inputs = ir::passes::testing::RandomInputs(*m[0], 21, 1);
  const std::vector<ir::HostTensor> params = ir::passes::testing::RandomParams(*m[0], 22, 1);
  base::Timer timer;
  Result<std::vector<ir::HostTensor>> want = ir::Evaluate(*m[0], inputs, params);
  ASSERT_TRUE(want.ok()) << want.status().message();
  const double o0_ms = timer.ElapsedMs();
  for (const ir::HostTensor& t : want.value()) {  // a meaningful reference: finite, not all zero
    float max_abs = 0;
    for (float v : t.data) {
      ASSERT_TRUE(std::isfinite(v)) << z.model << " -O0 output is not finite";
      max_abs = std::max(max_abs, std::fabs(v));
    }
    ASSERT_GT(max_abs, 0.0f) << z.model << " -O0 output is all zeros";
  }

  std::string report;
  std::optional<std::vector<ir::HostTensor>> o2_out;
  for (int level = 1; level <= 3; ++level) {
    const ir::Module& mod = *m[level];
    ASSERT_EQ(mod.params.size(), m[0]->params.size()) << "-O" << level;
    for (size_t i = 0; i < mod.params.size(); ++i) {
      ASSERT_EQ(mod.value(mod.params[i].value).name, m[0]->value(m[0]->params[i].value).name);
      ASSERT_EQ(mod.type(mod.params[i].value), m[0]->type(m[0]->params[i].value));
    }
    std::vector<ir::HostTensor> got;
    if (level == 3 && o2_out && ir::Print(mod) == ir::Print(*m[2])) {
      got = *o2_out;
      report += " -O3=-O2";
    } else {
      timer.Reset();
      Result<std::vector<ir::HostTensor>> r = ir::Evaluate(mod, inputs, params);
      ASSERT_TRUE(r.ok()) << "-O" << level << ": " << r.status().message();
      got = std::move(r).value();
      report += " -O" + std::to_string(level) + " " +
                std::to_string(static_cast<int>(timer.ElapsedMs())) + " ms";
    }
    ASSERT_EQ(got.size(), want.value().size());
    for (size_t i = 0; i < got.size(); ++i) {
      const double err = ir::passes::testing::MaxRelativeError(got[i], want.value()[i]);
      EXPECT_LE(err, kTolerance) << z.model << " -O" << level << " output " << i;
      char buf[48];
      std::snprintf(buf, sizeof(buf), " (err %.1e)", err);
      report += buf;
    }
    if (level == 2) o2_out = got;
  }

  const std::map<std::string, int> before = OpCounts(*m[0]), after = OpCounts(*m[2]);
  std::printf(
      "[opt_levels] %-16s ops %zu -> %zu at -O2 | eval -O0 %.0f ms%s\n"
      "[opt_levels]   -O0: %s\n[opt_levels]   -O2: %s\n",
      z.model, m[0]->ops.size(), m[2]->ops.size(), o0_ms, report.c_str(), Histogram(before).c_str(),
      Histogram(after).c_str());
  RecordProperty("ops_O0", std::to_string(m[0]->ops.size()));
  RecordProperty("ops_O2", std::to_string(m[2]->ops.size()));
  // Every batch-norm of the zoo follows a convolution or linear layer it can fold into.
  EXPECT_EQ(Count(after, "batch_norm"), 0) << z.model;
}

INSTANTIATE_TEST_SUITE_P(
    Zoo, OptLevels,
    ::testing::Values(ZooCase{"mnist_mlp.tri", "mnist_mlp", "mnist_mlp"},
                      ZooCase{"mnist_cnn.tri", "mnist_cnn", "mnist_cnn"},
                      ZooCase{"resnet_cifar.tri", "resnet20_cifar", "resnet20_cifar"},
                      ZooCase{"resnet.tri", "resnet18_cifar", "resnet18_cifar"},
                      ZooCase{"resnet.tri", "resnet18", "resnet18"},
                      ZooCase{"resnet.tri", "resnet34", "resnet34"},
                      ZooCase{"resnet.tri", "resnet50", "resnet50_heavy"},
                      ZooCase{"mobilenet_v2.tri", "mobilenet_v2", "mobilenet_v2"},
                      ZooCase{"efficientnet.tri", "efficientnet_b0", "efficientnet_b0"},
                      ZooCase{"vgg.tri", "vgg16", "vgg16_heavy"}),
    [](const auto& info) { return std::string(info.param.test_name); });

// ResNet-18 at -O2: every batch_norm folded and every relu fused into a convolution's epilogue;
// all 20 convolutions are fused ops, and the residual adds are gone.
TEST(OptLevelsResNet18, O2FusesEveryBatchNormAndRelu) {
  std::optional<ir::Module> m = Compile(ZooCase{"resnet.tri", "resnet18", "resnet18"}, 2);
  ASSERT_TRUE(m);
  const std::map<std::string, int> n = OpCounts(*m);
  EXPECT_EQ(Count(n, "batch_norm"), 0);
  EXPECT_EQ(Count(n, "relu"), 0);
  EXPECT_EQ(Count(n, "conv2d"), 0);
  EXPECT_EQ(Count(n, "add"), 0);
  EXPECT_EQ(Count(n, "fused_conv2d"), 20);
  int residual = 0;
  for (const ir::Op& op : m->ops) residual += op.attrs.GetBool("has_residual", false);
  EXPECT_EQ(residual, 8);  // one per BasicBlock
}

}  // namespace
}  // namespace triton

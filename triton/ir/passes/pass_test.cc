// The pass manager: the registry, the -O table, --print-after, --time-passes data and
// --verify-each, and that the -O2 pipeline reaches a fixed point (a second run changes nothing).
#include "triton/ir/passes/pass.h"

#include <gtest/gtest.h>

#include <string>

#include "triton/ir/eval.h"
#include "triton/ir/passes/test_util.h"
#include "triton/ir/printer.h"
#include "triton/ir/verifier.h"

namespace triton::ir::passes {
namespace {

// conv -> batch_norm -> relu, twice, with an identity residual: every -O2 rewrite applies.
constexpr const char* kBlock = R"(module block {
  input %x: f32[N, 4, 8, 8]
  param %conv1.weight: trit[4, 4, 3, 3] ternary(twn, 0.7, per_channel) init=kaiming_normal
  param %bn1.weight: f32[4] init=ones
  param %bn1.bias: f32[4] init=zeros
  buffer %bn1.running_mean: f32[4] init=zeros
  buffer %bn1.running_var: f32[4] init=ones
  param %conv2.weight: trit[4, 4, 3, 3] ternary(twn, 0.7, per_channel) init=kaiming_normal
  param %bn2.weight: f32[4] init=ones
  param %bn2.bias: f32[4] init=zeros
  buffer %bn2.running_mean: f32[4] init=zeros
  buffer %bn2.running_var: f32[4] init=ones
  const %c0: f32[] = [1.0]
  %0 = conv2d(%x, %conv1.weight) {dilation=[1, 1], groups=1, padding=[1, 1], stride=[1, 1]} : f32[N, 4, 8, 8] @conv1
  %1 = batch_norm(%0, %bn1.weight, %bn1.bias, %bn1.running_mean, %bn1.running_var) {eps=1e-05} : f32[N, 4, 8, 8] @bn1
  %2 = relu(%1) : f32[N, 4, 8, 8]
  %3 = dropout(%2) {p=0.1} : f32[N, 4, 8, 8]
  %4 = conv2d(%3, %conv2.weight) {dilation=[1, 1], groups=1, padding=[1, 1], stride=[1, 1]} : f32[N, 4, 8, 8] @conv2
  %5 = batch_norm(%4, %bn2.weight, %bn2.bias, %bn2.running_mean, %bn2.running_var) {eps=1e-05} : f32[N, 4, 8, 8] @bn2
  %6 = mul(%x, %c0) : f32[N, 4, 8, 8]
  %7 = add(%5, %6) : f32[N, 4, 8, 8]
  %8 = relu(%7) : f32[N, 4, 8, 8]
  return %8
}
)";

Module Block() {
  Result<Module> m = ParseModule(kBlock, "block.ir");
  EXPECT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(Verify(m.value()), std::vector<std::string>{});
  return m.value();
}

std::vector<std::string> Names(const std::vector<PassId>& ps) {
  std::vector<std::string> out;
  for (PassId p : ps) out.push_back(PassName(p));
  return out;
}

TEST(PassRegistry, NamesRoundTrip) {
  EXPECT_EQ(AllPasses().size(), 7u);
  for (PassId p : AllPasses()) {
    PassId back{};
    ASSERT_TRUE(ParsePassName(PassName(p), &back)) << PassName(p);
    EXPECT_EQ(back, p);
    EXPECT_NE(std::string(PassDescription(p)), "");
  }
  PassId p{};
  EXPECT_FALSE(ParsePassName("fuse-everything", &p));
  EXPECT_FALSE(ParsePassName("all", &p));  // "all" is --print-after's, not a pass
}

// The table of pipeline.cc and docs/compiler.md.
TEST(Pipeline, Levels) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Names(Pipeline(0)), V{});
  EXPECT_EQ(Names(Pipeline(1)), (V{"fold-constants", "simplify", "cse", "dce"}));
  const V o2 = {"fold-constants", "simplify", "cse", "dce", "fold-batchnorm",
                "fuse-epilogue",  "simplify", "cse", "dce"};
  EXPECT_EQ(Names(Pipeline(2)), o2);
  EXPECT_EQ(Names(Pipeline(3)), o2);  // nothing beyond -O2 yet
}

TEST(RunPipeline, O2FusesTheBlock) {
  Module m = Block();
  PassResult r;
  ASSERT_TRUE(RunPipeline(m, 2, PassOptions{.verify_each = true}, &r).ok());
  const std::string text = Print(m);
  EXPECT_EQ(text.find("batch_norm("), std::string::npos) << text;
  EXPECT_EQ(text.find("relu("), std::string::npos) << text;
  EXPECT_EQ(text.find("dropout("), std::string::npos) << text;
  // conv1 + bn1 + relu; conv2 + bn2 + residual x + relu.
  EXPECT_NE(text.find("%0 = fused_conv2d(%x, %conv1.weight, %bn1.weight, %bn1.bias, "
                      "%bn1.running_mean, %bn1.running_var) {activation=\"relu\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("%1 = fused_conv2d(%0, %conv2.weight, %bn2.weight, %bn2.bias, "
                      "%bn2.running_mean, %bn2.running_var, %x) {activation=\"relu\""),
            std::string::npos)
      << text;
  EXPECT_EQ(m.ops.size(), 2u) << text;
}

TEST(RunPipeline, TimingsFollowThePipeline) {
  for (int level = 0; level <= 3; ++level) {
    Module m = Block();
    PassResult r;
    ASSERT_TRUE(RunPipeline(m, level, {}, &r).ok());
    std::vector<std::string> names;
    for (const PassTiming& t : r.timings) {
      names.push_back(t.pass);
      EXPECT_GE(t.ms, 0.0);
    }
    EXPECT_EQ(names, Names(Pipeline(level))) << "-O" << level;
    EXPECT_EQ(r.printed, "");
  }
}

TEST(RunPipeline, PrintAfterOnePass) {
  Module m = Block();
  PassResult r;
  ASSERT_TRUE(RunPipeline(m, 2, PassOptions{.print_after = "fold-batchnorm"}, &r).ok());
  const std::string header = "// ----- IR after fold-batchnorm\n";
  ASSERT_EQ(r.printed.rfind(header, 0), 0u) << r.printed;
  EXPECT_EQ(r.printed.find("// -----", header.size()), std::string::npos) << "one block only";
  // Right after fold-batchnorm: fused ops with has_bn, the relus not fused yet.
  EXPECT_NE(r.printed.find("has_bn=true"), std::string::npos);
  EXPECT_NE(r.printed.find("relu("), std::string::npos);
  EXPECT_EQ(r.printed.find("batch_norm("), std::string::npos);
  // The printed module is valid IR text.
  Result<Module> back = ParseModule(r.printed.substr(header.size()));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(Verify(back.value()), std::vector<std::string>{});
}

TEST(RunPipeline, PrintAfterAllMarksUnchangedPasses) {
  Module m = Block();
  PassResult r;
  ASSERT_TRUE(RunPipeline(m, 2, PassOptions{.print_after = "all"}, &r).ok());
  size_t blocks = 0;
  for (size_t at = r.printed.find("// ----- IR after "); at != std::string::npos;
       at = r.printed.find("// ----- IR after ", at + 1)) {
    ++blocks;
  }
  EXPECT_EQ(blocks, Pipeline(2).size());
  EXPECT_NE(r.printed.find("// ----- IR after fuse-epilogue\n"), std::string::npos);
  // The block has no constant-only op: fold-constants changes nothing.
  EXPECT_NE(r.printed.find("// ----- IR after fold-constants (unchanged)\n"), std::string::npos);
}

// A second -O2 run on -O2 output changes nothing: the pipeline reaches a fixed point.
TEST(RunPipeline, O2IsAFixedPoint) {
  Module m = Block();
  ASSERT_TRUE(RunPipeline(m, 2, {}, nullptr).ok());
  const std::string once = Print(m);
  PassResult r;
  ASSERT_TRUE(RunPipeline(m, 2, PassOptions{.verify_each = true}, &r).ok());
  for (const PassTiming& t : r.timings) EXPECT_FALSE(t.changed) << t.pass;
  EXPECT_EQ(Print(m), once);
}

// Every level computes what -O0 computes on the block (the model-zoo version is
// tests/opt_levels).
TEST(RunPipeline, EveryLevelKeepsTheResult) {
  const Module m0 = Block();
  const std::vector<HostTensor> inputs = testing::RandomInputs(m0, 3, 2);
  const std::vector<HostTensor> params = testing::RandomParams(m0, 4, 2);
  Result<std::vector<HostTensor>> want = Evaluate(m0, inputs, params);
  ASSERT_TRUE(want.ok()) << want.status().message();
  for (int level = 1; level <= 3; ++level) {
    Module m = m0;
    ASSERT_TRUE(RunPipeline(m, level, PassOptions{.verify_each = true}, nullptr).ok());
    Result<std::vector<HostTensor>> got = Evaluate(m, inputs, params);
    ASSERT_TRUE(got.ok()) << got.status().message();
    // The block's op order is unchanged by fusion: bit for bit.
    EXPECT_EQ(testing::MaxRelativeError(got.value()[0], want.value()[0]), 0.0) << "-O" << level;
  }
}

}  // namespace
}  // namespace triton::ir::passes

// End to end through the driver API: compile a zoo model -> package (InitialPackage, and
// QuantizePackage for ternary weights) -> driver::Run with the reference runtime, compared with
// the reference evaluator (ir::Evaluate) on the same module and weights. Also the package-level
// errors of LoadModel / ModelFromPackage and TopK.
#include "triton/driver/run.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/runtime/zoo_util.h"
#include "triton/ir/eval.h"

namespace triton {
namespace {

using testing::CompileZooModel;
using testing::Fp32Package;
using testing::TernaryPackage;

// Runs `pkg` through the driver and through ir::Evaluate on the model's (possibly retyped)
// module; the results must be bitwise equal (both use the reference op definitions).
void ExpectRunEqualsEvaluate(format::Package pkg, int64_t batch, const std::string& engine) {
  Result<driver::Model> model = driver::ModelFromPackage(std::move(pkg), "pkg.tnn");
  ASSERT_TRUE(model.ok()) << model.status().message();
  EXPECT_EQ(model.value().engine(), engine);
  Result<std::vector<ir::HostTensor>> inputs = driver::RandomInputs(model.value().module, batch, 3);
  ASSERT_TRUE(inputs.ok()) << inputs.status().message();
  Result<std::vector<ir::HostTensor>> want =
      ir::Evaluate(model.value().module, inputs.value(), model.value().params);
  ASSERT_TRUE(want.ok()) << want.status().message();
  Result<driver::RunResult> got = driver::Run(std::move(model).value(), inputs.value());
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got.value().batch, batch);
  ASSERT_EQ(got.value().outputs.size(), want.value().size());
  for (size_t i = 0; i < want.value().size(); ++i) {
    EXPECT_EQ(got.value().outputs[i].shape, want.value()[i].shape);
    EXPECT_EQ(got.value().outputs[i].data, want.value()[i].data);
  }
  // Logits of a randomly initialized network are finite and not all equal.
  const std::vector<float>& out = got.value().outputs[0].data;
  for (float v : out) ASSERT_TRUE(std::isfinite(v));
  EXPECT_NE(*std::min_element(out.begin(), out.end()), *std::max_element(out.begin(), out.end()));
}

TEST(RunEndToEnd, MnistMlpFp32AndTernary) {
  std::optional<ir::Module> m = CompileZooModel("mnist_mlp.tri", "mnist_mlp");
  ASSERT_TRUE(m);
  ExpectRunEqualsEvaluate(Fp32Package(*m), 4, "fp32");
  ExpectRunEqualsEvaluate(TernaryPackage(*m), 4, "ternary");
}

TEST(RunEndToEnd, Resnet20CifarFp32AndTernary) {
  std::optional<ir::Module> m = CompileZooModel("resnet_cifar.tri", "resnet20_cifar");
  ASSERT_TRUE(m);
  ExpectRunEqualsEvaluate(Fp32Package(*m), 2, "fp32");
  ExpectRunEqualsEvaluate(TernaryPackage(*m), 2, "ternary");
}

TEST(RunEndToEnd, ModelRetypesFp32StoredTernaryParams) {
  std::optional<ir::Module> m = CompileZooModel("mnist_mlp.tri", "mnist_mlp");
  ASSERT_TRUE(m);
  Result<driver::Model> fp32 = driver::ModelFromPackage(Fp32Package(*m), "a.tnn");
  ASSERT_TRUE(fp32.ok()) << fp32.status().message();
  EXPECT_EQ(fp32.value().fp32_latent_tensors, 1);  // fc2.weight
  EXPECT_EQ(fp32.value().ternary_tensors, 0);
  for (const ir::HostTensor& p : fp32.value().params) EXPECT_EQ(p.dtype, ir::DType::kFloat32);
  Result<driver::Model> tern = driver::ModelFromPackage(TernaryPackage(*m), "b.tnn");
  ASSERT_TRUE(tern.ok()) << tern.status().message();
  EXPECT_EQ(tern.value().ternary_tensors, 1);
  EXPECT_EQ(tern.value().params[2].dtype, ir::DType::kTrit);
  EXPECT_EQ(tern.value().params[2].scale_pos.size(), 128u);  // per channel
}

TEST(RunEndToEnd, WrongInputShapeIsAClearError) {
  std::optional<ir::Module> m = CompileZooModel("resnet_cifar.tri", "resnet20_cifar");
  ASSERT_TRUE(m);
  Result<driver::Model> model = driver::ModelFromPackage(Fp32Package(*m), "r.tnn");
  ASSERT_TRUE(model.ok());
  ir::HostTensor x;
  x.shape = {1, 3, 224, 224};
  x.data.assign(3 * 224 * 224, 0.5f);
  Result<driver::RunResult> r = driver::Run(std::move(model).value(), {x});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "input 'x' must be f32[N, 3, 32, 32], got f32[1, 3, 224, 224]: dim 2 must be 32, got "
            "224");
}

TEST(RunEndToEnd, PackageErrors) {
  std::optional<ir::Module> m = CompileZooModel("mnist_mlp.tri", "mnist_mlp");
  ASSERT_TRUE(m);
  format::Package p = Fp32Package(*m);
  p.tensors.erase(p.tensors.begin() + 1);  // fc1.bias
  Result<driver::Model> r = driver::ModelFromPackage(p, "m.tnn");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "m.tnn: the package has no tensor 'fc1.bias' (the IR declares f32[256])");
  p = Fp32Package(*m);
  p.tensors[0].shape = {784, 256};
  r = driver::ModelFromPackage(p, "m.tnn");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "m.tnn: the IR declares param 'fc1.weight' f32[256, 784], but the package stores "
            "[784, 256]");
  p = Fp32Package(*m);
  p.ir_text = "module broken {";
  r = driver::ModelFromPackage(p, "m.tnn");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("m.tnn: the package's IR does not parse: ", 0), 0u)
      << r.status().message();
  Result<driver::Model> missing = driver::LoadModel("/nonexistent/model.tnn");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message().rfind("/nonexistent/model.tnn: ", 0), 0u);
}

TEST(TopK, SoftmaxOrderAndTies) {
  ir::HostTensor logits;
  logits.shape = {2, 4};
  logits.data = {1, 3, 3, 0, -1, -2, -3, 10};
  Result<std::vector<std::vector<driver::TopEntry>>> t = driver::TopK(logits, 3);
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t.value().size(), 2u);
  ASSERT_EQ(t.value()[0].size(), 3u);
  EXPECT_EQ(t.value()[0][0].index, 1);  // tie: lower class first
  EXPECT_EQ(t.value()[0][1].index, 2);
  EXPECT_EQ(t.value()[0][2].index, 0);
  const double z = std::exp(1.0) + 2 * std::exp(3.0) + std::exp(0.0);
  EXPECT_NEAR(t.value()[0][0].probability, std::exp(3.0) / z, 1e-12);
  EXPECT_EQ(t.value()[1][0].index, 3);
  EXPECT_EQ(t.value()[1][0].logit, 10.0f);
  EXPECT_EQ(driver::TopK(logits, 100).value()[0].size(), 4u);  // clamped to C
  ir::HostTensor bad;
  bad.shape = {1, 2, 3};
  bad.data.resize(6);
  EXPECT_FALSE(driver::TopK(bad, 1).ok());
}

}  // namespace
}  // namespace triton

// Every zoo model run by the reference runtime matches the same model built in libtorch from the
// same IR with the same weights (triton/train/torch_forward.h interprets the module with the
// per-op lowering of torch_ops.h). Weights: the seeded initial package (FP32), and its TWN
// ternarization.
//  - FP32 weights: max |runtime - libtorch| / max |libtorch| < 1e-4 on one random input.
//  - Ternary weights: identical top-1 class on several random inputs (libtorch gets the same
//    weights dequantized, code x scale); the relative error bound is checked too.
// Models are compiled at the default -O level (fused ops, as `triton compile -o` packages them);
// the `_O0` cases run three models as written (conv2d, batch_norm, activations unfused).
// The reference runtime is scalar: ImageNet models run at batch 1 (the ternary check on two
// inputs). vgg16 (15.5 GMAC) is named `vgg16_heavy`: skip it with --gtest_filter=-*heavy*.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tests/runtime/zoo_util.h"
#include "triton/base/timer.h"
#include "triton/driver/run.h"
#include "triton/train/torch_forward.h"
#include "triton/train/torch_ops.h"

namespace triton {
namespace {

constexpr double kFp32Tolerance = 1e-4;

struct ZooCase {
  const char* file;
  const char* model;
  const char* test_name;   // gtest name; "_heavy" marks the slowest
  int64_t ternary_inputs;  // random inputs (one batch) for the top-1 check
  int opt_level = -1;      // -1: the default -O level (fused ops); 0: the ops as written
};

void PrintTo(const ZooCase& c, std::ostream* os) { *os << c.test_name; }

struct Comparison {
  double relative_error = 0;  // max |a - b| / max |b|
  std::vector<int64_t> top1_runtime, top1_torch;
  double runtime_ms = 0, torch_ms = 0;
};

// Runs `package` with the reference runtime and with libtorch on `batch` random inputs.
Comparison Compare(format::Package package, int64_t batch, uint64_t seed,
                   const std::string& engine) {
  Comparison c;
  Result<driver::Model> model = driver::ModelFromPackage(std::move(package), "zoo.tnn");
  EXPECT_TRUE(model.ok()) << model.status().message();
  if (!model.ok()) return c;
  EXPECT_EQ(model.value().engine(), engine);
  std::vector<torch::Tensor> params;
  for (const ir::HostTensor& p : model.value().params) params.push_back(torch_ops::ToTorch(p));
  const ir::Module module = model.value().module;
  Result<std::vector<ir::HostTensor>> inputs = driver::RandomInputs(module, batch, seed);
  EXPECT_TRUE(inputs.ok()) << inputs.status().message();
  if (!inputs.ok()) return c;

  Result<driver::RunResult> ours = driver::Run(std::move(model).value(), inputs.value());
  EXPECT_TRUE(ours.ok()) << ours.status().message();
  if (!ours.ok()) return c;
  c.runtime_ms = ours.value().run_ms;
  base::Timer timer;
  std::vector<torch::Tensor> theirs = torch_ops::TorchForward(module, inputs.value(), params);
  c.torch_ms = timer.ElapsedMs();

  const ir::HostTensor& a = ours.value().outputs[0];
  torch::Tensor b = theirs[0].to(torch::kFloat32).contiguous();
  EXPECT_EQ(std::vector<int64_t>(b.sizes().begin(), b.sizes().end()), a.shape);
  EXPECT_EQ(b.numel(), static_cast<int64_t>(a.data.size()));
  if (b.numel() != static_cast<int64_t>(a.data.size()) || a.shape.size() != 2) return c;
  torch::Tensor at =
      torch::from_blob(const_cast<float*>(a.data.data()), b.sizes(), torch::kFloat32);
  const double max_ref = b.abs().max().item<double>();
  c.relative_error = (at - b).abs().max().item<double>() / std::max(max_ref, 1e-30);
  EXPECT_TRUE(at.isfinite().all().item<bool>());
  torch::Tensor ia = at.argmax(1), ib = b.argmax(1);
  for (int64_t n = 0; n < a.shape[0]; ++n) {
    c.top1_runtime.push_back(ia[n].item<int64_t>());
    c.top1_torch.push_back(ib[n].item<int64_t>());
  }
  return c;
}

class ZooVsTorch : public ::testing::TestWithParam<ZooCase> {
 protected:
  static void SetUpTestSuite() { torch::set_num_threads(1); }
};

TEST_P(ZooVsTorch, Fp32AndTernaryWeights) {
  const ZooCase& z = GetParam();
  base::Timer setup;
  std::optional<ir::Module> m = testing::CompileZooModel(z.file, z.model, nullptr, z.opt_level);
  ASSERT_TRUE(m);
  format::Package fp32_package = testing::Fp32Package(*m);
  format::Package ternary_package = fp32_package;
  driver::QuantizeOptions twn;
  twn.method = "twn";
  Status st = driver::QuantizePackage(ternary_package, twn, nullptr);
  ASSERT_TRUE(st.ok()) << st.message();
  const double setup_ms = setup.ElapsedMs();

  Comparison fp32 = Compare(std::move(fp32_package), 1, 11, "fp32");
  EXPECT_LT(fp32.relative_error, kFp32Tolerance);
  EXPECT_EQ(fp32.top1_runtime, fp32.top1_torch);

  Comparison tern = Compare(std::move(ternary_package), z.ternary_inputs, 12, "ternary");
  EXPECT_EQ(tern.top1_runtime, tern.top1_torch);
  EXPECT_EQ(tern.top1_runtime.size(), static_cast<size_t>(z.ternary_inputs));
  EXPECT_LT(tern.relative_error, kFp32Tolerance);

  std::printf(
      "[zoo] %-16s fp32: rel err %.2e, runtime %.0f ms, libtorch %.0f ms | ternary x%lld: rel "
      "err %.2e, runtime %.0f ms, libtorch %.0f ms | compile + packages %.0f ms\n",
      z.model, fp32.relative_error, fp32.runtime_ms, fp32.torch_ms,
      static_cast<long long>(z.ternary_inputs), tern.relative_error, tern.runtime_ms, tern.torch_ms,
      setup_ms);
  RecordProperty("fp32_relative_error", std::to_string(fp32.relative_error));
  RecordProperty("ternary_relative_error", std::to_string(tern.relative_error));
}

INSTANTIATE_TEST_SUITE_P(
    Zoo, ZooVsTorch,
    ::testing::Values(ZooCase{"mnist_mlp.tri", "mnist_mlp", "mnist_mlp", 8},
                      ZooCase{"resnet_cifar.tri", "resnet20_cifar", "resnet20_cifar", 4},
                      ZooCase{"resnet.tri", "resnet18_cifar", "resnet18_cifar", 4},
                      ZooCase{"resnet.tri", "resnet18", "resnet18", 2},
                      ZooCase{"resnet.tri", "resnet34", "resnet34", 2},
                      ZooCase{"resnet.tri", "resnet50", "resnet50", 2},
                      ZooCase{"mobilenet_v2.tri", "mobilenet_v2", "mobilenet_v2", 2},
                      ZooCase{"efficientnet.tri", "efficientnet_b0", "efficientnet_b0", 2},
                      ZooCase{"vgg.tri", "vgg16", "vgg16_heavy", 2},
                      // -O0: unfused conv2d, batch_norm and activations.
                      ZooCase{"resnet_cifar.tri", "resnet20_cifar", "resnet20_cifar_O0", 4, 0},
                      ZooCase{"mobilenet_v2.tri", "mobilenet_v2", "mobilenet_v2_O0", 1, 0},
                      ZooCase{"efficientnet.tri", "efficientnet_b0", "efficientnet_b0_O0", 1, 0}),
    [](const auto& info) { return std::string(info.param.test_name); });

}  // namespace
}  // namespace triton

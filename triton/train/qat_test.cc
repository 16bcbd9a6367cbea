// The QAT model (qat_model.h) and its estimators (ste.h): quantizer forward values against
// triton/quant, STE / clipped STE / TTQ gradients against their definitions, training-mode batch
// norm against torch::nn::BatchNorm2d, zoo models' eval forward against the reference evaluator
// on the exported ternary package, export and state round trips, and a loss that decreases.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "triton/driver/compile.h"
#include "triton/driver/run.h"
#include "triton/driver/weights.h"
#include "triton/format/package.h"
#include "triton/ir/eval.h"
#include "triton/ir/printer.h"
#include "triton/quant/random.h"
#include "triton/quant/ternary.h"
#include "triton/train/qat_model.h"
#include "triton/train/ste.h"

#ifndef TRITON_SOURCE_DIR
#define TRITON_SOURCE_DIR "."
#endif

namespace triton::train {
namespace {

using torch::Tensor;

const std::string kModels = std::string(TRITON_SOURCE_DIR) + "/models";

// N(0, 1) values (triton/quant's NormalDraw), channel c scaled by 1 + c so channels differ.
Tensor RandomWeight(std::vector<int64_t> shape, uint64_t seed) {
  Tensor t = torch::empty(shape, torch::kFloat);
  float* d = t.data_ptr<float>();
  const int64_t per = shape[0] == 0 ? 0 : t.numel() / shape[0];
  for (int64_t i = 0; i < t.numel(); ++i) {
    d[i] = static_cast<float>(quant::NormalDraw(seed, static_cast<uint64_t>(i)) * (1 + i / per));
  }
  return t;
}

std::vector<float> Values(const Tensor& t) {
  const Tensor c = t.detach().to(torch::kFloat).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// max |a - b| / max |b| (absolute when b is all zeros).
double RelError(const Tensor& a, const Tensor& b) {
  const double scale = b.abs().max().item<double>();
  const double err = (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
  return scale == 0 ? err : err / scale;
}

ir::Module Compile(const std::string& file, const std::string& model) {
  driver::CompileOptions o;
  o.opt_level = 1;
  o.model = model;
  driver::FileCompileResult r = driver::CompileFile(kModels + "/" + file, o);
  EXPECT_TRUE(r.read_error.empty() && r.ok() && r.module) << file << " " << r.read_error;
  return *r.module;
}

ir::Module CompileText(const std::string& text) {
  driver::CompileOptions o;
  o.opt_level = 1;
  driver::CompileResult r = driver::CompileSource("test.tri", text, o);
  EXPECT_TRUE(r.ok() && r.module);
  return *r.module;
}

// A ternary convolution and a batch norm on 6x6 maps.
const char* kTiny = R"(
layer Tiny() {
  let conv = TernaryConv2d(3, 8, 3, padding=1)
  let bn = BatchNorm2d(8)
  fn forward(x: Tensor[N, 3, 6, 6]) -> Tensor[N, 8, 6, 6] {
    return bn(conv(x))
  }
}
model tiny = Tiny()
)";

const char* kBnOnly = R"(
layer BnOnly() {
  let bn = BatchNorm2d(4)
  fn forward(x: Tensor[N, 4, 5, 5]) -> Tensor[N, 4, 5, 5] {
    return bn(x)
  }
}
model bn_only = BnOnly()
)";

std::unique_ptr<QatModel> MakeModel(const ir::Module& m, const QatOptions& o, uint64_t seed = 1) {
  Result<std::unique_ptr<QatModel>> r =
      QatModel::Create(m, driver::InitialPackage(m, seed, "test"), o);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.status().message());
  return std::move(r).value();
}

const quant::Method kMethods[] = {quant::Method::kTwn, quant::Method::kThreshold,
                                  quant::Method::kStochastic, quant::Method::kLearned,
                                  quant::Method::kAbsmean};

// The live state tensor `name` of `model` (undefined when there is none).
Tensor StateOf(const QatModel& model, const std::string& name) {
  for (const auto& [n, t] : model.NamedState()) {
    if (n == name) return t;
  }
  ADD_FAILURE() << "no state tensor " << name;
  return Tensor();
}

// ---- Quantizer forward values ----------------------------------------------------------------

TEST(QatQuantizer, EqualsTritonQuantForEveryMethodAndGrouping) {
  const std::vector<std::vector<int64_t>> shapes = {{8, 5, 3, 3}, {16, 40}, {1, 7}, {3, 1}};
  for (quant::Method method : kMethods) {
    for (bool per_channel : {true, false}) {
      for (size_t s = 0; s < shapes.size(); ++s) {
        const Tensor w = RandomWeight(shapes[s], 100 + s);
        quant::TernaryOptions qo;
        qo.method = method;
        qo.per_channel = per_channel;
        qo.threshold_factor = quant::DefaultThresholdFactor(method);
        qo.seed = 77 + s;
        const std::vector<float> wv = Values(w);
        Result<quant::TernaryTensor> ref = quant::Ternarize(wv, shapes[s], qo);
        ASSERT_TRUE(ref.ok());
        const TernaryCodes got =
            TernarizeTorch(w, method, per_channel, qo.threshold_factor, qo.seed);
        const std::string what = std::string(quant::MethodName(method)) +
                                 (per_channel ? " per channel" : " per tensor") + " shape " +
                                 std::to_string(s);
        const std::vector<float> codes = Values(got.codes);
        ASSERT_EQ(codes.size(), ref.value().trits.size()) << what;
        for (size_t i = 0; i < codes.size(); ++i) {
          ASSERT_EQ(codes[i], static_cast<float>(ref.value().trits[i])) << what << " i=" << i;
        }
        EXPECT_EQ(Values(got.scale_pos), ref.value().scale_pos) << what;
        EXPECT_EQ(Values(got.scale_neg), ref.value().scale_neg) << what;
        // The dequantized tensor equals quant::Dequantize bit for bit.
        EXPECT_EQ(Values(DequantizeCodes(got.codes, got.scale_pos, got.scale_neg)),
                  quant::Dequantize(ref.value()))
            << what;
      }
    }
  }
}

TEST(QatQuantizer, EdgeCasesMatchTritonQuant) {
  // All-zero channel, an alpha * T tensor, ties at the threshold of absmean (|w / gamma| = 0.5).
  const Tensor w =
      torch::tensor({0.f, 0.f, 0.f, 0.f, 2.f, -2.f, 0.f, 2.f, 1.f, -1.f, 0.f, 2.f}).reshape({3, 4});
  for (quant::Method method : kMethods) {
    for (bool per_channel : {true, false}) {
      quant::TernaryOptions qo;
      qo.method = method;
      qo.per_channel = per_channel;
      qo.threshold_factor = quant::DefaultThresholdFactor(method);
      Result<quant::TernaryTensor> ref = quant::Ternarize(Values(w), {3, 4}, qo);
      ASSERT_TRUE(ref.ok());
      const TernaryCodes got = TernarizeTorch(w, method, per_channel, qo.threshold_factor, 0);
      EXPECT_EQ(Values(DequantizeCodes(got.codes, got.scale_pos, got.scale_neg)),
                quant::Dequantize(ref.value()))
          << quant::MethodName(method) << " " << per_channel;
    }
  }
}

// The model's ternary export (the eval-mode codes and scales) equals driver::QuantizePackage of
// its FP32 export, i.e. triton/quant on the latent weights, for every deterministic method.
TEST(QatQuantizer, ModelExportEqualsQuantizePackage) {
  const ir::Module m = CompileText(kTiny);
  for (quant::Method method : {quant::Method::kTwn, quant::Method::kThreshold,
                               quant::Method::kLearned, quant::Method::kAbsmean}) {
    for (bool per_channel : {true, false}) {
      QatOptions o;
      o.method = quant::MethodName(method);
      o.per_channel = per_channel;
      std::unique_ptr<QatModel> model = MakeModel(m, o);
      const format::Package got = model->ExportTernary("h", false);
      format::Package want = model->ExportFp32("h");
      driver::QuantizeOptions qo;
      qo.method = o.method;
      qo.per_channel = per_channel;
      qo.per_channel_set = true;
      ASSERT_TRUE(driver::QuantizePackage(want, qo, nullptr).ok());
      const format::TensorRecord *a = got.Find("conv.weight"), *b = want.Find("conv.weight");
      ASSERT_TRUE(a && b && a->ternary() && b->ternary());
      EXPECT_EQ(a->trits, b->trits) << o.method;
      EXPECT_EQ(a->scale_pos, b->scale_pos) << o.method;
      EXPECT_EQ(a->scale_neg, b->scale_neg) << o.method;
      EXPECT_EQ(got.meta.quantization, want.meta.quantization);
    }
  }
}

TEST(QatQuantizer, StochasticIsSeededPerStepAndEvalIsTwn) {
  const Tensor w = RandomWeight({6, 20}, 5);
  const uint64_t seed = StochasticSeed(9, 3, 1);
  const TernaryCodes a = TernarizeTorch(w, quant::Method::kStochastic, true, 0, seed);
  const TernaryCodes b = TernarizeTorch(w, quant::Method::kStochastic, true, 0, seed);
  EXPECT_TRUE(torch::equal(a.codes, b.codes));
  const TernaryCodes c =
      TernarizeTorch(w, quant::Method::kStochastic, true, 0, StochasticSeed(9, 4, 1));
  EXPECT_FALSE(torch::equal(a.codes, c.codes));

  // In the model: eval mode and the export use TWN's rule; training passes differ per step.
  const ir::Module m = CompileText(kTiny);
  QatOptions o;
  o.method = "stochastic";
  o.seed = 9;
  std::unique_ptr<QatModel> model = MakeModel(m, o);
  const format::Package exported = model->ExportTernary("h", false);
  format::Package twn = model->ExportFp32("h");
  driver::QuantizeOptions qo;
  qo.method = "twn";
  ASSERT_TRUE(driver::QuantizePackage(twn, qo, nullptr).ok());
  EXPECT_EQ(exported.Find("conv.weight")->trits, twn.Find("conv.weight")->trits);
  EXPECT_EQ(exported.Find("conv.weight")->scale_pos, twn.Find("conv.weight")->scale_pos);
  torch::manual_seed(0);
  const Tensor x = torch::randn({2, 3, 6, 6});
  const Tensor e1 = model->Forward({x}, false), e2 = model->Forward({x}, false);
  EXPECT_TRUE(torch::equal(e1, e2));
  const Tensor t1 = model->Forward({x}, true), t2 = model->Forward({x}, true);
  EXPECT_FALSE(torch::equal(t1, t2));
  EXPECT_EQ(model->step(), 2);
  // The same seed and step give the same pass.
  std::unique_ptr<QatModel> again = MakeModel(m, o);
  EXPECT_TRUE(torch::equal(again->Forward({x}, true), t1));
}

// ---- Gradients -------------------------------------------------------------------------------

TEST(QatGradient, SteAndClippedSte) {
  const Tensor w = RandomWeight({4, 6}, 11).requires_grad_(true);
  const TernaryCodes q = TernarizeTorch(w, quant::Method::kTwn, true, 0.7, 0);
  const Tensor deq = DequantizeCodes(q.codes, q.scale_pos, q.scale_neg);
  const Tensor g = RandomWeight({4, 6}, 12);
  for (double clip : {-1.0, 0.8}) {
    w.mutable_grad() = Tensor();
    const Tensor out = Ste(w, deq, clip);
    EXPECT_TRUE(torch::equal(out, deq));  // forward: the quantized values, exactly
    (out * g).sum().backward();
    const Tensor want = clip < 0 ? g : g * (w.detach().abs() <= clip).to(torch::kFloat);
    EXPECT_TRUE(torch::equal(w.grad(), want)) << clip;
  }
}

TEST(QatGradient, TtqHandChecked) {
  // Per channel, t = 0.05: row 0 delta 0.045 -> codes [1, 0, -1]; row 1 delta 0.04 ->
  // [0, 1, -1].
  const Tensor w =
      torch::tensor({0.9f, -0.02f, -0.6f, 0.03f, 0.5f, -0.8f}).reshape({2, 3}).requires_grad_(true);
  const TernaryCodes q = TernarizeTorch(w, quant::Method::kLearned, true, 0.05, 0);
  ASSERT_TRUE(
      torch::equal(q.codes, torch::tensor({1.f, 0.f, -1.f, 0.f, 1.f, -1.f}).reshape({2, 3})));
  const Tensor g = torch::tensor({1.f, 2.f, 3.f, 4.f, 5.f, 6.f}).reshape({2, 3});
  for (double clip : {-1.0, 0.7}) {
    const Tensor wp = torch::tensor({2.f, 3.f}).requires_grad_(true);
    const Tensor wn = torch::tensor({0.5f, 4.f}).requires_grad_(true);
    w.mutable_grad() = Tensor();
    const Tensor out = Ttq(w, wp, wn, q.codes, clip);
    EXPECT_TRUE(
        torch::equal(out, torch::tensor({2.f, 0.f, -0.5f, 0.f, 3.f, -4.f}).reshape({2, 3})));
    (out * g).sum().backward();
    // dL/dWp = sum of g over positive codes; dL/dWn = -sum over negative codes.
    EXPECT_TRUE(torch::equal(wp.grad(), torch::tensor({1.f, 5.f})));
    EXPECT_TRUE(torch::equal(wn.grad(), torch::tensor({-3.f, -6.f})));
    // Latent: Wp * g, 1 * g, Wn * g; clipped where |w| > 0.7 (0.9 and -0.8).
    const Tensor want = clip < 0 ? torch::tensor({2.f, 2.f, 1.5f, 4.f, 15.f, 24.f})
                                 : torch::tensor({0.f, 2.f, 1.5f, 4.f, 15.f, 0.f});
    EXPECT_TRUE(torch::equal(w.grad(), want.reshape({2, 3}))) << clip;
  }
}

TEST(QatGradient, TtqEqualsAutogradOfExplicitExpression) {
  for (bool per_channel : {true, false}) {
    const Tensor w = RandomWeight({5, 2, 3, 3}, 21).requires_grad_(true);
    const TernaryCodes q = TernarizeTorch(w, quant::Method::kLearned, per_channel, 0.05, 0);
    const int64_t groups = GroupCount(w, per_channel);
    const Tensor g = RandomWeight({5, 2, 3, 3}, 22);
    const Tensor wp = (q.scale_pos * 1.3).detach().requires_grad_(true);
    const Tensor wn = (q.scale_neg * 0.7).detach().requires_grad_(true);
    (Ttq(w, wp, wn, q.codes, -1) * g).sum().backward();

    // The same rule as ordinary autograd: w_q = pos * Wp - neg * Wn, plus a zero-valued term
    // whose derivative in the latent is the TTQ factor (Wp, 1, Wn).
    const Tensor w2 = w.detach().clone().requires_grad_(true);
    const Tensor wp2 = wp.detach().clone().requires_grad_(true);
    const Tensor wn2 = wn.detach().clone().requires_grad_(true);
    const Tensor c = q.codes.reshape({groups, -1});
    const Tensor pos = (c > 0).to(torch::kFloat), neg = (c < 0).to(torch::kFloat);
    const Tensor factor =
        (pos * wp2.reshape({groups, 1}) + neg * wn2.reshape({groups, 1}) + (1 - pos - neg))
            .detach();
    const Tensor lat = w2.reshape({groups, -1});
    const Tensor explicit_q = pos * wp2.reshape({groups, 1}) - neg * wn2.reshape({groups, 1}) +
                              factor * (lat - lat.detach());
    (explicit_q.reshape(w.sizes()) * g).sum().backward();
    EXPECT_LT(RelError(w.grad(), w2.grad()), 1e-6) << per_channel;
    EXPECT_LT(RelError(wp.grad(), wp2.grad()), 1e-5) << per_channel;
    EXPECT_LT(RelError(wn.grad(), wn2.grad()), 1e-5) << per_channel;
    EXPECT_EQ(wp.grad().numel(), per_channel ? 5 : 1);
  }
}

TEST(QatGradient, ModelLearnedScalesGetGradients) {
  const ir::Module m = CompileText(kTiny);
  QatOptions o;
  o.method = "learned";
  std::unique_ptr<QatModel> model = MakeModel(m, o);
  std::vector<std::string> names;
  for (const auto& [name, t] : model->NamedParameters()) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"conv.weight", "conv.weight.wp", "conv.weight.wn",
                                             "bn.weight", "bn.bias"}));
  torch::manual_seed(1);
  const Tensor out = model->Forward({torch::randn({3, 3, 6, 6})}, true);
  (out * torch::randn_like(out)).sum().backward();
  for (const auto& [name, t] : model->NamedParameters()) {
    ASSERT_TRUE(t.grad().defined()) << name;
    EXPECT_GT(t.grad().abs().sum().item<double>(), 0) << name;
  }
}

TEST(QatGradient, ModelClippedSte) {
  const ir::Module m = CompileText(kTiny);
  for (double clip : {1e30, 1e-12}) {
    QatOptions o;
    o.clipped_ste = true;
    o.clip = clip;
    std::unique_ptr<QatModel> model = MakeModel(m, o);
    torch::manual_seed(2);
    const Tensor out = model->Forward({torch::randn({3, 3, 6, 6})}, true);
    (out * torch::randn_like(out)).sum().backward();
    const double g = StateOf(*model, "conv.weight").grad().abs().sum().item<double>();
    if (clip > 1) {
      EXPECT_GT(g, 0);
    } else {
      EXPECT_EQ(g, 0);  // every |latent| > clip
    }
  }
}

// ---- Batch norm ------------------------------------------------------------------------------

TEST(QatBatchNorm, TrainModeMatchesTorchBatchNorm2d) {
  const ir::Module m = CompileText(kBnOnly);
  std::unique_ptr<QatModel> model = MakeModel(m, {});
  torch::nn::BatchNorm2d ref(4);
  torch::manual_seed(3);
  {
    torch::NoGradGuard no_grad;
    const Tensor gamma = torch::rand({4}) + 0.5, beta = torch::randn({4});
    ref->weight.copy_(gamma);
    ref->bias.copy_(beta);
    StateOf(*model, "bn.weight").copy_(gamma);
    StateOf(*model, "bn.bias").copy_(beta);
  }
  ref->train();
  for (int step = 0; step < 3; ++step) {
    const Tensor x = torch::randn({6, 4, 5, 5}) * (step + 1) + step;
    EXPECT_LT(RelError(model->Forward({x}, true), ref->forward(x)), 1e-6);
  }
  EXPECT_LT(RelError(StateOf(*model, "bn.running_mean"), ref->running_mean), 1e-6);
  EXPECT_LT(RelError(StateOf(*model, "bn.running_var"), ref->running_var), 1e-6);
  ref->eval();
  const Tensor x = torch::randn({2, 4, 5, 5});
  EXPECT_LT(RelError(model->Forward({x}, false), ref->forward(x)), 1e-6);

  // Re-calibration: after a reset, cumulative averaging gives the mean of the batch means.
  model->ResetBatchNormStats();
  model->set_batch_norm_cumulative(true);
  const Tensor a = torch::randn({4, 4, 5, 5}), b = torch::randn({4, 4, 5, 5}) + 2;
  model->Forward({a}, true);
  model->Forward({b}, true);
  const Tensor want = (a.mean({0, 2, 3}) + b.mean({0, 2, 3})) / 2;
  EXPECT_LT(RelError(StateOf(*model, "bn.running_mean"), want), 1e-5);
}

// Re-calibration gathers the statistics of the deployed model: a stochastic layer's passes use
// its eval-mode (TWN) codes, not random draws, and do not advance the step.
TEST(QatBatchNorm, RecalibrationUsesTheDeployedCodes) {
  const ir::Module m = CompileText(kTiny);
  QatOptions o;
  o.method = "stochastic";
  o.seed = 4;
  std::unique_ptr<QatModel> model = MakeModel(m, o);
  torch::manual_seed(5);
  const Tensor x = torch::randn({4, 3, 6, 6});
  model->ResetBatchNormStats();
  model->set_batch_norm_cumulative(true);
  model->Forward({x}, true);
  model->set_batch_norm_cumulative(false);
  EXPECT_EQ(model->step(), 0);
  // The conv's output with the exported codes, as the runtime computes it.
  const format::Package pkg = model->ExportTernary("h", false);
  const format::TensorRecord* w = pkg.Find("conv.weight");
  ASSERT_NE(w, nullptr);
  std::vector<float> deq(w->trits.size());
  const int64_t per = static_cast<int64_t>(w->trits.size()) / 8;
  for (size_t i = 0; i < deq.size(); ++i) {
    const int t = w->trits[i];
    const size_t c = w->scale_pos.size() == 8 ? i / static_cast<size_t>(per) : 0;
    deq[i] = t > 0 ? w->scale_pos[c] : t < 0 ? -w->scale_neg[c] : 0.0f;
  }
  const Tensor wt = torch::from_blob(deq.data(), {8, 3, 3, 3}, torch::kFloat).clone();
  const Tensor y = torch::conv2d(x, wt, {}, 1, 1);  // TernaryConv2d has no bias by default
  EXPECT_LT(RelError(StateOf(*model, "bn.running_mean"), y.mean({0, 2, 3})), 1e-4);
}

// ---- Zoo models: eval forward == reference evaluator on the exported ternary package ---------

void CheckAgainstEvaluator(const ir::Module& m, QatModel& model, const std::vector<int64_t>& shape,
                           bool base3, const std::string& what) {
  format::Package pkg = model.ExportTernary("h", base3);
  EXPECT_EQ(pkg.ir_text, ir::Print(m)) << what;
  ASSERT_TRUE(format::ValidatePackage(pkg).ok()) << what;
  Result<format::Package> parsed = format::ParsePackage(format::SerializePackage(pkg), what);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  Result<driver::Model> loaded = driver::ModelFromPackage(std::move(parsed).value(), what);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_GT(loaded.value().ternary_tensors, 0) << what;
  EXPECT_EQ(ir::Print(loaded.value().module), ir::Print(m)) << what;

  torch::manual_seed(7);
  const Tensor x = torch::randn(shape);
  ir::HostTensor h;
  h.shape = shape;
  h.data = Values(x);
  Result<std::vector<ir::HostTensor>> ref =
      ir::Evaluate(loaded.value().module, {h}, loaded.value().params);
  ASSERT_TRUE(ref.ok()) << ref.status().message();
  const Tensor got = model.Forward({x}, false);
  const Tensor want = torch::from_blob(ref.value()[0].data.data(), got.sizes(), torch::kFloat);
  const double err = RelError(got, want);
  EXPECT_LT(err, 1e-4) << what;
  std::printf("%s: eval forward vs ir::Evaluate of the ternary package: rel. error %.3g\n",
              what.c_str(), err);
}

// A few SGD steps with cross-entropy on `n` random samples (labels i % classes).
std::vector<double> Train(QatModel& model, const std::vector<int64_t>& shape, int64_t classes,
                          int steps, double lr) {
  std::vector<Tensor> params;
  for (const auto& [name, t] : model.NamedParameters()) params.push_back(t);
  torch::optim::SGD opt(params, torch::optim::SGDOptions(lr).momentum(0.9));
  torch::manual_seed(11);
  const Tensor x = torch::randn(shape);
  const Tensor y = torch::arange(shape[0], torch::kLong).remainder(classes);
  std::vector<double> losses;
  for (int s = 0; s < steps; ++s) {
    opt.zero_grad();
    Tensor logits = model.Forward({x}, true);
    if (logits.dim() == 4) logits = logits.mean({2, 3});  // feature maps: pooled per channel
    const Tensor loss = torch::cross_entropy_loss(logits, y);
    loss.backward();
    opt.step();
    losses.push_back(loss.item<double>());
  }
  return losses;
}

TEST(QatZoo, MnistMlpEvalEqualsEvaluator) {
  const ir::Module m = Compile("mnist_mlp.tri", "");
  for (const std::string method : {"", "learned", "absmean"}) {
    QatOptions o;
    o.method = method;
    std::unique_ptr<QatModel> model = MakeModel(m, o);
    Train(*model, {16, 784}, 10, 3, 0.05);  // moves the weights (and TTQ's scales) off the init
    CheckAgainstEvaluator(m, *model, {4, 784}, method == "learned",
                          "mnist_mlp " + (method.empty() ? std::string("spec") : method));
  }
}

TEST(QatZoo, Resnet20EvalEqualsEvaluator) {
  const ir::Module m = Compile("resnet_cifar.tri", "resnet20_cifar");
  std::unique_ptr<QatModel> model = MakeModel(m, {});
  Train(*model, {8, 3, 32, 32}, 10, 2, 0.05);  // running statistics and weights move
  CheckAgainstEvaluator(m, *model, {2, 3, 32, 32}, false, "resnet20_cifar twn");
}

// ---- Round trips -----------------------------------------------------------------------------

TEST(QatRoundTrip, ExportFp32) {
  const ir::Module m = CompileText(kTiny);
  std::unique_ptr<QatModel> a = MakeModel(m, {});
  Train(*a, {4, 3, 6, 6}, 8, 2, 0.1);
  const format::Package p = a->ExportFp32("hash");
  EXPECT_EQ(p.meta.source_hash, "hash");
  EXPECT_EQ(p.meta.model_name, "tiny");
  for (const format::TensorRecord& r : p.tensors) EXPECT_FALSE(r.ternary()) << r.name;
  EXPECT_FALSE(p.Find("bn.running_mean")->trainable);
  Result<std::unique_ptr<QatModel>> b = QatModel::Create(m, p, {});
  ASSERT_TRUE(b.ok());
  const auto sa = a->NamedState(), sb = b.value()->NamedState();
  ASSERT_EQ(sa.size(), sb.size());
  for (size_t i = 0; i + 1 < sa.size(); ++i) {
    EXPECT_EQ(sa[i].first, sb[i].first);
    EXPECT_TRUE(torch::equal(sa[i].second, sb[i].second)) << sa[i].first;
  }
  const Tensor x = torch::randn({2, 3, 6, 6});
  EXPECT_TRUE(torch::equal(a->Forward({x}, false), b.value()->Forward({x}, false)));
}

TEST(QatRoundTrip, LoadNamedState) {
  const ir::Module m = Compile("mnist_mlp.tri", "");
  QatOptions o;
  o.method = "learned";
  std::unique_ptr<QatModel> a = MakeModel(m, o, 1);
  Train(*a, {16, 784}, 10, 3, 0.05);
  std::unique_ptr<QatModel> b = MakeModel(m, o, 2);
  std::vector<std::pair<std::string, Tensor>> state;
  for (const auto& [name, t] : a->NamedState()) state.emplace_back(name, t.detach().clone());
  ASSERT_TRUE(b->LoadState(state).ok());
  EXPECT_EQ(b->step(), 3);
  const Tensor x = torch::randn({5, 784});
  EXPECT_TRUE(torch::equal(a->Forward({x}, false), b->Forward({x}, false)));
  // Both continue identically.
  EXPECT_EQ(Train(*a, {16, 784}, 10, 2, 0.05), Train(*b, {16, 784}, 10, 2, 0.05));

  auto missing = state;
  missing.erase(std::find_if(missing.begin(), missing.end(),
                             [](const auto& e) { return e.first == "fc2.weight.wp"; }));
  Status s = b->LoadState(missing);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("fc2.weight.wp"), std::string::npos) << s.message();
  auto wrong = state;
  wrong[0].second = torch::zeros({3});
  s = b->LoadState(wrong);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("fc1.weight"), std::string::npos) << s.message();
}

TEST(QatModelErrors, NameTheParamAndTheOp) {
  const ir::Module m = CompileText(kTiny);
  format::Package p = driver::InitialPackage(m, 1, "h");
  p.tensors[0].shape = {8, 3, 3, 2};
  Result<std::unique_ptr<QatModel>> r = QatModel::Create(m, p, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("conv.weight"), std::string::npos);
  QatOptions o;
  o.method = "nope";
  r = QatModel::Create(m, driver::InitialPackage(m, 1, "h"), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("conv.weight"), std::string::npos);

  driver::CompileOptions co;  // -O2 folds batch norm and fuses: not trainable
  driver::CompileResult c = driver::CompileSource("t.tri", kTiny, co);
  ASSERT_TRUE(c.ok() && c.module);
  r = QatModel::Create(*c.module, driver::InitialPackage(*c.module, 1, "h"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("-O1"), std::string::npos);
}

// ---- Training reduces the loss ---------------------------------------------------------------

TEST(QatTraining, SgdReducesTheLoss) {
  const ir::Module m = Compile("mnist_mlp.tri", "");
  for (const std::string method : {"twn", "learned"}) {
    QatOptions o;
    o.method = method;
    std::unique_ptr<QatModel> model = MakeModel(m, o);
    const std::vector<double> losses = Train(*model, {64, 784}, 10, 25, 0.05);
    std::printf("%s: loss %.4f -> %.4f\n", method.c_str(), losses.front(), losses.back());
    EXPECT_LT(losses.back(), 0.5 * losses.front()) << method;
  }
}

TEST(QatTraining, FpWarmupRunsLatentWeights) {
  const ir::Module m = Compile("mnist_mlp.tri", "");
  std::unique_ptr<QatModel> model = MakeModel(m, {});
  model->set_quantize(false);
  const Tensor x = torch::randn({3, 784});
  format::Package fp = model->ExportFp32("h");
  Result<driver::Model> loaded = driver::ModelFromPackage(std::move(fp), "fp");
  ASSERT_TRUE(loaded.ok());
  ir::HostTensor h;
  h.shape = {3, 784};
  h.data = Values(x);
  Result<std::vector<ir::HostTensor>> ref =
      ir::Evaluate(loaded.value().module, {h}, loaded.value().params);
  ASSERT_TRUE(ref.ok());
  const Tensor got = model->Forward({x}, false);
  EXPECT_LT(RelError(got, torch::from_blob(ref.value()[0].data.data(), {3, 10}, torch::kFloat)),
            1e-5);
}

}  // namespace
}  // namespace triton::train

// Batch mixing (mixup, CutMix) and the distillation loss against their definitions (mix.h).
#include "triton/train/mix.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

namespace triton::train {
namespace {

using torch::indexing::Slice;

torch::Tensor Images(int64_t n) {
  return torch::arange(n * 3 * 8 * 8, torch::kFloat32).reshape({n, 3, 8, 8});
}

TEST(MixTest, OffOrTooSmallLeavesTheBatchAlone) {
  const torch::Tensor x = Images(4);
  MixedBatch m = MixBatch(x, {}, 1, 0, 0);
  EXPECT_EQ(m.kind, MixedBatch::kNone);
  EXPECT_TRUE(m.images.is_same(x));
  EXPECT_EQ(MixBatch(Images(1), {.mixup_alpha = 1}, 1, 0, 0).kind, MixedBatch::kNone);
  EXPECT_EQ(MixBatch(x, {.mixup_alpha = 1, .prob = 0}, 1, 0, 0).kind, MixedBatch::kNone);
}

TEST(MixTest, MixupIsTheConvexCombinationWithThePartner) {
  const torch::Tensor x = Images(6);
  const MixedBatch m = MixBatch(x, {.mixup_alpha = 0.4}, 3, 2, 5);
  ASSERT_EQ(m.kind, MixedBatch::kMixup);
  EXPECT_GT(m.lambda, 0);
  EXPECT_LT(m.lambda, 1);
  // The partner is a permutation of the batch.
  EXPECT_TRUE(torch::equal(std::get<0>(m.partner.sort()), torch::arange(6, torch::kInt64)));
  for (int64_t i = 0; i < 6; ++i) {
    const torch::Tensor want = x[i] * m.lambda + x[m.partner[i].item<int64_t>()] * (1 - m.lambda);
    EXPECT_TRUE(torch::allclose(m.images[i], want)) << i;
  }
}

TEST(MixTest, CutMixPastesOneBoxAndLambdaIsTheKeptArea) {
  const torch::Tensor x = Images(5);
  int boxes = 0;
  for (int64_t step = 0; step < 20; ++step) {
    const MixedBatch m = MixBatch(x, {.cutmix_alpha = 1.0}, 9, 0, step);
    ASSERT_EQ(m.kind, MixedBatch::kCutMix);
    const int64_t area = (m.y1 - m.y0) * (m.x1 - m.x0);
    EXPECT_DOUBLE_EQ(m.lambda, 1.0 - static_cast<double>(area) / 64.0);
    boxes += area > 0;
    const torch::Tensor other = x.index_select(0, m.partner);
    torch::Tensor mask = torch::zeros({8, 8}, torch::kBool);
    mask.index_put_({Slice(m.y0, m.y1), Slice(m.x0, m.x1)}, true);
    // Inside the box: the partner's pixels; outside: the sample's own.
    EXPECT_TRUE(torch::equal(torch::where(mask, other, x), m.images)) << step;
  }
  EXPECT_GT(boxes, 10);
  // Channels-last batches (as the QAT model feeds them) mix to the same values.
  const torch::Tensor cl = x.contiguous(torch::MemoryFormat::ChannelsLast);
  const MixedBatch a = MixBatch(x, {.cutmix_alpha = 1.0}, 9, 0, 3);
  const MixedBatch b = MixBatch(cl, {.cutmix_alpha = 1.0}, 9, 0, 3);
  EXPECT_TRUE(torch::equal(a.images, b.images));
}

TEST(MixTest, DrawsDependOnSeedEpochAndStepOnly) {
  const torch::Tensor x = Images(8);
  const MixOptions o{.mixup_alpha = 0.2, .cutmix_alpha = 1.0, .prob = 0.7};
  int mixups = 0, cutmixes = 0, none = 0;
  for (int64_t step = 0; step < 200; ++step) {
    const MixedBatch a = MixBatch(x, o, 4, 1, step);
    const MixedBatch b = MixBatch(x, o, 4, 1, step);
    ASSERT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.lambda, b.lambda);
    EXPECT_TRUE(torch::equal(a.images, b.images));
    mixups += a.kind == MixedBatch::kMixup;
    cutmixes += a.kind == MixedBatch::kCutMix;
    none += a.kind == MixedBatch::kNone;
  }
  // prob 0.7, then a fair coin: about 30 % / 35 % / 35 % of 200.
  EXPECT_GT(none, 35);
  EXPECT_LT(none, 85);
  EXPECT_GT(mixups, 40);
  EXPECT_GT(cutmixes, 40);
  const MixedBatch c = MixBatch(x, o, 4, 2, 0), d = MixBatch(x, o, 5, 1, 0);
  const MixedBatch e = MixBatch(x, o, 4, 1, 0);
  EXPECT_FALSE(c.lambda == e.lambda && d.lambda == e.lambda);
}

TEST(MixTest, MixedLossAndAccuracyWeighBothLabels) {
  torch::manual_seed(0);
  const torch::Tensor logits = torch::randn({4, 5});
  const torch::Tensor y = torch::tensor({0, 1, 2, 3}, torch::kInt64);
  MixedBatch m;
  m.kind = MixedBatch::kMixup;
  m.partner = torch::tensor({1, 0, 3, 2}, torch::kInt64);
  m.lambda = 0.3;
  namespace F = torch::nn::functional;
  const auto opts = F::CrossEntropyFuncOptions().label_smoothing(0.1);
  const torch::Tensor want = F::cross_entropy(logits, y, opts) * 0.3 +
                             F::cross_entropy(logits, y.index_select(0, m.partner), opts) * 0.7;
  EXPECT_TRUE(torch::allclose(MixedCrossEntropy(logits, y, m, 0.1), want));
  const torch::Tensor sure = torch::eye(5).index({Slice(0, 4)}) * 10;  // predicts 0, 1, 2, 3
  EXPECT_DOUBLE_EQ(MixedCorrect(sure, y, m), 0.3 * 4);
  EXPECT_DOUBLE_EQ(MixedCorrect(sure, y, MixedBatch{}), 4);
}

TEST(DistillationTest, MatchesTheDefinitionAndItsGradient) {
  torch::manual_seed(1);
  const double t = 3.0;
  torch::Tensor s = torch::randn({6, 10}, torch::requires_grad());
  const torch::Tensor teacher = torch::randn({6, 10});
  const torch::Tensor loss = DistillationLoss(s, teacher, t);
  const torch::Tensor p = torch::softmax(teacher / t, 1), q = torch::softmax(s.detach() / t, 1);
  const double kl = (p * (p.log() - q.log())).sum().item<double>() / 6;
  EXPECT_NEAR(loss.item<double>(), kl * t * t, 1e-5);
  loss.backward();
  // d/ds of T^2 KL(p || softmax(s / T)) / N = T (q - p) / N.
  EXPECT_TRUE(torch::allclose(s.grad(), (q - p) * t / 6, 1e-5, 1e-6));
  EXPECT_NEAR(DistillationLoss(teacher, teacher, t).item<double>(), 0, 1e-6);
}

}  // namespace
}  // namespace triton::train

#include "triton/train/mix.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace triton::train {

namespace {

using torch::indexing::Slice;

// SplitMix64's finalizer (Steele et al. 2014): spreads (seed, epoch, step) over the generator's
// seed so that neighbouring steps draw unrelated streams.
uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Beta(a, a) as X / (X + Y) with X, Y ~ Gamma(a, 1).
double BetaSym(std::mt19937_64& rng, double a) {
  std::gamma_distribution<double> g(a, 1.0);
  const double x = g(rng), y = g(rng);
  return x + y > 0 ? x / (x + y) : 0.5;
}

}  // namespace

MixedBatch MixBatch(const torch::Tensor& images, const MixOptions& o, uint64_t seed, int64_t epoch,
                    int64_t step) {
  MixedBatch m;
  m.images = images;
  const int64_t n = images.size(0);
  if (!o.enabled() || n < 2) return m;
  std::mt19937_64 rng(
      Mix64(Mix64(Mix64(seed) ^ static_cast<uint64_t>(epoch)) ^ static_cast<uint64_t>(step)));
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  if (uniform(rng) >= o.prob) return m;
  const bool cutmix =
      o.cutmix_alpha > 0 && (o.mixup_alpha <= 0 || uniform(rng) < 0.5);  // both: a fair coin
  const double lambda = BetaSym(rng, cutmix ? o.cutmix_alpha : o.mixup_alpha);

  std::vector<int64_t> perm(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) perm[static_cast<size_t>(i)] = i;
  for (int64_t i = n - 1; i > 0; --i) {  // Fisher-Yates
    std::uniform_int_distribution<int64_t> pick(0, i);
    std::swap(perm[static_cast<size_t>(i)], perm[static_cast<size_t>(pick(rng))]);
  }
  m.partner = torch::tensor(perm, torch::kInt64).to(images.device());
  const torch::Tensor other = images.index_select(0, m.partner);

  if (!cutmix) {
    m.kind = MixedBatch::kMixup;
    m.lambda = lambda;
    m.images = images * lambda + other * (1.0 - lambda);
    return m;
  }
  // The box: sides sqrt(1 - lambda) of the image's, centred uniformly, clipped at the borders.
  const int64_t h = images.size(2), w = images.size(3);
  const double r = std::sqrt(1.0 - lambda);
  const auto ch = static_cast<int64_t>(static_cast<double>(h) * r);
  const auto cw = static_cast<int64_t>(static_cast<double>(w) * r);
  const int64_t cy = std::uniform_int_distribution<int64_t>(0, h - 1)(rng);
  const int64_t cx = std::uniform_int_distribution<int64_t>(0, w - 1)(rng);
  m.y0 = std::clamp<int64_t>(cy - ch / 2, 0, h);
  m.y1 = std::clamp<int64_t>(cy + ch / 2, 0, h);
  m.x0 = std::clamp<int64_t>(cx - cw / 2, 0, w);
  m.x1 = std::clamp<int64_t>(cx + cw / 2, 0, w);
  m.kind = MixedBatch::kCutMix;
  m.images = images.clone();
  const std::vector<torch::indexing::TensorIndex> box{Slice(), Slice(), Slice(m.y0, m.y1),
                                                      Slice(m.x0, m.x1)};
  m.images.index_put_(box, other.index(box));
  m.lambda = 1.0 - static_cast<double>((m.y1 - m.y0) * (m.x1 - m.x0)) / static_cast<double>(h * w);
  return m;
}

torch::Tensor MixedCrossEntropy(const torch::Tensor& logits, const torch::Tensor& labels,
                                const MixedBatch& mix, double label_smoothing) {
  namespace F = torch::nn::functional;
  const auto opts = F::CrossEntropyFuncOptions().label_smoothing(label_smoothing);
  torch::Tensor own = F::cross_entropy(logits, labels, opts);
  if (mix.kind == MixedBatch::kNone) return own;
  torch::Tensor partner = F::cross_entropy(logits, labels.index_select(0, mix.partner), opts);
  return own * mix.lambda + partner * (1.0 - mix.lambda);
}

double MixedCorrect(const torch::Tensor& logits, const torch::Tensor& labels,
                    const MixedBatch& mix) {
  const torch::Tensor pred = logits.detach().argmax(1);
  const auto own = static_cast<double>(pred.eq(labels).sum().item<int64_t>());
  if (mix.kind == MixedBatch::kNone) return own;
  const auto other =
      static_cast<double>(pred.eq(labels.index_select(0, mix.partner)).sum().item<int64_t>());
  return mix.lambda * own + (1.0 - mix.lambda) * other;
}

torch::Tensor DistillationLoss(const torch::Tensor& student_logits,
                               const torch::Tensor& teacher_logits, double temperature) {
  const torch::Tensor log_p_student = torch::log_softmax(student_logits / temperature, 1);
  const torch::Tensor log_p_teacher = torch::log_softmax(teacher_logits.detach() / temperature, 1);
  const torch::Tensor kl = (log_p_teacher.exp() * (log_p_teacher - log_p_student)).sum(1).mean();
  return kl * (temperature * temperature);
}

}  // namespace triton::train

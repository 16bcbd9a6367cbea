#pragma once
// Batch mixing for training (issue 6): mixup and CutMix, and the knowledge-distillation loss.
//
//  - mixup (Zhang et al. 2018, "mixup: Beyond Empirical Risk Minimization"): lambda ~
//    Beta(alpha, alpha); x = lambda x + (1 - lambda) x[perm]; the loss is
//    lambda CE(y) + (1 - lambda) CE(y[perm]).
//  - CutMix (Yun et al. 2019): lambda ~ Beta(alpha, alpha); a box of area (1 - lambda) H W, its
//    centre uniform over the image and clipped at the borders, is pasted from x[perm]; lambda is
//    then the exact share of the image left unpasted. Same loss.
//  - with both alphas > 0, each mixed batch is one or the other, 50 % each; `prob` is the chance
//    that a batch is mixed at all.
//
// Determinism: every draw (mixed or not, which kind, lambda, the partner permutation, the box)
// comes from a generator seeded by (seed, epoch, step) alone, so a resumed run mixes its batches
// exactly as the uninterrupted run does (trainer.h) and no generator state is checkpointed.
#include <torch/torch.h>

#include <cstdint>

namespace triton::train {

struct MixOptions {
  double mixup_alpha = 0;   // > 0: mixup with Beta(alpha, alpha)
  double cutmix_alpha = 0;  // > 0: CutMix with Beta(alpha, alpha)
  double prob = 1.0;        // the chance that a batch is mixed
  bool enabled() const { return mixup_alpha > 0 || cutmix_alpha > 0; }
};

// What was done to one batch: `images` (N, C, H, W, any memory format) mixed in place of the
// input's, `partner` the int64 index of each sample's partner (a permutation of 0..N-1), and
// `lambda` the weight of the sample's own label. kind is kNone when the batch was left alone.
struct MixedBatch {
  enum Kind { kNone, kMixup, kCutMix } kind = kNone;
  torch::Tensor images;
  torch::Tensor partner;  // empty for kNone
  double lambda = 1.0;
  // CutMix's box (rows [y0, y1), columns [x0, x1)); all 0 otherwise.
  int64_t y0 = 0, y1 = 0, x0 = 0, x1 = 0;
};

// Mixes `images` (a 4-D float batch) as the options say, drawing from (seed, epoch, step).
// Returns the batch unchanged (kNone) when mixing is off, the draw says no, or N < 2.
MixedBatch MixBatch(const torch::Tensor& images, const MixOptions& o, uint64_t seed, int64_t epoch,
                    int64_t step);

// The loss of `logits` against a (possibly mixed) batch: lambda CE(labels) + (1 - lambda)
// CE(labels[partner]), each with `label_smoothing`.
torch::Tensor MixedCrossEntropy(const torch::Tensor& logits, const torch::Tensor& labels,
                                const MixedBatch& mix, double label_smoothing);

// Correct predictions of a (possibly mixed) batch, counted as lambda x hits on the own labels +
// (1 - lambda) x hits on the partners' (the usual train-accuracy readout under mixing); a plain
// count for kNone.
double MixedCorrect(const torch::Tensor& logits, const torch::Tensor& labels,
                    const MixedBatch& mix);

// Knowledge distillation (Hinton et al. 2015, "Distilling the Knowledge in a Neural Network"):
// T^2 KL(softmax(teacher / T) || softmax(student / T)), averaged over the batch. The T^2 factor
// keeps the soft targets' gradient scale independent of T. The teacher's logits carry no
// gradient.
torch::Tensor DistillationLoss(const torch::Tensor& student_logits,
                               const torch::Tensor& teacher_logits, double temperature);

}  // namespace triton::train

#pragma once
// Ternary quantizers as torch expressions, and the straight-through estimators that train through
// them (docs/quantization.md, "Training: straight-through estimators").
//
// TernarizeTorch computes exactly what triton/quant's Ternarize computes for the same weights
// (codes, scale_pos, scale_neg; thresholds, means and sums in float64, scales rounded to float
// once), but batched on the tensor's device. qat_test.cc checks the equality for every method,
// per channel and per tensor. Grouping: per channel = one group per index of dim 0, per tensor =
// one group; the scales have one entry per group.
//
// The autograd Functions:
//  - Ste(latent, quantized, clip): forward returns `quantized` (the dequantized ternary tensor);
//    backward passes the gradient to `latent` unchanged (the straight-through estimator of
//    Bengio, Leonard, Courville 2013, arXiv:1308.3432), or, with clip >= 0, only where
//    |latent| <= clip (the clipped STE of Hubara et al., "Binarized Neural Networks", 2016).
//  - Ttq(latent, wp, wn, codes, clip): TTQ (Zhu et al. 2017) with trainable scales. Forward:
//    w_q = Wp[g] on positive codes, 0 on zero codes, -Wn[g] on negative codes. Backward (Eq. 7-8
//    with the sign that w_q = -Wn implies):
//      dL/dWp[g] =  sum over positive codes of group g of dL/dw_q
//      dL/dWn[g] = -sum over negative codes of group g of dL/dw_q
//      dL/dlatent = Wp[g] * dL/dw_q (positive), 1 * dL/dw_q (zero), Wn[g] * dL/dw_q (negative),
//                   times the clip mask when clip >= 0.
//    The paper prints Eq. 7 without the minus sign for Wn; the chain rule of w_q = -Wn gives it,
//    and with it gradient descent shrinks Wn when the loss wants smaller negative weights, as
//    the reference implementation (autograd on -Wn) does.
#include <torch/torch.h>

#include <cstdint>

#include "triton/quant/ternary.h"

namespace triton::train {

struct TernaryCodes {
  torch::Tensor codes;      // float32, the latent's shape, values in {-1, 0, +1}
  torch::Tensor scale_pos;  // float32 [G]: G = dim 0 per channel, 1 per tensor
  torch::Tensor scale_neg;  // float32 [G]; equal to scale_pos except for kLearned
};

// Number of scale groups of `w` (dim 0 per channel; 1 per tensor or for a rank-0 tensor).
int64_t GroupCount(const torch::Tensor& w, bool per_channel);

// triton/quant's Ternarize of `w` (read without autograd; any float dtype, any device) with
// `method`, `per_channel` and threshold `factor` (ignored by stochastic and absmean). `seed`
// feeds stochastic's draws u_i = quant::UniformDraw(seed, i), i the flat index in the tensor (the
// draws are made on the CPU and copied to w's device).
TernaryCodes TernarizeTorch(const torch::Tensor& w, quant::Method method, bool per_channel,
                            double factor, uint64_t seed);

// code * scale_pos[g] for positive codes, code * scale_neg[g] for negative ones (the dequantized
// tensor, w's shape). Differentiable in the scales.
torch::Tensor DequantizeCodes(const torch::Tensor& codes, const torch::Tensor& scale_pos,
                              const torch::Tensor& scale_neg);

// Straight-through estimator: the value of `quantized`, the gradient of the identity (masked by
// |latent| <= clip when clip >= 0) into `latent`. `quantized` receives no gradient.
torch::Tensor Ste(const torch::Tensor& latent, const torch::Tensor& quantized, double clip);

// TTQ forward/backward (above). `codes` (no gradient) are the latent's codes, e.g.
// TernarizeTorch(latent, kLearned, ...).codes; wp and wn have one entry per group of codes
// (GroupCount of the latent: [C] per channel, [1] per tensor).
torch::Tensor Ttq(const torch::Tensor& latent, const torch::Tensor& wp, const torch::Tensor& wn,
                  const torch::Tensor& codes, double clip);

// The seed of the stochastic draws of param `param_index` in training forward pass `step`:
// SplitMix64Draw(SplitMix64Draw(seed, step), param_index), so that every pass and every layer
// draws independent numbers, reproducibly from (seed, step).
uint64_t StochasticSeed(uint64_t seed, uint64_t step, uint64_t param_index);

}  // namespace triton::train

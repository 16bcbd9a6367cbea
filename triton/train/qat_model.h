#pragma once
// Quantization-aware training with libtorch (DESIGN.md §3 "Training"): an ir::Module lowered to a
// trainable torch model. Issue 6's lowering; the training loop (trainer.h) drives it.
//
// The module is the one `triton compile -O1` produces (language ops only: conv2d, batch_norm,
// linear, ... unfused, so batch-norm can run in training mode). Params become torch tensors:
//  - FP32 params: trainable leaf tensors (requires_grad), initialized from a package's FP32
//    weights (or the IR's init specs through driver::InitialPackage);
//  - ternary params (Param::ternary): a latent FP32 tensor (trainable) quantized in every forward
//    pass by the param's QuantSpec (or an override) with a straight-through estimator: forward
//    values equal triton/quant's Ternarize (codes x scales) for the same latent values; backward
//    passes the gradient through unchanged (STE), or only where |w| <= clip (clipped STE);
//    `learned` (TTQ, Zhu et al. 2017) adds two trainable scales Wp, Wn per layer (or per channel)
//    with TTQ's gradient rule (dL/dWp = sum of dL/dw_q over the positive codes, dL/dWn = minus
//    the sum over the negative ones, since w_q = -Wn there; latent weights get Wp * grad on
//    positive codes, 1 * grad on zero codes, Wn * grad on negative ones; ste.h);
//  - `stochastic` (TernGrad) draws new codes in every training forward pass, seeded by
//    StochasticSeed(QatOptions::seed, step, param index) (ste.h), `step` counting training
//    passes; eval mode and ExportTernary use TWN's deterministic rule (threshold 0.7 x mean|W|
//    or QatOptions::threshold, alpha = mean |w| over the kept weights) instead: one random draw
//    is a poor deployed model (docs/quantization.md), and E[stochastic] = w is not ternary;
//  - batch-norm running statistics: buffers (no grad), updated in training mode with the op's
//    momentum (PyTorch's rule: torch::batch_norm(training=true), unbiased running variance),
//    used in eval mode; dropout is active in training mode.
//
// Modules with fused ops (-O2 and above) or quantize_int8 are rejected by Create: their batch
// norms are folded away and activation quantization has no training lowering yet.
#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "triton/base/status.h"
#include "triton/format/package.h"
#include "triton/ir/module.h"

namespace triton::train {

struct QatOptions {
  std::string method;       // "" = each ternary param's own QuantSpec; else twn|threshold|...
  bool per_channel = true;  // with `method` set (else the QuantSpec's)
  // < 0: the param's own QuantSpec threshold when `method` is "" or the spec's method, else the
  // method's published default (quant::DefaultThresholdFactor), as driver::QuantizePackage
  // chooses. For `stochastic` (no threshold) it is the factor of the eval-mode TWN rounding.
  double threshold = -1;
  bool clipped_ste = false;  // gradient zero where |latent| > clip
  double clip = 1.0;
  uint64_t seed = 0;                   // stochastic ternarization (see above)
  torch::Device device = torch::kCPU;  // where params, buffers and constants live
};

class QatModel {
 public:
  // `init`: a package of the same module (FP32 weights by name; ternary tensors in it are used as
  // code x scale latent values), e.g. driver::InitialPackage. TTQ's Wp / Wn start as triton/quant's
  // `learned` initial scales of the latent values. Errors name the param (a missing tensor, a
  // shape mismatch, an unknown method, a bad threshold) or the unsupported op.
  static Result<std::unique_ptr<QatModel>> Create(const ir::Module& m, const format::Package& init,
                                                  const QatOptions& o);

  // Logits of a batch (inputs follow Module::inputs, moved to the device; the first output).
  // `train` selects batch-norm mode, dropout and stochastic rounding, and advances the step
  // counter; autograd is recorded when `train` is true, never in eval mode (NoGradGuard); with
  // cumulative batch norm on, a training pass only gathers statistics (see below). Throws
  // c10::Error (libtorch's) on a wrong input count or shape.
  torch::Tensor Forward(const std::vector<torch::Tensor>& inputs, bool train);

  // Progressive quantization: with false, ternary params run as their latent FP32 values (an FP
  // warm-up); the default is true. ExportTernary always ternarizes.
  void set_quantize(bool on);
  bool quantize() const;
  // Batch-norm re-calibration: ResetBatchNormStats sets every running mean to 0 and variance to
  // 1; with cumulative on, training-mode forwards update them with momentum 1 / (k + 1), k the
  // training passes since the reset (PyTorch's momentum=None: the plain average over batches).
  // Such a pass only gathers statistics: ternary params take the codes of eval mode and the
  // export (TWN's rule for `stochastic`, not a random draw), dropout is off, nothing is recorded
  // for autograd and the step counter stays, so the statistics are those of the deployed model.
  void ResetBatchNormStats();
  void set_batch_norm_cumulative(bool on);
  // Training forward passes so far (seeds the stochastic method; part of NamedState).
  int64_t step() const;

  // Trainable tensors (latent weights, FP32 params, TTQ scales) with their names ("fc.weight",
  // "layer1.0.conv1.weight.wp", ".wn"), in module order, for the optimizer (weight decay is the
  // caller's choice by name; biases, batch-norm affine params and TTQ scales are the rank <= 1
  // ones). These are the live tensors (leaves with requires_grad).
  std::vector<std::pair<std::string, torch::Tensor>> NamedParameters() const;
  // Everything a checkpoint needs: NamedParameters, the buffers (by param name) and "qat.step"
  // (int64 scalar: the step counter). Params and buffers are the live tensors; copy them before
  // changing them outside the model.
  std::vector<std::pair<std::string, torch::Tensor>> NamedState() const;
  // Copies `state` into the model (any device or float dtype; shapes must match). Every name of
  // NamedState must be present and no other; errors name the tensor and leave earlier copies
  // done.
  Status LoadState(const std::vector<std::pair<std::string, torch::Tensor>>& state);

  // The trained weights as a package of `m` (same names and shapes as driver::InitialPackage):
  // latent FP32 weights for ternary params, FP32 params, batch-norm buffers; the IR is
  // ir::Print(module()). TTQ's trained Wp / Wn are not in it (NamedState holds them; a model
  // created from this package starts them again from the latent values).
  format::Package ExportFp32(const std::string& source_hash) const;
  // The ternary package: every ternary param as exactly the codes and scales the forward pass
  // uses (eval mode), stored 2-bit or base-3 (the encodings of driver::QuantizePackage), so the
  // runtime evaluates what was trained (TTQ: scale_pos = Wp, scale_neg = Wn, 0 for a side without
  // codes); the rest as in ExportFp32. meta.quantization names the method ("twn per-channel
  // 2bit", of the last ternary param, as QuantizePackage writes it; "twn" for stochastic, whose
  // exported codes are TWN's).
  format::Package ExportTernary(const std::string& source_hash, bool base3) const;

  const ir::Module& module() const;
  torch::Device device() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace triton::train

// Ternary quantizers in torch and their straight-through estimators (ste.h states the contract;
// the formulas are those of triton/quant/ternary.cc, written in docs/quantization.md).
#include "triton/train/ste.h"

#include <vector>

#include "triton/quant/random.h"

namespace triton::train {
namespace {

using torch::Tensor;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Float mask of a bool tensor, in `like`'s dtype.
Tensor Mask(const Tensor& b, const Tensor& like) { return b.to(like.scalar_type()); }

// Straight-through estimator (ste.h).
class SteFunction : public torch::autograd::Function<SteFunction> {
 public:
  static Tensor forward(AutogradContext* ctx, const Tensor& latent, const Tensor& quantized,
                        double clip) {
    ctx->saved_data["clip"] = clip;
    if (clip >= 0) ctx->save_for_backward({latent});
    // A new tensor object sharing `quantized`'s storage: the output is not an input of apply.
    return quantized.detach();
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad) {
    const double clip = ctx->saved_data["clip"].toDouble();
    Tensor g = grad[0];
    if (clip >= 0) {
      const Tensor latent = ctx->get_saved_variables()[0];
      g = g * Mask(latent.abs() <= clip, g);
    }
    return {g, Tensor(), Tensor()};
  }
};

// TTQ, Zhu et al. 2017, Eq. 7-8 (ste.h).
class TtqFunction : public torch::autograd::Function<TtqFunction> {
 public:
  static Tensor forward(AutogradContext* ctx, const Tensor& latent, const Tensor& wp,
                        const Tensor& wn, const Tensor& codes, double clip) {
    ctx->saved_data["clip"] = clip;
    ctx->save_for_backward({latent, wp, wn, codes});
    return DequantizeCodes(codes, wp, wn);
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad) {
    const double clip = ctx->saved_data["clip"].toDouble();
    const variable_list saved = ctx->get_saved_variables();
    const Tensor &latent = saved[0], &wp = saved[1], &wn = saved[2], &codes = saved[3];
    const int64_t groups = wp.numel();
    const Tensor g = grad[0].reshape({groups, -1});
    const Tensor c = codes.reshape({groups, -1});
    const Tensor pos = Mask(c > 0, g), neg = Mask(c < 0, g);
    const Tensor grad_wp = (g * pos).sum(1).reshape(wp.sizes()).to(wp.scalar_type());
    const Tensor grad_wn = (-(g * neg).sum(1)).reshape(wn.sizes()).to(wn.scalar_type());
    // Eq. 8: Wp on positive codes, 1 on zero codes, Wn on negative codes.
    const Tensor factor = pos * wp.reshape({groups, 1}).to(g.scalar_type()) +
                          neg * wn.reshape({groups, 1}).to(g.scalar_type()) + (1 - pos - neg);
    Tensor grad_latent = g * factor;
    if (clip >= 0) grad_latent = grad_latent * Mask(latent.reshape({groups, -1}).abs() <= clip, g);
    return {grad_latent.reshape(latent.sizes()), grad_wp, grad_wn, Tensor(), Tensor()};
  }
};

}  // namespace

int64_t GroupCount(const torch::Tensor& w, bool per_channel) {
  return per_channel && w.dim() >= 1 ? w.size(0) : 1;
}

TernaryCodes TernarizeTorch(const torch::Tensor& w_in, quant::Method method, bool per_channel,
                            double factor, uint64_t seed) {
  torch::NoGradGuard no_grad;
  const Tensor w = w_in.detach().to(torch::kFloat);
  const int64_t groups = GroupCount(w, per_channel);
  const auto fopts = w.options();
  TernaryCodes out;
  if (w.numel() == 0) {  // empty groups: no trits, scale 0 (triton/quant's convention)
    out.codes = torch::zeros_like(w);
    out.scale_pos = torch::zeros({groups}, fopts);
    out.scale_neg = torch::zeros({groups}, fopts);
    return out;
  }
  const Tensor wg = w.reshape({groups, -1});
  const Tensor w64 = wg.to(torch::kDouble);
  const Tensor abs64 = w64.abs();
  Tensor codes, pos, neg;  // codes float32 [G, n]; scales float32 [G, 1]
  switch (method) {
    case quant::Method::kTwn:
    case quant::Method::kThreshold:
    case quant::Method::kLearned: {
      // t = sign(w) where |w| > delta; delta = f * mean|W| (TWN) or f * max|W| (threshold, TTQ).
      const Tensor delta =
          factor *
          (method == quant::Method::kTwn ? abs64.mean(1, true) : std::get<0>(abs64.max(1, true)));
      const Tensor p = w64 > delta, n = w64 < -delta;
      codes = p.to(torch::kFloat) - n.to(torch::kFloat);
      if (method == quant::Method::kLearned) {
        // TTQ's initial Wp / Wn: mean of w over the positive codes, of -w over the negative ones.
        const Tensor np = p.sum(1, true).to(torch::kDouble), nn = n.sum(1, true).to(torch::kDouble);
        pos = torch::where(np > 0, (w64 * p).sum(1, true) / np.clamp_min(1), torch::zeros_like(np));
        neg =
            torch::where(nn > 0, (-w64 * n).sum(1, true) / nn.clamp_min(1), torch::zeros_like(nn));
      } else {
        // TWN's alpha: mean |w| over the nonzero codes.
        const Tensor kept = p | n;
        const Tensor count = kept.sum(1, true).to(torch::kDouble);
        pos = torch::where(count > 0, (abs64 * kept).sum(1, true) / count.clamp_min(1),
                           torch::zeros_like(count));
        neg = pos;
      }
      pos = pos.to(torch::kFloat);
      neg = neg.to(torch::kFloat);
      break;
    }
    case quant::Method::kStochastic: {
      // TernGrad: t = sign(w) with probability |w| / max|W| (u_i < p_i), scale = max|W|.
      const Tensor m = std::get<0>(abs64.max(1, true));
      const Tensor p = torch::where(m > 0, abs64 / m.clamp_min(1e-300), torch::zeros_like(abs64));
      Tensor u = torch::empty({w.numel()}, torch::kDouble);
      double* ud = u.data_ptr<double>();
      at::parallel_for(0, w.numel(), 1 << 14, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) ud[i] = quant::UniformDraw(seed, uint64_t(i));
      });
      u = u.to(w.device()).reshape({groups, -1});
      codes = torch::sign(wg) * (u < p).to(torch::kFloat);
      pos = neg = m.to(torch::kFloat);
      break;
    }
    case quant::Method::kAbsmean: {
      // BitNet b1.58: t = RoundClip(w / max(gamma, eps), -1, 1), round half to even, so
      // t = +1 where w / d > 0.5, -1 where < -0.5 (one float division, as triton/quant).
      const Tensor gamma = abs64.mean(1, true).to(torch::kFloat);
      const Tensor q = wg / gamma.clamp_min(quant::kAbsmeanEpsilon);
      codes = (q > 0.5).to(torch::kFloat) - (q < -0.5).to(torch::kFloat);
      pos = neg = gamma;
      break;
    }
  }
  // A scale that multiplies no trit is 0 (for kLearned: per side).
  const Tensor any_pos = (codes > 0).any(1, true), any_neg = (codes < 0).any(1, true);
  if (method == quant::Method::kLearned) {
    pos = torch::where(any_pos, pos, torch::zeros_like(pos));
    neg = torch::where(any_neg, neg, torch::zeros_like(neg));
  } else {
    const Tensor any = any_pos | any_neg;
    pos = torch::where(any, pos, torch::zeros_like(pos));
    neg = torch::where(any, neg, torch::zeros_like(neg));
  }
  out.codes = codes.reshape(w.sizes());
  out.scale_pos = pos.reshape({groups});
  out.scale_neg = neg.reshape({groups});
  return out;
}

torch::Tensor DequantizeCodes(const torch::Tensor& codes, const torch::Tensor& scale_pos,
                              const torch::Tensor& scale_neg) {
  const int64_t groups = scale_pos.numel();
  if (codes.numel() == 0) return torch::zeros_like(codes);
  const Tensor c = codes.reshape({groups, -1});
  const Tensor pos = Mask(c > 0, scale_pos), neg = Mask(c < 0, scale_neg);
  // Exact: s * 1 - 0 * s' = s, 0 - s' = -s', 0 - 0 = 0 (finite scales).
  return (pos * scale_pos.reshape({groups, 1}) - neg * scale_neg.reshape({groups, 1}))
      .reshape(codes.sizes());
}

torch::Tensor Ste(const torch::Tensor& latent, const torch::Tensor& quantized, double clip) {
  return SteFunction::apply(latent, quantized, clip);
}

torch::Tensor Ttq(const torch::Tensor& latent, const torch::Tensor& wp, const torch::Tensor& wn,
                  const torch::Tensor& codes, double clip) {
  return TtqFunction::apply(latent, wp, wn, codes, clip);
}

uint64_t StochasticSeed(uint64_t seed, uint64_t step, uint64_t param_index) {
  return quant::SplitMix64Draw(quant::SplitMix64Draw(seed, step), param_index);
}

}  // namespace triton::train

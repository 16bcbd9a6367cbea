// Convolution and linear steps: weights materialized once (batch-norm folded, docs/compiler.md),
// then the ternary int8 family (tconv) or the FP32 family (fconv) per run.
#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "triton/ir/fused.h"
#include "triton/kernels/fconv/blas.h"
#include "triton/kernels/fconv/fconv.h"
#include "triton/kernels/tconv/tconv.h"
#include "triton/runtime/cpu/step.h"

namespace triton::runtime::cpu {
namespace {

using kernels::Act;
using kernels::Epilogue;

// A conv2d / fused_conv2d / linear / fused_linear step decoded: geometry, the dequantized or
// coded weight, and the folded per-channel factor and bias.
struct Dense {
  bool conv = false;
  int32_t x = -1, residual = -1, out = -1;
  int64_t batch = 0, in_h = 1, in_w = 1, in_c = 0, out_c = 0, kh = 1, kw = 1;
  int64_t stride[2] = {1, 1}, pad[2] = {0, 0}, dil[2] = {1, 1}, groups = 1;
  const ir::HostTensor* w = nullptr;
  std::vector<float> factor;  // per out channel: the batch-norm factor s[c] (1 without)
  std::vector<float> bias;    // per out channel: folded bias b'[c] (empty: none)
  Act act = Act::kNone;
  bool out_nhwc = false;
};

Result<Dense> Decode(const BuildArgs& a) {
  Dense d;
  const PlanStep& s = a.step;
  const bool fused = ir::IsFusedDense(s.op);
  const ir::OpKind base = fused ? ir::FusedBaseOp(s.op) : s.op;
  d.conv = base == ir::OpKind::kConv2d;
  ir::FusedLayout l;
  if (fused) {
    l = ir::GetFusedLayout(s.attrs);
  } else if (s.inputs.size() == 3) {
    l.bias = 2;
  }
  if (!kernels::ParseAct(l.activation, &d.act)) {
    return Status::Error("unknown activation '" + l.activation + "'");
  }
  d.x = s.inputs[0];
  d.out = s.output;
  d.residual = l.residual >= 0 ? s.inputs[static_cast<size_t>(l.residual)] : -1;
  d.w = a.Weight(1);
  if (d.w == nullptr) return Status::Error("the weight is not a param or constant");
  const ir::TensorType& xt = a.In(0).type;
  const ir::TensorType& ot = a.Out().type;
  d.out_nhwc = a.Out().nhwc;
  if (d.conv) {
    if (!a.In(0).nhwc || !d.out_nhwc) return Status::Error("convolutions run on NHWC buffers");
    d.batch = xt.dims[0].size, d.in_c = xt.dims[1].size;
    d.in_h = xt.dims[2].size, d.in_w = xt.dims[3].size;
    d.out_c = ot.dims[1].size;
    d.kh = d.w->shape.at(2), d.kw = d.w->shape.at(3);
    const auto st = s.attrs.GetInts("stride", {1, 1});
    const auto pd = s.attrs.GetInts("padding", {0, 0});
    const auto dl = s.attrs.GetInts("dilation", {1, 1});
    if (st.size() != 2 || pd.size() != 2 || dl.size() != 2) {
      return Status::Error("stride, padding and dilation need two values");
    }
    for (int i = 0; i < 2; ++i) d.stride[i] = st[i], d.pad[i] = pd[i], d.dil[i] = dl[i];
    d.groups = s.attrs.GetInt("groups", 1);
  } else {
    if (xt.rank() != 2) return Status::Error("linear layers run on [M, K] inputs");
    d.batch = xt.dims[0].size, d.in_c = xt.dims[1].size, d.out_c = ot.dims[1].size;
  }
  if (d.residual >= 0 && a.plan.buffers[static_cast<size_t>(d.residual)].nhwc != d.out_nhwc) {
    return Status::Error("the residual must have the output's layout");
  }
  // Batch-norm and bias folding, in double, rounded once.
  d.factor.assign(static_cast<size_t>(d.out_c), 1.0f);
  std::vector<double> b(static_cast<size_t>(d.out_c), 0.0);
  bool has_bias = false;
  if (l.bias >= 0) {
    const ir::HostTensor* t = a.Weight(static_cast<size_t>(l.bias));
    if (!t || t->num_elements() != d.out_c) return Status::Error("the bias must be [out] const");
    for (int64_t c = 0; c < d.out_c; ++c) b[static_cast<size_t>(c)] = t->data[c];
    has_bias = true;
  }
  if (l.bn >= 0) {
    const ir::HostTensor* bn[4];
    for (int i = 0; i < 4; ++i) {
      bn[i] = a.Weight(static_cast<size_t>(l.bn + i));
      if (!bn[i] || bn[i]->num_elements() != d.out_c) {
        return Status::Error("batch-norm operands must be [out] params or constants");
      }
    }
    for (size_t c = 0; c < static_cast<size_t>(d.out_c); ++c) {
      const double f = static_cast<double>(bn[0]->data[c]) /
                       std::sqrt(static_cast<double>(bn[3]->data[c]) + l.eps);
      d.factor[c] = static_cast<float>(f);
      b[c] = (b[c] - bn[2]->data[c]) * f + bn[1]->data[c];
    }
    has_bias = true;
  }
  if (has_bias) d.bias.assign(b.begin(), b.end());
  return d;
}

// What a dense step reads when it runs: the activation and the residual (weights were packed).
std::vector<int32_t> RunReads(const Dense& d) {
  std::vector<int32_t> r = {d.x};
  if (d.residual >= 0) r.push_back(d.residual);
  return r;
}

// ---- ternary int8 (tconv)

class TernaryDenseStep final : public Step {
 public:
  Status Run(RunState& st) override {
    uint8_t* q = st.scratch;
    const float a = kernels::tconv::QuantizeToPadded(st.F(d_.x), shape_.batch, shape_.in_h,
                                                     shape_.in_w, shape_.in_c, shape_.pad_h,
                                                     shape_.pad_w, q, st.isa, st.threads);
    for (size_t c = 0; c < mul_.size(); ++c) mul_[c] = a * channel_[c];
    Epilogue e;
    e.mul = mul_.data();
    e.add = d_.bias.empty() ? nullptr : d_.bias.data();
    if (d_.residual >= 0) {
      e.residual = st.F(d_.residual);
      e.residual_stride = shape_.out_c;
    }
    e.act = d_.act;
    variant_->conv(shape_, packed_, q, e, st.F(d_.out), st.threads);
    return Status();
  }

  Dense d_;
  kernels::tconv::ConvShape shape_;
  const kernels::tconv::Variant* variant_ = nullptr;
  kernels::tconv::PackedWeights packed_;
  std::vector<float> channel_;  // per out channel: weight scale x batch-norm factor
  std::vector<float> mul_;      // per run: activation scale x channel_
};

// ---- FP32 (fconv): f32 weights, or ternary weights dequantized

class FloatDenseStep final : public Step {
 public:
  Status Run(RunState& st) override {
    Epilogue e;
    e.add = d_.bias.empty() ? nullptr : d_.bias.data();
    if (d_.residual >= 0) {
      e.residual = st.F(d_.residual);
      e.residual_stride = d_.out_c;
    }
    e.act = d_.act;
    if (d_.conv) {
      kernels::fconv::Conv(shape_, conv_, st.F(d_.x), e, st.F(d_.out),
                           reinterpret_cast<float*>(st.scratch), st.isa, st.threads);
    } else {
      kernels::fconv::Linear(d_.batch, linear_, st.F(d_.x), e, st.F(d_.out), st.threads);
    }
    return Status();
  }

  Dense d_;
  kernels::fconv::ConvShape shape_;
  kernels::fconv::PackedConv conv_;
  kernels::fconv::PackedLinear linear_;
};

// Per-output-channel scale of a trit weight (scale_pos broadcast when per tensor), or nullopt
// when the channel cannot be one scale (two scales Wp != Wn, or scales along another axis).
std::optional<std::vector<float>> SingleChannelScale(const ir::HostTensor& w, int64_t out_c) {
  if (w.scale_axis != 0) return std::nullopt;
  const auto at = [&](const std::vector<float>& v, int64_t c) {
    return v.size() == 1 ? v[0] : v[static_cast<size_t>(c)];
  };
  std::vector<float> s(static_cast<size_t>(out_c));
  for (int64_t c = 0; c < out_c; ++c) {
    const float p = w.scale_pos.empty() ? 1.0f : at(w.scale_pos, c);
    if (!w.scale_neg.empty() && at(w.scale_neg, c) != p) return std::nullopt;
    s[static_cast<size_t>(c)] = p;
  }
  return s;
}

Result<std::unique_ptr<Step>> MakeFloat(const BuildArgs& a, Dense d, std::string why) {
  // FP32 GEMMs run in OpenBLAS, loaded now (kernels/fconv/blas.h): a missing library is an
  // error of the engine's build, with its reason, not an exit in the middle of a run.
  if (Status st = kernels::fconv::blas::Load(); !st.ok()) return st;
  auto s = std::make_unique<FloatDenseStep>();
  // w' = dequantized w x batch-norm factor, per output channel (dim 0 of both layouts).
  std::vector<float> w = ir::Dequantized(*d.w);
  const int64_t per_c = static_cast<int64_t>(w.size()) / d.out_c;
  for (int64_t c = 0; c < d.out_c; ++c) {
    for (int64_t i = 0; i < per_c; ++i) w[static_cast<size_t>(c * per_c + i)] *= d.factor[c];
  }
  if (d.conv) {
    kernels::fconv::ConvShape& sh = s->shape_;
    sh.batch = d.batch, sh.in_h = d.in_h, sh.in_w = d.in_w, sh.in_c = d.in_c;
    sh.out_c = d.out_c, sh.kh = d.kh, sh.kw = d.kw;
    sh.stride_h = d.stride[0], sh.stride_w = d.stride[1], sh.pad_h = d.pad[0], sh.pad_w = d.pad[1];
    sh.dil_h = d.dil[0], sh.dil_w = d.dil[1], sh.groups = d.groups;
    if (Status v = kernels::fconv::ValidateShape(sh); !v.ok()) return v;
    s->conv_ = kernels::fconv::PackConv(sh, w.data());
    s->scratch_bytes = kernels::fconv::ConvScratchFloats(sh, a.threads) * 4;
    s->weight_bytes = static_cast<int64_t>(s->conv_.data.bytes());
    s->macs = sh.macs();
    s->kernel = sh.depthwise() ? "conv2d_f32_nhwc_dw__" + std::string(IsaName(a.isa))
                               : "conv2d_f32_nhwc__blas";
  } else {
    s->linear_ = kernels::fconv::PackLinear(d.out_c, d.in_c, w.data());
    s->weight_bytes = static_cast<int64_t>(s->linear_.data.bytes());
    s->macs = d.batch * d.out_c * d.in_c;
    s->kernel = "linear_f32__blas";
  }
  if (!why.empty()) s->kernel += " (" + why + ")";
  s->weight_bytes += static_cast<int64_t>(d.bias.size() * sizeof(float));
  s->reads = RunReads(d);
  s->d_ = std::move(d);
  return std::unique_ptr<Step>(std::move(s));
}

}  // namespace

Result<std::unique_ptr<Step>> MakeTernaryDenseStep(const BuildArgs& a) {
  Result<Dense> dr = Decode(a);
  if (!dr.ok()) return dr.status();
  Dense d = std::move(dr).value();
  if (d.w->dtype != ir::DType::kTrit) return Status::Error("the weight is not ternary");
  if (d.groups != 1) return Status::Error("ternary int8 convolutions need groups = 1");
  std::optional<std::vector<float>> scale = SingleChannelScale(*d.w, d.out_c);
  if (!scale) return MakeFloat(a, std::move(d), "two-scale ternary weights run in FP32");
  auto s = std::make_unique<TernaryDenseStep>();
  kernels::tconv::ConvShape& sh = s->shape_;
  sh.batch = d.batch, sh.in_h = d.in_h, sh.in_w = d.in_w, sh.in_c = d.in_c;
  sh.out_c = d.out_c, sh.kh = d.kh, sh.kw = d.kw;
  sh.stride_h = d.stride[0], sh.stride_w = d.stride[1], sh.pad_h = d.pad[0], sh.pad_w = d.pad[1];
  sh.dil_h = d.dil[0], sh.dil_w = d.dil[1];
  if (Status v = kernels::tconv::ValidateShape(sh); !v.ok()) return v;
  std::vector<int8_t> trits(d.w->data.size());
  for (size_t i = 0; i < trits.size(); ++i) trits[i] = static_cast<int8_t>(d.w->data[i]);
  s->variant_ = &kernels::tconv::Select(a.isa);
  Result<kernels::tconv::PackedWeights> packed =
      s->variant_->pack(trits.data(), d.out_c, d.in_c, d.kh, d.kw);
  if (!packed.ok()) return packed.status();
  s->packed_ = std::move(packed).value();
  s->channel_.resize(static_cast<size_t>(d.out_c));
  for (size_t c = 0; c < s->channel_.size(); ++c) s->channel_[c] = (*scale)[c] * d.factor[c];
  s->mul_.resize(s->channel_.size());
  s->scratch_bytes = sh.padded_input_bytes();
  s->weight_bytes = static_cast<int64_t>(s->packed_.data.bytes() + s->packed_.wsum.bytes()) +
                    static_cast<int64_t>((s->channel_.size() + d.bias.size()) * sizeof(float));
  s->macs = sh.macs();
  s->kernel = s->variant_->name;
  if (!d.conv) s->kernel = "linear" + s->kernel.substr(s->kernel.find('_'));
  s->reads = RunReads(d);
  s->d_ = std::move(d);
  return std::unique_ptr<Step>(std::move(s));
}

Result<std::unique_ptr<Step>> MakeFloatDenseStep(const BuildArgs& a) {
  Result<Dense> d = Decode(a);
  if (!d.ok()) return d.status();
  if (d.value().w->dtype != ir::DType::kFloat32 && d.value().w->dtype != ir::DType::kTrit) {
    return Status::Error("the weight must be f32 or trit");
  }
  return MakeFloat(a, std::move(d).value(), "");
}

}  // namespace triton::runtime::cpu

// Quantization-aware training model (qat_model.h states the contract; ste.h the quantizers and
// their gradients).
#include "triton/train/qat_model.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <utility>

#include "triton/ir/printer.h"
#include "triton/quant/ternary.h"
#include "triton/train/ste.h"
#include "triton/train/torch_ops.h"

namespace triton::train {
namespace {

using torch::Tensor;

// TWN's published factor: the eval-mode rounding of the stochastic method.
constexpr double kTwnFactor = 0.7;

// Channels-last activations unless TRITON_TRAIN_NCHW=1 (kept for measuring the difference).
bool ChannelsLastEnabled() {
  static const bool on = [] {
    const char* e = std::getenv("TRITON_TRAIN_NCHW");
    return e == nullptr || std::string(e) != "1";
  }();
  return on;
}

std::string ShapeText(c10::IntArrayRef shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

// A float32 CPU tensor holding `v` in `shape`.
Tensor FromVector(const std::vector<float>& v, const std::vector<int64_t>& shape) {
  Tensor t = torch::empty(shape, torch::kFloat);
  if (!v.empty()) std::memcpy(t.data_ptr<float>(), v.data(), v.size() * sizeof(float));
  return t;
}

std::vector<float> ToVector(const Tensor& t) {
  const Tensor c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// The latent values of a package tensor: FP32 data, or code x scale of a ternary one.
std::vector<float> RecordValues(const format::TensorRecord& r) {
  if (!r.ternary()) return r.f32;
  quant::TernaryTensor t;
  t.shape = r.shape;
  t.trits = r.trits;
  t.scale_pos = r.scale_pos;
  t.scale_neg = r.scale_neg;
  return quant::Dequantize(t);
}

}  // namespace

// One ternary param's quantizer, resolved from its QuantSpec and the QatOptions.
struct TernaryParam {
  quant::Method method = quant::Method::kTwn;
  bool per_channel = true;
  double factor = kTwnFactor;       // the method's threshold factor
  double eval_factor = kTwnFactor;  // stochastic: TWN's factor in eval mode
  Tensor wp, wn;                    // kLearned: trainable scales [G]
};

struct QatModel::Impl {
  ir::Module m;
  QatOptions o;
  std::vector<Tensor> bound;                       // per ValueId: params, buffers, constants
  std::vector<std::optional<TernaryParam>> tern;   // per param
  std::vector<std::vector<size_t>> release_after;  // per op: values whose last use it is
  int64_t step = 0;
  bool quantize = true;
  bool bn_cumulative = false;
  int64_t bn_batches = 0;  // training passes since ResetBatchNormStats

  double clip() const { return o.clipped_ste ? o.clip : -1; }
  const Tensor& param(size_t i) const { return bound[static_cast<size_t>(m.params[i].value)]; }
  const std::string& name(size_t i) const { return m.value(m.params[i].value).name; }

  // Codes and scales of ternary param i as the forward pass in mode `train` uses them.
  TernaryCodes Codes(size_t i, bool train) const {
    const TernaryParam& t = *tern[i];
    const Tensor& latent = param(i);
    if (t.method == quant::Method::kStochastic) {
      if (!train)
        return TernarizeTorch(latent, quant::Method::kTwn, t.per_channel, t.eval_factor, 0);
      return TernarizeTorch(latent, t.method, t.per_channel, 0,
                            StochasticSeed(o.seed, static_cast<uint64_t>(step), i));
    }
    TernaryCodes q = TernarizeTorch(latent, t.method, t.per_channel, t.factor, 0);
    if (t.method == quant::Method::kLearned) {
      q.scale_pos = t.wp;
      q.scale_neg = t.wn;
    }
    return q;
  }

  // The forward value of ternary param i (with its estimator when training).
  Tensor Quantized(size_t i, bool train) const {
    const Tensor& latent = param(i);
    if (!quantize) return latent;
    const TernaryParam& t = *tern[i];
    TernaryCodes q = Codes(i, train);
    if (!train) return DequantizeCodes(q.codes, q.scale_pos.detach(), q.scale_neg.detach());
    if (t.method == quant::Method::kLearned) return Ttq(latent, t.wp, t.wn, q.codes, clip());
    return Ste(latent, DequantizeCodes(q.codes, q.scale_pos, q.scale_neg), clip());
  }
};

Result<std::unique_ptr<QatModel>> QatModel::Create(const ir::Module& m, const format::Package& init,
                                                   const QatOptions& o) {
  auto impl = std::make_shared<Impl>();
  impl->m = m;
  impl->o = o;
  for (const ir::Op& op : m.ops) {
    if (op.kind == ir::OpKind::kFusedConv2d || op.kind == ir::OpKind::kFusedLinear) {
      return Status::Error("module '" + m.name + "' has fused ops (" + op.scope +
                           "): training needs the -O1 module, whose batch norms are not folded");
    }
    if (op.kind == ir::OpKind::kQuantizeInt8) {
      return Status::Error("module '" + m.name + "': quantize_int8 (" + op.scope +
                           ") has no training lowering; train the -O1 module");
    }
  }
  impl->bound.resize(m.values.size());
  impl->tern.resize(m.params.size());
  try {
    for (size_t i = 0; i < m.params.size(); ++i) {
      const ir::Param& p = m.params[i];
      const ir::Value& v = m.value(p.value);
      const std::string where = "param '" + v.name + "'";
      if (!v.type.is_static()) {
        return Status::Error(where + " has a non-static type " + v.type.ToString());
      }
      std::vector<int64_t> shape;
      for (const ir::Dim& d : v.type.dims) shape.push_back(d.size);
      const format::TensorRecord* rec = init.Find(v.name);
      if (rec == nullptr) return Status::Error("the initial package has no tensor for " + where);
      if (rec->shape != shape) {
        return Status::Error(where + " is " + v.type.ToString() +
                             " in the IR, but the package stores " + ShapeText(rec->shape));
      }
      Tensor t = FromVector(RecordValues(*rec), shape);
      if (v.type.dtype != ir::DType::kTrit) t = t.to(torch_ops::TorchDType(v.type.dtype));
      t = t.to(o.device);
      if (p.trainable && t.is_floating_point()) t.requires_grad_(true);
      impl->bound[static_cast<size_t>(p.value)] = t;
      if (!p.ternary && v.type.dtype != ir::DType::kTrit) continue;

      TernaryParam tp;
      const std::string method_name = o.method.empty() ? p.quant.method : o.method;
      Result<quant::Method> method = quant::ParseMethod(method_name);
      if (!method.ok()) return Status::Error(where + ": " + method.status().message());
      tp.method = method.value();
      tp.per_channel = o.method.empty() ? p.quant.per_channel : o.per_channel;
      const bool own = o.method.empty() || o.method == p.quant.method;
      tp.factor = o.threshold >= 0 ? o.threshold
                  : own            ? p.quant.threshold
                                   : quant::DefaultThresholdFactor(tp.method);
      tp.eval_factor = o.threshold >= 0 ? o.threshold : kTwnFactor;
      if (!std::isfinite(tp.factor) || tp.factor < 0 || !std::isfinite(tp.eval_factor)) {
        return Status::Error(where + ": threshold factor " + std::to_string(tp.factor) +
                             " must be finite and >= 0");
      }
      if (tp.method == quant::Method::kLearned) {
        const TernaryCodes q = TernarizeTorch(t, tp.method, tp.per_channel, tp.factor, 0);
        tp.wp = q.scale_pos.clone().requires_grad_(true);
        tp.wn = q.scale_neg.clone().requires_grad_(true);
      }
      impl->tern[i] = std::move(tp);
    }
    for (const ir::Constant& c : m.consts) {
      ir::HostTensor h;
      h.dtype = m.type(c.value).dtype;
      for (const ir::Dim& d : m.type(c.value).dims) h.shape.push_back(d.size);
      h.data.assign(c.data.begin(), c.data.end());
      impl->bound[static_cast<size_t>(c.value)] = torch_ops::ToTorch(h).to(o.device);
    }
  } catch (const c10::Error& e) {
    const std::string what = e.what();
    return Status::Error("creating the training model of '" + m.name +
                         "': " + what.substr(0, what.find('\n')));
  }
  // Last use of every op result and input: Forward drops it after that op. Outputs live on.
  std::vector<int64_t> last(m.values.size(), -1);
  for (size_t k = 0; k < m.ops.size(); ++k) {
    for (ir::ValueId id : m.ops[k].operands)
      last[static_cast<size_t>(id)] = static_cast<int64_t>(k);
  }
  for (ir::ValueId id : m.outputs) last[static_cast<size_t>(id)] = -1;
  impl->release_after.resize(m.ops.size());
  for (size_t v = 0; v < last.size(); ++v) {
    if (last[v] >= 0 && m.values[v].kind != ir::ValueKind::kParam &&
        m.values[v].kind != ir::ValueKind::kConst) {
      impl->release_after[static_cast<size_t>(last[v])].push_back(v);
    }
  }
  auto model = std::unique_ptr<QatModel>(new QatModel());
  model->impl_ = std::move(impl);
  return model;
}

torch::Tensor QatModel::Forward(const std::vector<torch::Tensor>& inputs, bool train) {
  Impl& s = *impl_;
  const ir::Module& m = s.m;
  TORCH_CHECK(inputs.size() == m.inputs.size(), "module '", m.name, "' takes ", m.inputs.size(),
              " input(s), got ", inputs.size());
  TORCH_CHECK(!m.outputs.empty(), "module '", m.name, "' has no outputs");
  // With cumulative batch norm on (re-calibration), a training-mode pass only gathers
  // statistics: batch norm in training mode, everything else as in eval mode (the deployed codes,
  // no dropout, no autograd, no step).
  const bool learn = train && !s.bn_cumulative;
  torch::AutoGradMode grad_mode(learn);
  std::vector<Tensor> v = s.bound;  // shares the params' storage
  for (size_t i = 0; i < m.params.size(); ++i) {
    if (s.tern[i]) v[static_cast<size_t>(m.params[i].value)] = s.Quantized(i, learn);
  }
  for (size_t i = 0; i < m.inputs.size(); ++i) {
    Tensor x = inputs[i].to(s.o.device);
    // Images go in channels-last (NHWC): oneDNN's and cuDNN's convolutions run on it without
    // reordering, and every conv, batch norm and pointwise op after keeps that layout (about
    // 1.3x per training step on ResNet-20 on the CPU). Values are the same; only strides differ.
    if (x.dim() == 4 && ChannelsLastEnabled()) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
    v[static_cast<size_t>(m.inputs[i])] = std::move(x);
  }
  const double cumulative_momentum = 1.0 / static_cast<double>(s.bn_batches + 1);
  std::vector<Tensor> operands;
  std::vector<ir::TensorType> types;
  for (size_t k = 0; k < m.ops.size(); ++k) {
    const ir::Op& op = m.ops[k];
    operands.clear();
    types.clear();
    for (ir::ValueId id : op.operands) {
      operands.push_back(v[static_cast<size_t>(id)]);
      types.push_back(m.type(id));
    }
    Tensor r;
    if (train && op.kind == ir::OpKind::kBatchNorm) {
      // PyTorch's training-mode batch norm: batch statistics, running buffers updated in place
      // (running = (1 - momentum) * running + momentum * batch, unbiased batch variance).
      TORCH_CHECK(operands.size() == 5, "batch_norm takes 5 operands");
      const double momentum =
          s.bn_cumulative ? cumulative_momentum : op.attrs.GetFloat("momentum", 0.1);
      r = torch::batch_norm(operands[0], operands[1], operands[2], operands[3], operands[4],
                            /*training=*/true, momentum, op.attrs.GetFloat("eps", 1e-5),
                            at::globalContext().userEnabledCuDNN());
    } else if (learn && op.kind == ir::OpKind::kDropout) {
      r = torch::dropout(operands[0], op.attrs.GetFloat("p", 0.5), /*train=*/true);
    } else if (learn && op.kind == ir::OpKind::kTernaryQuantize &&
               operands[0].is_floating_point()) {
      // An activation ternarized in the graph: the op's value, the identity's gradient.
      r = Ste(operands[0], torch_ops::RunOp(op, operands, types), -1);
    } else {
      r = torch_ops::RunOp(op, operands, types);
    }
    v[static_cast<size_t>(op.result)] = std::move(r);
    operands.clear();
    for (size_t id : s.release_after[k]) v[id] = Tensor();
  }
  if (learn) ++s.step;
  if (train) ++s.bn_batches;
  return v[static_cast<size_t>(m.outputs[0])];
}

void QatModel::set_quantize(bool on) { impl_->quantize = on; }
bool QatModel::quantize() const { return impl_->quantize; }
int64_t QatModel::step() const { return impl_->step; }
void QatModel::set_batch_norm_cumulative(bool on) { impl_->bn_cumulative = on; }

void QatModel::ResetBatchNormStats() {
  Impl& s = *impl_;
  torch::NoGradGuard no_grad;
  for (const ir::Op& op : s.m.ops) {
    if (op.kind != ir::OpKind::kBatchNorm || op.operands.size() != 5) continue;
    s.bound[static_cast<size_t>(op.operands[3])].zero_();
    s.bound[static_cast<size_t>(op.operands[4])].fill_(1);
  }
  s.bn_batches = 0;
}

std::vector<std::pair<std::string, torch::Tensor>> QatModel::NamedParameters() const {
  const Impl& s = *impl_;
  std::vector<std::pair<std::string, Tensor>> out;
  for (size_t i = 0; i < s.m.params.size(); ++i) {
    const Tensor& t = s.param(i);
    if (!s.m.params[i].trainable || !t.is_floating_point()) continue;
    out.emplace_back(s.name(i), t);
    if (s.tern[i] && s.tern[i]->wp.defined()) {
      out.emplace_back(s.name(i) + ".wp", s.tern[i]->wp);
      out.emplace_back(s.name(i) + ".wn", s.tern[i]->wn);
    }
  }
  return out;
}

std::vector<std::pair<std::string, torch::Tensor>> QatModel::NamedState() const {
  const Impl& s = *impl_;
  std::vector<std::pair<std::string, Tensor>> out;
  for (size_t i = 0; i < s.m.params.size(); ++i) {
    out.emplace_back(s.name(i), s.param(i));
    if (s.tern[i] && s.tern[i]->wp.defined()) {
      out.emplace_back(s.name(i) + ".wp", s.tern[i]->wp);
      out.emplace_back(s.name(i) + ".wn", s.tern[i]->wn);
    }
  }
  out.emplace_back("qat.step", torch::tensor(s.step, torch::kLong));
  return out;
}

Status QatModel::LoadState(const std::vector<std::pair<std::string, torch::Tensor>>& state) {
  Impl& s = *impl_;
  std::map<std::string, Tensor> targets;
  for (auto& [name, t] : NamedState()) targets.emplace(name, t);
  std::map<std::string, bool> seen;
  torch::NoGradGuard no_grad;
  for (const auto& [name, t] : state) {
    auto it = targets.find(name);
    if (it == targets.end())
      return Status::Error("the state has a tensor '" + name + "' that the model lacks");
    if (seen[name]) return Status::Error("the state has tensor '" + name + "' twice");
    seen[name] = true;
    if (!t.defined() || t.sizes() != it->second.sizes()) {
      return Status::Error("state tensor '" + name + "' is " +
                           (t.defined() ? ShapeText(t.sizes()) : std::string("undefined")) +
                           ", the model's is " + ShapeText(it->second.sizes()));
    }
    if (name == "qat.step") {
      s.step = t.to(torch::kCPU, torch::kLong).item<int64_t>();
      continue;
    }
    it->second.copy_(t.detach().to(it->second.device(), it->second.scalar_type()));
  }
  for (const auto& [name, t] : targets) {
    if (!seen.count(name)) return Status::Error("the state has no tensor '" + name + "'");
  }
  return Status();
}

format::Package QatModel::ExportFp32(const std::string& source_hash) const {
  const Impl& s = *impl_;
  format::Package pkg;
  pkg.meta.model_name = s.m.name;
  pkg.meta.source_hash = source_hash;
  pkg.meta.compiler_version = "triton 0.1.0";
  pkg.ir_text = ir::Print(s.m);
  for (size_t i = 0; i < s.m.params.size(); ++i) {
    format::TensorRecord r;
    r.name = s.name(i);
    r.shape = s.param(i).sizes().vec();
    r.trainable = s.m.params[i].trainable;
    r.f32 = ToVector(s.param(i));
    pkg.tensors.push_back(std::move(r));
  }
  return pkg;
}

format::Package QatModel::ExportTernary(const std::string& source_hash, bool base3) const {
  const Impl& s = *impl_;
  format::Package pkg = ExportFp32(source_hash);
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < s.m.params.size(); ++i) {
    if (!s.tern[i]) continue;
    const TernaryParam& t = *s.tern[i];
    TernaryCodes q = s.Codes(i, /*train=*/false);
    const int64_t groups = q.scale_pos.numel();
    if (t.method == quant::Method::kLearned && groups > 0) {  // a side without codes: scale 0
      const Tensor c = q.codes.reshape({groups, -1});
      q.scale_pos = torch::where((c > 0).any(1), q.scale_pos, torch::zeros_like(q.scale_pos));
      q.scale_neg = torch::where((c < 0).any(1), q.scale_neg, torch::zeros_like(q.scale_neg));
    }
    format::TensorRecord& r = pkg.tensors[i];
    r.encoding = base3 ? format::Encoding::kTernaryBase3 : format::Encoding::kTernary2Bit;
    r.f32.clear();
    const Tensor codes = q.codes.to(torch::kCPU, torch::kChar).contiguous();
    r.trits.assign(codes.data_ptr<int8_t>(), codes.data_ptr<int8_t>() + codes.numel());
    r.scale_pos = ToVector(q.scale_pos);
    r.scale_neg = ToVector(q.scale_neg);
    pkg.meta.quantization =
        std::string(quant::MethodName(t.method == quant::Method::kStochastic ? quant::Method::kTwn
                                                                             : t.method)) +
        (t.per_channel ? " per-channel " : " per-tensor ") + (base3 ? "base3" : "2bit");
  }
  return pkg;
}

const ir::Module& QatModel::module() const { return impl_->m; }
torch::Device QatModel::device() const { return impl_->o.device; }

}  // namespace triton::train

// IR ops through libtorch (torch_ops.h states the representation and the deviations).
#include "triton/train/torch_ops.h"

#include <cfloat>
#include <cmath>
#include <cstring>
#include <string>

#include "triton/ir/fused.h"

namespace triton::torch_ops {
namespace {

using ir::DType;
using ir::OpKind;
using torch::Tensor;
namespace F = torch::nn::functional;

// The scalar type an op computes in where libtorch has float kernels only: float64 for integer
// results (exact) and float64 results, float32 otherwise (float16/bfloat16 round at the end).
c10::ScalarType ComputeType(DType result) {
  return !ir::IsFloat(result) || result == DType::kFloat64 ? torch::kDouble : torch::kFloat;
}

std::vector<int64_t> AllDims(int64_t rank) {
  std::vector<int64_t> d(static_cast<size_t>(rank));
  for (int64_t i = 0; i < rank; ++i) d[static_cast<size_t>(i)] = i;
  return d;
}

// ternary_quantize as torch expressions of the formulas in triton/ir/eval_quant.cc (thresholds
// and means in float64, as there); the result is the dequantized trit tensor, codes * scale.
Tensor TernaryQuantize(const Tensor& w, const ir::Attrs& a) {
  const std::string method = a.GetString("method", "twn");
  const double factor = a.GetFloat("threshold", 0.7);
  const bool per_channel = a.GetBool("per_channel", true);
  const int64_t groups = per_channel && w.dim() >= 1 ? w.size(0) : 1;
  const Tensor wg = w.to(torch::kFloat).reshape({groups, -1});
  const Tensor abs64 = wg.abs().to(torch::kDouble);
  Tensor codes, scale;
  if (method == "absmean") {
    // BitNet b1.58: RoundClip(w / max(gamma, eps), -1, 1), torch.round being half to even.
    scale = abs64.mean(1, true).to(torch::kFloat);
    codes = torch::round(wg / scale.clamp_min(1e-5)).clamp(-1, 1);
  } else {
    const Tensor delta =
        factor * (method == "threshold" ? std::get<0>(abs64.max(1, true)) : abs64.mean(1, true));
    const Tensor w64 = wg.to(torch::kDouble);
    codes = (w64 > delta).to(torch::kFloat) - (w64 < -delta).to(torch::kFloat);
    const Tensor kept = codes != 0;
    const Tensor count = kept.sum(1, true).to(torch::kDouble);
    scale = torch::where(count > 0, (abs64 * kept).sum(1, true) / count.clamp_min(1),
                         torch::zeros_like(count))
                .to(torch::kFloat);
  }
  scale = torch::where(codes.abs().sum(1, true) > 0, scale, torch::zeros_like(scale));
  return (codes * scale).reshape(w.sizes());
}

// quantize_int8: scale = max finite |x| / 127 (1 for all zeros, at least FLT_MIN), codes =
// round_half_even(clamp(x / scale, -127, 127)), NaN -> 0.
Tensor QuantizeInt8(const Tensor& x_in) {
  const Tensor x = x_in.to(torch::kFloat);
  float max_value = 0;
  if (x.numel() > 0) {
    max_value = torch::where(torch::isfinite(x), x.abs(), torch::zeros_like(x)).max().item<float>();
  }
  const float scale = max_value == 0 ? 1.0f : std::max(max_value / 127.0f, FLT_MIN);
  const Tensor v = torch::nan_to_num(x / scale, 0.0, 127.0, -127.0).clamp(-127, 127);
  return torch::round(v).to(torch::kChar);
}

// cast: float -> integer saturates after truncation (NaN -> 0); otherwise libtorch's .to().
Tensor Cast(const Tensor& x, DType from, DType to) {
  const c10::ScalarType t = TorchDType(to);
  if (from == DType::kTrit) {
    if (to == DType::kTrit) return x;
    return ir::IsFloat(to) ? x.to(t) : torch::sign(x).to(t);
  }
  if (ir::IsFloat(from) && ir::IsInteger(to)) {
    const double hi = std::ldexp(1.0, ir::DTypeBits(to) - 1) - 1, lo = -hi - 1;
    return torch::nan_to_num(x.to(torch::kDouble), 0.0, hi, lo).trunc().clamp(lo, hi).to(t);
  }
  return x.to(t);
}

// dequantize(x, scale): x's codes (trit: sign of the value) times one scale or one per slice
// along `axis`.
Tensor Dequantize(const std::vector<Tensor>& in, const std::vector<ir::TensorType>& types,
                  const ir::Attrs& a) {
  if (in.size() == 1) return in[0].to(torch::kFloat);
  const Tensor codes =
      (types[0].dtype == DType::kTrit ? torch::sign(in[0]) : in[0]).to(torch::kFloat);
  Tensor s = in[1].to(torch::kFloat);
  if (s.numel() == 1) return codes * s.reshape({});
  int64_t axis = a.GetInt("axis", 0);
  if (axis < 0) axis += codes.dim();
  std::vector<int64_t> shape(static_cast<size_t>(codes.dim()), 1);
  shape[static_cast<size_t>(axis)] = s.numel();
  return codes * s.reshape(shape);
}

F::PadFuncOptions::mode_t PadMode(const std::string& m) {
  if (m == "reflect") return torch::kReflect;
  if (m == "replicate") return torch::kReplicate;
  if (m == "circular") return torch::kCircular;
  return torch::kConstant;
}

}  // namespace

c10::ScalarType TorchDType(DType t) {
  switch (t) {
    case DType::kTrit:
    case DType::kFloat32:
      return torch::kFloat;
    case DType::kBool:
      return torch::kBool;
    case DType::kInt8:
      return torch::kChar;
    case DType::kInt16:
      return torch::kShort;
    case DType::kInt32:
      return torch::kInt;
    case DType::kInt64:
      return torch::kLong;
    case DType::kFloat16:
      return torch::kHalf;
    case DType::kBFloat16:
      return torch::kBFloat16;
    case DType::kFloat64:
      return torch::kDouble;
  }
  TORCH_CHECK(false, "DType out of range");
  return torch::kFloat;  // not reached (TORCH_CHECK throws)
}

Tensor ToTorch(const ir::HostTensor& t) {
  std::vector<float> v = ir::Dequantized(t);
  Tensor f = torch::empty(t.shape, torch::kFloat);
  if (!v.empty()) std::memcpy(f.data_ptr<float>(), v.data(), v.size() * sizeof(float));
  return f.to(TorchDType(t.dtype));
}

namespace {
// fused_conv2d / fused_linear: their steps (ops.def) as the ops they stand for.
Tensor RunFused(const ir::Op& op, const std::vector<Tensor>& operands,
                const std::vector<ir::TensorType>& types) {
  const ir::FusedLayout l = ir::GetFusedLayout(op.attrs);
  Tensor cur;
  ir::TensorType cur_type;
  const auto step = [&](OpKind kind, ir::Attrs attrs, std::vector<size_t> rest) {
    std::vector<Tensor> ins = {cur};
    std::vector<ir::TensorType> ts = {cur_type};
    for (size_t i : rest) ins.push_back(operands[i]), ts.push_back(types[i]);
    const ir::Op s{kind, {}, std::move(attrs), ir::kNoValue, {}};
    cur_type = std::get<ir::TensorType>(ir::InferType(kind, ts, s.attrs));
    cur = RunOp(s, ins, ts);
  };
  const size_t dense = l.bias >= 0 ? 3 : 2;
  const ir::Op base{ir::FusedBaseOp(op.kind), {}, op.attrs, ir::kNoValue, {}};
  const std::vector<Tensor> dense_in(operands.begin(), operands.begin() + dense);
  const std::vector<ir::TensorType> dense_types(types.begin(), types.begin() + dense);
  cur_type = std::get<ir::TensorType>(ir::InferType(base.kind, dense_types, base.attrs));
  cur = RunOp(base, dense_in, dense_types);
  if (l.bn >= 0) {
    ir::Attrs a;
    a.Set("eps", l.eps);
    const auto bn = static_cast<size_t>(l.bn);
    step(OpKind::kBatchNorm, a, {bn, bn + 1, bn + 2, bn + 3});
  }
  if (l.residual >= 0) step(OpKind::kAdd, {}, {static_cast<size_t>(l.residual)});
  if (auto act = ir::FusedActivationOp(l.activation)) step(*act, {}, {});
  return cur;
}
}  // namespace

Tensor RunOp(const ir::Op& op, const std::vector<Tensor>& operands,
             const std::vector<ir::TensorType>& types) {
  const ir::TypeOrError inferred = ir::InferType(op.kind, types, op.attrs);
  if (const auto* e = std::get_if<ir::ShapeError>(&inferred)) TORCH_CHECK(false, e->message);
  const DType result = std::get<ir::TensorType>(inferred).dtype;
  const c10::ScalarType rt = TorchDType(result);
  const c10::ScalarType ct = ComputeType(result);
  const ir::Attrs& a = op.attrs;
  // Operand i as the op reads it: a trit's codes where the result is an integer (or bool).
  const bool codes = !ir::IsFloat(result) && result != DType::kTrit;
  const auto in = [&](size_t i) -> Tensor {
    if (types[i].dtype == DType::kTrit && codes) {
      return torch::sign(operands[i]).to(torch::kChar);
    }
    return operands[i];
  };
  const auto maybe = [&](size_t i, c10::ScalarType st) -> c10::optional<Tensor> {
    if (i >= operands.size()) return c10::nullopt;
    return in(i).to(st);
  };
  const auto ints = [&](const char* name, std::vector<int64_t> dflt) {
    return a.GetInts(name, std::move(dflt));
  };
  const auto axes = [&](int64_t rank) {
    std::vector<int64_t> d = ints("axes", {});
    return d.empty() ? AllDims(rank) : d;
  };
  switch (op.kind) {
    case OpKind::kConv2d:
      return torch::conv2d(in(0).to(ct), in(1).to(ct), maybe(2, ct), ints("stride", {1, 1}),
                           ints("padding", {0, 0}), ints("dilation", {1, 1}), a.GetInt("groups", 1))
          .to(rt);
    case OpKind::kLinear:
      return torch::linear(in(0).to(ct), in(1).to(ct), maybe(2, ct)).to(rt);
    case OpKind::kMatMul:
      return torch::matmul(in(0).to(ct), in(1).to(ct)).to(rt);
    case OpKind::kBatchNorm:
      return torch::batch_norm(in(0).to(ct), in(1).to(ct), in(2).to(ct), in(3).to(ct), in(4).to(ct),
                               /*training=*/false, a.GetFloat("momentum", 0.1),
                               a.GetFloat("eps", 1e-5), /*cudnn_enabled=*/false)
          .to(rt);
    case OpKind::kFusedConv2d:
    case OpKind::kFusedLinear:
      return RunFused(op, operands, types);
    case OpKind::kLayerNorm: {
      const Tensor x = in(0).to(ct);
      std::vector<int64_t> shape = ints("normalized_shape", {x.size(-1)});
      if (operands.size() >= 2) shape = operands[1].sizes().vec();
      return torch::layer_norm(x, shape, maybe(1, ct), maybe(2, ct), a.GetFloat("eps", 1e-5))
          .to(rt);
    }
    case OpKind::kRelu:
      return torch::relu(in(0)).to(rt);
    case OpKind::kRelu6:  // F.relu6 is hardtanh(x, 0, 6); clamp is the same for integers
      return ir::IsFloat(result) ? torch::hardtanh(in(0).to(ct), 0, 6).to(rt)
                                 : torch::clamp(in(0), 0, 6).to(rt);
    case OpKind::kSigmoid:
      return torch::sigmoid(in(0).to(ct)).to(rt);
    case OpKind::kTanh:
      return torch::tanh(in(0).to(ct)).to(rt);
    case OpKind::kGelu:
      return torch::gelu(in(0).to(ct), "none").to(rt);
    case OpKind::kSilu:
      return torch::silu(in(0).to(ct)).to(rt);
    case OpKind::kHardswish:
      return torch::hardswish(in(0).to(ct)).to(rt);
    case OpKind::kHardsigmoid:
      return torch::hardsigmoid(in(0).to(ct)).to(rt);
    case OpKind::kAbs:
      return torch::abs(in(0)).to(rt);
    case OpKind::kNeg:
      return torch::neg(in(0)).to(rt);
    case OpKind::kClip: {
      c10::optional<c10::Scalar> lo, hi;
      if (a.Find("min") != nullptr) lo = a.GetFloat("min", 0);
      if (a.Find("max") != nullptr) hi = a.GetFloat("max", 0);
      if (!lo && !hi) return in(0).to(rt);  // torch.clamp wants a bound; no bound is identity
      return torch::clamp(in(0).to(ct), lo, hi).to(rt);
    }
    case OpKind::kDropout:
      return torch::dropout(in(0), a.GetFloat("p", 0.5), /*train=*/false).to(rt);
    case OpKind::kSoftmax:
      return torch::softmax(in(0).to(ct), a.GetInt("axis", -1)).to(rt);
    case OpKind::kLogSoftmax:
      return torch::log_softmax(in(0).to(ct), a.GetInt("axis", -1)).to(rt);
    case OpKind::kAdd:
      return torch::add(in(0).to(rt), in(1).to(rt));
    case OpKind::kSub:
      return torch::sub(in(0).to(rt), in(1).to(rt));
    case OpKind::kMul:
      return torch::mul(in(0).to(rt), in(1).to(rt));
    case OpKind::kDiv:
      return torch::div(in(0).to(rt), in(1).to(rt));
    case OpKind::kPow:
      return torch::pow(in(0).to(rt), in(1).to(rt));
    case OpKind::kMaxPool2d: {
      const std::vector<int64_t> k = ints("kernel", {1, 1});
      const Tensor x = ir::IsFloat(types[0].dtype) || types[0].dtype == DType::kTrit
                           ? in(0)
                           : in(0).to(torch::kDouble);
      return torch::max_pool2d(x, k, ints("stride", k), ints("padding", {0, 0}), {1, 1},
                               a.GetBool("ceil_mode", false))
          .to(rt);
    }
    case OpKind::kAvgPool2d: {
      const std::vector<int64_t> k = ints("kernel", {1, 1});
      return torch::avg_pool2d(in(0).to(ct), k, ints("stride", k), ints("padding", {0, 0}),
                               a.GetBool("ceil_mode", false), /*count_include_pad=*/true)
          .to(rt);
    }
    case OpKind::kGlobalAvgPool2d:
      return torch::adaptive_avg_pool2d(in(0).to(ct), {1, 1}).to(rt);
    case OpKind::kAdaptiveAvgPool2d:
      return torch::adaptive_avg_pool2d(in(0).to(ct), ints("output_size", {1, 1})).to(rt);
    case OpKind::kFlatten:
      return torch::flatten(in(0), a.GetInt("start_dim", 1), a.GetInt("end_dim", -1)).to(rt);
    case OpKind::kReshape:
      return in(0).reshape(ints("shape", {})).to(rt);
    case OpKind::kTranspose:
      return in(0).transpose(a.GetInt("dim0", 0), a.GetInt("dim1", 0)).to(rt);
    case OpKind::kPermute:
      return in(0).permute(ints("dims", {})).to(rt);
    case OpKind::kConcat: {
      std::vector<Tensor> parts;
      for (size_t i = 0; i < operands.size(); ++i) parts.push_back(in(i).to(rt));
      return torch::cat(parts, a.GetInt("axis", 0));
    }
    case OpKind::kPad:  // a trit pads with the value itself (exact for value 0)
      return F::pad(in(0), F::PadFuncOptions(ints("pads", {}))
                               .mode(PadMode(a.GetString("mode", "constant")))
                               .value(a.GetFloat("value", 0.0)))
          .to(rt);
    case OpKind::kMean:
      return torch::mean(in(0).to(ct), axes(in(0).dim()), a.GetBool("keepdim", false)).to(rt);
    case OpKind::kSum:
      return torch::sum(in(0), axes(in(0).dim()), a.GetBool("keepdim", false)).to(rt);
    case OpKind::kReduceMax:
      return torch::amax(in(0), axes(in(0).dim()), a.GetBool("keepdim", false)).to(rt);
    case OpKind::kReduceMin:
      return torch::amin(in(0), axes(in(0).dim()), a.GetBool("keepdim", false)).to(rt);
    case OpKind::kTernaryQuantize:
      return TernaryQuantize(in(0), a);
    case OpKind::kSteQuantize:
    case OpKind::kReorder:
      return in(0);
    case OpKind::kDequantize:
      return Dequantize(operands, types, a);
    case OpKind::kQuantizeInt8:
      return QuantizeInt8(in(0));
    case OpKind::kCast:
      return Cast(operands[0], types[0].dtype, result);
  }
  TORCH_CHECK(false, "OpKind out of range");
  return Tensor();  // not reached (TORCH_CHECK throws)
}

}  // namespace triton::torch_ops

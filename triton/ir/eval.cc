// The reference evaluator's core: tensors, value conversions and EvalOp's exhaustive switch.
// The rules shared by all ops are written in eval.h; the families live in eval_*.cc.
#include "triton/ir/eval.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "triton/ir/eval_internal.h"

namespace triton::ir {
namespace ei = eval_internal;

int64_t HostTensor::num_elements() const { return ei::Product(shape); }

TensorType HostTensor::type() const {
  TensorType t{dtype, {}};
  for (int64_t d : shape) t.dims.push_back(Dim::Static(d));
  return t;
}

std::vector<float> Dequantized(const HostTensor& t) {
  if (t.dtype != DType::kTrit || t.scale_pos.empty()) return t.data;
  std::vector<float> out(t.data.size());
  const std::vector<float>& neg = t.scale_neg.empty() ? t.scale_pos : t.scale_neg;
  if (t.scale_pos.size() == 1) {
    for (size_t i = 0; i < out.size(); ++i) {
      const float c = t.data[i];
      out[i] = c > 0 ? t.scale_pos[0] * c : (c < 0 ? neg[0] * c : 0.0f);
    }
    return out;
  }
  const auto axis = static_cast<size_t>(t.scale_axis);
  const int64_t channels = t.shape[axis];
  const int64_t inner = ei::Product(t.shape, axis + 1);
  for (size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<size_t>((static_cast<int64_t>(i) / inner) % channels);
    const float code = t.data[i];
    out[i] = code > 0 ? t.scale_pos[c] * code : (code < 0 ? neg[c] * code : 0.0f);
  }
  return out;
}

Status ValidateHostTensor(const HostTensor& t, const std::string& what) {
  int64_t n = 1;
  for (int64_t d : t.shape) {
    if (d < 0) return Status::Error(fmt::format("{}: negative dimension in shape {}", what, d));
    if (__builtin_mul_overflow(n, d, &n)) {
      return Status::Error(fmt::format("{}: the element count overflows int64", what));
    }
  }
  if (static_cast<int64_t>(t.data.size()) != n) {
    return Status::Error(fmt::format("{}: shape {} holds {} elements but the data has {}", what,
                                     t.type().ToString(), n, t.data.size()));
  }
  for (size_t i = 0; i < t.data.size(); ++i) {
    const float v = t.data[i];
    bool ok = true;
    const char* want = "";
    if (t.dtype == DType::kTrit) {
      ok = v == -1 || v == 0 || v == 1, want = "a trit (-1, 0 or 1)";
    } else if (t.dtype == DType::kBool) {
      ok = v == 0 || v == 1, want = "a bool (0 or 1)";
    } else if (IsInteger(t.dtype)) {
      ok = std::isfinite(v) && std::trunc(v) == v, want = "an integer";
    } else if (t.dtype == DType::kFloat16) {
      ok = std::isnan(v) || ei::RoundToHalf(v) == v, want = "a float16 value";
    } else if (t.dtype == DType::kBFloat16) {
      ok = std::isnan(v) || ei::RoundToBFloat16(v) == v, want = "a bfloat16 value";
    }
    if (!ok) {
      return Status::Error(fmt::format("{}: element {} is {}, not {} as {} requires", what, i, v,
                                       want, DTypeName(t.dtype)));
    }
  }
  if (t.scale_pos.empty() && t.scale_neg.empty()) return Status();
  const bool scaled = t.dtype == DType::kTrit || t.dtype == DType::kInt8;
  if (!scaled || (t.dtype == DType::kInt8 && !t.scale_neg.empty())) {
    return Status::Error(
        fmt::format("{}: only trit tensors (and int8 for scale_pos) carry scales", what));
  }
  if (t.scale_axis < 0 || (t.scale_axis >= static_cast<int64_t>(t.shape.size()) &&
                           !(t.shape.empty() && t.scale_axis == 0))) {
    return Status::Error(fmt::format("{}: scale axis {} is out of range for a {}-d tensor", what,
                                     t.scale_axis, t.shape.size()));
  }
  const size_t sp = t.scale_pos.size(), sn = t.scale_neg.size();
  const int64_t channels = t.shape.empty() ? 1 : t.shape[static_cast<size_t>(t.scale_axis)];
  if ((sp != 1 && static_cast<int64_t>(sp) != channels) || (sn != 0 && sn != sp)) {
    return Status::Error(fmt::format(
        "{}: {} scale_pos and {} scale_neg values; want 1 or one per channel ({} along dim {}), "
        "scale_neg empty or as many as scale_pos",
        what, sp, sn, channels, t.scale_axis));
  }
  return Status();
}

namespace eval_internal {

Values::Values(const HostTensor& t, bool codes) : ptr_(t.data.data()), size_(t.data.size()) {
  if (t.dtype == DType::kTrit && !codes && !t.scale_pos.empty()) {
    own_ = Dequantized(t);
    ptr_ = own_.data();
  }
}

int64_t Product(const std::vector<int64_t>& shape, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < shape.size() && i < end; ++i) p *= shape[i];
  return p;
}

std::vector<int64_t> Strides(const std::vector<int64_t>& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) s[i - 1] = s[i] * shape[i];
  return s;
}

void ElementScales(const HostTensor& t, int64_t i, float* pos, float* neg) {
  if (t.scale_pos.empty()) {
    *pos = *neg = 1.0f;
    return;
  }
  size_t c = 0;
  if (t.scale_pos.size() > 1) {
    const auto axis = static_cast<size_t>(t.scale_axis);
    c = static_cast<size_t>((i / Product(t.shape, axis + 1)) % t.shape[axis]);
  }
  *pos = t.scale_pos[c];
  *neg = t.scale_neg.empty() ? t.scale_pos[c] : t.scale_neg[c];
}

namespace {

// Rounds to a binary format with `mantissa` stored bits, smallest normal exponent `min_exp`
// (2^min_exp is the smallest normal) and largest finite value `max_finite`; ties to even.
double RoundToFormat(double v, int mantissa, int min_exp, double max_finite) {
  if (!std::isfinite(v) || v == 0) return v;
  int e = 0;
  std::frexp(v, &e);  // |v| in [2^(e-1), 2^e)
  const int exp = std::max(e - 1, min_exp);
  const double quantum = std::ldexp(1.0, exp - mantissa);
  const double r = std::nearbyint(v / quantum) * quantum;  // default rounding: ties to even
  if (std::fabs(r) > max_finite) return std::copysign(HUGE_VAL, v);
  return r;
}

// Wraps an integral value to `bits`-bit two's complement.
double Wrap(double v, int bits) {
  if (!std::isfinite(v)) return 0;
  const double lim = 9223372036854775807.0;
  const auto x = static_cast<int64_t>(std::clamp(v, -lim, lim));
  switch (bits) {
    case 8:
      return static_cast<int8_t>(x);
    case 16:
      return static_cast<int16_t>(x);
    case 32:
      return static_cast<int32_t>(x);
    default:
      return static_cast<double>(x);
  }
}

}  // namespace

double RoundToHalf(double v) { return RoundToFormat(v, 10, -14, 65504.0); }
double RoundToBFloat16(double v) { return RoundToFormat(v, 7, -126, 3.3895313892515355e38); }

float StoreAs(DType t, double v) {
  switch (t) {
    case DType::kFloat32:
    case DType::kFloat64:
      return static_cast<float>(v);
    case DType::kFloat16:
      return static_cast<float>(RoundToHalf(v));
    case DType::kBFloat16:
      return static_cast<float>(RoundToBFloat16(v));
    case DType::kBool:
      return v != 0 ? 1.0f : 0.0f;
    case DType::kInt8:
      return static_cast<float>(Wrap(v, 8));
    case DType::kInt16:
      return static_cast<float>(Wrap(v, 16));
    case DType::kInt32:
      return static_cast<float>(Wrap(v, 32));
    case DType::kInt64:
      return static_cast<float>(Wrap(v, 64));
    case DType::kTrit:
      return static_cast<float>(std::clamp(v, -1.0, 1.0));  // only codes are stored as trit
  }
  return static_cast<float>(v);
}

Status OpError(OpKind k, const std::string& message) {
  return Status::Error(fmt::format("{}: {}", OpMnemonic(k), message));
}

Status EvalIdentity(const Op&, const Ins& in, HostTensor& out) {
  const DType dtype = out.dtype;
  out = *in[0];
  out.dtype = dtype;
  return Status();
}

}  // namespace eval_internal

Result<HostTensor> EvalOp(const Op& op, const std::vector<const HostTensor*>& inputs) {
  std::vector<TensorType> types;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string what = fmt::format("operand {} of {}", i, OpMnemonic(op.kind));
    if (inputs[i] == nullptr) return Status::Error(what + " is missing");
    if (Status s = ValidateHostTensor(*inputs[i], what); !s.ok()) return s;
    types.push_back(inputs[i]->type());
  }
  TypeOrError inferred = InferType(op.kind, types, op.attrs);
  if (const auto* e = std::get_if<ShapeError>(&inferred)) return Status::Error(e->message);
  const TensorType& t = std::get<TensorType>(inferred);
  HostTensor out;
  out.dtype = t.dtype;
  for (const Dim& d : t.dims) out.shape.push_back(d.size);
  out.data.assign(static_cast<size_t>(out.num_elements()), 0.0f);
  const ei::Ins& in = inputs;
  Status s;
  switch (op.kind) {
    case OpKind::kConv2d:
      s = ei::EvalConv2d(op, in, out);
      break;
    case OpKind::kLinear:
      s = ei::EvalLinear(op, in, out);
      break;
    case OpKind::kMatMul:
      s = ei::EvalMatMul(op, in, out);
      break;
    case OpKind::kBatchNorm:
      s = ei::EvalBatchNorm(op, in, out);
      break;
    case OpKind::kLayerNorm:
      s = ei::EvalLayerNorm(op, in, out);
      break;
    case OpKind::kFusedConv2d:
    case OpKind::kFusedLinear:
      s = ei::EvalFused(op, in, out);
      break;
    case OpKind::kRelu:
    case OpKind::kRelu6:
    case OpKind::kSigmoid:
    case OpKind::kTanh:
    case OpKind::kGelu:
    case OpKind::kSilu:
    case OpKind::kHardswish:
    case OpKind::kHardsigmoid:
    case OpKind::kAbs:
    case OpKind::kNeg:
    case OpKind::kClip:
      s = ei::EvalUnary(op, in, out);
      break;
    case OpKind::kDropout:
    case OpKind::kSteQuantize:
    case OpKind::kReorder:
      s = ei::EvalIdentity(op, in, out);
      break;
    case OpKind::kSoftmax:
    case OpKind::kLogSoftmax:
      s = ei::EvalSoftmax(op, in, out);
      break;
    case OpKind::kAdd:
    case OpKind::kSub:
    case OpKind::kMul:
    case OpKind::kDiv:
    case OpKind::kPow:
      s = ei::EvalBinary(op, in, out);
      break;
    case OpKind::kMaxPool2d:
      s = ei::EvalMaxPool2d(op, in, out);
      break;
    case OpKind::kAvgPool2d:
      s = ei::EvalAvgPool2d(op, in, out);
      break;
    case OpKind::kGlobalAvgPool2d:
      s = ei::EvalGlobalAvgPool2d(op, in, out);
      break;
    case OpKind::kAdaptiveAvgPool2d:
      s = ei::EvalAdaptiveAvgPool2d(op, in, out);
      break;
    case OpKind::kFlatten:
    case OpKind::kReshape:
      s = ei::EvalFlatten(op, in, out);
      break;
    case OpKind::kTranspose:
      s = ei::EvalTranspose(op, in, out);
      break;
    case OpKind::kPermute:
      s = ei::EvalPermute(op, in, out);
      break;
    case OpKind::kConcat:
      s = ei::EvalConcat(op, in, out);
      break;
    case OpKind::kPad:
      s = ei::EvalPad(op, in, out);
      break;
    case OpKind::kMean:
    case OpKind::kSum:
    case OpKind::kReduceMax:
    case OpKind::kReduceMin:
      s = ei::EvalReduce(op, in, out);
      break;
    case OpKind::kTernaryQuantize:
      s = ei::EvalTernaryQuantize(op, in, out);
      break;
    case OpKind::kDequantize:
      s = ei::EvalDequantize(op, in, out);
      break;
    case OpKind::kQuantizeInt8:
      s = ei::EvalQuantizeInt8(op, in, out);
      break;
    case OpKind::kCast:
      s = ei::EvalCast(op, in, out);
      break;
  }
  if (!s.ok()) return s;
  return out;
}

}  // namespace triton::ir

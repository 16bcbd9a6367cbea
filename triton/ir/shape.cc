// Type and shape rules of every op (DESIGN.md §1): one exhaustive switch in InferType, PyTorch
// semantics. Element-type conventions shared by the rules:
//  - bool tensors take part only in shape manipulation, ste_quantize and cast.
//  - Dense ops (conv2d, linear, matmul) on float operands give their common float type; on
//    integer operands (trit, int8, ...) they give the int32 accumulator (int64 if an operand is).
//  - Element-wise arithmetic gives CommonType, except trit op trit -> int8 (arithmetic on ternary
//    values yields the widened type) and div of integers -> float32.
//  - Activations whose values are not integers (sigmoid, tanh, gelu, silu, hardswish,
//    hardsigmoid, softmax, log_softmax, clip) give float32 for integer input; relu, relu6, abs and
//    neg keep the integer type (trit widens to int8); dropout keeps the type (identity at
//    inference); mean and avg pools give float32 for integers; sum of integers gives int64.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "triton/base/check.h"
#include "triton/ir/ops.h"
#include "triton/ir/shape_internal.h"
#include "triton/ir/shape_util.h"

namespace triton::ir::shape_internal {
namespace {

// Result type of a dense op: common float type, or the integer accumulator.
std::optional<DType> DenseType(DType a, DType b) {
  if (a == DType::kBool || b == DType::kBool) return std::nullopt;
  const std::optional<DType> c = CommonType(a, b);
  if (!c || IsFloat(*c)) return c;
  return *c == DType::kInt64 ? DType::kInt64 : DType::kInt32;
}

// ---------------------------------------------------------------- dense layers

TypeOrError InferConv2d(const Operands& in, const Attrs& a) {
  const OpKind k = OpKind::kConv2d;
  TRITON_SHAPE_TRY(RequireRank(k, in, 0, 4, "a 4-d input [N, C, H, W]"));
  TRITON_SHAPE_TRY(RequireRank(k, in, 1, 4, "a 4-d weight [Cout, Cin/groups, kh, kw]"));
  Ints2 stride, padding, dilation;
  int64_t groups = 1;
  TRITON_SHAPE_TRY(ReadInts2(k, a, "stride", {1, 1}, &stride));
  TRITON_SHAPE_TRY(CheckMin(k, "stride", stride, 1));
  TRITON_SHAPE_TRY(ReadInts2(k, a, "padding", {0, 0}, &padding));
  TRITON_SHAPE_TRY(CheckMin(k, "padding", padding, 0));
  TRITON_SHAPE_TRY(ReadInts2(k, a, "dilation", {1, 1}, &dilation));
  TRITON_SHAPE_TRY(CheckMin(k, "dilation", dilation, 1));
  TRITON_SHAPE_TRY(ReadInt(k, a, "groups", 1, &groups));
  if (groups < 1)
    return Err(Code::kAttr, -1, fmt::format("conv2d groups must be positive, got {}", groups));
  const TensorType& x = in[0];
  const TensorType& w = in[1];
  std::optional<DType> dtype = DenseType(x.dtype, w.dtype);
  if (!dtype) {
    return Err(Code::kType, 1,
               fmt::format("conv2d cannot combine a {} input with a {} weight", Lang(x), Lang(w)));
  }
  const Dim& c = x.dims[1];
  const Dim& cin_per_group = w.dims[1];
  Dim cout = w.dims[0];
  if (c.is_static() && cin_per_group.is_static() &&
      (__int128{cin_per_group.size} * groups != c.size)) {
    return Err(Code::kShape, 1,
               fmt::format("conv2d input has {} channels but the weight expects {} x {} groups",
                           c.size, cin_per_group.size, groups));
  }
  if (cout.is_static() && cout.size % groups != 0) {
    return Err(Code::kShape, 1,
               fmt::format("conv2d weight has {} output channels, which is not divisible by {} "
                           "groups",
                           cout.size, groups));
  }
  if (in.size() == 3) {
    TRITON_SHAPE_TRY(RequireVector(k, in, 2, cout, "bias"));
    dtype = DenseType(*dtype, in[2].dtype);
    if (!dtype)
      return Err(Code::kType, 2,
                 fmt::format("conv2d bias {} has no common type with the input", Lang(in[2])));
    cout = UnifyDims(cout, in[2].dims[0]);
  }
  TensorType out{*dtype, {x.dims[0], cout, Dim::Unknown(), Dim::Unknown()}};
  for (size_t i = 0; i < 2; ++i) {
    const Dim& size = x.dims[2 + i];
    const Dim& kernel = w.dims[2 + i];
    if (!size.is_static() || !kernel.is_static()) continue;  // unknown output extent
    const std::optional<int64_t> o =
        ConvOutputSize(size.size, kernel.size, stride[i], padding[i], dilation[i]);
    const char* what = i == 0 ? "height" : "width";
    if (!o || *o < 1) {
      return Err(Code::kShape, 0,
                 fmt::format("conv2d output {} would be {}: input {} {} with kernel {}, stride {}, "
                             "padding {}, dilation {}",
                             what, o ? std::to_string(*o) : "out of range", what, size.size,
                             kernel.size, stride[i], padding[i], dilation[i]));
    }
    out.dims[2 + i] = Dim::Static(*o);
  }
  return out;
}

TypeOrError InferLinear(const Operands& in, const Attrs&) {
  const OpKind k = OpKind::kLinear;
  TRITON_SHAPE_TRY(RequireMinRank(k, in, 0, 1, "an input [..., in] with at least 1 dimension"));
  TRITON_SHAPE_TRY(RequireRank(k, in, 1, 2, "a 2-d weight [out, in]"));
  const TensorType& x = in[0];
  const TensorType& w = in[1];
  std::optional<DType> dtype = DenseType(x.dtype, w.dtype);
  if (!dtype) {
    return Err(Code::kType, 1,
               fmt::format("linear cannot combine a {} input with a {} weight", Lang(x), Lang(w)));
  }
  if (!DimsCompatible(x.dims.back(), w.dims[1])) {
    return Err(Code::kShape, 1,
               fmt::format("linear input {} has {} features but the weight {} expects {}", Lang(x),
                           x.dims.back().ToString(), Lang(w), w.dims[1].ToString()));
  }
  Dim out_features = w.dims[0];
  if (in.size() == 3) {
    TRITON_SHAPE_TRY(RequireVector(k, in, 2, out_features, "bias"));
    dtype = DenseType(*dtype, in[2].dtype);
    if (!dtype)
      return Err(Code::kType, 2,
                 fmt::format("linear bias {} has no common type with the input", Lang(in[2])));
    out_features = UnifyDims(out_features, in[2].dims[0]);
  }
  TensorType out{*dtype, x.dims};
  out.dims.back() = out_features;
  return out;
}

// numpy.matmul: a rank-1 operand is a row (a) or column (b) vector whose unit dim is dropped from
// the result; leading batch dims broadcast.
TypeOrError InferMatMul(const Operands& in, const Attrs&) {
  const TensorType& a = in[0];
  const TensorType& b = in[1];
  for (int i = 0; i < 2; ++i) {
    if (in[static_cast<size_t>(i)].rank() == 0) {
      return Err(Code::kRank, i,
                 fmt::format("cannot multiply {} by {}: matmul needs tensors with at least 1 "
                             "dimension",
                             Lang(a), Lang(b)));
    }
  }
  const std::optional<DType> dtype = DenseType(a.dtype, b.dtype);
  if (!dtype) {
    return Err(Code::kType, 1,
               fmt::format("cannot multiply {} by {}: element types {} and {} do not combine",
                           Lang(a), Lang(b), DTypeName(a.dtype), DTypeName(b.dtype)));
  }
  std::vector<Dim> ad = a.dims, bd = b.dims;
  if (a.rank() == 1) ad.insert(ad.begin(), Dim::Static(1));
  if (b.rank() == 1) bd.push_back(Dim::Static(1));
  const Dim& ka = ad[ad.size() - 1];
  const Dim& kb = bd[bd.size() - 2];
  if (!DimsCompatible(ka, kb)) {
    return Err(Code::kShape, 1,
               fmt::format("cannot multiply {} by {}: inner dimensions {} and {} differ", Lang(a),
                           Lang(b), ka.ToString(), kb.ToString()));
  }
  const std::vector<Dim> a_batch(ad.begin(), ad.end() - 2), b_batch(bd.begin(), bd.end() - 2);
  std::optional<std::vector<Dim>> batch = BroadcastDims(a_batch, b_batch);
  if (!batch) {
    return Err(Code::kShape, 1,
               fmt::format("cannot multiply {} by {}: batch dimensions {} and {} do not broadcast",
                           Lang(a), Lang(b), DimList(a_batch), DimList(b_batch)));
  }
  TensorType out{*dtype, std::move(*batch)};
  if (a.rank() > 1) out.dims.push_back(ad[ad.size() - 2]);
  if (b.rank() > 1) out.dims.push_back(bd.back());
  return out;
}

// ---------------------------------------------------------------- normalization

TypeOrError InferBatchNorm(const Operands& in, const Attrs& a) {
  const OpKind k = OpKind::kBatchNorm;
  // The operand checks come before the attributes' (the order errors are reported in);
  // BatchNormType repeats them for its other caller, the fused ops' rule.
  TRITON_SHAPE_TRY(RequireMinRank(k, in, 0, 2, "an input [N, C, ...] with at least 2 dimensions"));
  TRITON_SHAPE_TRY(RequireFloat(k, in, 0, "input"));
  double eps = 1e-5, momentum = 0.1;
  TRITON_SHAPE_TRY(ReadFloat(k, a, "eps", 1e-5, &eps));
  TRITON_SHAPE_TRY(ReadFloat(k, a, "momentum", 0.1, &momentum));
  return BatchNormType(in, eps);
}

}  // namespace

TypeOrError BatchNormType(const Operands& in, double eps) {
  const OpKind k = OpKind::kBatchNorm;
  TRITON_SHAPE_TRY(RequireMinRank(k, in, 0, 2, "an input [N, C, ...] with at least 2 dimensions"));
  TRITON_SHAPE_TRY(RequireFloat(k, in, 0, "input"));
  if (!(eps >= 0))
    return Err(Code::kAttr, -1, fmt::format("batch_norm eps must be non-negative, got {}", eps));
  static constexpr const char* kRoles[] = {"", "weight (gamma)", "bias (beta)", "running mean",
                                           "running variance"};
  const Dim& channels = in[0].dims[1];
  for (int i = 1; i <= 4; ++i) {
    TRITON_SHAPE_TRY(RequireVector(k, in, i, channels, kRoles[i]));
    TRITON_SHAPE_TRY(RequireFloat(k, in, i, kRoles[i]));
  }
  return in[0];
}

namespace {

// Normalizes over the trailing dims given by gamma's shape, else the `normalized_shape`
// attribute, else the last dim.
TypeOrError InferLayerNorm(const Operands& in, const Attrs& a) {
  const OpKind k = OpKind::kLayerNorm;
  TRITON_SHAPE_TRY(RequireMinRank(k, in, 0, 1, "an input with at least 1 dimension"));
  TRITON_SHAPE_TRY(RequireFloat(k, in, 0, "input"));
  double eps = 1e-5;
  TRITON_SHAPE_TRY(ReadFloat(k, a, "eps", 1e-5, &eps));
  if (!(eps >= 0))
    return Err(Code::kAttr, -1, fmt::format("layer_norm eps must be non-negative, got {}", eps));
  std::vector<int64_t> attr_shape;
  TRITON_SHAPE_TRY(ReadInts(k, a, "normalized_shape", 0, {}, &attr_shape));
  TRITON_SHAPE_TRY(CheckMin(k, "normalized_shape", attr_shape, 0));
  const TensorType& x = in[0];
  std::vector<Dim> norm;
  if (in.size() >= 2) {
    norm = in[1].dims;
  } else if (!attr_shape.empty()) {
    for (int64_t s : attr_shape) norm.push_back(Dim::Static(s));
  } else {
    norm = {x.dims.back()};
  }
  const int culprit = in.size() >= 2 ? 1 : -1;
  if (norm.empty() || norm.size() > x.rank()) {
    return Err(in.size() >= 2 ? Code::kRank : Code::kAttr, culprit,
               fmt::format("layer_norm normalized shape {} must cover 1 to {} trailing dimensions "
                           "of {}",
                           DimList(norm), x.rank(), Lang(x)));
  }
  const size_t off = x.rank() - norm.size();
  for (size_t i = 0; i < norm.size(); ++i) {
    if (!DimsCompatible(norm[i], x.dims[off + i])) {
      return Err(in.size() >= 2 ? Code::kShape : Code::kAttr, culprit,
                 fmt::format("layer_norm normalized shape {} does not match the trailing "
                             "dimensions of {}",
                             DimList(norm), Lang(x)));
    }
  }
  if (in.size() >= 2 && !attr_shape.empty() && attr_shape.size() != norm.size()) {
    return Err(Code::kAttr, -1,
               fmt::format("layer_norm normalized_shape {} disagrees with the weight {}",
                           IntList(attr_shape), Lang(in[1])));
  }
  for (size_t i = 1; i < in.size(); ++i) {
    const int idx = static_cast<int>(i);
    TRITON_SHAPE_TRY(RequireFloat(k, in, idx, i == 1 ? "weight (gamma)" : "bias (beta)"));
    if (i == 2 && (in[2].rank() != norm.size() ||
                   !std::equal(norm.begin(), norm.end(), in[2].dims.begin(), DimsCompatible))) {
      return Err(Code::kShape, 2,
                 fmt::format("layer_norm bias {} must have the weight's shape {}", Lang(in[2]),
                             DimList(norm)));
    }
  }
  return x;
}

// ---------------------------------------------------------------- unary

TypeOrError InferUnary(OpKind k, const Operands& in, const Attrs& a) {
  TRITON_SHAPE_TRY(RequireNumeric(k, in, 0, "input"));
  TensorType out = in[0];
  const bool integer = IsInteger(out.dtype);
  // No switch here: InferType's switch is the one that must name every op.
  if (k == OpKind::kRelu || k == OpKind::kRelu6 || k == OpKind::kAbs || k == OpKind::kNeg) {
    if (out.dtype == DType::kTrit) out.dtype = DType::kInt8;
    return out;
  }
  if (k == OpKind::kDropout) {
    double p = 0.5;
    TRITON_SHAPE_TRY(ReadFloat(k, a, "p", 0.5, &p));
    if (!(p >= 0 && p <= 1)) {
      return Err(Code::kAttr, -1, fmt::format("dropout p must be in [0, 1], got {}", p));
    }
    return out;
  }
  if (k == OpKind::kClip) {
    double lo = 0, hi = 0;
    TRITON_SHAPE_TRY(ReadFloat(k, a, "min", -HUGE_VAL, &lo));
    TRITON_SHAPE_TRY(ReadFloat(k, a, "max", HUGE_VAL, &hi));
    if (lo > hi)
      return Err(Code::kAttr, -1, fmt::format("clip min {} is greater than max {}", lo, hi));
  }
  if (k == OpKind::kSoftmax || k == OpKind::kLogSoftmax) {
    TRITON_SHAPE_TRY(RequireMinRank(k, in, 0, 1, "an input with at least 1 dimension"));
    int64_t axis = -1, norm = 0;
    TRITON_SHAPE_TRY(ReadInt(k, a, "axis", -1, &axis));
    TRITON_SHAPE_TRY(NormAxis(k, "axis", axis, out.rank(), &norm));
  }
  // sigmoid, tanh, gelu, silu, hardswish, hardsigmoid, clip, softmax, log_softmax: real-valued.
  if (integer) out.dtype = DType::kFloat32;
  return out;
}

// ---------------------------------------------------------------- element-wise

TypeOrError InferElementwise(OpKind k, const Operands& in, const Attrs&) {
  const TensorType& a = in[0];
  const TensorType& b = in[1];
  std::string what = fmt::format("add {} and {}", Lang(a), Lang(b));
  if (k == OpKind::kSub) what = fmt::format("subtract {} from {}", Lang(b), Lang(a));
  if (k == OpKind::kMul) what = fmt::format("multiply {} and {}", Lang(a), Lang(b));
  if (k == OpKind::kDiv) what = fmt::format("divide {} by {}", Lang(a), Lang(b));
  if (k == OpKind::kPow) what = fmt::format("raise {} to the power {}", Lang(a), Lang(b));
  for (int i = 0; i < 2; ++i) {
    if (in[static_cast<size_t>(i)].dtype == DType::kBool) {
      return Err(Code::kType, i, fmt::format("cannot {}: arithmetic on bool is not defined", what));
    }
  }
  std::optional<DType> dtype = CommonType(a.dtype, b.dtype);
  if (!dtype) {
    return Err(Code::kType, 1,
               fmt::format("cannot {}: element types {} and {} have no common type", what,
                           DTypeName(a.dtype), DTypeName(b.dtype)));
  }
  if (*dtype == DType::kTrit) dtype = DType::kInt8;
  if (k == OpKind::kDiv && IsInteger(*dtype)) dtype = DType::kFloat32;
  std::pair<int64_t, int64_t> conflict;
  std::optional<std::vector<Dim>> dims = BroadcastDims(a.dims, b.dims, &conflict);
  if (!dims) {
    return Err(Code::kShape, 1,
               fmt::format("cannot {}: shapes do not broadcast (dimensions {} and {} differ)", what,
                           conflict.first, conflict.second));
  }
  return TensorType{*dtype, std::move(*dims)};
}

// ---------------------------------------------------------------- pooling

TypeOrError InferPool(OpKind k, const Operands& in, const Attrs& a) {
  TRITON_SHAPE_TRY(RequireRank(k, in, 0, 4, "a 4-d input [N, C, H, W]"));
  TRITON_SHAPE_TRY(RequireNumeric(k, in, 0, "input"));
  Ints2 kernel, stride, padding;
  bool ceil_mode = false;
  TRITON_SHAPE_TRY(ReadInts2(k, a, "kernel", {0, 0}, &kernel, /*required=*/true));
  TRITON_SHAPE_TRY(CheckMin(k, "kernel", kernel, 1));
  TRITON_SHAPE_TRY(ReadInts2(k, a, "stride", kernel, &stride));
  TRITON_SHAPE_TRY(CheckMin(k, "stride", stride, 1));
  TRITON_SHAPE_TRY(ReadInts2(k, a, "padding", {0, 0}, &padding));
  TRITON_SHAPE_TRY(CheckMin(k, "padding", padding, 0));
  TRITON_SHAPE_TRY(ReadBool(k, a, "ceil_mode", false, &ceil_mode));
  for (size_t i = 0; i < 2; ++i) {
    if (padding[i] > kernel[i] / 2) {
      return Err(Code::kAttr, -1,
                 fmt::format("{} padding {} must be at most half the kernel {}", OpMnemonic(k),
                             IntList(padding), IntList(kernel)));
    }
  }
  TensorType out = in[0];
  if (k == OpKind::kAvgPool2d && IsInteger(out.dtype)) out.dtype = DType::kFloat32;
  for (size_t i = 0; i < 2; ++i) {
    const Dim& size = in[0].dims[2 + i];
    if (!size.is_static()) {
      out.dims[2 + i] = Dim::Unknown();
      continue;
    }
    const std::optional<int64_t> o =
        PoolOutputSize(size.size, kernel[i], stride[i], padding[i], 1, ceil_mode);
    const char* what = i == 0 ? "height" : "width";
    if (!o || *o < 1) {
      return Err(Code::kShape, 0,
                 fmt::format("{} output {} would be {}: input {} {} with kernel {}, stride {}, "
                             "padding {}",
                             OpMnemonic(k), what, o ? std::to_string(*o) : "out of range", what,
                             size.size, kernel[i], stride[i], padding[i]));
    }
    out.dims[2 + i] = Dim::Static(*o);
  }
  return out;
}

TypeOrError InferGlobalAvgPool(const Operands& in, const Attrs&) {
  const OpKind k = OpKind::kGlobalAvgPool2d;
  TRITON_SHAPE_TRY(RequireRank(k, in, 0, 4, "a 4-d input [N, C, H, W]"));
  TRITON_SHAPE_TRY(RequireNumeric(k, in, 0, "input"));
  TensorType out = in[0];
  if (IsInteger(out.dtype)) out.dtype = DType::kFloat32;
  out.dims[2] = out.dims[3] = Dim::Static(1);
  return out;
}

TypeOrError InferAdaptiveAvgPool(const Operands& in, const Attrs& a) {
  const OpKind k = OpKind::kAdaptiveAvgPool2d;
  TRITON_SHAPE_TRY(RequireRank(k, in, 0, 4, "a 4-d input [N, C, H, W]"));
  TRITON_SHAPE_TRY(RequireNumeric(k, in, 0, "input"));
  std::vector<int64_t> size;
  TRITON_SHAPE_TRY(ReadInts(k, a, "output_size", 2, {}, &size, /*required=*/true));
  TRITON_SHAPE_TRY(CheckMin(k, "output_size", size, 1));
  TensorType out = in[0];
  if (IsInteger(out.dtype)) out.dtype = DType::kFloat32;
  out.dims[2] = Dim::Static(size[0]);
  out.dims[3] = Dim::Static(size[1]);
  return out;
}

}  // namespace
}  // namespace triton::ir::shape_internal

namespace triton::ir {

TypeOrError InferType(OpKind kind, std::span<const TensorType> operands, const Attrs& attrs) {
  namespace si = shape_internal;
  const int n = static_cast<int>(operands.size());
  const int lo = OpMinOperands(kind), hi = OpMaxOperands(kind);
  if (n < lo || (hi >= 0 && n > hi)) {
    std::string want = hi < 0     ? fmt::format("at least {}", lo)
                       : lo == hi ? std::to_string(lo)
                                  : fmt::format("{} to {}", lo, hi);
    return shape_internal::Err(ShapeErrorCode::kArity, -1,
                               fmt::format("{} takes {} operand{}, got {}", OpMnemonic(kind), want,
                                           (lo == 1 && hi <= 1) ? "" : "s", n));
  }
  switch (kind) {
    case OpKind::kConv2d:
      return si::InferConv2d(operands, attrs);
    case OpKind::kLinear:
      return si::InferLinear(operands, attrs);
    case OpKind::kMatMul:
      return si::InferMatMul(operands, attrs);
    case OpKind::kBatchNorm:
      return si::InferBatchNorm(operands, attrs);
    case OpKind::kLayerNorm:
      return si::InferLayerNorm(operands, attrs);
    case OpKind::kFusedConv2d:
    case OpKind::kFusedLinear:
      return si::InferFused(kind, operands, attrs);
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
    case OpKind::kDropout:
    case OpKind::kReorder:
    case OpKind::kSoftmax:
    case OpKind::kLogSoftmax:
      return si::InferUnary(kind, operands, attrs);
    case OpKind::kAdd:
    case OpKind::kSub:
    case OpKind::kMul:
    case OpKind::kDiv:
    case OpKind::kPow:
      return si::InferElementwise(kind, operands, attrs);
    case OpKind::kMaxPool2d:
    case OpKind::kAvgPool2d:
      return si::InferPool(kind, operands, attrs);
    case OpKind::kGlobalAvgPool2d:
      return si::InferGlobalAvgPool(operands, attrs);
    case OpKind::kAdaptiveAvgPool2d:
      return si::InferAdaptiveAvgPool(operands, attrs);
    case OpKind::kFlatten:
      return si::InferFlatten(operands, attrs);
    case OpKind::kReshape:
      return si::InferReshape(operands, attrs);
    case OpKind::kTranspose:
      return si::InferTranspose(operands, attrs);
    case OpKind::kPermute:
      return si::InferPermute(operands, attrs);
    case OpKind::kConcat:
      return si::InferConcat(operands, attrs);
    case OpKind::kPad:
      return si::InferPad(operands, attrs);
    case OpKind::kMean:
    case OpKind::kSum:
    case OpKind::kReduceMax:
    case OpKind::kReduceMin:
      return si::InferReduce(kind, operands, attrs);
    case OpKind::kTernaryQuantize:
      return si::InferTernaryQuantize(operands, attrs);
    case OpKind::kSteQuantize:
      return si::InferSteQuantize(operands, attrs);
    case OpKind::kDequantize:
      return si::InferDequantize(operands, attrs);
    case OpKind::kQuantizeInt8:
      return si::InferQuantizeInt8(operands, attrs);
    case OpKind::kCast:
      return si::InferCast(operands, attrs);
  }
  TRITON_UNREACHABLE("OpKind out of range");
}

}  // namespace triton::ir

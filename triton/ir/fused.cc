// The fused inference ops: operand layout, activations, and their type rule (dispatched from
// InferType in shape.cc). The rule composes the rules of the steps the op stands for (conv2d or
// linear, batch_norm, the activation), so a fused op type-checks exactly when its unfused form
// does, plus: batch-norm of fused_linear needs a 2-d result, the residual has the result's type,
// and the activation keeps the result's element type.
#include "triton/ir/fused.h"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "triton/base/check.h"
#include "triton/ir/shape_internal.h"
#include "triton/ir/shape_util.h"

namespace triton::ir {
namespace {

constexpr std::array<std::pair<const char*, OpKind>, 8> kActivations = {{
    {"relu", OpKind::kRelu},
    {"relu6", OpKind::kRelu6},
    {"sigmoid", OpKind::kSigmoid},
    {"silu", OpKind::kSilu},
    {"hardswish", OpKind::kHardswish},
    {"hardsigmoid", OpKind::kHardsigmoid},
    {"gelu", OpKind::kGelu},
    {"tanh", OpKind::kTanh},
}};

}  // namespace

bool IsFusedDense(OpKind k) { return k == OpKind::kFusedConv2d || k == OpKind::kFusedLinear; }

OpKind FusedBaseOp(OpKind fused) {
  TRITON_CHECK_MSG(IsFusedDense(fused), "FusedBaseOp of a non-fused op");
  return fused == OpKind::kFusedConv2d ? OpKind::kConv2d : OpKind::kLinear;
}

OpKind FusedOpOf(OpKind base) {
  TRITON_CHECK_MSG(base == OpKind::kConv2d || base == OpKind::kLinear,
                   "FusedOpOf needs conv2d or linear");
  return base == OpKind::kConv2d ? OpKind::kFusedConv2d : OpKind::kFusedLinear;
}

namespace {
// Operand groups in order: x, w, bias?, gamma beta mean var?, residual?.
FusedLayout LayoutOf(bool has_bias, bool has_bn, bool has_residual) {
  FusedLayout l;
  int next = 2;
  if (has_bias) l.bias = next++;
  if (has_bn) l.bn = next, next += 4;
  if (has_residual) l.residual = next++;
  l.operand_count = next;
  return l;
}
}  // namespace

FusedParts GetFusedParts(const Attrs& a) {
  FusedParts p;
  p.has_bias = a.GetBool("has_bias", false);
  p.has_bn = a.GetBool("has_bn", false);
  p.has_residual = a.GetBool("has_residual", false);
  p.eps = a.GetFloat("eps", 1e-5);
  const AttrValue* act = a.Find("activation");
  if (const auto* s = act != nullptr ? std::get_if<std::string>(act) : nullptr) p.activation = *s;
  return p;
}

FusedLayout FusedLayoutOf(const FusedParts& p) {
  FusedLayout l = LayoutOf(p.has_bias, p.has_bn, p.has_residual);
  l.eps = p.eps;
  l.activation = std::string(p.activation);
  return l;
}

FusedLayout GetFusedLayout(const Attrs& a) { return FusedLayoutOf(GetFusedParts(a)); }

std::optional<OpKind> FusedActivationOp(std::string_view name) {
  for (const auto& [n, k] : kActivations) {
    if (name == n) return k;
  }
  return std::nullopt;
}

bool IsFusedActivation(std::string_view name) {
  return name == "none" || FusedActivationOp(name).has_value();
}

std::optional<std::string_view> FusedActivationName(OpKind unary) {
  for (const auto& [n, k] : kActivations) {
    if (unary == k) return std::string_view(n);
  }
  return std::nullopt;
}

namespace shape_internal {

TypeOrError InferFused(OpKind k, const Operands& in, const Attrs& a) {
  FusedParts p;
  std::string act;
  TRITON_SHAPE_TRY(ReadBool(k, a, "has_bias", false, &p.has_bias));
  TRITON_SHAPE_TRY(ReadBool(k, a, "has_bn", false, &p.has_bn));
  TRITON_SHAPE_TRY(ReadBool(k, a, "has_residual", false, &p.has_residual));
  TRITON_SHAPE_TRY(ReadFloat(k, a, "eps", 1e-5, &p.eps));
  TRITON_SHAPE_TRY(ReadString(k, a, "activation", "none", &act));
  p.activation = act;
  return FusedType(k, in, a, p);
}

}  // namespace shape_internal

TypeOrError FusedType(OpKind k, std::span<const TensorType> in, const Attrs& a, const FusedParts& p,
                      FusedKnown known) {
  using namespace shape_internal;
  const char* name = OpMnemonic(k);
  const bool has_bias = p.has_bias, has_bn = p.has_bn, has_residual = p.has_residual;
  const double eps = p.eps;
  const std::string_view act = p.activation;
  if (!IsFusedActivation(act)) {
    return Err(Code::kAttr, -1,
               fmt::format("{} activation \"{}\" is not one of none, relu, relu6, sigmoid, silu, "
                           "hardswish, hardsigmoid, gelu, tanh",
                           name, act));
  }
  const FusedLayout l = LayoutOf(has_bias, has_bn, has_residual);
  if (static_cast<int>(in.size()) != l.operand_count) {
    return Err(Code::kArity, -1,
               fmt::format("{} with has_bias={}, has_bn={}, has_residual={} takes {} operands, "
                           "got {}",
                           name, has_bias, has_bn, has_residual, l.operand_count, in.size()));
  }
  // The dense step: conv2d's or linear's rule on (x, w, bias?); operand indices are the same.
  TypeOrError r;
  if (known.through == FusedKnown::kNothing) {
    const Operands dense(in.begin(), in.begin() + (has_bias ? 3 : 2));
    r = InferType(FusedBaseOp(k), dense, a);
    if (std::holds_alternative<ShapeError>(r)) return r;
  }
  TensorType out = known.through == FusedKnown::kNothing ? std::get<TensorType>(r) : *known.type;
  if (has_bn && known.through != FusedKnown::kNorm) {
    if (k == OpKind::kFusedLinear && out.rank() != 2) {
      return Err(Code::kRank, 0,
                 fmt::format("{} with has_bn needs a 2-d result [N, out] (batch-norm over the "
                             "features), got {}",
                             name, Lang(out)));
    }
    const std::array<TensorType, 5> bn = {
        out, in[static_cast<size_t>(l.bn)], in[static_cast<size_t>(l.bn) + 1],
        in[static_cast<size_t>(l.bn) + 2], in[static_cast<size_t>(l.bn) + 3]};
    r = BatchNormType(bn, eps);
    if (auto* e = std::get_if<ShapeError>(&r)) {
      e->operand = e->operand > 0 ? e->operand - 1 + l.bn : -1;
      return r;
    }
  }
  if (has_residual) {
    const TensorType& res = in[static_cast<size_t>(l.residual)];
    bool same = res.rank() == out.rank();
    for (size_t i = 0; same && i < out.rank(); ++i) same = DimsCompatible(res.dims[i], out.dims[i]);
    if (res.dtype != out.dtype || !same) {
      return Err(
          res.dtype != out.dtype ? Code::kType : Code::kShape, l.residual,
          fmt::format("{} residual {} must have the result's type {}", name, Lang(res), Lang(out)));
    }
    for (size_t i = 0; i < out.rank(); ++i) out.dims[i] = UnifyDims(out.dims[i], res.dims[i]);
  }
  if (std::optional<OpKind> act_op = FusedActivationOp(act)) {
    r = InferType(*act_op, std::span<const TensorType>(&out, 1), {});
    if (auto* e = std::get_if<ShapeError>(&r)) {
      e->operand = -1;
      return r;
    }
    const DType after = std::get<TensorType>(r).dtype;
    if (after != out.dtype) {
      return Err(Code::kType, -1,
                 fmt::format("{} activation {} would change the result type from {} to {}", name,
                             act, DTypeName(out.dtype), DTypeName(after)));
    }
  }
  return out;
}

}  // namespace triton::ir

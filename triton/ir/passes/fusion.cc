#include "triton/ir/passes/fusion.h"

#include <algorithm>
#include <iterator>
#include <string_view>

#include "triton/ir/fused.h"

namespace triton::ir::passes {

namespace {
constexpr const char* kConvAttrs[] = {"stride", "padding", "dilation", "groups"};

// The [C] type of a bias given as [C, 1, 1], [1, C, 1, 1] or [1, C] (static).
TensorType FlatBiasType(const TensorType& t) {
  return TensorType{t.dtype, {Dim::Static(t.num_elements())}};
}
}  // namespace

OpKind FusedSpec::fused_kind() const { return FusedOpOf(base); }

const Attrs& FusedSpec::dense_attrs_or_none() const {
  static const Attrs kNone;
  return dense_attrs ? *dense_attrs : kNone;
}

Attrs FusedSpec::MakeAttrs() const {
  // Built in name order and merged with the conv attributes, so no Set shifts the entries after
  // it (every fused op of a compile comes through here).
  std::pair<const char*, AttrValue> own[] = {{"activation", std::string(activation)},
                                             {"eps", eps},
                                             {"has_bias", has_bias()},
                                             {"has_bn", has_bn()},
                                             {"has_residual", has_residual()}};
  const auto& dense = dense_attrs_or_none().items();
  std::vector<std::pair<std::string, AttrValue>> items;
  items.reserve(std::size(own) + std::size(kConvAttrs));
  auto conv = dense.begin();
  // The conv attributes among the dense op's, in their (sorted) order.
  auto next_conv = [&] {
    while (conv != dense.end() && std::find(std::begin(kConvAttrs), std::end(kConvAttrs),
                                            conv->first) == std::end(kConvAttrs)) {
      ++conv;
    }
  };
  next_conv();
  for (auto& [name, v] : own) {
    if (name == std::string_view("eps") && !has_bn()) continue;
    for (; conv != dense.end() && conv->first < name; ++conv, next_conv()) items.push_back(*conv);
    items.emplace_back(name, std::move(v));
  }
  for (; conv != dense.end(); ++conv, next_conv()) items.push_back(*conv);
  return Attrs::FromSorted(std::move(items));
}

std::optional<FusedSpec> SpecOf(const Op& op) {
  FusedSpec s;
  const bool fused = IsFusedDense(op.kind);
  if (!fused && op.kind != OpKind::kConv2d && op.kind != OpKind::kLinear) return std::nullopt;
  s.base = fused ? FusedBaseOp(op.kind) : op.kind;
  s.x = op.operands[0];
  s.w = op.operands[1];
  if (s.base == OpKind::kConv2d) s.dense_attrs = &op.attrs;
  s.known = op.result;
  if (!fused) {
    if (op.operands.size() == 3) s.bias = op.operands[2];
    s.known_through = FusedKnown::kDense;
    return s;
  }
  const FusedParts p = GetFusedParts(op.attrs);
  const FusedLayout l = FusedLayoutOf(p);
  if (static_cast<int>(op.operands.size()) != l.operand_count) return std::nullopt;
  if (l.bias >= 0) s.bias = op.operands[static_cast<size_t>(l.bias)];
  if (l.bn >= 0) {
    for (size_t i = 0; i < 4; ++i) s.bn[i] = op.operands[static_cast<size_t>(l.bn) + i];
    s.eps = p.eps;
  }
  if (l.residual >= 0) s.residual = op.operands[static_cast<size_t>(l.residual)];
  s.activation = p.activation;
  // The op's type is the type after its last step; nothing is known when that step is not the
  // batch-norm (or, without one, the dense step).
  if (!s.has_residual() && !s.has_activation()) {
    s.known_through = s.has_bn() ? FusedKnown::kNorm : FusedKnown::kDense;
  }
  return s;
}

std::optional<TensorType> SpecType(const Module& m, const FusedSpec& spec) {
  thread_local TypeSlots in;  // per thread: passes may run in several threads
  size_t n = 0;
  in[n++] = m.type(spec.x);
  in[n++] = m.type(spec.w);
  if (spec.has_bias()) {
    const TensorType& b = m.type(spec.bias);
    if (spec.bias_reshape && !b.is_static()) return std::nullopt;
    in[n++] = spec.bias_reshape ? FlatBiasType(b) : b;
  }
  if (spec.has_bn()) {
    for (ValueId v : spec.bn) in[n++] = m.type(v);
  }
  if (spec.has_residual()) in[n++] = m.type(spec.residual);
  // The fused op's own type rule, on the parts MakeAttrs would spell out (no attributes built).
  const FusedParts parts{spec.has_bias(), spec.has_bn(), spec.has_residual(), spec.eps,
                         spec.activation};
  FusedKnown known;
  if (spec.known_through != FusedKnown::kNothing) known = {spec.known_through, &m.type(spec.known)};
  TypeOrError r =
      FusedType(spec.fused_kind(), in.first(n), spec.dense_attrs_or_none(), parts, known);
  if (auto* t = std::get_if<TensorType>(&r)) return std::move(*t);
  return std::nullopt;
}

ValueId EmitFused(Rewriter& rw, const FusedSpec& spec, const std::string& scope,
                  const TensorType& type) {
  const Module& src = rw.src();
  std::vector<ValueId> operands = {rw.Map(spec.x), rw.Map(spec.w)};
  if (spec.has_bias()) {
    if (!spec.bias_reshape) {
      operands.push_back(rw.Map(spec.bias));
    } else if (const Constant* c = ConstOf(src, spec.bias)) {
      const TensorType t = FlatBiasType(src.type(spec.bias));
      operands.push_back(rw.builder().AddConst(t, c->data));
    } else {
      Attrs a;
      a.Set("shape", std::vector<int64_t>{src.type(spec.bias).num_elements()});
      operands.push_back(rw.Emit(OpKind::kReshape, {rw.Map(spec.bias)}, a, scope));
    }
  }
  if (spec.has_bn()) {
    for (ValueId v : spec.bn) operands.push_back(rw.Map(v));
  }
  if (spec.has_residual()) operands.push_back(rw.Map(spec.residual));
  return rw.builder().AddTypedOp(spec.fused_kind(), std::move(operands), spec.MakeAttrs(), scope,
                                 type);
}

void ApplyFusions(Module& m, const std::vector<std::optional<FusedSpec>>& fused,
                  const std::vector<int>& last, const std::vector<bool>& absorbed) {
  Rewriter rw(m);
  for (size_t i = 0; i < m.ops.size(); ++i) {
    const Op& op = m.ops[i];
    if (absorbed[i]) continue;
    if (!fused[i]) {
      rw.Keep(op);
      continue;
    }
    const Op& end = m.ops[static_cast<size_t>(last[i])];
    ValueId r = EmitFused(rw, *fused[i], op.scope, m.type(end.result));
    rw.dst().values[static_cast<size_t>(r)].name = m.value(end.result).name;
    rw.Replace(end.result, r);
  }
  m = rw.Finish();
}

Uses::Uses(const Module& m)
    : count_(m.values.size(), 0), user_(m.values.size(), -1), output_(m.values.size(), false) {
  for (size_t i = 0; i < m.ops.size(); ++i) {
    for (ValueId v : m.ops[i].operands) {
      ++count_[static_cast<size_t>(v)];
      user_[static_cast<size_t>(v)] = static_cast<int>(i);
    }
  }
  for (ValueId v : m.outputs) {
    ++count_[static_cast<size_t>(v)];
    output_[static_cast<size_t>(v)] = true;
  }
}

int Uses::sole_user(ValueId v) const {
  const auto i = static_cast<size_t>(v);
  return count_[i] == 1 && !output_[i] ? user_[i] : -1;
}

bool DefinedBefore(const Module& m, ValueId v, size_t pos) {
  const Value& val = m.value(v);
  return val.kind != ValueKind::kOp || static_cast<size_t>(val.def) < pos;
}

}  // namespace triton::ir::passes

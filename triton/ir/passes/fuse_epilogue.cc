#include "triton/ir/passes/fuse_epilogue.h"

#include "triton/ir/fused.h"
#include "triton/ir/passes/fusion.h"

namespace triton::ir::passes {

namespace {

// A per-channel bias for a dense result of type `t` (channels at dim 1 of conv2d's [N, C, H, W],
// the last dim of linear's [..., C]): its type is [C, 1, 1] / [1, C, 1, 1] (conv2d), [C] / [1, C]
// (linear), C static and equal to the result's channel count. *reshape: it is not already [C].
bool IsChannelBias(const TensorType& b, const TensorType& t, OpKind base, bool* reshape) {
  if (!b.is_static() || t.rank() < 1) return false;
  const Dim c =
      base == OpKind::kConv2d ? (t.rank() == 4 ? t.dims[1] : Dim::Unknown()) : t.dims.back();
  if (!c.is_static()) return false;
  std::vector<std::vector<int64_t>> shapes;
  if (base == OpKind::kConv2d) {
    shapes = {{c.size, 1, 1}, {1, c.size, 1, 1}};
  } else {
    shapes = {{c.size}, {1, c.size}};
  }
  std::vector<int64_t> got;
  for (const Dim& d : b.dims) got.push_back(d.size);
  for (const auto& s : shapes) {
    if (got == s) {
      *reshape = s.size() != 1;
      return true;
    }
  }
  return false;
}

// Tries to absorb op `u` (the only user of `cur`, the chain's current value) into `s`, for the
// dense op at index `pos`. True when absorbed (s updated).
bool Absorb(const Module& m, size_t pos, ValueId cur, const Op& u, FusedSpec& s) {
  FusedSpec next = s;
  if (u.kind == OpKind::kAdd) {
    const ValueId other = u.operands[0] == cur ? u.operands[1] : u.operands[0];
    if (!DefinedBefore(m, other, pos)) return false;
    const TensorType& ct = m.type(cur);
    bool reshape = false;
    if (!(m.type(u.result) == ct)) return false;  // a broadcast or dtype change
    if (!s.has_bias() && !s.has_bn() && !s.has_residual() && !s.has_activation() &&
        IsChannelBias(m.type(other), ct, s.base, &reshape)) {
      next.bias = other;
      next.bias_reshape = reshape;
      next.known_through = FusedKnown::kNothing;  // the dense step changes
    } else if (!s.has_residual() && !s.has_activation() && m.type(other) == ct) {
      next.residual = other;
    } else {
      return false;
    }
  } else if (std::optional<std::string_view> act = FusedActivationName(u.kind)) {
    if (s.has_activation()) return false;
    next.activation = *act;
  } else {
    return false;
  }
  std::optional<TensorType> t = SpecType(m, next);
  if (!t || !(*t == m.type(u.result))) return false;
  s = std::move(next);
  return true;
}

// The kinds Absorb may take: an add, or a unary op the fused ops have an activation for.
bool MayAbsorb(OpKind k) { return k == OpKind::kAdd || FusedActivationName(k).has_value(); }

}  // namespace

bool RunFuseEpilogue(Module& m) {
  const Uses uses(m);
  std::vector<std::optional<FusedSpec>> fused(m.ops.size());
  std::vector<int> last(m.ops.size(), -1);  // the chain's last absorbed op
  std::vector<bool> absorbed(m.ops.size(), false);
  bool any = false;
  for (size_t i = 0; i < m.ops.size(); ++i) {
    // The cheap test first: a chain starts only where the only user is an add or an activation.
    const int first = uses.sole_user(m.ops[i].result);
    if (first < 0 || !MayAbsorb(m.ops[static_cast<size_t>(first)].kind)) continue;
    std::optional<FusedSpec> s = SpecOf(m.ops[i]);
    if (!s) continue;
    ValueId cur = m.ops[i].result;
    int end = -1;
    for (int u = uses.sole_user(cur); u >= 0 && !absorbed[static_cast<size_t>(u)];
         u = uses.sole_user(cur)) {
      const Op& user = m.ops[static_cast<size_t>(u)];
      if (!Absorb(m, i, cur, user, *s)) break;
      absorbed[static_cast<size_t>(u)] = true;
      cur = user.result;
      end = u;
    }
    if (end < 0) continue;
    fused[i] = std::move(s);
    last[i] = end;
    any = true;
  }
  if (!any) return false;
  ApplyFusions(m, fused, last, absorbed);
  return true;
}

}  // namespace triton::ir::passes

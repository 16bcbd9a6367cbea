#include "triton/ir/passes/fold_batchnorm.h"

#include "triton/ir/passes/fusion.h"

namespace triton::ir::passes {

bool RunFoldBatchnorm(Module& m) {
  const Uses uses(m);
  // fold[i]: op i (a dense op) becomes this spec, replacing batch_norm op bn_of[i].
  std::vector<std::optional<FusedSpec>> fold(m.ops.size());
  std::vector<int> bn_of(m.ops.size(), -1);
  std::vector<bool> absorbed(m.ops.size(), false);
  bool any = false;
  for (size_t i = 0; i < m.ops.size(); ++i) {
    // The cheap test first: most ops are not a dense op whose only user is a batch_norm.
    const int u = uses.sole_user(m.ops[i].result);
    if (u < 0 || m.ops[static_cast<size_t>(u)].kind != OpKind::kBatchNorm) continue;
    std::optional<FusedSpec> s = SpecOf(m.ops[i]);
    if (!s || s->has_bn() || s->has_residual() || s->has_activation()) continue;
    const Op& bn = m.ops[static_cast<size_t>(u)];
    if (s->base == OpKind::kLinear && m.type(m.ops[i].result).rank() != 2) continue;
    bool before = true;
    for (size_t k = 1; k < 5; ++k) before = before && DefinedBefore(m, bn.operands[k], i);
    if (!before) continue;
    for (size_t k = 0; k < 4; ++k) s->bn[k] = bn.operands[k + 1];
    s->eps = bn.attrs.GetFloat("eps", 1e-5);
    std::optional<TensorType> t = SpecType(m, *s);
    if (!t || !(*t == m.type(bn.result))) continue;
    fold[i] = std::move(s);
    bn_of[i] = u;
    absorbed[static_cast<size_t>(u)] = true;
    any = true;
  }
  if (!any) return false;
  ApplyFusions(m, fold, bn_of, absorbed);
  return true;
}

}  // namespace triton::ir::passes

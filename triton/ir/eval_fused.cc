// Reference evaluation of fused_conv2d and fused_linear: the steps of their meaning (ops.def),
// literally and in order, each by the reference evaluation of the op it stands for:
//   conv2d / linear (x, w, bias?) -> batch_norm (gamma, beta, mean, var, eps) -> add residual ->
//   activation.
// Each step rounds to the result type exactly as the unfused op does, so a fused op equals its
// unfused graph bit for bit whenever the graph computed the same steps in the same order (a bias
// that was a separate `add` is accumulated inside the dense op here, as conv2d(x, w, bias) does:
// that case agrees to rounding). The batch-norm is not folded into the weights here; folding is
// the runtime's optimization (docs/compiler.md).
#include <fmt/format.h>

#include "triton/ir/eval_internal.h"
#include "triton/ir/fused.h"

namespace triton::ir::eval_internal {
namespace {

// Runs one step; `cur` receives its result.
Status Step(const Op& fused, OpKind kind, Attrs attrs, const Ins& operands, HostTensor& cur) {
  Op step{kind, {}, std::move(attrs), kNoValue, {}};
  Result<HostTensor> r = EvalOp(step, operands);
  if (!r.ok()) {
    return OpError(fused.kind, fmt::format("{} step: {}", OpMnemonic(kind), r.status().message()));
  }
  cur = std::move(r).value();
  return Status();
}

}  // namespace

Status EvalFused(const Op& op, const Ins& in, HostTensor& out) {
  const FusedLayout l = GetFusedLayout(op.attrs);
  HostTensor cur;
  Attrs dense_attrs;
  if (op.kind == OpKind::kFusedConv2d) {
    for (const char* name : {"stride", "padding", "dilation", "groups"}) {
      if (const AttrValue* v = op.attrs.Find(name)) dense_attrs.Set(name, *v);
    }
  }
  const Ins dense(in.begin(), in.begin() + (l.bias >= 0 ? 3 : 2));
  if (Status s = Step(op, FusedBaseOp(op.kind), dense_attrs, dense, cur); !s.ok()) return s;
  if (l.bn >= 0) {
    Attrs a;
    a.Set("eps", l.eps);
    const auto bn = static_cast<size_t>(l.bn);
    const HostTensor x = std::move(cur);
    if (Status s =
            Step(op, OpKind::kBatchNorm, a, {&x, in[bn], in[bn + 1], in[bn + 2], in[bn + 3]}, cur);
        !s.ok()) {
      return s;
    }
  }
  if (l.residual >= 0) {
    const HostTensor x = std::move(cur);
    if (Status s = Step(op, OpKind::kAdd, {}, {&x, in[static_cast<size_t>(l.residual)]}, cur);
        !s.ok()) {
      return s;
    }
  }
  if (std::optional<OpKind> act = FusedActivationOp(l.activation)) {
    const HostTensor x = std::move(cur);
    if (Status s = Step(op, *act, {}, {&x}, cur); !s.ok()) return s;
  }
  if (cur.dtype != out.dtype || cur.shape != out.shape) {
    return OpError(op.kind, fmt::format("the steps gave {} but the type rule says {}",
                                        cur.type().ToString(), out.type().ToString()));
  }
  out.data = std::move(cur.data);
  return Status();
}

}  // namespace triton::ir::eval_internal

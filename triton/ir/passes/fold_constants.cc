#include "triton/ir/passes/fold_constants.h"

#include "triton/ir/eval.h"
#include "triton/ir/passes/rewriter.h"

namespace triton::ir::passes {

namespace {
HostTensor FromConst(const Module& m, const Constant& c) {
  HostTensor t;
  const TensorType& type = m.type(c.value);
  t.dtype = type.dtype;
  for (const Dim& d : type.dims) t.shape.push_back(d.size);
  t.data.assign(c.data.begin(), c.data.end());
  if (t.dtype == DType::kTrit) t.scale_pos = t.scale_neg = {1.0f};  // a literal's trits are values
  return t;
}

bool Foldable(const Op& op, const TensorType& result) {
  if (result.dtype == DType::kTrit || op.kind == OpKind::kQuantizeInt8) return false;
  return result.is_static() && result.num_elements() <= kMaxFoldElements;
}
}  // namespace

bool RunFoldConstants(Module& m) {
  bool any = false;
  for (const Op& op : m.ops) {
    bool all_const = !op.operands.empty();
    for (ValueId o : op.operands) all_const = all_const && ConstOf(m, o) != nullptr;
    any = any || (all_const && Foldable(op, m.type(op.result)));
  }
  if (!any) return false;
  Rewriter rw(m);
  bool changed = false;
  for (const Op& op : m.ops) {
    std::vector<HostTensor> in;
    bool all_const = Foldable(op, m.type(op.result));
    for (ValueId o : op.operands) {
      // Operands already folded in this run are constants of the new module.
      ValueId now = rw.Map(o);
      const Constant* c = ConstOf(rw.dst(), now);
      if (!c) {
        all_const = false;
        break;
      }
      in.push_back(FromConst(rw.dst(), *c));
    }
    if (all_const) {
      std::vector<const HostTensor*> ptrs;
      for (const HostTensor& t : in) ptrs.push_back(&t);
      Result<HostTensor> r = EvalOp(op, ptrs);
      if (r.ok()) {
        std::vector<double> data(r.value().data.begin(), r.value().data.end());
        rw.Replace(op.result, rw.builder().AddConst(m.type(op.result), std::move(data)));
        changed = true;
        continue;
      }
    }
    rw.Keep(op);
  }
  if (changed) m = rw.Finish();
  return changed;
}

}  // namespace triton::ir::passes

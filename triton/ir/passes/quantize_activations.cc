#include "triton/ir/passes/quantize_activations.h"

#include <unordered_map>

#include "triton/ir/fused.h"
#include "triton/ir/passes/rewriter.h"

namespace triton::ir::passes {
namespace {

bool IsTernaryDense(const Module& m, const Op& op) {
  const OpKind base = IsFusedDense(op.kind) ? FusedBaseOp(op.kind) : op.kind;
  if (base != OpKind::kConv2d && base != OpKind::kLinear) return false;
  return op.operands.size() >= 2 && m.type(op.operands[1]).dtype == DType::kTrit &&
         m.type(op.operands[0]).dtype == DType::kFloat32;
}

}  // namespace

bool RunQuantizeActivations(Module& m) {
  bool any = false;
  for (const Op& op : m.ops) any = any || IsTernaryDense(m, op);
  if (!any) return false;
  Rewriter rw(m);
  std::unordered_map<ValueId, ValueId> fake;  // new x -> its dequantize(quantize_int8(x))
  for (const Op& op : m.ops) {
    if (!IsTernaryDense(m, op)) {
      rw.Keep(op);
      continue;
    }
    const ValueId x = rw.Map(op.operands[0]);
    auto it = fake.find(x);
    if (it == fake.end()) {
      const ValueId q = rw.Emit(OpKind::kQuantizeInt8, {x}, Attrs{}, op.scope);
      const ValueId d = rw.Emit(OpKind::kDequantize, {q}, Attrs{}, op.scope);
      it = fake.emplace(x, d).first;
    }
    std::vector<ValueId> operands;
    operands.push_back(it->second);
    for (size_t i = 1; i < op.operands.size(); ++i) operands.push_back(rw.Map(op.operands[i]));
    rw.Replace(op.result, rw.Emit(op.kind, std::move(operands), op.attrs, op.scope));
  }
  m = rw.Finish();
  return true;
}

}  // namespace triton::ir::passes

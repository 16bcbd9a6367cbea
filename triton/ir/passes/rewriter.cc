#include "triton/ir/passes/rewriter.h"

#include "triton/base/check.h"

namespace triton::ir::passes {

Rewriter::Rewriter(const Module& src) : src_(src), b_(dst_) {
  dst_.name = src.name;
  map_.assign(src.values.size(), kNoValue);
  // A rewrite keeps most of the module: one allocation per table instead of growing it.
  dst_.values.reserve(src.values.size());
  dst_.inputs.reserve(src.inputs.size());
  dst_.params.reserve(src.params.size());
  dst_.ops.reserve(src.ops.size());
  for (ValueId in : src.inputs) {
    const Value& v = src.value(in);
    map_[static_cast<size_t>(in)] = b_.AddInput(v.name, v.type);
  }
  for (const Param& p : src.params) {
    const Value& v = src.value(p.value);
    map_[static_cast<size_t>(p.value)] = b_.AddParam(v.name, v.type, p);
  }
}

ValueId Rewriter::Map(ValueId old) {
  ValueId& slot = map_.at(static_cast<size_t>(old));
  if (slot != kNoValue) return slot;
  const Value& v = src_.value(old);
  TRITON_CHECK_MSG(v.kind == ValueKind::kConst, "operand used before its definition");
  slot = b_.AddConst(v.type, src_.consts[static_cast<size_t>(v.def)].data);
  dst_.values[static_cast<size_t>(slot)].name = v.name;
  return slot;
}

ValueId Rewriter::Keep(const Op& op) {
  std::vector<ValueId> operands;
  operands.reserve(op.operands.size());
  // Passes replace a value only by one of the same type (fusion.h's type rule), so a kept op's
  // operands usually have their old types and so does its result: the type rule, the dearest
  // part of a copy, runs only when an operand's type changed.
  bool same_types = true;
  for (ValueId o : op.operands) {
    operands.push_back(Map(o));
    same_types = same_types && dst_.type(operands.back()) == src_.type(o);
  }
  ValueId r = same_types ? b_.AddTypedOp(op.kind, std::move(operands), op.attrs, op.scope,
                                         src_.type(op.result))
                         : Emit(op.kind, std::move(operands), op.attrs, op.scope);
  dst_.values[static_cast<size_t>(r)].name = src_.value(op.result).name;
  map_[static_cast<size_t>(op.result)] = r;
  return r;
}

ValueId Rewriter::Emit(OpKind kind, std::vector<ValueId> operands, Attrs attrs, std::string scope) {
  auto r = b_.AddOp(kind, std::move(operands), std::move(attrs), std::move(scope));
  if (auto* err = std::get_if<ShapeError>(&r)) {
    TRITON_CHECK_MSG(false, ("a pass built an ill-typed op: " + err->message).c_str());
  }
  return std::get<ValueId>(r);
}

Module Rewriter::Finish() {
  for (ValueId o : src_.outputs) b_.AddOutput(Map(o));
  return std::move(dst_);
}

const Constant* ConstOf(const Module& m, ValueId v) {
  const Value& val = m.value(v);
  return val.kind == ValueKind::kConst ? &m.consts[static_cast<size_t>(val.def)] : nullptr;
}

bool ConstAllEqual(const Module& m, ValueId v, double x) {
  const Constant* c = ConstOf(m, v);
  if (!c) return false;
  for (double d : c->data) {
    if (d != x) return false;
  }
  return true;
}

}  // namespace triton::ir::passes

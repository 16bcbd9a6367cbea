#include "triton/ir/passes/simplify.h"

#include "triton/ir/passes/rewriter.h"

namespace triton::ir::passes {

namespace {
// What an op simplifies to: a value of the source module, a new op, or nothing.
struct Rule {
  enum Kind { kNone, kValue, kNeg, kZeros, kZerosLike, kBias } kind = kNone;
  ValueId value = kNoValue;  // kValue / kNeg: the source value; kBias: the bias;
                             // kZerosLike: a value of the result's type, times 0 (symbolic dims)
};

bool Same(const Module& m, ValueId v, const TensorType& t) { return m.type(v) == t; }

Rule Match(const Module& m, const Op& op, const std::vector<const Op*>& producer) {
  const TensorType& t = m.type(op.result);
  const auto& o = op.operands;
  auto is = [&](ValueId v, double x) { return ConstAllEqual(m, v, x); };
  switch (op.kind) {
    case OpKind::kAdd:
      if (is(o[1], 0) && Same(m, o[0], t)) return {Rule::kValue, o[0]};
      if (is(o[0], 0) && Same(m, o[1], t)) return {Rule::kValue, o[1]};
      break;
    case OpKind::kSub:
      if (is(o[1], 0) && Same(m, o[0], t)) return {Rule::kValue, o[0]};
      break;
    case OpKind::kMul:
      for (int i = 0; i < 2; ++i) {
        ValueId x = o[1 - i], c = o[i];
        if (is(c, 1) && Same(m, x, t)) return {Rule::kValue, x};
        if (is(c, -1) && Same(m, x, t)) return {Rule::kNeg, x};
        if (is(c, 0) && t.is_static()) return {Rule::kZeros};
      }
      break;
    case OpKind::kDiv:
      if (is(o[1], 1) && Same(m, o[0], t)) return {Rule::kValue, o[0]};
      break;
    case OpKind::kNeg: {
      const Op* p = producer[static_cast<size_t>(o[0])];
      if (p && p->kind == OpKind::kNeg && Same(m, p->operands[0], t)) {
        return {Rule::kValue, p->operands[0]};
      }
      break;
    }
    case OpKind::kMatMul:
    case OpKind::kLinear:
    case OpKind::kConv2d:
      if (is(o[1], 0) && t.is_static()) {
        return o.size() > 2 && op.kind != OpKind::kMatMul ? Rule{Rule::kBias, o[2]}
                                                          : Rule{Rule::kZeros};
      }
      // With a symbolic batch the zeros take the input's shape when it equals the result's.
      if (is(o[1], 0) && (o.size() == 2 || op.kind == OpKind::kMatMul) && Same(m, o[0], t)) {
        return {Rule::kZerosLike, o[0]};
      }
      break;
    case OpKind::kDropout:
    case OpKind::kSteQuantize:
      if (Same(m, o[0], t)) return {Rule::kValue, o[0]};
      break;
    case OpKind::kCast:
    case OpKind::kReshape:
    case OpKind::kFlatten:
      if (Same(m, o[0], t)) return {Rule::kValue, o[0]};
      break;
    default:
      break;
  }
  return {};
}
}  // namespace

bool RunSimplify(Module& m) {
  std::vector<const Op*> producer(m.values.size(), nullptr);
  for (const Op& op : m.ops) producer[static_cast<size_t>(op.result)] = &op;
  std::vector<Rule> rules;
  bool any = false;
  for (const Op& op : m.ops) {
    rules.push_back(Match(m, op, producer));
    any = any || rules.back().kind != Rule::kNone;
  }
  if (!any) return false;
  Rewriter rw(m);
  for (size_t i = 0; i < m.ops.size(); ++i) {
    const Op& op = m.ops[i];
    const Rule& r = rules[i];
    const TensorType& t = m.type(op.result);
    switch (r.kind) {
      case Rule::kNone:
        rw.Keep(op);
        break;
      case Rule::kValue:
        rw.Replace(op.result, rw.Map(r.value));
        break;
      case Rule::kNeg:
        rw.Replace(op.result, rw.Emit(OpKind::kNeg, {rw.Map(r.value)}, {}, op.scope));
        break;
      case Rule::kZeros:
        rw.Replace(op.result,
                   rw.builder().AddConst(
                       t, std::vector<double>(static_cast<size_t>(t.num_elements()), 0.0)));
        break;
      case Rule::kZerosLike: {
        ValueId zero = rw.builder().AddConst(TensorType{t.dtype, {}}, {0.0});
        rw.Replace(op.result, rw.Emit(OpKind::kMul, {rw.Map(r.value), zero}, {}, op.scope));
        break;
      }
      case Rule::kBias: {
        // zeros + bias: the bias broadcast over the output (channel dim 1 for conv2d).
        ValueId bias = rw.Map(r.value);
        TensorType zt = t;
        ValueId zeros = rw.builder().AddConst(
            zt, std::vector<double>(static_cast<size_t>(t.num_elements()), 0.0));
        if (op.kind == OpKind::kConv2d) {
          Attrs a;
          const TensorType& bt = m.type(r.value);
          a.Set("shape", std::vector<int64_t>{bt.dims[0].size, 1, 1});
          bias = rw.Emit(OpKind::kReshape, {bias}, a, op.scope);
        }
        rw.Replace(op.result, rw.Emit(OpKind::kAdd, {zeros, bias}, {}, op.scope));
        break;
      }
    }
  }
  m = rw.Finish();
  return true;
}

}  // namespace triton::ir::passes

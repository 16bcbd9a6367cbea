// Expressions: compile-time arithmetic on scalars and lists, tensor arithmetic as IR ops.
#include <cmath>
#include <limits>

#include "triton/lang/check/elab.h"

namespace triton::lang::check {

std::string Elaborator::Describe(const Value& v) {
  switch (v.kind) {
    case VKind::kError:
      return "an erroneous value";
    case VKind::kNone:
      return "none";
    case VKind::kBool:
      return "bool";
    case VKind::kInt:
      return v.untyped ? "int" : ir::DTypeName(v.dtype);
    case VKind::kFloat:
      return v.untyped ? "float" : ir::DTypeName(v.dtype);
    case VKind::kStr:
      return "str";
    case VKind::kList:
      return "a list";
    case VKind::kTensor:
      if (v.gen != generation_) return "a tensor of another entry";
      return TypeOf(v).ToLangString();
    case VKind::kInit:
      return "initializer " + v.init->init + "()";
    case VKind::kLayer:
      return "layer " + v.decl->name;
    case VKind::kInstance:
      return "an instance of layer " + v.instance->decl->name;
    case VKind::kFunction:
      return "function " + v.decl->name;
    case VKind::kBuiltin:
      return "a built-in function";
  }
  return "a value";
}

Value Elaborator::Lookup(const std::string& name, SourceRange r, const EnvPtr& env) {
  const uint32_t hash = NameHash(name);
  for (const Env* e = env.get(); e; e = e->parent.get()) {
    int at = e->Find(name, hash);
    if (at >= 0) return e->values[static_cast<size_t>(at)];
  }
  // The static resolver already reported most of these (possibly as UseBeforeDefinition).
  if (!diags_.HasErrorAt(r)) Error(Kind::kUndefinedName, r, "undefined name '" + name + "'");
  return Value::Error();
}

Value Elaborator::Eval(const ast::Expr& e, const EnvPtr& env) {
  switch (e.kind) {
    case ast::ExprKind::kInt:
      return Value::Int(e.As<ast::IntExpr>().value, ir::DType::kInt64, /*untyped=*/true);
    case ast::ExprKind::kFloat:
      return Value::Float(e.As<ast::FloatExpr>().value, ir::DType::kFloat32, /*untyped=*/true);
    case ast::ExprKind::kString:
      return Value::Str(e.As<ast::StringExpr>().value);
    case ast::ExprKind::kBool:
      return Value::Bool(e.As<ast::BoolExpr>().value);
    case ast::ExprKind::kName:
      return Lookup(e.As<ast::NameExpr>().name, e.range, env);
    case ast::ExprKind::kParen:
      return Eval(*e.As<ast::ParenExpr>().inner, env);
    case ast::ExprKind::kUnary: {
      const auto& u = e.As<ast::UnaryExpr>();
      return Unary(u.op, Eval(*u.operand, env), e.range);
    }
    case ast::ExprKind::kBinary: {
      const auto& b = e.As<ast::BinaryExpr>();
      Value lhs = Eval(*b.lhs, env);
      if (b.op == ast::BinaryOp::kAnd || b.op == ast::BinaryOp::kOr) {
        if (lhs.is_error()) return lhs;
        bool l = Truth(lhs, b.lhs->range);
        if (lhs.kind == VKind::kTensor) return Value::Error();
        if ((b.op == ast::BinaryOp::kAnd) != l) return Value::Bool(l);
        Value rhs = Eval(*b.rhs, env);
        if (rhs.is_error()) return rhs;
        bool rv = Truth(rhs, b.rhs->range);
        return rhs.kind == VKind::kTensor ? Value::Error() : Value::Bool(rv);
      }
      return Binary(b.op, lhs, Eval(*b.rhs, env), e.range, b.op_range);
    }
    case ast::ExprKind::kConditional: {
      const auto& c = e.As<ast::ConditionalExpr>();
      Value cond = Eval(*c.cond, env);
      if (cond.is_error()) return cond;
      bool t = Truth(cond, c.cond->range);
      if (cond.kind == VKind::kTensor) return Value::Error();
      return Eval(t ? *c.then_expr : *c.else_expr, env);
    }
    case ast::ExprKind::kCall:
      return EvalCall(e.As<ast::CallExpr>(), env);
    case ast::ExprKind::kIndex:
      return Index(e.As<ast::IndexExpr>(), env);
    case ast::ExprKind::kMember: {
      const auto& m = e.As<ast::MemberExpr>();
      return Member(Eval(*m.base, env), m.member, m.member_range);
    }
    case ast::ExprKind::kList: {
      std::vector<Value> elems;
      for (const ast::ExprPtr& x : e.As<ast::ListExpr>().elems) {
        Value v = Eval(*x, env);
        if (v.is_error()) return v;
        elems.push_back(std::move(v));
      }
      return Value::List(std::move(elems));
    }
    case ast::ExprKind::kListComp: {
      const auto& c = e.As<ast::ListCompExpr>();
      Value it = Eval(*c.iter, env);
      if (it.is_error()) return it;
      if (it.kind != VKind::kList) {
        Error(it.kind == VKind::kTensor ? Kind::kDynamicControlFlow : Kind::kTypeMismatch,
              c.iter->range,
              "a list comprehension iterates over a list or range(...), got " + Describe(it));
        return Value::Error();
      }
      std::vector<Value> out;
      auto elems = it.list;
      for (const Value& x : *elems) {
        if (!Step(e.range)) return Value::Error();
        auto scope = std::make_shared<Env>(env);
        scope->Bind(c.var, x, c.var_range);
        if (c.cond) {
          Value cv = Eval(*c.cond, scope);
          if (cv.is_error()) return cv;
          if (!Truth(cv, c.cond->range)) continue;
        }
        Value v = Eval(*c.elem, scope);
        if (v.is_error()) return v;
        out.push_back(std::move(v));
      }
      return Value::List(std::move(out));
    }
  }
  return Value::Error();
}

namespace {
bool Overflows(ast::BinaryOp op, int64_t a, int64_t b, int64_t* out) {
  switch (op) {
    case ast::BinaryOp::kAdd:
      return __builtin_add_overflow(a, b, out);
    case ast::BinaryOp::kSub:
      return __builtin_sub_overflow(a, b, out);
    case ast::BinaryOp::kMul:
      return __builtin_mul_overflow(a, b, out);
    default:
      return false;
  }
}

ir::OpKind TensorOpOf(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::kAdd:
      return ir::OpKind::kAdd;
    case ast::BinaryOp::kSub:
      return ir::OpKind::kSub;
    case ast::BinaryOp::kMul:
      return ir::OpKind::kMul;
    case ast::BinaryOp::kDiv:
      return ir::OpKind::kDiv;
    case ast::BinaryOp::kPow:
      return ir::OpKind::kPow;
    default:
      return ir::OpKind::kMatMul;
  }
}

bool FitsIn(int64_t v, ir::DType t) {
  switch (t) {
    case ir::DType::kInt8:
      return v >= -128 && v <= 127;
    case ir::DType::kInt16:
      return v >= -32768 && v <= 32767;
    case ir::DType::kInt32:
      return v >= INT32_MIN && v <= INT32_MAX;
    default:
      return true;
  }
}

// The dtype of an int result: untyped when both are literals, else the wider type (trit
// arithmetic widens to int8: "W * 2 is int8", never a silently ternary result).
Value IntResult(int64_t v, const Value& a, const Value& b) {
  if (a.untyped && b.untyped) return Value::Int(v, ir::DType::kInt64, true);
  ir::DType t = a.untyped ? b.dtype : b.untyped ? a.dtype : *ir::CommonType(a.dtype, b.dtype);
  if (t == ir::DType::kTrit) t = ir::DType::kInt8;
  return Value::Int(v, t);
}
}  // namespace

Value Elaborator::Binary(ast::BinaryOp op, Value a, Value b, SourceRange r, SourceRange opr) {
  using ast::BinaryOp;
  if (a.is_error() || b.is_error()) return Value::Error();
  const char* sp = ast::BinaryOpSpelling(op);
  if ((op == BinaryOp::kEq || op == BinaryOp::kNe) &&
      (a.kind == VKind::kNone || b.kind == VKind::kNone)) {
    // `bias != none` asks whether a value is present: a compile-time question, also for tensors.
    bool eq = a.kind == b.kind;
    return Value::Bool(op == BinaryOp::kEq ? eq : !eq);
  }
  if (a.kind == VKind::kTensor || b.kind == VKind::kTensor) {
    bool arith = op == BinaryOp::kAdd || op == BinaryOp::kSub || op == BinaryOp::kMul ||
                 op == BinaryOp::kDiv || op == BinaryOp::kPow || op == BinaryOp::kMatMul;
    if (op == BinaryOp::kMod) {
      Error(
          Kind::kTypeMismatch, r,
          "'%' is a compile-time operator on numbers, got " + Describe(a) + " and " + Describe(b));
      return Value::Error();
    }
    if (!arith) {
      Error(Kind::kDynamicControlFlow, r,
            std::string("'") + sp +
                "' on tensors is not supported: a comparison of tensor values "
                "cannot steer compile-time control flow");
      return Value::Error();
    }
    for (Value* v : {&a, &b}) {
      if (v->kind == VKind::kTensor) continue;
      const Value& other = v == &a ? b : a;
      if (!v->is_number() || op == BinaryOp::kMatMul || other.gen != generation_) {
        Error(Kind::kTypeMismatch, r,
              std::string("cannot apply '") + sp + "' to " + Describe(a) + " and " + Describe(b));
        return Value::Error();
      }
      *v = ScalarToTensor(*v, TypeOf(other).dtype);
    }
    return EmitOp(TensorOpOf(op), {a, b}, {}, r);
  }
  if (a.kind == VKind::kList && b.kind == VKind::kList && op == BinaryOp::kAdd) {
    if (a.list->size() + b.list->size() > static_cast<size_t>(kMaxListElements)) {
      Error(Kind::kElaborationLimit, r, "list longer than " + std::to_string(kMaxListElements));
      return Value::Error();
    }
    if (!Charge(static_cast<int64_t>(a.list->size() + b.list->size()), r)) return Value::Error();
    std::vector<Value> out(*a.list);
    out.insert(out.end(), b.list->begin(), b.list->end());
    return Value::List(std::move(out));
  }
  if (a.kind == VKind::kList && b.kind == VKind::kInt && op == BinaryOp::kMul) {
    const size_t n = a.list->size();  // (division: n * b.i may overflow)
    if (b.i < 0 || (n > 0 && static_cast<uint64_t>(b.i) > kMaxListElements / n)) {
      Error(Kind::kElaborationLimit, r, "list repetition too long or negative");
      return Value::Error();
    }
    std::vector<Value> out;
    if (n == 0) return Value::List(std::move(out));  // not b.i rounds of nothing
    if (!Charge(static_cast<int64_t>(n) * b.i, r)) return Value::Error();
    for (int64_t k = 0; k < b.i; ++k) out.insert(out.end(), a.list->begin(), a.list->end());
    return Value::List(std::move(out));
  }
  if (op == BinaryOp::kEq || op == BinaryOp::kNe) {
    bool eq;
    if (a.is_number() && b.is_number()) {
      eq = a.kind == VKind::kInt && b.kind == VKind::kInt ? a.i == b.i
                                                          : a.as_double() == b.as_double();
    } else if (a.kind != b.kind) {
      eq = false;
    } else if (a.kind == VKind::kBool) {
      eq = a.b == b.b;
    } else if (a.kind == VKind::kStr) {
      eq = *a.str == *b.str;
    } else if (a.kind == VKind::kNone) {
      eq = true;
    } else {
      Error(Kind::kTypeMismatch, r,
            std::string("cannot compare ") + Describe(a) + " and " + Describe(b) + " with '" + sp +
                "'");
      return Value::Error();
    }
    return Value::Bool(op == BinaryOp::kEq ? eq : !eq);
  }
  if (a.kind == VKind::kStr && b.kind == VKind::kStr) {
    if (op == BinaryOp::kAdd) {
      if (!Charge(static_cast<int64_t>(a.str->size() + b.str->size()), r)) return Value::Error();
      return Value::Str(*a.str + *b.str);
    }
    if (op == BinaryOp::kLt) return Value::Bool(*a.str < *b.str);
    if (op == BinaryOp::kGt) return Value::Bool(*a.str > *b.str);
    if (op == BinaryOp::kLe) return Value::Bool(*a.str <= *b.str);
    if (op == BinaryOp::kGe) return Value::Bool(*a.str >= *b.str);
  }
  if (!a.is_number() || !b.is_number()) {
    Error(Kind::kTypeMismatch, r,
          std::string("cannot apply '") + sp + "' to " + Describe(a) + " and " + Describe(b));
    return Value::Error();
  }
  bool ints = a.kind == VKind::kInt && b.kind == VKind::kInt;
  switch (op) {
    case BinaryOp::kLt:
      return Value::Bool(ints ? a.i < b.i : a.as_double() < b.as_double());
    case BinaryOp::kLe:
      return Value::Bool(ints ? a.i <= b.i : a.as_double() <= b.as_double());
    case BinaryOp::kGt:
      return Value::Bool(ints ? a.i > b.i : a.as_double() > b.as_double());
    case BinaryOp::kGe:
      return Value::Bool(ints ? a.i >= b.i : a.as_double() >= b.as_double());
    default:
      break;
  }
  if ((op == BinaryOp::kDiv || op == BinaryOp::kMod) && (ints ? b.i == 0 : b.as_double() == 0.0)) {
    Error(Kind::kDivisionByZero, r, std::string("division by zero in '") + sp + "'");
    return Value::Error();
  }
  if (op == BinaryOp::kMatMul) {
    Error(Kind::kTypeMismatch, r,
          "'@' multiplies tensors, got " + Describe(a) + " and " + Describe(b));
    return Value::Error();
  }
  if (ints && op != BinaryOp::kDiv) {
    int64_t v = 0;
    if (op == BinaryOp::kMod) {
      if (b.i == -1) return IntResult(0, a, b);  // INT64_MIN % -1 traps in C++
      v = a.i % b.i;
      if (v != 0 && ((v < 0) != (b.i < 0))) v += b.i;  // Python's sign rule: result has b's sign
      return IntResult(v, a, b);
    }
    if (op == BinaryOp::kPow) {
      if (b.i < 0)
        return Value::Float(std::pow(static_cast<double>(a.i), static_cast<double>(b.i)));
      int64_t acc = 1;
      for (int64_t k = 0; k < b.i; ++k) {
        if (__builtin_mul_overflow(acc, a.i, &acc)) {
          Error(Kind::kIntegerOverflow, r, "integer overflow in '**'");
          return Value::Error();
        }
        if (acc == 0 || acc == 1) break;
      }
      return IntResult(acc, a, b);
    }
    if (Overflows(op, a.i, b.i, &v)) {
      Error(Kind::kIntegerOverflow, r, std::string("integer overflow in '") + sp + "'");
      return Value::Error();
    }
    Value out = IntResult(v, a, b);
    if (!out.untyped && !FitsIn(out.i, out.dtype)) {
      Error(Kind::kIntegerOverflow, r,
            std::to_string(out.i) + " does not fit in " + ir::DTypeName(out.dtype) +
                " (the result of '" + sp + "' on " + ir::DTypeName(out.dtype) + " values)");
      return Value::Error();
    }
    return out;
  }
  double x = a.as_double(), y = b.as_double(), v = 0;
  switch (op) {
    case BinaryOp::kAdd:
      v = x + y;
      break;
    case BinaryOp::kSub:
      v = x - y;
      break;
    case BinaryOp::kMul:
      v = x * y;
      break;
    case BinaryOp::kDiv:
      v = x / y;
      break;
    case BinaryOp::kMod:
      v = std::fmod(x, y);
      if (v != 0 && ((v < 0) != (y < 0))) v += y;
      break;
    case BinaryOp::kPow:
      v = std::pow(x, y);
      break;
    default:
      break;
  }
  bool untyped =
      (a.kind == VKind::kFloat ? a.untyped : true) && (b.kind == VKind::kFloat ? b.untyped : true);
  ir::DType t = ir::DType::kFloat32;
  if (a.kind == VKind::kFloat && !a.untyped) t = a.dtype;
  if (b.kind == VKind::kFloat && !b.untyped) t = *ir::CommonType(t, b.dtype);
  return Value::Float(v, t, untyped);
}

Value Elaborator::Unary(ast::UnaryOp op, Value a, SourceRange r) {
  if (a.is_error()) return a;
  switch (op) {
    case ast::UnaryOp::kNot:
      if (a.kind == VKind::kTensor) {
        Error(Kind::kDynamicControlFlow, r,
              "'not' of a tensor cannot steer compile-time control flow");
        return Value::Error();
      }
      {
        bool t = Truth(a, r);
        return Value::Bool(!t);
      }
    case ast::UnaryOp::kPos:
      if (a.is_number() || a.kind == VKind::kTensor) return a;
      break;
    case ast::UnaryOp::kNeg:
      if (a.kind == VKind::kInt) {
        if (a.i == std::numeric_limits<int64_t>::min()) {
          Error(Kind::kIntegerOverflow, r, "integer overflow in unary '-'");
          return Value::Error();
        }
        Value v = a;
        v.i = -a.i;
        return v;
      }
      if (a.kind == VKind::kFloat) {
        Value v = a;
        v.f = -a.f;
        return v;
      }
      if (a.kind == VKind::kTensor) return EmitOp(ir::OpKind::kNeg, {a}, {}, r);
      break;
  }
  Error(Kind::kTypeMismatch, r,
        std::string("cannot apply unary '") + ast::UnaryOpSpelling(op) + "' to " + Describe(a));
  return Value::Error();
}

Value Elaborator::Index(const ast::IndexExpr& e, const EnvPtr& env) {
  Value base = Eval(*e.base, env);
  if (base.is_error()) return base;
  if (base.kind == VKind::kBuiltin && IsTypeConstructor(base.builtin)) {
    // `TernaryTensor[2, 2]`: a shaped constructor, called next with the literal's values.
    std::vector<Value> dims;
    for (size_t k = 0; k < e.indices.size(); ++k) {
      if (!e.indices[k]) {
        dims.push_back(Value::None());  // `?`
        continue;
      }
      Value d = Eval(*e.indices[k], env);
      if (d.is_error()) return d;
      dims.push_back(d);
    }
    Value v = base;
    v.list = std::make_shared<std::vector<Value>>(std::move(dims));
    return v;
  }
  std::vector<Value> idx;
  for (size_t k = 0; k < e.indices.size(); ++k) {
    if (!e.indices[k]) {
      Error(Kind::kTypeMismatch, e.index_ranges[k], "'?' is a dimension, not an index");
      return Value::Error();
    }
    Value i = Eval(*e.indices[k], env);
    if (i.is_error()) return i;
    idx.push_back(i);
  }
  if (base.kind != VKind::kList) {
    Error(Kind::kTypeMismatch, e.range,
          "only lists can be indexed at compile time, got " + Describe(base));
    return Value::Error();
  }
  if (idx.size() != 1 || idx[0].kind != VKind::kInt) {
    Error(Kind::kTypeMismatch, e.range, "a list index is one integer");
    return Value::Error();
  }
  int64_t n = static_cast<int64_t>(base.list->size());
  int64_t i = idx[0].i < 0 ? idx[0].i + n : idx[0].i;
  if (i < 0 || i >= n) {
    Error(Kind::kIndexOutOfRange, e.index_ranges[0],
          "index " + std::to_string(idx[0].i) + " is out of range for a list of " +
              std::to_string(n) + " elements");
    return Value::Error();
  }
  return (*base.list)[static_cast<size_t>(i)];
}

Value Elaborator::Member(const Value& base, const std::string& name, SourceRange r) {
  if (base.is_error()) return base;
  if (base.kind == VKind::kInstance) {
    const uint32_t hash = NameHash(name);
    Instance& inst = Real(base.instance);
    for (Env* env : {inst.body.get(), inst.params.get()}) {
      int at = env->Find(name, hash);
      if (at >= 0) return env->values[static_cast<size_t>(at)];
    }
    Error(Kind::kUnknownMember, r,
          "layer " + base.instance->decl->name + " has no member '" + name + "'");
    return Value::Error();
  }
  if (base.kind == VKind::kTensor && base.gen == generation_) {
    const ir::TensorType& t = TypeOf(base);
    if (name == "shape") {
      std::vector<Value> dims;
      for (size_t k = 0; k < t.rank(); ++k) {
        if (!t.dims[k].is_static()) {
          Error(Kind::kNotConstant, r,
                "dimension " + std::to_string(k) + " of " + t.ToLangString() +
                    " is not known at compile time");
          return Value::Error();
        }
        dims.push_back(Value::Int(t.dims[k].size));
      }
      return Value::List(std::move(dims));
    }
    if (name == "rank") return Value::Int(static_cast<int64_t>(t.rank()));
    if (name == "dtype") return Value::Str(ir::DTypeName(t.dtype));
  }
  Error(Kind::kUnknownMember, r, Describe(base) + " has no member '" + name + "'");
  return Value::Error();
}

}  // namespace triton::lang::check

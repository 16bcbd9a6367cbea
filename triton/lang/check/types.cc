// Declared types: resolution of type expressions and the checks at typed boundaries (`let x: T`,
// parameters, results): widening only, ternary rules, shapes with symbolic and `?` dimensions.
#include "triton/lang/check/elab.h"

namespace triton::lang::check {

std::string LType::ToString() const {
  switch (kind) {
    case kAny:
      return "any value";
    case kBool:
      return "bool";
    case kInt:
    case kFloat:
      return ir::DTypeName(dtype);
    case kStr:
      return "str";
    case kList:
      return "[" + (elem ? elem->ToString() : std::string("?")) + "]";
    case kLayer:
      return "Layer";
    case kTensor: {
      std::string s =
          ternary ? "TernaryTensor<trit" : std::string("Tensor<") + ir::DTypeName(dtype);
      if (has_dims) {
        s += ", [";
        for (size_t i = 0; i < dims.size(); ++i) {
          if (i) s += ", ";
          const DimSpec& d = dims[i];
          s += d.kind == DimSpec::kStatic   ? std::to_string(d.size)
               : d.kind == DimSpec::kSymbol ? d.symbol
                                            : "?";
        }
        s += "]";
      }
      return s + ">";
    }
  }
  return "?";
}

namespace {
// The type a scalar type name denotes (bool, str, Layer, Any, a dtype), or none: it does not
// depend on the scope.
std::optional<LType> ScalarType(const std::string& n) {
  LType out;
  if (n == "bool") {
    out.kind = LType::kBool;
  } else if (n == "str") {
    out.kind = LType::kStr;
  } else if (n == "Layer") {
    out.kind = LType::kLayer;
  } else if (n == "Any") {
    out.kind = LType::kAny;
  } else if (auto dt = ir::ParseDType(n)) {
    out.dtype = *dt;
    out.kind = ir::IsFloat(*dt)          ? LType::kFloat
               : *dt == ir::DType::kBool ? LType::kBool
                                         : LType::kInt;
  } else {
    return std::nullopt;
  }
  return out;
}
}  // namespace

std::optional<LType> Elaborator::ResolveType(const ast::TypeExpr& t, const EnvPtr& env) {
  LType out;
  if (t.is_list) {
    out.kind = LType::kList;
    if (t.elem) {
      auto e = ResolveType(*t.elem, env);
      if (!e) return std::nullopt;
      out.elem = std::make_shared<LType>(*e);
    }
    return out;
  }
  const std::string& n = t.name;
  bool tensor = n == "Tensor" || n == "tensor" || n == "TernaryTensor";
  if (!tensor) {
    // A scalar type names the same thing wherever it is written: resolved once per node.
    if (auto it = scalar_types_.find(&t); it != scalar_types_.end()) return it->second;
    if (!t.type_args.empty() || t.has_dims) {
      Error(Kind::kUnknownType, t.range, "type '" + n + "' takes no arguments or dimensions");
      return std::nullopt;
    }
    if (std::optional<LType> scalar = ScalarType(n)) {
      scalar_types_.emplace(&t, *scalar);
      return scalar;
    }
    // A layer's name used as a type (`block: BasicBlock`).
    const uint32_t hash = NameHash(n);
    for (const Env* e = env.get(); e; e = e->parent.get()) {
      int at = e->Find(n, hash);
      if (at >= 0 && e->values[static_cast<size_t>(at)].kind == VKind::kLayer) {
        out.kind = LType::kLayer;
        return out;
      }
    }
    Error(Kind::kUnknownType, t.name_range, "unknown type '" + n + "'");
    return std::nullopt;
  }
  out.kind = LType::kTensor;
  out.ternary = n == "TernaryTensor";
  out.dtype = out.ternary ? ir::DType::kTrit : ir::DType::kFloat32;
  if (t.type_args.size() > 1) {
    Error(Kind::kUnknownType, t.range,
          n + " takes one element type and a shape, as " + n + "<float32, [N, 64]>");
    return std::nullopt;
  }
  if (!t.type_args.empty()) {
    const ast::TypeExpr& a = *t.type_args[0];
    auto dt = a.is_list ? std::nullopt : ir::ParseDType(a.name);
    if (!dt) {
      Error(Kind::kUnknownType, a.range, "unknown element type '" + a.name + "' of " + n);
      return std::nullopt;
    }
    if (out.ternary && *dt != ir::DType::kTrit) {
      Error(Kind::kTypeMismatch, a.range,
            std::string("TernaryTensor elements are trit, not ") + ir::DTypeName(*dt));
      return std::nullopt;
    }
    out.dtype = *dt;
    if (*dt == ir::DType::kTrit) out.ternary = true;
  }
  out.has_dims = t.has_dims;
  for (const ast::DimExpr& d : t.dims) {
    DimSpec ds;
    if (!d.expr) {
      out.dims.push_back(ds);  // `?`
      continue;
    }
    if (d.expr->kind == ast::ExprKind::kName) {
      // A bare name is a hyper-parameter if one is in scope, else a symbolic dimension.
      const std::string& sym = d.expr->As<ast::NameExpr>().name;
      bool bound = false;
      const uint32_t hash = NameHash(sym);
      for (const Env* e = env.get(); e && !bound; e = e->parent.get()) {
        bound = e->Find(sym, hash) >= 0;
      }
      if (!bound) {
        ds.kind = DimSpec::kSymbol;
        ds.symbol = sym;
        out.dims.push_back(ds);
        continue;
      }
    }
    Value v = Eval(*d.expr, env);
    if (v.is_error()) return std::nullopt;
    double f = v.as_double();
    if (v.kind == VKind::kInt ||
        (v.kind == VKind::kFloat && f == static_cast<double>(static_cast<int64_t>(f)))) {
      int64_t size = v.kind == VKind::kInt ? v.i : static_cast<int64_t>(f);
      if (size < 0) {
        Error(Kind::kBadDimension, d.range,
              "dimension must not be negative, got " + std::to_string(size));
        return std::nullopt;
      }
      ds.kind = DimSpec::kStatic;
      ds.size = size;
      out.dims.push_back(ds);
      continue;
    }
    Error(Kind::kBadDimension, d.range,
          "dimension must be an integer, got " +
              (v.kind == VKind::kFloat ? std::to_string(f) : Describe(v)));
    return std::nullopt;
  }
  return out;
}

ir::TensorType Elaborator::TensorTypeOf(const LType& t, const SymBindings& syms) {
  ir::TensorType tt;
  tt.dtype = t.ternary ? ir::DType::kTrit : t.dtype;
  for (const DimSpec& d : t.dims) {
    switch (d.kind) {
      case DimSpec::kStatic:
        tt.dims.push_back(ir::Dim::Static(d.size));
        break;
      case DimSpec::kUnknown:
        tt.dims.push_back(ir::Dim::Unknown());
        break;
      case DimSpec::kSymbol: {
        ir::Dim dim = ir::Dim::Symbol(d.symbol);
        for (const auto& [name, bound] : syms) {
          if (name == d.symbol) dim = bound;
        }
        tt.dims.push_back(dim);
        break;
      }
    }
  }
  return tt;
}

namespace {
bool FitsInt(int64_t v, ir::DType t) {
  switch (t) {
    case ir::DType::kTrit:
      return v >= -1 && v <= 1;
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
}  // namespace

Value Elaborator::Coerce(const Value& v, const LType& t, SymBindings& syms, SourceRange r,
                         Text what) {
  if (v.is_error()) return v;
  auto mismatch = [&]() {
    Error(Kind::kTypeMismatch, r, what() + " must be " + t.ToString() + ", got " + Describe(v));
    return Value::Error();
  };
  switch (t.kind) {
    case LType::kAny:
      return v;
    case LType::kBool:
      return v.kind == VKind::kBool ? v : mismatch();
    case LType::kStr:
      return v.kind == VKind::kStr ? v : mismatch();
    case LType::kLayer:
      return v.kind == VKind::kLayer || v.kind == VKind::kInstance ? v : mismatch();
    case LType::kList: {
      if (v.kind != VKind::kList) return mismatch();
      if (!t.elem) return v;
      std::vector<Value> out;
      for (const Value& e : *v.list) {
        Value c = Coerce(e, *t.elem, syms, r, [&] { return "an element of " + what(); });
        if (c.is_error()) return c;
        out.push_back(c);
      }
      return Value::List(std::move(out));
    }
    case LType::kInt: {
      if (v.kind == VKind::kInt) {
        if (t.dtype == ir::DType::kTrit && !FitsInt(v.i, t.dtype)) {
          Error(Kind::kBadTritValue, r,
                "trit value must be -1, 0, or 1, got " + std::to_string(v.i));
          return Value::Error();
        }
        if (v.untyped) {
          if (!FitsInt(v.i, t.dtype)) {
            Error(Kind::kNarrowing, r,
                  "integer constant " + std::to_string(v.i) + " does not fit in " +
                      ir::DTypeName(t.dtype) + " (" + what() + ")");
            return Value::Error();
          }
          return Value::Int(v.i, t.dtype);
        }
        if (!ir::CanWiden(v.dtype, t.dtype)) {
          Error(Kind::kNarrowing, r,
                std::string("cannot implicitly narrow ") + ir::DTypeName(v.dtype) + " to " +
                    ir::DTypeName(t.dtype) + " (" + what() + "); convert explicitly with " +
                    ir::DTypeName(t.dtype) + "(...)");
          return Value::Error();
        }
        return Value::Int(v.i, t.dtype);
      }
      if (v.kind == VKind::kFloat) {
        Error(Kind::kNarrowing, r,
              std::string("cannot implicitly convert ") + Describe(v) + " to " +
                  ir::DTypeName(t.dtype) + " (" + what() + "); convert explicitly with " +
                  ir::DTypeName(t.dtype) + "(...)");
        return Value::Error();
      }
      return mismatch();
    }
    case LType::kFloat: {
      if (v.kind == VKind::kInt) {
        // Integers widen to float32 and float64 only (float16/bfloat16 would lose them).
        if (!v.untyped && !ir::CanWiden(v.dtype, t.dtype)) {
          Error(Kind::kNarrowing, r,
                std::string("cannot implicitly convert ") + ir::DTypeName(v.dtype) + " to " +
                    ir::DTypeName(t.dtype) + " (" + what() + "); convert explicitly with " +
                    ir::DTypeName(t.dtype) + "(...)");
          return Value::Error();
        }
        return Value::Float(static_cast<double>(v.i), t.dtype);
      }
      if (v.kind != VKind::kFloat) return mismatch();
      if (!v.untyped && !ir::CanWiden(v.dtype, t.dtype)) {
        Error(Kind::kNarrowing, r,
              std::string("cannot implicitly narrow ") + ir::DTypeName(v.dtype) + " to " +
                  ir::DTypeName(t.dtype) + " (" + what() + ")");
        return Value::Error();
      }
      return Value::Float(v.f, t.dtype);
    }
    case LType::kTensor:
      break;
  }
  if (v.kind != VKind::kTensor) return mismatch();
  if (v.gen != generation_) {
    Error(Kind::kTypeMismatch, r,
          what() + " is a tensor of another entry (a top-level tensor used by a model)");
    return Value::Error();
  }
  const ir::TensorType& actual = TypeOf(v);
  if (t.has_dims) {
    const size_t syms_before = syms.size();  // the message names the type as declared
    if (actual.rank() != t.dims.size()) {
      Error(Kind::kRankMismatch, r,
            what() + " must have rank " + std::to_string(t.dims.size()) + " (" + t.ToString() +
                "), got rank " + std::to_string(actual.rank()) + " (" + actual.ToLangString() +
                ")");
      return Value::Error();
    }
    for (size_t k = 0; k < actual.rank(); ++k) {
      const DimSpec& d = t.dims[k];
      const ir::Dim& a = actual.dims[k];
      if (d.kind == DimSpec::kUnknown) continue;
      ir::Dim expected = ir::Dim::Static(d.size);
      if (d.kind == DimSpec::kSymbol) {
        bool found = false;
        for (const auto& [name, bound] : syms) {
          if (name == d.symbol) {
            expected = bound;
            found = true;
          }
        }
        if (!found) {
          syms.emplace_back(d.symbol, a);
          continue;
        }
      }
      if (expected.is_static() && a.is_static() && expected.size != a.size) {
        std::string sym = d.kind == DimSpec::kSymbol ? d.symbol + " = " : "";
        Error(Kind::kShapeMismatch, r,
              what() + " must be " +
                  TensorTypeOf(t, SymBindings(syms.begin(), syms.begin() + syms_before))
                      .ToLangString() +
                  ", got " + actual.ToLangString() + ": dimension " + std::to_string(k) + " is " +
                  std::to_string(a.size) + ", expected " + sym + std::to_string(expected.size));
        return Value::Error();
      }
    }
  }
  if (t.ternary) {
    if (actual.dtype == ir::DType::kTrit) return v;
    if (ir::IsFloat(actual.dtype)) {
      Error(Kind::kFloatIntoTernary, r,
            what() + ": a float tensor (" + actual.ToLangString() + ") cannot flow into " +
                t.ToString() + " without ternary_quantize(...)");
    } else {
      Error(Kind::kTypeMismatch, r,
            what() + " must be " + t.ToString() + ", got " + actual.ToLangString() +
                "; only ternary_quantize(...) produces trits");
    }
    return Value::Error();
  }
  if (actual.dtype == t.dtype) return v;
  if (!ir::CanWiden(actual.dtype, t.dtype)) {
    Error(Kind::kNarrowing, r,
          what() + ": cannot implicitly narrow " + actual.ToLangString() + " to " + t.ToString() +
              "; quantize or cast explicitly");
    return Value::Error();
  }
  ir::Attrs a;
  a.Set("dtype", std::string(ir::DTypeName(t.dtype)));
  return EmitOp(ir::OpKind::kCast, {v}, a, r);
}

}  // namespace triton::lang::check

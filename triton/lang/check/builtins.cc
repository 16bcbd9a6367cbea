// The built-in functions: one table (kBuiltins) of name, signature and handler. Tensor ops
// become IR ops (their shape rules live in ir/shape.cc); initializers make InitSpecs; the rest
// are compile-time helpers (range, len, casts) and the literal constructors Tensor[...](...).
#include <cmath>
#include <string_view>

#include "triton/base/check.h"
#include "triton/lang/check/elab.h"

namespace triton::lang::check {

namespace {

struct BuiltinDef;
// slots: the arguments bound to the signature's parameters, in order (absent optional = none).
using Handler = Value (*)(Elaborator& e, const BuiltinDef& d, std::vector<Value>& slots,
                          CallArgs& args, const Value& callee);

struct SigParam {
  std::string name;
  bool has_default = false;
  Value dflt;
};

struct BuiltinDef {
  const char* name;
  const char* sig;  // "x, weight, bias=none, stride=1"; "*" takes any arguments unbound
  Handler fn;
  ir::OpKind op = ir::OpKind::kRelu;
  std::vector<SigParam> params = {};  // parsed from sig once
};

// ---- argument conversion helpers: each reports a BadArgument naming the builtin and parameter
struct Ctx {
  Elaborator& e;
  const BuiltinDef& d;
  std::vector<Value>& s;
  CallArgs& args;
  SourceRange RangeOf(size_t i) const {
    if (i < args.pos.size()) return args.pos_ranges[i];
    for (size_t k = 0; k < args.kw.size(); ++k) {
      if (args.kw[k].first == d.params[i].name) return args.kw_ranges[k];
    }
    return args.range;
  }
  Value Bad(size_t i, const std::string& want) {
    e.Error(Kind::kBadArgument, RangeOf(i),
            "argument '" + d.params[i].name + "' of " + d.name + " must be " + want + ", got " +
                e.Describe(s[i]));
    return Value::Error();
  }
  bool IsNone(size_t i) const { return s[i].kind == VKind::kNone; }
  bool Tensor(size_t i) {
    if (s[i].kind == VKind::kTensor || s[i].kind == VKind::kInit) return true;
    Bad(i, "a tensor");
    return false;
  }
  std::optional<int64_t> Int(size_t i) {
    if (s[i].kind == VKind::kInt) return s[i].i;
    Bad(i, "an integer");
    return std::nullopt;
  }
  std::optional<double> Float(size_t i) {
    if (s[i].is_number()) return s[i].as_double();
    Bad(i, "a number");
    return std::nullopt;
  }
  std::optional<bool> Bool(size_t i) {
    if (s[i].kind == VKind::kBool) return s[i].b;
    Bad(i, "a bool");
    return std::nullopt;
  }
  std::optional<std::string> Str(size_t i) {
    if (s[i].kind == VKind::kStr) return *s[i].str;
    Bad(i, "a string");
    return std::nullopt;
  }
  // An int, or a list of ints (of length `n` when n > 0; an int is repeated n times).
  std::optional<std::vector<int64_t>> Ints(size_t i, size_t n) {
    std::vector<int64_t> out;
    if (s[i].kind == VKind::kInt) {
      out.assign(n ? n : 1, s[i].i);
      return out;
    }
    if (s[i].kind == VKind::kList) {
      for (const Value& v : *s[i].list) {
        if (v.kind != VKind::kInt) break;
        out.push_back(v.i);
      }
      if (out.size() == s[i].list->size() && (n == 0 || out.size() == n)) return out;
    }
    Bad(i, n ? "an integer or a list of " + std::to_string(n) + " integers" : "a list of integers");
    return std::nullopt;
  }
  Value Emit(ir::OpKind op, std::vector<Value> operands, ir::Attrs attrs) {
    return e.EmitOp(op, operands, std::move(attrs), args.range);
  }
};

Value Fail() { return Value::Error(); }

// ---- tensor ops
Value Conv2d(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a, const Value&) {
  Ctx c{e, d, s, a};
  if (!c.Tensor(0) || !c.Tensor(1)) return Fail();
  auto stride = c.Ints(3, 2), padding = c.Ints(4, 2), dilation = c.Ints(5, 2);
  auto groups = c.Int(6);
  if (!stride || !padding || !dilation || !groups) return Fail();
  ir::Attrs at;
  at.Set("stride", *stride);
  at.Set("padding", *padding);
  at.Set("dilation", *dilation);
  at.Set("groups", *groups);
  std::vector<Value> ops{s[0], s[1]};
  if (!c.IsNone(2)) {
    if (!c.Tensor(2)) return Fail();
    ops.push_back(s[2]);
  }
  return c.Emit(ir::OpKind::kConv2d, ops, at);
}

// Ops whose tensor operands are the leading parameters and whose optional tensors may be none.
Value TensorsOnly(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a,
                  const Value&) {
  Ctx c{e, d, s, a};
  std::vector<Value> ops;
  for (size_t i = 0; i < s.size(); ++i) {
    if (d.params[i].has_default && c.IsNone(i)) continue;
    if (!c.Tensor(i)) return Fail();
    ops.push_back(s[i]);
  }
  return c.Emit(d.op, ops, {});
}

Value Arith(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a, const Value&) {
  ast::BinaryOp op = d.op == ir::OpKind::kAdd   ? ast::BinaryOp::kAdd
                     : d.op == ir::OpKind::kSub ? ast::BinaryOp::kSub
                     : d.op == ir::OpKind::kMul ? ast::BinaryOp::kMul
                     : d.op == ir::OpKind::kDiv ? ast::BinaryOp::kDiv
                                                : ast::BinaryOp::kMatMul;
  if (std::string_view(d.name) == "ternary_matmul" && s[1].kind == VKind::kTensor &&
      s[1].gen == e.generation_ && e.TypeOf(s[1]).dtype != ir::DType::kTrit) {
    e.Error(Kind::kTypeMismatch, a.range,
            "ternary_matmul needs ternary weights, got " + e.Describe(s[1]));
    return Fail();
  }
  return e.Binary(op, s[0], s[1], a.range, a.callee_range);
}

Value BatchNorm(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a,
                const Value&) {
  Ctx c{e, d, s, a};
  for (size_t i = 0; i < 5; ++i) {
    if (!c.Tensor(i)) return Fail();
  }
  auto eps = c.Float(5);
  if (!eps) return Fail();
  ir::Attrs at;
  at.Set("eps", *eps);
  return c.Emit(ir::OpKind::kBatchNorm, {s[0], s[1], s[2], s[3], s[4]}, at);
}

Value LayerNorm(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a,
                const Value&) {
  Ctx c{e, d, s, a};
  if (!c.Tensor(0)) return Fail();
  std::vector<Value> ops{s[0]};
  for (size_t i : {1, 2}) {
    if (c.IsNone(i)) continue;
    if (!c.Tensor(i)) return Fail();
    ops.push_back(s[i]);
  }
  auto eps = c.Float(3);
  if (!eps) return Fail();
  ir::Attrs at;
  at.Set("eps", *eps);
  return c.Emit(ir::OpKind::kLayerNorm, ops, at);
}

Value UnaryOp(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a,
              const Value&) {
  Ctx c{e, d, s, a};
  if (d.op == ir::OpKind::kAbs && s[0].is_number()) {
    Value v = s[0];
    if (v.kind == VKind::kInt)
      v.i = v.i < 0 ? -v.i : v.i;
    else
      v.f = std::fabs(v.f);
    return v;
  }
  if (!c.Tensor(0)) return Fail();
  return c.Emit(d.op, {s[0]}, {});
}

Value SoftmaxOp(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a,
                const Value&) {
  Ctx c{e, d, s, a};
  auto axis = c.Int(1);
  if (!c.Tensor(0) || !axis) return Fail();
  ir::Attrs at;
  at.Set("axis", *axis);
  return c.Emit(d.op, {s[0]}, at);
}

Value Pool(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a, const Value&) {
  Ctx c{e, d, s, a};
  if (!c.Tensor(0)) return Fail();
  auto kernel = c.Ints(1, 2);
  if (!kernel) return Fail();
  auto stride = c.IsNone(2) ? kernel : c.Ints(2, 2);
  auto padding = c.Ints(3, 2);
  auto ceil = c.Bool(4);
  if (!stride || !padding || !ceil) return Fail();
  ir::Attrs at;
  at.Set("kernel", *kernel);
  at.Set("stride", *stride);
  at.Set("padding", *padding);
  at.Set("ceil_mode", *ceil);
  return c.Emit(d.op, {s[0]}, at);
}

Value AdaptivePool(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a,
                   const Value&) {
  Ctx c{e, d, s, a};
  auto size = c.Ints(1, 2);
  if (!c.Tensor(0) || !size) return Fail();
  ir::Attrs at;
  at.Set("output_size", *size);
  return c.Emit(ir::OpKind::kAdaptiveAvgPool2d, {s[0]}, at);
}

Value Flatten(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a,
              const Value&) {
  Ctx c{e, d, s, a};
  auto start = c.Int(1), end = c.Int(2);
  if (!c.Tensor(0) || !start || !end) return Fail();
  ir::Attrs at;
  at.Set("start_dim", *start);
  at.Set("end_dim", *end);
  return c.Emit(ir::OpKind::kFlatten, {s[0]}, at);
}

// reshape(x, shape) / permute(x, dims): one list-of-ints attribute.
Value IntsAttrOp(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a,
                 const Value&) {
  Ctx c{e, d, s, a};
  auto v = c.Ints(1, 0);
  if (!c.Tensor(0) || !v) return Fail();
  ir::Attrs at;
  at.Set(d.params[1].name, *v);
  return c.Emit(d.op, {s[0]}, at);
}

Value Transpose(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a,
                const Value&) {
  Ctx c{e, d, s, a};
  auto d0 = c.Int(1), d1 = c.Int(2);
  if (!c.Tensor(0) || !d0 || !d1) return Fail();
  ir::Attrs at;
  at.Set("dim0", *d0);
  at.Set("dim1", *d1);
  return c.Emit(ir::OpKind::kTranspose, {s[0]}, at);
}

Value Concat(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a, const Value&) {
  Ctx c{e, d, s, a};
  auto axis = c.Int(1);
  if (!axis) return Fail();
  if (s[0].kind != VKind::kList || s[0].list->empty())
    return c.Bad(0, "a non-empty list of tensors");
  for (const Value& v : *s[0].list) {
    if (v.kind != VKind::kTensor) return c.Bad(0, "a list of tensors");
  }
  ir::Attrs at;
  at.Set("axis", *axis);
  return c.Emit(ir::OpKind::kConcat, *s[0].list, at);
}

// mean/sum/max/min: reductions on tensors; max/min of numbers or of a list of numbers.
Value Reduce(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a, const Value&) {
  Ctx c{e, d, s, a};
  bool is_max = d.op == ir::OpKind::kReduceMax, is_min = d.op == ir::OpKind::kReduceMin;
  if ((is_max || is_min || d.op == ir::OpKind::kSum) &&
      (s[0].kind == VKind::kList || s[0].is_number())) {
    // Compile-time numbers: max([a, b, c]) or max(a, b, c) (every positional argument).
    std::vector<Value> xs;
    if (s[0].kind == VKind::kList && c.IsNone(1))
      xs = *s[0].list;
    else if (s[0].is_number() && s[1].is_number() && a.kw.empty())
      xs = a.pos;
    else
      return c.Bad(0, "a tensor, two or more numbers or a list of numbers");
    if (xs.empty() && d.op != ir::OpKind::kSum) return c.Bad(0, "a non-empty list of numbers");
    Value best = d.op == ir::OpKind::kSum ? Value::Int(0, ir::DType::kInt64, true) : xs[0];
    for (const Value& x : xs) {
      if (!x.is_number()) return c.Bad(0, "numbers");
      if (d.op == ir::OpKind::kSum) {
        best = e.Binary(ast::BinaryOp::kAdd, best, x, a.range, a.range);
        if (best.is_error()) return best;
      } else if ((is_max && x.as_double() > best.as_double()) ||
                 (is_min && x.as_double() < best.as_double())) {
        best = x;
      }
    }
    return best;
  }
  if (!c.Tensor(0)) return Fail();
  std::vector<int64_t> axes;
  if (!c.IsNone(1)) {
    auto v = c.Ints(1, 0);
    if (!v) return Fail();
    axes = *v;
  }
  auto keep = c.Bool(2);
  if (!keep) return Fail();
  ir::Attrs at;
  at.Set("axes", axes);
  at.Set("keepdim", *keep);
  return c.Emit(d.op, {s[0]}, at);
}

Value Clip(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a, const Value&) {
  Ctx c{e, d, s, a};
  auto lo = c.Float(1), hi = c.Float(2);
  if (!c.Tensor(0) || !lo || !hi) return Fail();
  ir::Attrs at;
  at.Set("min", *lo);
  at.Set("max", *hi);
  return c.Emit(ir::OpKind::kClip, {s[0]}, at);
}

Value Pad(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a, const Value&) {
  Ctx c{e, d, s, a};
  auto pads = c.Ints(1, 0);
  auto value = c.Float(2);
  if (!c.Tensor(0) || !pads || !value) return Fail();
  ir::Attrs at;
  at.Set("pads", *pads);
  at.Set("value", *value);
  return c.Emit(ir::OpKind::kPad, {s[0]}, at);
}

Value Dropout(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a,
              const Value&) {
  Ctx c{e, d, s, a};
  auto p = c.Float(1);
  if (!c.Tensor(0) || !p) return Fail();
  if (*p < 0 || *p > 1) return c.Bad(1, "a probability in [0, 1]");
  ir::Attrs at;
  at.Set("p", *p);
  return c.Emit(ir::OpKind::kDropout, {s[0]}, at);
}

bool ValidMethod(const std::string& m) {
  return m == "twn" || m == "threshold" || m == "stochastic" || m == "learned" || m == "absmean";
}

Value TernaryQuantize(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a,
                      const Value&) {
  Ctx c{e, d, s, a};
  auto threshold = c.Float(1);
  auto method = c.Str(2);
  auto per_channel = c.Bool(3);
  if (!c.Tensor(0) || !threshold || !method || !per_channel) return Fail();
  if (!ValidMethod(*method))
    return c.Bad(2, "one of \"twn\", \"threshold\", \"stochastic\", \"learned\", \"absmean\"");
  if (*threshold < 0) return c.Bad(1, "a non-negative threshold");
  ir::Attrs at;
  at.Set("method", *method);
  at.Set("threshold", *threshold);
  at.Set("per_channel", *per_channel);
  return c.Emit(ir::OpKind::kTernaryQuantize, {s[0]}, at);
}

// ---- initializers: an InitSpec that `let` turns into a parameter
Value Init(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a, const Value&) {
  Ctx c{e, d, s, a};
  auto spec = std::make_shared<InitSpec>();
  spec->init = d.name;
  spec->range = a.range;
  if (!c.IsNone(0)) {
    auto shape = c.Ints(0, 0);
    if (!shape) return Fail();
    spec->has_shape = true;
    for (int64_t n : *shape) {
      if (n < 0) return c.Bad(0, "a shape of non-negative sizes");
      spec->shape.push_back(ir::Dim::Static(n));
    }
  }
  for (size_t i = 1; i < s.size(); ++i) {
    const std::string& n = d.params[i].name;
    const Value& v = s[i];
    if (v.kind == VKind::kStr)
      spec->args.Set(n, *v.str);
    else if (v.kind == VKind::kBool)
      spec->args.Set(n, v.b);
    else if (v.kind == VKind::kInt)
      spec->args.Set(n, static_cast<double>(v.i));
    else if (v.kind == VKind::kFloat)
      spec->args.Set(n, v.f);
    else
      return c.Bad(i, "a number, bool or string");
  }
  if (spec->init == "ternary_weights" || spec->init == "random_ternary") {
    spec->ternary = true;
    spec->dtype = ir::DType::kTrit;
    if (spec->init == "ternary_weights") {
      std::string m = spec->args.GetString("method", "twn");
      if (!ValidMethod(m))
        return c.Bad(1, "one of \"twn\", \"threshold\", \"stochastic\", \"learned\", \"absmean\"");
      spec->quant.method = m;
      spec->quant.threshold = spec->args.GetFloat("threshold", 0.7);
      spec->quant.per_channel = spec->args.GetBool("per_channel", true);
      if (spec->quant.threshold <= 0) return c.Bad(2, "a positive threshold");
      spec->init = spec->args.GetString("init", "kaiming_normal");
      ir::Attrs rest;
      for (const auto& [k, v] : spec->args.items()) {
        if (k != "method" && k != "threshold" && k != "per_channel" && k != "init") rest.Set(k, v);
      }
      spec->args = rest;
    }
  }
  Value v{VKind::kInit};
  v.init = spec;
  return v;
}

Value Buffer(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a, const Value&) {
  Ctx c{e, d, s, a};
  if (s[0].kind != VKind::kInit) return c.Bad(0, "an initializer such as zeros([n])");
  Value v = s[0];
  v.init = std::make_shared<InitSpec>(*s[0].init);
  v.init->trainable = false;
  return v;
}

// ---- compile-time helpers
Value Range(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a, const Value&) {
  Ctx c{e, d, s, a};
  auto x = c.Int(0);
  if (!x) return Fail();
  int64_t lo = 0, hi = *x, step = 1;
  if (!c.IsNone(1)) {
    auto y = c.Int(1);
    if (!y) return Fail();
    lo = *x;
    hi = *y;
  }
  auto st = c.Int(2);
  if (!st) return Fail();
  step = *st;
  if (step == 0) return c.Bad(2, "a non-zero step");
  double count =
      std::ceil((static_cast<double>(hi) - static_cast<double>(lo)) / static_cast<double>(step));
  if (count > static_cast<double>(kMaxListElements)) {
    e.Error(Kind::kElaborationLimit, a.range,
            "range of " +
                (count < 9e18 ? std::to_string(static_cast<int64_t>(count))  // (no UB cast)
                              : std::string("more than 9e18")) +
                " elements is longer than " + std::to_string(kMaxListElements));
    return Fail();
  }
  if (count > 0 && !e.Charge(static_cast<int64_t>(count), a.range)) return Fail();
  std::vector<Value> out;
  for (int64_t i = lo; step > 0 ? i < hi : i > hi; i += step) {
    out.push_back(Value::Int(i, ir::DType::kInt64, true));
    if ((step > 0 && i > INT64_MAX - step) || (step < 0 && i < INT64_MIN - step)) break;
  }
  return Value::List(std::move(out));
}

Value Len(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a, const Value&) {
  if (s[0].kind == VKind::kList) return Value::Int(static_cast<int64_t>(s[0].list->size()));
  if (s[0].kind == VKind::kStr) return Value::Int(static_cast<int64_t>(s[0].str->size()));
  return Ctx{e, d, s, a}.Bad(0, "a list or string");
}

Value Round(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a, const Value&) {
  Ctx c{e, d, s, a};
  auto x = c.Float(0);
  if (!x) return Fail();
  double r = std::nearbyint(*x);  // round half to even, as Python's round()
  if (!(std::fabs(r) < 9.2e18)) return c.Bad(0, "a finite number in the int64 range");
  return Value::Int(static_cast<int64_t>(r));
}

Value StrFn(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a, const Value&) {
  const Value& v = s[0];
  if (v.kind == VKind::kStr) return v;
  if (v.kind == VKind::kInt) return Value::Str(std::to_string(v.i));
  if (v.kind == VKind::kBool) return Value::Str(v.b ? "true" : "false");
  if (v.kind == VKind::kFloat) return Value::Str(ir::AttrToString(ir::AttrValue(v.f)));
  return Ctx{e, d, s, a}.Bad(0, "a number, bool or string");
}

// trit(x), int8(x), ..., float(x), bool(x): explicit conversions (narrowing allowed, checked).
Value Cast(Elaborator& e, const BuiltinDef& d, std::vector<Value>& s, CallArgs& a, const Value&) {
  Ctx c{e, d, s, a};
  std::optional<ir::DType> t = ir::ParseDType(d.name);
  const Value& v = s[0];
  if (v.kind == VKind::kTensor) {
    if (*t == ir::DType::kTrit && e.generation_ == v.gen && ir::IsFloat(e.TypeOf(v).dtype)) {
      e.Error(Kind::kFloatIntoTernary, a.range,
              "a float tensor becomes ternary only through ternary_quantize(...), not trit(...)");
      return Fail();
    }
    ir::Attrs at;
    at.Set("dtype", std::string(ir::DTypeName(*t)));
    return c.Emit(ir::OpKind::kCast, {v}, at);
  }
  if (*t == ir::DType::kBool) return Value::Bool(e.Truth(v, c.RangeOf(0)));
  if (!v.is_number() && v.kind != VKind::kBool) return c.Bad(0, "a number or a tensor");
  double x = v.kind == VKind::kBool ? (v.b ? 1 : 0) : v.as_double();
  if (ir::IsFloat(*t)) return Value::Float(x, *t);
  if (!std::isfinite(x) || std::fabs(x) > 9.2e18) return c.Bad(0, "a finite number in range");
  int64_t i = v.kind == VKind::kInt ? v.i : static_cast<int64_t>(x);  // truncation toward zero
  int64_t lo = INT64_MIN, hi = INT64_MAX;
  switch (*t) {
    case ir::DType::kTrit:
      lo = -1;
      hi = 1;
      break;
    case ir::DType::kInt8:
      lo = -128;
      hi = 127;
      break;
    case ir::DType::kInt16:
      lo = -32768;
      hi = 32767;
      break;
    case ir::DType::kInt32:
      lo = INT32_MIN;
      hi = INT32_MAX;
      break;
    default:
      break;
  }
  if (i < lo || i > hi) {
    if (*t == ir::DType::kTrit) {
      e.Error(Kind::kBadTritValue, c.RangeOf(0),
              "trit value must be -1, 0, or 1, got " + std::to_string(i));
    } else {
      e.Error(Kind::kBadArgument, c.RangeOf(0),
              std::to_string(i) + " does not fit in " + ir::DTypeName(*t));
    }
    return Fail();
  }
  return Value::Int(i, *t);
}

// Tensor[2, 3](values...) / TernaryTensor[2, 2](1, 0, -1, 1): a constant tensor literal.
Value Literal(Elaborator& e, const BuiltinDef& d, std::vector<Value>&, CallArgs& a,
              const Value& callee) {
  bool ternary = std::string_view(d.name) == "TernaryTensor";
  if (!callee.list) {
    e.Error(Kind::kBadArgument, a.range,
            std::string(d.name) + " literals need a shape: " + d.name + "[2, 2](1, 0, -1, 1)");
    return Fail();
  }
  if (!a.kw.empty()) {
    e.Error(Kind::kUnknownArgument, a.kw_ranges[0],
            std::string(d.name) + " literals take values only");
    return Fail();
  }
  ir::TensorType type{ternary ? ir::DType::kTrit : ir::DType::kFloat32, {}};
  int64_t count = 1;
  for (const Value& dim : *callee.list) {
    if (dim.kind != VKind::kInt || dim.i < 0) {
      e.Error(Kind::kBadDimension, a.callee_range,
              std::string("a literal's dimensions must be non-negative integers, got ") +
                  (dim.kind == VKind::kNone ? "?" : e.Describe(dim)));
      return Fail();
    }
    type.dims.push_back(ir::Dim::Static(dim.i));
    if (__builtin_mul_overflow(count, dim.i, &count) || count > kMaxListElements) {
      e.Error(Kind::kBadDimension, a.callee_range, "literal too large");
      return Fail();
    }
  }
  // Values come as arguments, or as one list argument.
  std::vector<Value> vals = a.pos;
  std::vector<SourceRange> ranges = a.pos_ranges;
  if (vals.size() == 1 && vals[0].kind == VKind::kList && count != 1) {
    vals = *vals[0].list;
    ranges.assign(vals.size(), a.pos_ranges[0]);
  }
  if (static_cast<int64_t>(vals.size()) != count) {
    std::string shape;
    for (const ir::Dim& dm : type.dims)
      shape += (shape.empty() ? "" : ", ") + std::to_string(dm.size);
    e.Error(ternary ? Kind::kTernaryValueCount : Kind::kBadArgument, a.range,
            std::string(d.name) + "[" + shape + "] needs " + std::to_string(count) + " value" +
                (count == 1 ? "" : "s") + ", got " + std::to_string(vals.size()));
    return Fail();
  }
  std::vector<double> data;
  bool ok = true;
  for (size_t i = 0; i < vals.size(); ++i) {
    const Value& v = vals[i];
    if (ternary) {
      if (v.kind == VKind::kInt && v.i >= -1 && v.i <= 1) {
        data.push_back(static_cast<double>(v.i));
        continue;
      }
      std::string got = v.kind == VKind::kInt     ? std::to_string(v.i)
                        : v.kind == VKind::kFloat ? ir::AttrToString(ir::AttrValue(v.f))
                                                  : e.Describe(v);
      e.Error(Kind::kBadTritValue, ranges[i], "trit value must be -1, 0, or 1, got " + got);
      ok = false;
      continue;
    }
    if (!v.is_number()) {
      e.Error(Kind::kTypeMismatch, ranges[i],
              "a tensor literal holds numbers, got " + e.Describe(v));
      ok = false;
      continue;
    }
    data.push_back(v.as_double());
  }
  if (!ok) return Fail();
  ir::ValueId id = e.builder_->AddConst(type, std::move(data));
  e.value_origin_.resize(e.module_->values.size());
  e.value_origin_[id] = a.range;
  Value out = Value::Tensor(id);
  out.gen = e.generation_;
  return out;
}

using ir::OpKind;
// The registry. Signatures use PyTorch's parameter names where one exists.
std::vector<BuiltinDef>& Table() {
  static std::vector<BuiltinDef> t = {
      {"conv2d", "x, weight, bias=none, stride=1, padding=0, dilation=1, groups=1", Conv2d},
      {"linear", "x, weight, bias=none", TensorsOnly, OpKind::kLinear},
      {"matmul", "a, b", Arith, OpKind::kMatMul},
      {"ternary_matmul", "a, b", Arith, OpKind::kMatMul},
      {"add", "a, b", Arith, OpKind::kAdd},
      {"sub", "a, b", Arith, OpKind::kSub},
      {"mul", "a, b", Arith, OpKind::kMul},
      {"div", "a, b", Arith, OpKind::kDiv},
      {"batch_norm", "x, weight, bias, running_mean, running_var, eps=1e-5", BatchNorm},
      {"layer_norm", "x, weight=none, bias=none, eps=1e-5", LayerNorm},
      {"relu", "x", UnaryOp, OpKind::kRelu},
      {"relu6", "x", UnaryOp, OpKind::kRelu6},
      {"sigmoid", "x", UnaryOp, OpKind::kSigmoid},
      {"tanh", "x", UnaryOp, OpKind::kTanh},
      {"gelu", "x", UnaryOp, OpKind::kGelu},
      {"silu", "x", UnaryOp, OpKind::kSilu},
      {"hardswish", "x", UnaryOp, OpKind::kHardswish},
      {"hardsigmoid", "x", UnaryOp, OpKind::kHardsigmoid},
      {"abs", "x", UnaryOp, OpKind::kAbs},
      {"ste_quantize", "x", UnaryOp, OpKind::kSteQuantize},
      {"quantize_int8", "x", UnaryOp, OpKind::kQuantizeInt8},
      {"global_avgpool2d", "x", UnaryOp, OpKind::kGlobalAvgPool2d},
      {"dequantize", "x, scale=none", TensorsOnly, OpKind::kDequantize},
      {"softmax", "x, axis=-1", SoftmaxOp, OpKind::kSoftmax},
      {"log_softmax", "x, axis=-1", SoftmaxOp, OpKind::kLogSoftmax},
      {"maxpool2d", "x, kernel_size, stride=none, padding=0, ceil_mode=false", Pool,
       OpKind::kMaxPool2d},
      {"avgpool2d", "x, kernel_size, stride=none, padding=0, ceil_mode=false", Pool,
       OpKind::kAvgPool2d},
      {"adaptive_avgpool2d", "x, output_size", AdaptivePool},
      {"flatten", "x, start_dim=1, end_dim=-1", Flatten},
      {"reshape", "x, shape", IntsAttrOp, OpKind::kReshape},
      {"permute", "x, dims", IntsAttrOp, OpKind::kPermute},
      {"transpose", "x, dim0, dim1", Transpose},
      {"concat", "tensors, axis=0", Concat},
      {"mean", "x, axes=none, keepdim=false", Reduce, OpKind::kMean},
      {"sum", "x, axes=none, keepdim=false", Reduce, OpKind::kSum},
      {"max", "x, axes=none, keepdim=false", Reduce, OpKind::kReduceMax},
      {"min", "x, axes=none, keepdim=false", Reduce, OpKind::kReduceMin},
      {"clip", "x, min, max", Clip},
      {"pad", "x, pads, value=0", Pad},
      {"dropout", "x, p=0.5", Dropout},
      {"ternary_quantize", "x, threshold=0.7, method=\"twn\", per_channel=false", TernaryQuantize},
      {"zeros", "shape=none", Init},
      {"ones", "shape=none", Init},
      {"normal", "shape=none, mean=0.0, std=1.0", Init},
      {"kaiming_normal", "shape=none, mode=\"fan_in\", nonlinearity=\"relu\"", Init},
      {"kaiming_uniform", "shape=none, a=2.23606797749979", Init},
      {"random_ternary", "shape=none, sparsity=0.33", Init},
      {"ternary_weights",
       "shape=none, method=\"twn\", threshold=0.7, per_channel=true, init=\"kaiming_normal\"",
       Init},
      {"buffer", "init", Buffer},
      {"range", "start, stop=none, step=1", Range},
      {"len", "x", Len},
      {"round", "x", Round},
      {"str", "x", StrFn},
      {"int", "x", Cast},
      {"float", "x", Cast},
      {"bool", "x", Cast},
      {"trit", "x", Cast},
      {"int8", "x", Cast},
      {"int16", "x", Cast},
      {"int32", "x", Cast},
      {"int64", "x", Cast},
      {"float16", "x", Cast},
      {"bfloat16", "x", Cast},
      {"float32", "x", Cast},
      {"float64", "x", Cast},
      {"Tensor", "*", Literal},
      {"tensor", "*", Literal},
      {"TernaryTensor", "*", Literal},
  };
  return t;
}

// Parses "a, b=1, c=\"x\"" into SigParams (defaults: none, true, false, ints, floats, strings).
std::vector<SigParam> ParseSig(std::string_view sig) {
  std::vector<SigParam> out;
  if (sig == "*") return out;
  size_t i = 0;
  while (i < sig.size()) {
    size_t comma = sig.find(',', i);
    // A comma inside a quoted default does not split (none of ours has one).
    std::string_view part =
        sig.substr(i, comma == std::string_view::npos ? sig.size() - i : comma - i);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    SigParam p;
    size_t eq = part.find('=');
    p.name = std::string(part.substr(0, eq));
    if (eq != std::string_view::npos) {
      p.has_default = true;
      std::string d(part.substr(eq + 1));
      if (d == "none")
        p.dflt = Value::None();
      else if (d == "true" || d == "false")
        p.dflt = Value::Bool(d == "true");
      else if (d[0] == '"')
        p.dflt = Value::Str(d.substr(1, d.size() - 2));
      else if (d.find_first_of(".e") != std::string::npos)
        p.dflt = Value::Float(std::stod(d), ir::DType::kFloat32, true);
      else
        p.dflt = Value::Int(std::stoll(d), ir::DType::kInt64, true);
    }
    out.push_back(std::move(p));
    if (comma == std::string_view::npos) break;
    i = comma + 1;
  }
  return out;
}

}  // namespace

bool IsTypeConstructor(int builtin) {
  std::string_view n = Table()[static_cast<size_t>(builtin)].name;
  return n == "Tensor" || n == "tensor" || n == "TernaryTensor";
}

EnvPtr Elaborator::SharedBuiltins() {
  // Built once per process (thread-safe static initialization) and only read afterwards: no
  // compile binds into it (file scopes are function boundaries, so assignment never reaches it)
  // and it holds no closure, so sharing it between compiles and threads is safe. The table's
  // signatures are parsed here too, once.
  static const EnvPtr env = [] {
    auto e = std::make_shared<Env>(nullptr);
    auto& table = Table();
    for (size_t i = 0; i < table.size(); ++i) {
      if (table[i].params.empty()) table[i].params = ParseSig(table[i].sig);
      TRITON_CHECK_MSG(table[i].params.size() < 64, "CallBuiltin keeps a 64-bit set of given args");
      Value v{VKind::kBuiltin};
      v.builtin = static_cast<int>(i);
      e->Bind(table[i].name, v, {});
    }
    e->Bind("none", Value::None(), {});
    return e;
  }();
  return env;
}

Value Elaborator::CallBuiltin(int id, CallArgs& args, const Value& callee) {
  const BuiltinDef& d = Table()[static_cast<size_t>(id)];
  std::vector<Value> slots;
  if (d.sig[0] != '*') {  // "*": any arguments, unbound
    size_t n = d.params.size();
    if (args.pos.size() > n) {
      Error(Kind::kWrongArity, args.range,
            std::string(d.name) + " takes at most " + std::to_string(n) + " argument" +
                (n == 1 ? "" : "s") + " (" + d.sig + "), got " + std::to_string(args.pos.size()));
      return Value::Error();
    }
    // Which parameters are given: a bit each (no signature has 64 parameters).
    uint64_t set_bits = 0;
    auto set = [&](size_t i) { return ((set_bits >> i) & 1) != 0; };
    slots.resize(n);
    for (size_t i = 0; i < args.pos.size(); ++i) {
      slots[i] = args.pos[i];
      set_bits |= uint64_t{1} << i;
    }
    for (size_t k = 0; k < args.kw.size(); ++k) {
      size_t i = 0;
      while (i < n && d.params[i].name != args.kw[k].first) ++i;
      if (i == n) {
        Error(Kind::kUnknownArgument, args.kw_ranges[k],
              std::string(d.name) + " has no parameter '" + args.kw[k].first + "' (" + d.sig + ")");
        return Value::Error();
      }
      if (set(i)) {
        Error(Kind::kDuplicateArgument, args.kw_ranges[k],
              "argument '" + args.kw[k].first + "' of " + d.name + " is given twice");
        return Value::Error();
      }
      slots[i] = args.kw[k].second;
      set_bits |= uint64_t{1} << i;
    }
    for (size_t i = 0; i < n; ++i) {
      if (set(i)) continue;
      if (!d.params[i].has_default) {
        Error(Kind::kWrongArity, args.range,
              std::string(d.name) + " is missing argument '" + d.params[i].name + "' (" + d.sig +
                  ")");
        return Value::Error();
      }
      slots[i] = d.params[i].dflt;
    }
  }
  return d.fn(*this, d, slots, args, callee);
}

Value Elaborator::ScalarToTensor(const Value& v, ir::DType like) {
  ir::DType t;
  if (v.kind == VKind::kInt) {
    if (!v.untyped)
      t = v.dtype;
    else if (ir::IsFloat(like))
      t = like;
    else
      t = like == ir::DType::kTrit || like == ir::DType::kBool ? ir::DType::kInt8 : like;
  } else {
    t = v.untyped ? (ir::IsFloat(like) ? like : ir::DType::kFloat32) : v.dtype;
  }
  ir::ValueId id = builder_->AddConst(ir::TensorType{t, {}}, {v.as_double()});
  value_origin_.resize(module_->values.size());
  Value out = Value::Tensor(id);
  out.gen = generation_;
  return out;
}

Value Elaborator::MakeParam(const InitSpec& init, const std::string& name, SourceRange r) {
  if (!init.has_shape) {
    Error(Kind::kBadDimension, r,
          "the shape of parameter '" + name +
              "' is unknown: declare `let` with a type, or give the initializer a shape");
    return Value::Error();
  }
  const uint64_t name_hash = ir::ValueNameSet::Hash(name);
  if (param_names_.Contains(*module_, name, name_hash)) {
    Error(Kind::kRedefinition, r, "parameter name '" + name + "' is used twice in this model");
    return Value::Error();
  }
  ir::Param info;
  info.trainable = init.trainable;
  info.ternary = init.ternary;
  info.quant = init.quant;
  info.init = init.init;
  info.init_args = init.args;
  ir::TensorType t{init.ternary ? ir::DType::kTrit : init.dtype, init.shape};
  ir::ValueId id = builder_->AddParam(name, std::move(t), std::move(info));
  param_names_.Add(id, name_hash);
  value_origin_.resize(module_->values.size());
  value_origin_[id] = r;
  Value v = Value::Tensor(id);
  v.gen = generation_;
  return v;
}

Value Elaborator::EmitOp(ir::OpKind kind, const std::vector<Value>& operands, ir::Attrs attrs,
                         SourceRange r) {
  std::vector<ir::ValueId> ids;
  ids.reserve(operands.size());
  for (const Value& v : operands) {
    if (v.is_error()) return v;
    if (v.kind == VKind::kInit) {
      Error(Kind::kTypeMismatch, r,
            "a parameter is not a tensor until its layer is built: use it in `fn forward`");
      return Value::Error();
    }
    if (v.kind != VKind::kTensor || v.gen != generation_) {
      Error(Kind::kTypeMismatch, r,
            std::string(ir::OpMnemonic(kind)) + " needs tensors, got " + Describe(v));
      return Value::Error();
    }
    ids.push_back(v.tensor);
  }
  auto res = builder_->AddOp(kind, ids, std::move(attrs),  // ids: the error notes use them
                             scope_stack_.empty() ? std::string() : scope_stack_.back());
  if (auto* err = std::get_if<ir::ShapeError>(&res)) {
    Kind k = Kind::kShapeMismatch;
    switch (err->code) {
      case ir::ShapeErrorCode::kShape:
        k = Kind::kShapeMismatch;
        break;
      case ir::ShapeErrorCode::kRank:
        k = Kind::kRankMismatch;
        break;
      case ir::ShapeErrorCode::kType:
        k = Kind::kTypeMismatch;
        break;
      case ir::ShapeErrorCode::kAttr:
        k = Kind::kBadArgument;
        break;
      case ir::ShapeErrorCode::kArity:
        k = Kind::kWrongArity;
        break;
    }
    Error(k, r, err->message);
    // Point at the declarations of the named operands involved.
    for (size_t i = 0; i < ids.size(); ++i) {
      if (err->operand >= 0 && static_cast<size_t>(err->operand) != i) continue;
      const ir::Value& v = module_->value(ids[i]);
      if ((v.kind == ir::ValueKind::kParam || v.kind == ir::ValueKind::kInput) &&
          static_cast<size_t>(ids[i]) < value_origin_.size() && value_origin_[ids[i]].valid()) {
        Note(value_origin_[ids[i]], "'" + v.name + "' declared here as " + v.type.ToLangString());
      }
    }
    return Value::Error();
  }
  Value out = Value::Tensor(std::get<ir::ValueId>(res));
  out.gen = generation_;
  value_origin_.resize(module_->values.size());
  value_origin_[out.tensor] = r;
  return out;
}

}  // namespace triton::lang::check

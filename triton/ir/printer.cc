// The IR text form (the parser is parser.cc). Grammar, one statement per line:
//
//   module NAME {
//     input %NAME: TYPE
//     (param | buffer) %NAME: TYPE [ternary(METHOD, THRESHOLD, per_channel | per_tensor)]
//                                  init=INIT [{ATTRS}]
//     const %cK: TYPE = [NUMBERS] [hint="NAME"]
//     %K = MNEMONIC(%A, %B, ...) [{ATTRS}] : TYPE [@SCOPE] [hint="NAME"]
//     return %A, ...
//   }
//
// Statements print in a canonical order: inputs, params and buffers, consts, ops, return. Op
// results are numbered %0, %1, ... in op order and consts %c0, %c1, ...; inputs and params go by
// name, quoted (%"a b") when the name is not an identifier or looks like a numbered value.
// `buffer` is a param with trainable=false. A non-ternary param whose QuantSpec is not the default
// prints it as quant(...). `hint` is an op's (or const's) Value::name when non-empty. Doubles use
// the shortest form that reads back exactly and always look like floats (2.0, 1e-05, inf); an
// empty float list is `float[]`. Constant data of integer type prints as integers.
#include "triton/ir/printer.h"

#include <cmath>

#include "triton/ir/text_util.h"

namespace triton::ir {
namespace {

// Names of the form c<digits> would read back as constants.
bool LooksNumbered(std::string_view s) {
  if (s.size() < 2 || s[0] != 'c') return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

std::string NameRef(std::string_view name) {
  if (IsBareIdent(name) && !LooksNumbered(name)) return "%" + std::string(name);
  return "%" + QuoteString(name);
}

// A scope is bare when every character is an identifier character (it may start with a digit).
std::string ScopeText(std::string_view scope) {
  bool bare = !scope.empty();
  for (char c : scope) bare = bare && IsIdentChar(c);
  return "@" + (bare ? std::string(scope) : QuoteString(scope));
}

// Robust to ids out of range (Print is also used on modules the verifier rejects).
std::string Ref(const Module& m, ValueId id) {
  if (id < 0 || static_cast<size_t>(id) >= m.values.size()) {
    return "%<invalid " + std::to_string(id) + ">";
  }
  const Value& v = m.value(id);
  switch (v.kind) {
    case ValueKind::kInput:
    case ValueKind::kParam:
      return NameRef(v.name);
    case ValueKind::kConst:
      return "%c" + std::to_string(v.def);
    case ValueKind::kOp:
      return "%" + std::to_string(v.def);
  }
  return "%<invalid " + std::to_string(id) + ">";
}

std::string TypeOf(const Module& m, ValueId id) {
  if (id < 0 || static_cast<size_t>(id) >= m.values.size()) return "<invalid>";
  return m.type(id).ToString();
}

std::string HintOf(const Module& m, ValueId id) {
  if (id < 0 || static_cast<size_t>(id) >= m.values.size() || m.value(id).name.empty()) return "";
  return " hint=" + QuoteString(m.value(id).name);
}

std::string AttrDict(const Attrs& attrs) {
  std::string s = "{";
  bool first = true;
  for (const auto& [name, value] : attrs.items()) {
    if (!first) s += ", ";
    first = false;
    s += IdentOrQuoted(name) + "=" + AttrToString(value);
  }
  return s + "}";
}

// Integral values of integer-typed constants print without a fraction.
std::string ConstNumber(double d, DType t) {
  if (!IsFloat(t) && std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18) {
    return std::to_string(static_cast<int64_t>(d));
  }
  return FormatDouble(d);
}

std::string QuantText(const QuantSpec& q) {
  return "(" + IdentOrQuoted(q.method) + ", " + FormatDouble(q.threshold) + ", " +
         (q.per_channel ? "per_channel" : "per_tensor") + ")";
}

}  // namespace

std::string Print(const Module& m) {
  std::string out = "module " + IdentOrQuoted(m.name) + " {\n";
  for (ValueId id : m.inputs) {
    out += "  input " + Ref(m, id) + ": " + TypeOf(m, id) + "\n";
  }
  for (const Param& p : m.params) {
    out += std::string("  ") + (p.trainable ? "param " : "buffer ") + Ref(m, p.value) + ": " +
           TypeOf(m, p.value);
    if (p.ternary) {
      out += " ternary" + QuantText(p.quant);
    } else if (!(p.quant == QuantSpec{})) {
      out += " quant" + QuantText(p.quant);
    }
    out += " init=" + IdentOrQuoted(p.init);
    if (!p.init_args.items().empty()) out += " " + AttrDict(p.init_args);
    out += "\n";
  }
  for (const Constant& c : m.consts) {
    const bool valid = c.value >= 0 && static_cast<size_t>(c.value) < m.values.size();
    const DType t = valid ? m.type(c.value).dtype : DType::kFloat64;
    out += "  const " + Ref(m, c.value) + ": " + TypeOf(m, c.value) + " = [";
    for (size_t i = 0; i < c.data.size(); ++i) {
      if (i > 0) out += ", ";
      out += ConstNumber(c.data[i], t);
    }
    out += "]" + HintOf(m, c.value) + "\n";
  }
  for (const Op& op : m.ops) {
    out += "  " + Ref(m, op.result) + " = " + OpMnemonic(op.kind) + "(";
    for (size_t i = 0; i < op.operands.size(); ++i) {
      if (i > 0) out += ", ";
      out += Ref(m, op.operands[i]);
    }
    out += ")";
    if (!op.attrs.items().empty()) out += " " + AttrDict(op.attrs);
    out += " : " + TypeOf(m, op.result);
    if (!op.scope.empty()) out += " " + ScopeText(op.scope);
    out += HintOf(m, op.result) + "\n";
  }
  out += "  return";
  for (size_t i = 0; i < m.outputs.size(); ++i) {
    out += (i == 0 ? " " : ", ") + Ref(m, m.outputs[i]);
  }
  out += "\n}\n";
  return out;
}

}  // namespace triton::ir

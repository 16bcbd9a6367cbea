// The binary module codec (binary.h states the layout and what decoding checks).
#include "triton/ir/binary.h"

#include <fmt/format.h>

#include <type_traits>

#include "triton/base/bytes.h"

namespace triton::ir {
namespace {

// ---------------------------------------------------------------- writing

void PutType(base::ByteWriter& w, const TensorType& t) {
  w.Int(static_cast<uint8_t>(t.dtype));
  w.Count(t.dims.size());
  for (const Dim& d : t.dims) {
    w.Int(d.size);
    w.Str(d.symbol);
  }
}

void PutAttrs(base::ByteWriter& w, const Attrs& a) {
  w.Count(a.items().size());
  for (const auto& [name, value] : a.items()) {
    w.Str(name);
    w.Int(static_cast<uint8_t>(value.index()));
    std::visit(
        [&](const auto& x) {
          using X = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<X, int64_t>) {
            w.Int(x);
          } else if constexpr (std::is_same_v<X, double>) {
            w.F64(x);
          } else if constexpr (std::is_same_v<X, bool>) {
            w.Int(static_cast<uint8_t>(x));
          } else if constexpr (std::is_same_v<X, std::string>) {
            w.Str(x);
          } else if constexpr (std::is_same_v<X, std::vector<int64_t>>) {
            w.Count(x.size());
            for (int64_t e : x) w.Int(e);
          } else {
            w.Count(x.size());
            for (double e : x) w.F64(e);
          }
        },
        value);
  }
}

// ---------------------------------------------------------------- reading

// A 0/1 byte; anything else fails.
bool GetFlag(base::ByteReader& r, const char* what) {
  const uint8_t b = r.Int<uint8_t>();
  if (r.ok() && b > 1) r.Fail(std::string(what) + " is neither 0 nor 1");
  return b == 1;
}

bool GetType(base::ByteReader& r, TensorType* t) {
  const uint8_t dtype = r.Int<uint8_t>();
  if (r.ok() && dtype > static_cast<uint8_t>(DType::kFloat64)) return r.Fail("unknown dtype");
  t->dtype = static_cast<DType>(dtype);
  t->dims.resize(r.Count(16));
  for (Dim& d : t->dims) {
    d.size = r.Int<int64_t>();
    d.symbol = r.Str();
    if (r.ok() && d.size >= 0 && !d.symbol.empty()) return r.Fail("a static dim with a symbol");
  }
  return r.ok();
}

bool GetAttrs(base::ByteReader& r, Attrs* out) {
  const uint64_t n = r.Count(10);
  std::vector<std::pair<std::string, AttrValue>> items;
  items.reserve(n);
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    std::string name = r.Str();
    const uint8_t index = r.Int<uint8_t>();
    AttrValue v;
    switch (index) {
      case 0:
        v = r.Int<int64_t>();
        break;
      case 1:
        v = r.F64();
        break;
      case 2:
        v = GetFlag(r, "a bool attribute");
        break;
      case 3:
        v = r.Str();
        break;
      case 4: {
        std::vector<int64_t> xs(r.Count(8));
        for (int64_t& x : xs) x = r.Int<int64_t>();
        v = std::move(xs);
        break;
      }
      case 5: {
        std::vector<double> xs(r.Count(8));
        for (double& x : xs) x = r.F64();
        v = std::move(xs);
        break;
      }
      default:
        if (r.ok()) return r.Fail("unknown attribute kind");
    }
    if (r.ok() && !items.empty() && !(items.back().first < name)) {
      return r.Fail("attribute names out of order");
    }
    items.emplace_back(std::move(name), std::move(v));
  }
  if (!r.ok()) return false;
  *out = Attrs::FromSorted(std::move(items));
  return true;
}

size_t OpCount() {
  static const size_t n = AllOps().size();
  return n;
}

// The cross-references binary.h promises, on a module whose lists were read.
std::string CheckReferences(const Module& m) {
  const auto nvalues = static_cast<int64_t>(m.values.size());
  auto valid = [&](ValueId id) { return id >= 0 && id < nvalues; };
  for (size_t i = 0; i < m.values.size(); ++i) {
    const Value& v = m.values[i];
    const auto id = static_cast<ValueId>(i);
    bool back = false;
    switch (v.kind) {
      case ValueKind::kInput:
        back = v.def >= 0 && static_cast<size_t>(v.def) < m.inputs.size() &&
               m.inputs[static_cast<size_t>(v.def)] == id;
        break;
      case ValueKind::kParam:
        back = v.def >= 0 && static_cast<size_t>(v.def) < m.params.size() &&
               m.params[static_cast<size_t>(v.def)].value == id;
        break;
      case ValueKind::kConst:
        back = v.def >= 0 && static_cast<size_t>(v.def) < m.consts.size() &&
               m.consts[static_cast<size_t>(v.def)].value == id;
        break;
      case ValueKind::kOp:
        back = v.def >= 0 && static_cast<size_t>(v.def) < m.ops.size() &&
               m.ops[static_cast<size_t>(v.def)].result == id;
        break;
    }
    if (!back) return fmt::format("value {} and its definition do not name each other", i);
  }
  auto defined_as = [&](ValueId id, ValueKind k) { return valid(id) && m.value(id).kind == k; };
  for (size_t i = 0; i < m.inputs.size(); ++i) {
    if (!defined_as(m.inputs[i], ValueKind::kInput)) return fmt::format("input {} is no input", i);
  }
  for (size_t i = 0; i < m.params.size(); ++i) {
    if (!defined_as(m.params[i].value, ValueKind::kParam)) {
      return fmt::format("param {} names no param value", i);
    }
  }
  for (size_t i = 0; i < m.consts.size(); ++i) {
    const Constant& c = m.consts[i];
    if (!defined_as(c.value, ValueKind::kConst)) {
      return fmt::format("constant {} names no constant value", i);
    }
    if (static_cast<int64_t>(c.data.size()) != m.type(c.value).num_elements()) {
      return fmt::format("constant {} holds {} elements, not its type's", i, c.data.size());
    }
  }
  // Ops in topological order: an operand is a value that is not an op's result, or the result
  // of an earlier op.
  for (size_t i = 0; i < m.ops.size(); ++i) {
    const Op& op = m.ops[i];
    if (!defined_as(op.result, ValueKind::kOp)) return fmt::format("op {} has no result", i);
    const int n = static_cast<int>(op.operands.size());
    const int max = OpMaxOperands(op.kind);
    if (n < OpMinOperands(op.kind) || (max >= 0 && n > max)) {
      return fmt::format("op {} ({}) has {} operands", i, OpMnemonic(op.kind), n);
    }
    for (ValueId o : op.operands) {
      if (!valid(o)) return fmt::format("op {} has an operand out of range", i);
      const Value& v = m.value(o);
      if (v.kind == ValueKind::kOp && static_cast<size_t>(v.def) >= i) {
        return fmt::format("op {} uses a value defined after it", i);
      }
    }
  }
  for (size_t i = 0; i < m.outputs.size(); ++i) {
    if (!valid(m.outputs[i])) return fmt::format("output {} is out of range", i);
  }
  return "";
}

}  // namespace

std::string EncodeModule(const Module& m) {
  base::ByteWriter w;
  w.bytes().reserve(64 + 64 * m.values.size() + 96 * m.ops.size());
  w.U32(kModuleBinaryVersion);
  w.Str(m.name);
  w.Count(m.values.size());
  for (const Value& v : m.values) {
    w.Int(static_cast<uint8_t>(v.kind));
    PutType(w, v.type);
    w.Str(v.name);
    w.Int(v.def);
  }
  w.Count(m.inputs.size());
  for (ValueId id : m.inputs) w.Int(id);
  w.Count(m.params.size());
  for (const Param& p : m.params) {
    w.Int(p.value);
    w.Int(static_cast<uint8_t>(p.trainable));
    w.Int(static_cast<uint8_t>(p.ternary));
    w.Str(p.quant.method);
    w.F64(p.quant.threshold);
    w.Int(static_cast<uint8_t>(p.quant.per_channel));
    w.Str(p.init);
    PutAttrs(w, p.init_args);
  }
  w.Count(m.consts.size());
  for (const Constant& c : m.consts) {
    w.Int(c.value);
    w.Count(c.data.size());
    for (double x : c.data) w.F64(x);
  }
  w.Count(m.ops.size());
  for (const Op& op : m.ops) {
    w.Int(static_cast<uint16_t>(op.kind));
    w.Count(op.operands.size());
    for (ValueId id : op.operands) w.Int(id);
    PutAttrs(w, op.attrs);
    w.Int(op.result);
    w.Str(op.scope);
  }
  w.Count(m.outputs.size());
  for (ValueId id : m.outputs) w.Int(id);
  return std::move(w.bytes());
}

Result<Module> DecodeModule(std::string_view bytes) {
  base::ByteReader r(bytes);
  Module m;
  const uint32_t version = r.U32();
  if (r.ok() && version != kModuleBinaryVersion) {
    r.Fail(fmt::format("version {} (this build reads {})", version, kModuleBinaryVersion));
  }
  m.name = r.Str();
  // Each Count's minimum is the smallest encoding of one item.
  m.values.resize(r.Count(22));
  for (Value& v : m.values) {
    if (!r.ok()) break;
    const uint8_t kind = r.Int<uint8_t>();
    if (r.ok() && kind > static_cast<uint8_t>(ValueKind::kOp)) r.Fail("unknown value kind");
    v.kind = static_cast<ValueKind>(kind);
    GetType(r, &v.type);
    v.name = r.Str();
    v.def = r.Int<int32_t>();
  }
  m.inputs.resize(r.Count(4));
  for (ValueId& id : m.inputs) id = r.Int<int32_t>();
  m.params.resize(r.Count(39));
  for (Param& p : m.params) {
    if (!r.ok()) break;
    p.value = r.Int<int32_t>();
    p.trainable = GetFlag(r, "a param's trainable flag");
    p.ternary = GetFlag(r, "a param's ternary flag");
    p.quant.method = r.Str();
    p.quant.threshold = r.F64();
    p.quant.per_channel = GetFlag(r, "a param's per-channel flag");
    p.init = r.Str();
    GetAttrs(r, &p.init_args);
  }
  m.consts.resize(r.Count(12));
  for (Constant& c : m.consts) {
    if (!r.ok()) break;
    c.value = r.Int<int32_t>();
    c.data.resize(r.Count(8));
    for (double& x : c.data) x = r.F64();
  }
  m.ops.resize(r.Count(30));
  for (Op& op : m.ops) {
    if (!r.ok()) break;
    const uint16_t kind = r.Int<uint16_t>();
    if (r.ok() && kind >= OpCount()) r.Fail("unknown op kind");
    op.kind = static_cast<OpKind>(kind);
    op.operands.resize(r.Count(4));
    for (ValueId& id : op.operands) id = r.Int<int32_t>();
    GetAttrs(r, &op.attrs);
    op.result = r.Int<int32_t>();
    op.scope = r.Str();
  }
  m.outputs.resize(r.Count(4));
  for (ValueId& id : m.outputs) id = r.Int<int32_t>();
  if (r.ok() && !r.at_end()) r.Fail("trailing bytes");
  if (!r.ok()) return Status::Error("module binary: " + r.error());
  if (std::string why = CheckReferences(m); !why.empty()) {
    return Status::Error("module binary: " + why);
  }
  return m;
}

}  // namespace triton::ir

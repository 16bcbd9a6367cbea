// The binary module codec (binary.h states the layout and what decoding checks).
#include "triton/ir/binary.h"

#include <fmt/format.h>

#include <bit>
#include <cstring>
#include <type_traits>

namespace triton::ir {
namespace {

// ---------------------------------------------------------------- writing

class Writer {
 public:
  template <typename T>
  void Int(T v) {
    static_assert(std::is_integral_v<T>);
    using U = std::make_unsigned_t<T>;
    U u = static_cast<U>(v);
    char b[sizeof(T)];
    for (size_t i = 0; i < sizeof(T); ++i) b[i] = static_cast<char>((u >> (8 * i)) & 0xff);
    out_.append(b, sizeof(T));
  }
  void F64(double v) { Int(std::bit_cast<uint64_t>(v)); }
  void Count(size_t n) { Int(static_cast<uint32_t>(n)); }
  void Str(std::string_view s) {
    Count(s.size());
    out_.append(s);
  }
  void Type(const TensorType& t) {
    Int(static_cast<uint8_t>(t.dtype));
    Count(t.dims.size());
    for (const Dim& d : t.dims) {
      Int(d.size);
      Str(d.symbol);
    }
  }
  void AttrList(const Attrs& a) {
    Count(a.items().size());
    for (const auto& [name, value] : a.items()) {
      Str(name);
      Int(static_cast<uint8_t>(value.index()));
      std::visit(
          [&](const auto& x) {
            using X = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<X, int64_t>) {
              Int(x);
            } else if constexpr (std::is_same_v<X, double>) {
              F64(x);
            } else if constexpr (std::is_same_v<X, bool>) {
              Int(static_cast<uint8_t>(x));
            } else if constexpr (std::is_same_v<X, std::string>) {
              Str(x);
            } else if constexpr (std::is_same_v<X, std::vector<int64_t>>) {
              Count(x.size());
              for (int64_t e : x) Int(e);
            } else {
              Count(x.size());
              for (double e : x) F64(e);
            }
          },
          value);
    }
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

// ---------------------------------------------------------------- reading

// Every read checks the bytes left; the first failure records what and where, and every later
// read returns zero or empty, so a record is read whole and checked once.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  template <typename T>
  T Int() {
    static_assert(std::is_integral_v<T>);
    if (!Need(sizeof(T), "cut short")) return 0;
    using U = std::make_unsigned_t<T>;
    U u = 0;
    for (size_t i = 0; i < sizeof(T); ++i) {
      u |= static_cast<U>(static_cast<U>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i));
    }
    pos_ += sizeof(T);
    return static_cast<T>(u);
  }
  double F64() { return std::bit_cast<double>(Int<uint64_t>()); }
  // A count of items of at least `min_item` bytes each: more than the bytes left can hold fails
  // (so a damaged count never drives a huge allocation).
  size_t Count(size_t min_item) {
    const uint32_t n = Int<uint32_t>();
    if (ok() && static_cast<uint64_t>(n) * min_item > in_.size() - pos_) {
      Fail("a count of " + std::to_string(n) + " is more than the bytes left hold");
      return 0;
    }
    return ok() ? n : 0;
  }
  std::string Str() {
    const size_t n = Count(1);
    if (!ok()) return {};
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  bool Type(TensorType* t) {
    const uint8_t dtype = Int<uint8_t>();
    if (ok() && dtype > static_cast<uint8_t>(DType::kFloat64)) return Fail("unknown dtype");
    t->dtype = static_cast<DType>(dtype);
    const size_t rank = Count(12);
    t->dims.resize(rank);
    for (Dim& d : t->dims) {
      d.size = Int<int64_t>();
      d.symbol = Str();
      if (ok() && d.size >= 0 && !d.symbol.empty()) return Fail("a static dim with a symbol");
    }
    return ok();
  }
  bool AttrList(Attrs* out) {
    const size_t n = Count(6);
    std::vector<std::pair<std::string, AttrValue>> items;
    items.reserve(n);
    for (size_t i = 0; i < n && ok(); ++i) {
      std::string name = Str();
      const uint8_t index = Int<uint8_t>();
      AttrValue v;
      switch (index) {
        case 0:
          v = Int<int64_t>();
          break;
        case 1:
          v = F64();
          break;
        case 2: {
          const uint8_t b = Int<uint8_t>();
          if (ok() && b > 1) return Fail("a bool attribute that is neither 0 nor 1");
          v = b == 1;
          break;
        }
        case 3:
          v = Str();
          break;
        case 4: {
          std::vector<int64_t> xs(Count(8));
          for (int64_t& x : xs) x = Int<int64_t>();
          v = std::move(xs);
          break;
        }
        case 5: {
          std::vector<double> xs(Count(8));
          for (double& x : xs) x = F64();
          v = std::move(xs);
          break;
        }
        default:
          if (ok()) return Fail("unknown attribute kind");
      }
      if (ok() && !items.empty() && !(items.back().first < name)) {
        return Fail("attribute names out of order");
      }
      items.emplace_back(std::move(name), std::move(v));
    }
    if (!ok()) return false;
    *out = Attrs::FromSorted(std::move(items));
    return true;
  }

  bool ok() const { return error_.empty(); }
  bool at_end() const { return pos_ == in_.size(); }
  // Records the first failure (at the current byte); returns false.
  bool Fail(const std::string& what) {
    if (error_.empty()) error_ = fmt::format("module binary: {} at byte {}", what, pos_);
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  bool Need(size_t n, const char* what) {
    if (!ok()) return false;
    if (in_.size() - pos_ < n) return Fail(what);
    return true;
  }
  std::string_view in_;
  size_t pos_ = 0;
  std::string error_;
};

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
  Writer w;
  w.bytes().reserve(64 + 48 * m.values.size() + 64 * m.ops.size());
  w.Int(kModuleBinaryVersion);
  w.Str(m.name);
  w.Count(m.values.size());
  for (const Value& v : m.values) {
    w.Int(static_cast<uint8_t>(v.kind));
    w.Type(v.type);
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
    w.AttrList(p.init_args);
  }
  w.Count(m.consts.size());
  for (const Constant& c : m.consts) {
    w.Int(c.value);
    w.Int(static_cast<uint64_t>(c.data.size()));
    for (double x : c.data) w.F64(x);
  }
  w.Count(m.ops.size());
  for (const Op& op : m.ops) {
    w.Int(static_cast<uint16_t>(op.kind));
    w.Count(op.operands.size());
    for (ValueId id : op.operands) w.Int(id);
    w.AttrList(op.attrs);
    w.Int(op.result);
    w.Str(op.scope);
  }
  w.Count(m.outputs.size());
  for (ValueId id : m.outputs) w.Int(id);
  return std::move(w.bytes());
}

Result<Module> DecodeModule(std::string_view bytes) {
  Reader r(bytes);
  Module m;
  const uint32_t version = r.Int<uint32_t>();
  if (r.ok() && version != kModuleBinaryVersion) {
    r.Fail(fmt::format("version {} (this build reads {})", version, kModuleBinaryVersion));
  }
  m.name = r.Str();
  auto flag = [&](const char* what) {
    const uint8_t b = r.Int<uint8_t>();
    if (r.ok() && b > 1) r.Fail(std::string(what) + " is neither 0 nor 1");
    return b == 1;
  };
  m.values.resize(r.Count(14));
  for (Value& v : m.values) {
    if (!r.ok()) break;
    const uint8_t kind = r.Int<uint8_t>();
    if (r.ok() && kind > static_cast<uint8_t>(ValueKind::kOp)) r.Fail("unknown value kind");
    v.kind = static_cast<ValueKind>(kind);
    r.Type(&v.type);
    v.name = r.Str();
    v.def = r.Int<int32_t>();
  }
  m.inputs.resize(r.Count(4));
  for (ValueId& id : m.inputs) id = r.Int<int32_t>();
  m.params.resize(r.Count(24));
  for (Param& p : m.params) {
    if (!r.ok()) break;
    p.value = r.Int<int32_t>();
    p.trainable = flag("a param's trainable flag");
    p.ternary = flag("a param's ternary flag");
    p.quant.method = r.Str();
    p.quant.threshold = r.F64();
    p.quant.per_channel = flag("a param's per-channel flag");
    p.init = r.Str();
    r.AttrList(&p.init_args);
  }
  m.consts.resize(r.Count(12));
  for (Constant& c : m.consts) {
    if (!r.ok()) break;
    c.value = r.Int<int32_t>();
    const uint64_t n = r.Int<uint64_t>();
    if (r.ok() && n > bytes.size() / 8) {
      r.Fail("a constant longer than the bytes left");
      break;
    }
    c.data.resize(n);
    for (double& x : c.data) x = r.F64();
  }
  m.ops.resize(r.Count(18));
  for (Op& op : m.ops) {
    if (!r.ok()) break;
    const uint16_t kind = r.Int<uint16_t>();
    if (r.ok() && kind >= OpCount()) r.Fail("unknown op kind");
    op.kind = static_cast<OpKind>(kind);
    op.operands.resize(r.Count(4));
    for (ValueId& id : op.operands) id = r.Int<int32_t>();
    r.AttrList(&op.attrs);
    op.result = r.Int<int32_t>();
    op.scope = r.Str();
  }
  m.outputs.resize(r.Count(4));
  for (ValueId& id : m.outputs) id = r.Int<int32_t>();
  if (r.ok() && !r.at_end()) r.Fail("trailing bytes");
  if (!r.ok()) return Status::Error(r.error());
  if (std::string why = CheckReferences(m); !why.empty()) {
    return Status::Error("module binary: " + why);
  }
  return m;
}

}  // namespace triton::ir

#include "triton/ir/ops.h"

#include <algorithm>
#include <array>
#include <type_traits>

#include "triton/base/check.h"
#include "triton/ir/text_util.h"

namespace triton::ir {
namespace {

struct OpInfo {
  const char* mnemonic;
  int min_operands;
  int max_operands;
  uint32_t traits;
};

constexpr OpInfo kOpInfo[] = {
#define OP(name, mnemonic, min_args, max_args, traits) {mnemonic, min_args, max_args, traits},
#include "triton/ir/ops.def"
#undef OP
};
constexpr size_t kNumOps = sizeof(kOpInfo) / sizeof(kOpInfo[0]);

const OpInfo& Info(OpKind k) {
  const auto i = static_cast<size_t>(k);
  TRITON_CHECK_MSG(i < kNumOps, "OpKind out of range");
  return kOpInfo[i];
}

}  // namespace

const char* OpMnemonic(OpKind k) { return Info(k).mnemonic; }
int OpMinOperands(OpKind k) { return Info(k).min_operands; }
int OpMaxOperands(OpKind k) { return Info(k).max_operands; }
uint32_t OpTraits(OpKind k) { return Info(k).traits; }

std::optional<OpKind> ParseOpMnemonic(std::string_view s) {
  for (size_t i = 0; i < kNumOps; ++i) {
    if (s == kOpInfo[i].mnemonic) return static_cast<OpKind>(i);
  }
  return std::nullopt;
}

std::vector<OpKind> AllOps() {
  std::vector<OpKind> all;
  all.reserve(kNumOps);
  for (size_t i = 0; i < kNumOps; ++i) all.push_back(static_cast<OpKind>(i));
  return all;
}

// ---------------------------------------------------------------- attributes

void Attrs::Set(std::string name, AttrValue v) {
  auto it = std::lower_bound(items_.begin(), items_.end(), name,
                             [](const auto& item, const std::string& n) { return item.first < n; });
  if (it != items_.end() && it->first == name) {
    it->second = std::move(v);
  } else {
    // Ops carry a handful of attributes: one allocation instead of growing 1, 2, 4.
    if (items_.capacity() == 0) {
      items_.reserve(4);
      it = items_.end();
    }
    items_.emplace(it, std::move(name), std::move(v));
  }
}

Attrs Attrs::FromSorted(std::vector<std::pair<std::string, AttrValue>> items) {
  for (size_t i = 1; i < items.size(); ++i) {
    TRITON_CHECK_MSG(items[i - 1].first < items[i].first, "attributes out of order");
  }
  Attrs a;
  a.items_ = std::move(items);
  return a;
}

const AttrValue* Attrs::Find(std::string_view name) const {
  auto it = std::lower_bound(
      items_.begin(), items_.end(), name,
      [](const auto& item, std::string_view n) { return std::string_view(item.first) < n; });
  if (it != items_.end() && it->first == name) return &it->second;
  return nullptr;
}

// The getters return the default when the attribute is absent or has another type; shape rules
// check the types first (InferType reports a kAttr error), so later stages may rely on them.
int64_t Attrs::GetInt(std::string_view name, int64_t dflt) const {
  const AttrValue* v = Find(name);
  if (v == nullptr) return dflt;
  if (const auto* i = std::get_if<int64_t>(v)) return *i;
  return dflt;
}

double Attrs::GetFloat(std::string_view name, double dflt) const {
  const AttrValue* v = Find(name);
  if (v == nullptr) return dflt;
  if (const auto* d = std::get_if<double>(v)) return *d;
  if (const auto* i = std::get_if<int64_t>(v)) return static_cast<double>(*i);
  return dflt;
}

bool Attrs::GetBool(std::string_view name, bool dflt) const {
  const AttrValue* v = Find(name);
  if (v == nullptr) return dflt;
  if (const auto* b = std::get_if<bool>(v)) return *b;
  return dflt;
}

std::string Attrs::GetString(std::string_view name, std::string dflt) const {
  const AttrValue* v = Find(name);
  if (v == nullptr) return dflt;
  if (const auto* s = std::get_if<std::string>(v)) return *s;
  return dflt;
}

std::vector<int64_t> Attrs::GetInts(std::string_view name, std::vector<int64_t> dflt) const {
  const AttrValue* v = Find(name);
  if (v == nullptr) return dflt;
  if (const auto* l = std::get_if<std::vector<int64_t>>(v)) return *l;
  return dflt;
}

// An empty float list is written `float[]` so that it does not read back as an empty int list.
namespace {
template <typename T>
void AppendRawBytes(std::string& key, const T& v) {
  key.append(reinterpret_cast<const char*>(&v), sizeof v);
}
}  // namespace

void AppendAttrsKey(std::string& key, const Attrs& attrs) {
  for (const auto& [name, v] : attrs.items()) {
    key.append(name);
    key.push_back('\0');
    key.push_back(static_cast<char>(v.index()));
    std::visit(
        [&key](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::string>) {
            AppendRawBytes(key, x.size());
            key.append(x);
          } else if constexpr (std::is_same_v<T, std::vector<int64_t>> ||
                               std::is_same_v<T, std::vector<double>>) {
            AppendRawBytes(key, x.size());
            key.append(reinterpret_cast<const char*>(x.data()), x.size() * sizeof(x[0]));
          } else {
            AppendRawBytes(key, x);
          }
        },
        v);
  }
}

std::string AttrToString(const AttrValue& v) {
  struct Visitor {
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return FormatDouble(d); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(const std::string& s) const { return QuoteString(s); }
    std::string operator()(const std::vector<int64_t>& l) const {
      std::string s = "[";
      for (size_t i = 0; i < l.size(); ++i) s += (i ? ", " : "") + std::to_string(l[i]);
      return s + "]";
    }
    std::string operator()(const std::vector<double>& l) const {
      if (l.empty()) return "float[]";
      std::string s = "[";
      for (size_t i = 0; i < l.size(); ++i) s += (i ? ", " : "") + FormatDouble(l[i]);
      return s + "]";
    }
  };
  return std::visit(Visitor{}, v);
}

// ---------------------------------------------------------------- MAC counts
namespace {

// Multiplies the static sizes of dims[begin, end) into *acc; false when one is not static or the
// product overflows (the count is then unknown, reported as 0).
bool MulDims(const std::vector<Dim>& dims, size_t begin, size_t end, int64_t* acc) {
  for (size_t i = begin; i < end && i < dims.size(); ++i) {
    if (!dims[i].is_static()) return false;
    if (__builtin_mul_overflow(*acc, dims[i].size, acc)) return false;
  }
  return true;
}

// Elements of one sample of `t`: dim 0 is the batch when the rank is >= 2; a rank-1 result has no
// batch dimension (a single vector), so all of it counts.
bool PerSample(const TensorType& t, int64_t* acc) {
  return MulDims(t.dims, t.rank() >= 2 ? 1 : 0, t.rank(), acc);
}

}  // namespace

int64_t CountMacs(OpKind kind, const std::vector<TensorType>& operands, const TensorType& result,
                  const Attrs& attrs) {
  int64_t macs = 1;
  switch (kind) {
    case OpKind::kConv2d:
    case OpKind::kFusedConv2d:
      // Cout * OH * OW * (Cin / groups) * kh * kw; weight is [Cout, Cin/groups, kh, kw].
      if (operands.size() < 2 || operands[1].rank() != 4 || result.rank() != 4) return 0;
      if (!PerSample(result, &macs) || !MulDims(operands[1].dims, 1, 4, &macs)) return 0;
      return macs;
    case OpKind::kLinear:
    case OpKind::kFusedLinear:
      // out elements per sample * in; weight is [out, in].
      if (operands.size() < 2 || operands[1].rank() != 2) return 0;
      if (!PerSample(result, &macs) || !MulDims(operands[1].dims, 1, 2, &macs)) return 0;
      return macs;
    case OpKind::kMatMul: {
      // result elements per sample * k, k = the last dim of a (its only dim when a is a vector).
      if (operands.size() < 2 || operands[0].rank() == 0) return 0;
      const size_t r = operands[0].rank();
      if (!PerSample(result, &macs) || !MulDims(operands[0].dims, r - 1, r, &macs)) return 0;
      return macs;
    }
    case OpKind::kBatchNorm:
    case OpKind::kLayerNorm:
    case OpKind::kRelu:
    case OpKind::kRelu6:
    case OpKind::kSigmoid:
    case OpKind::kTanh:
    case OpKind::kGelu:
    case OpKind::kSilu:
    case OpKind::kHardswish:
    case OpKind::kHardsigmoid:
    case OpKind::kAbs:
    case OpKind::kNeg:
    case OpKind::kClip:
    case OpKind::kDropout:
    case OpKind::kSoftmax:
    case OpKind::kLogSoftmax:
    case OpKind::kAdd:
    case OpKind::kSub:
    case OpKind::kMul:
    case OpKind::kDiv:
    case OpKind::kPow:
    case OpKind::kMaxPool2d:
    case OpKind::kAvgPool2d:
    case OpKind::kGlobalAvgPool2d:
    case OpKind::kAdaptiveAvgPool2d:
    case OpKind::kFlatten:
    case OpKind::kReshape:
    case OpKind::kTranspose:
    case OpKind::kPermute:
    case OpKind::kConcat:
    case OpKind::kPad:
    case OpKind::kMean:
    case OpKind::kSum:
    case OpKind::kReduceMax:
    case OpKind::kReduceMin:
    case OpKind::kTernaryQuantize:
    case OpKind::kSteQuantize:
    case OpKind::kDequantize:
    case OpKind::kQuantizeInt8:
    case OpKind::kCast:
    case OpKind::kReorder:
      return 0;
  }
  return 0;
}

}  // namespace triton::ir

#include <fmt/format.h>

#include "triton/ir/shape_internal.h"
#include "triton/ir/shape_util.h"

namespace triton::ir::shape_internal {

ShapeError Err(Code code, int operand, std::string message) {
  return ShapeError{code, operand, std::move(message)};
}

std::string Lang(const TensorType& t) { return t.ToLangString(); }

std::string DimList(const std::vector<Dim>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + dims[i].ToString();
  return s + "]";
}

std::string IntList(std::span<const int64_t> v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

// ---------------------------------------------------------------- attribute readers

MaybeError ReadInt(OpKind k, const Attrs& a, std::string_view name, int64_t dflt, int64_t* out,
                   bool required) {
  const AttrValue* v = a.Find(name);
  *out = dflt;
  if (v == nullptr) {
    if (!required) return std::nullopt;
    return Err(Code::kAttr, -1,
               fmt::format("{} needs an integer attribute {}", OpMnemonic(k), name));
  }
  if (const auto* i = std::get_if<int64_t>(v)) {
    *out = *i;
    return std::nullopt;
  }
  return Err(Code::kAttr, -1,
             fmt::format("{} attribute {} must be an integer, got {}", OpMnemonic(k), name,
                         AttrToString(*v)));
}

MaybeError ReadFloat(OpKind k, const Attrs& a, std::string_view name, double dflt, double* out) {
  const AttrValue* v = a.Find(name);
  *out = dflt;
  if (v == nullptr) return std::nullopt;
  if (const auto* d = std::get_if<double>(v)) {
    *out = *d;
    return std::nullopt;
  }
  if (const auto* i = std::get_if<int64_t>(v)) {
    *out = static_cast<double>(*i);
    return std::nullopt;
  }
  return Err(Code::kAttr, -1,
             fmt::format("{} attribute {} must be a number, got {}", OpMnemonic(k), name,
                         AttrToString(*v)));
}

MaybeError ReadBool(OpKind k, const Attrs& a, std::string_view name, bool dflt, bool* out) {
  const AttrValue* v = a.Find(name);
  *out = dflt;
  if (v == nullptr) return std::nullopt;
  if (const auto* b = std::get_if<bool>(v)) {
    *out = *b;
    return std::nullopt;
  }
  return Err(Code::kAttr, -1,
             fmt::format("{} attribute {} must be true or false, got {}", OpMnemonic(k), name,
                         AttrToString(*v)));
}

MaybeError ReadString(OpKind k, const Attrs& a, std::string_view name, std::string dflt,
                      std::string* out, bool required) {
  const AttrValue* v = a.Find(name);
  *out = std::move(dflt);
  if (v == nullptr) {
    if (!required) return std::nullopt;
    return Err(Code::kAttr, -1, fmt::format("{} needs a string attribute {}", OpMnemonic(k), name));
  }
  if (const auto* s = std::get_if<std::string>(v)) {
    *out = *s;
    return std::nullopt;
  }
  return Err(Code::kAttr, -1,
             fmt::format("{} attribute {} must be a string, got {}", OpMnemonic(k), name,
                         AttrToString(*v)));
}

namespace {
// The integer list attribute `name`: *list is null when it is absent (an error when `required`)
// or is the empty float list `float[]`, which reads as an empty int list.
MaybeError FindInts(OpKind k, const Attrs& a, std::string_view name, bool required,
                    const std::vector<int64_t>** list, const AttrValue** found) {
  const AttrValue* v = a.Find(name);
  *list = nullptr;
  *found = v;
  if (v == nullptr) {
    if (!required) return std::nullopt;
    return Err(Code::kAttr, -1,
               fmt::format("{} needs an attribute {} (a list of integers)", OpMnemonic(k), name));
  }
  *list = std::get_if<std::vector<int64_t>>(v);
  const auto* fl = std::get_if<std::vector<double>>(v);
  if (*list == nullptr && !(fl != nullptr && fl->empty())) {
    return Err(Code::kAttr, -1,
               fmt::format("{} attribute {} must be a list of integers, got {}", OpMnemonic(k),
                           name, AttrToString(*v)));
  }
  return std::nullopt;
}

MaybeError WrongCount(OpKind k, std::string_view name, size_t count, const AttrValue& v) {
  return Err(Code::kAttr, -1,
             fmt::format("{} attribute {} must have {} values, got {}", OpMnemonic(k), name, count,
                         AttrToString(v)));
}
}  // namespace

MaybeError ReadInts(OpKind k, const Attrs& a, std::string_view name, size_t count,
                    std::vector<int64_t> dflt, std::vector<int64_t>* out, bool required) {
  const std::vector<int64_t>* list = nullptr;
  const AttrValue* v = nullptr;
  *out = std::move(dflt);
  TRITON_SHAPE_TRY(FindInts(k, a, name, required, &list, &v));
  if (v == nullptr) return std::nullopt;
  *out = list != nullptr ? *list : std::vector<int64_t>{};
  if (count != 0 && out->size() != count) return WrongCount(k, name, count, *v);
  return std::nullopt;
}

MaybeError ReadInts2(OpKind k, const Attrs& a, std::string_view name, Ints2 dflt, Ints2* out,
                     bool required) {
  const std::vector<int64_t>* list = nullptr;
  const AttrValue* v = nullptr;
  *out = dflt;
  TRITON_SHAPE_TRY(FindInts(k, a, name, required, &list, &v));
  if (v == nullptr) return std::nullopt;
  if (list == nullptr || list->size() != 2) return WrongCount(k, name, 2, *v);
  *out = {(*list)[0], (*list)[1]};
  return std::nullopt;
}

MaybeError CheckMin(OpKind k, std::string_view name, std::span<const int64_t> v, int64_t min) {
  for (int64_t x : v) {
    if (x < min) {
      return Err(Code::kAttr, -1,
                 fmt::format("{} {} must be {}, got {}", OpMnemonic(k), name,
                             min > 0 ? "positive" : "non-negative", IntList(v)));
    }
  }
  return std::nullopt;
}

MaybeError NormAxis(OpKind k, std::string_view what, int64_t axis, size_t rank, int64_t* out) {
  const auto r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) {
    return Err(
        Code::kAttr, -1,
        fmt::format("{} {} {} is out of range for a {}-d tensor", OpMnemonic(k), what, axis, rank));
  }
  *out = axis < 0 ? axis + r : axis;
  return std::nullopt;
}

// ---------------------------------------------------------------- operand checks

MaybeError RequireNumeric(OpKind k, const Operands& in, int i, std::string_view role) {
  if (in[static_cast<size_t>(i)].dtype != DType::kBool) return std::nullopt;
  return Err(Code::kType, i,
             fmt::format("{} expects a numeric {}, got {}", OpMnemonic(k), role,
                         Lang(in[static_cast<size_t>(i)])));
}

MaybeError RequireFloat(OpKind k, const Operands& in, int i, std::string_view role) {
  if (IsFloat(in[static_cast<size_t>(i)].dtype)) return std::nullopt;
  return Err(Code::kType, i,
             fmt::format("{} expects a float {}, got {}", OpMnemonic(k), role,
                         Lang(in[static_cast<size_t>(i)])));
}

MaybeError RequireRank(OpKind k, const Operands& in, int i, size_t rank, std::string_view what) {
  const TensorType& t = in[static_cast<size_t>(i)];
  if (t.rank() == rank) return std::nullopt;
  return Err(Code::kRank, i, fmt::format("{} expects {}, got {}", OpMnemonic(k), what, Lang(t)));
}

MaybeError RequireMinRank(OpKind k, const Operands& in, int i, size_t rank, std::string_view what) {
  const TensorType& t = in[static_cast<size_t>(i)];
  if (t.rank() >= rank) return std::nullopt;
  return Err(Code::kRank, i, fmt::format("{} expects {}, got {}", OpMnemonic(k), what, Lang(t)));
}

MaybeError RequireVector(OpKind k, const Operands& in, int i, const Dim& size,
                         std::string_view role) {
  const TensorType& t = in[static_cast<size_t>(i)];
  if (t.rank() == 1 && DimsCompatible(t.dims[0], size)) return std::nullopt;
  return Err(Code::kShape, i,
             fmt::format("{} {} must have shape [{}], got {}", OpMnemonic(k), role, size.ToString(),
                         Lang(t)));
}

}  // namespace triton::ir::shape_internal

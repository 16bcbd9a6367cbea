#include "triton/ir/type.h"

#include "triton/ir/text_util.h"

namespace triton::ir {

std::string Dim::ToString() const {
  if (is_static()) return std::to_string(size);
  if (is_symbolic()) return symbol;
  return "?";
}

bool TensorType::is_static() const {
  for (const Dim& d : dims) {
    if (!d.is_static()) return false;
  }
  return true;
}

// -1 also when the product overflows int64: such a type can never be materialized, and callers
// treat -1 as "not a known element count".
int64_t TensorType::num_elements() const {
  int64_t n = 1;
  for (const Dim& d : dims) {
    if (!d.is_static()) return -1;
    if (__builtin_mul_overflow(n, d.size, &n)) return -1;
  }
  return n;
}

std::string TensorType::ToString() const {
  std::string s = DTypeShortName(dtype);
  s += '[';
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) s += ", ";
    const Dim& d = dims[i];
    // A symbol that would not read back as one identifier is quoted (the parser accepts both).
    s += d.is_symbolic() && !IsBareIdent(d.symbol) ? QuoteString(d.symbol) : d.ToString();
  }
  s += ']';
  return s;
}

std::string TensorType::ToLangString() const {
  if (dims.empty()) return DTypeName(dtype);
  std::string s = dtype == DType::kTrit ? "TernaryTensor<" : "Tensor<";
  s += DTypeName(dtype);
  s += ", [";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) s += ", ";
    s += dims[i].ToString();
  }
  s += "]>";
  return s;
}

const char* DTypeShortName(DType t) {
  switch (t) {
    case DType::kTrit:
      return "trit";
    case DType::kBool:
      return "bool";
    case DType::kInt8:
      return "i8";
    case DType::kInt16:
      return "i16";
    case DType::kInt32:
      return "i32";
    case DType::kInt64:
      return "i64";
    case DType::kFloat16:
      return "f16";
    case DType::kBFloat16:
      return "bf16";
    case DType::kFloat32:
      return "f32";
    case DType::kFloat64:
      return "f64";
  }
  return "?";
}

std::optional<DType> ParseDTypeShortName(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(DType::kFloat64); ++i) {
    const auto t = static_cast<DType>(i);
    if (name == DTypeShortName(t)) return t;
  }
  return std::nullopt;
}

}  // namespace triton::ir

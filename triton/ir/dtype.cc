#include "triton/ir/dtype.h"

#include <array>

namespace triton::ir {
namespace {

// Position on the integer chain trit -> int8 -> ... -> int64, or -1 when not an integer.
int IntRank(DType t) {
  switch (t) {
    case DType::kTrit:
      return 0;
    case DType::kInt8:
      return 1;
    case DType::kInt16:
      return 2;
    case DType::kInt32:
      return 3;
    case DType::kInt64:
      return 4;
    case DType::kBool:
    case DType::kFloat16:
    case DType::kBFloat16:
    case DType::kFloat32:
    case DType::kFloat64:
      return -1;
  }
  return -1;
}

// Position on the float chain {float16, bfloat16} -> float32 -> float64, or -1.
int FloatRank(DType t) {
  switch (t) {
    case DType::kFloat16:
    case DType::kBFloat16:
      return 0;
    case DType::kFloat32:
      return 1;
    case DType::kFloat64:
      return 2;
    case DType::kTrit:
    case DType::kBool:
    case DType::kInt8:
    case DType::kInt16:
    case DType::kInt32:
    case DType::kInt64:
      return -1;
  }
  return -1;
}

}  // namespace

const char* DTypeName(DType t) {
  switch (t) {
    case DType::kTrit:
      return "trit";
    case DType::kBool:
      return "bool";
    case DType::kInt8:
      return "int8";
    case DType::kInt16:
      return "int16";
    case DType::kInt32:
      return "int32";
    case DType::kInt64:
      return "int64";
    case DType::kFloat16:
      return "float16";
    case DType::kBFloat16:
      return "bfloat16";
    case DType::kFloat32:
      return "float32";
    case DType::kFloat64:
      return "float64";
  }
  return "?";
}

std::optional<DType> ParseDType(std::string_view name) {
  static constexpr std::array kAll = {
      DType::kTrit,  DType::kBool,    DType::kInt8,     DType::kInt16,   DType::kInt32,
      DType::kInt64, DType::kFloat16, DType::kBFloat16, DType::kFloat32, DType::kFloat64};
  for (DType t : kAll) {
    if (name == DTypeName(t)) return t;
  }
  if (name == "int") return DType::kInt64;
  if (name == "float") return DType::kFloat32;
  return std::nullopt;
}

bool IsFloat(DType t) { return FloatRank(t) >= 0; }
bool IsInteger(DType t) { return IntRank(t) >= 0; }

int DTypeBits(DType t) {
  switch (t) {
    case DType::kTrit:
    case DType::kBool:
    case DType::kInt8:
      return 8;
    case DType::kInt16:
    case DType::kFloat16:
    case DType::kBFloat16:
      return 16;
    case DType::kInt32:
    case DType::kFloat32:
      return 32;
    case DType::kInt64:
    case DType::kFloat64:
      return 64;
  }
  return 0;
}

// The lattice is the transitive closure of the documented arrows: integers widen along their
// chain and to float32/float64 (int* -> float32 -> float64); float16 and bfloat16 are unrelated
// to each other and meet at float32.
bool CanWiden(DType from, DType to) {
  if (from == to) return true;
  if (IsInteger(from)) {
    if (IsInteger(to)) return IntRank(from) < IntRank(to);
    return FloatRank(to) >= 1;
  }
  if (IsFloat(from) && IsFloat(to)) return FloatRank(from) < FloatRank(to);
  return false;
}

std::optional<DType> CommonType(DType a, DType b) {
  // Candidates from the bottom of the lattice up; the first one both widen to is the join.
  static constexpr std::array kOrder = {DType::kTrit,     DType::kInt8,    DType::kInt16,
                                        DType::kInt32,    DType::kInt64,   DType::kFloat16,
                                        DType::kBFloat16, DType::kFloat32, DType::kFloat64};
  if (a == b) return a;
  for (DType t : kOrder) {
    if (CanWiden(a, t) && CanWiden(b, t)) return t;
  }
  return std::nullopt;
}

}  // namespace triton::ir

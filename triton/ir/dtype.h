#pragma once
// Element types of tensors and scalars, and the implicit widening lattice of the language:
// trit -> int8 -> int16 -> int32 -> int64; int* -> float32; float16/bfloat16 -> float32 -> float64.
#include <cstdint>
#include <optional>
#include <string_view>

namespace triton::ir {

enum class DType : uint8_t {
  kTrit,
  kBool,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kFloat16,
  kBFloat16,
  kFloat32,
  kFloat64,
};

// Canonical names as written in the language: "trit", "bool", "int8", ..., "float32".
const char* DTypeName(DType t);
// Parses canonical names and the aliases `int` (int64) and `float` (float32).
std::optional<DType> ParseDType(std::string_view name);
bool IsFloat(DType t);
bool IsInteger(DType t);  // trit and int8..int64 (not bool)
int DTypeBits(DType t);   // storage bits in an unpacked tensor (trit: 8)
// True when a value of `from` converts implicitly to `to` (widening only; identity included).
bool CanWiden(DType from, DType to);
// The smallest type both widen to (for binary arithmetic), or nullopt (e.g. bool with float).
std::optional<DType> CommonType(DType a, DType b);

}  // namespace triton::ir

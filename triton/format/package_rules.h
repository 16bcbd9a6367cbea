#pragma once
// Rules of the .tnn format shared by the writer (ValidatePackage) and the reader (ParsePackage),
// so both enforce exactly what docs/format.md §10 lists.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "triton/format/package.h"

namespace triton::format::internal {

// Problems are returned as a phrase completing "name ..." ("is empty"), or "" when valid.
// Tensor names and metadata keys: 1..4096 bytes of UTF-8 without control characters.
std::string NameProblem(std::string_view s);
// Metadata string values and the IR text: UTF-8 without NUL (any length).
std::string TextProblem(std::string_view s);
bool IsUtf8(std::string_view s);

// How a tensor of a shape is stored. Ternary payloads are `rows` rows of `cols` trits
// (packing.h): rank >= 2: rows = dim 0, cols = product of the other dims; rank 0 or 1: one row
// of all elements.
struct Geometry {
  uint64_t elements = 0;
  uint64_t rows = 0, cols = 0;
  uint64_t payload_bytes = 0;  // data bytes the encoding needs for the shape (scales excluded)
};
// Fails (returns a phrase: "has dimension -3 (dims must be >= 0)", ...) on negative dims, rank
// above 8, or sizes that overflow 64 bits; elements and bytes are limited to 2^62.
std::string ComputeGeometry(std::span<const int64_t> dims, Encoding e, Geometry* g);

// Scales per ternary tensor: one per tensor, or one per dim-0 channel (rank >= 1).
bool ScaleCountValid(std::span<const int64_t> dims, uint64_t count);

// "[64, 64, 3, 3]"
std::string ShapeString(std::span<const int64_t> dims);
// A name for messages: quoted, cut to 80 bytes (names are validated before they are shown).
std::string Quoted(std::string_view name);

// Metadata keys with a fixed meaning (Metadata's named fields).
inline constexpr const char* kKeyModelName = "model_name";
inline constexpr const char* kKeySourceHash = "source_hash";
inline constexpr const char* kKeyCompilerVersion = "compiler_version";
inline constexpr const char* kKeyQuantization = "quantization";
inline constexpr const char* kKeyAccuracy = "accuracy";  // f64, finite
bool IsReservedKey(std::string_view key);

}  // namespace triton::format::internal

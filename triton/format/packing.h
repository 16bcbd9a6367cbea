#pragma once
// Trit packing (DESIGN.md §3). The file layout never depends on an ISA.
// 2-bit: storage code = trit + 1 (-1 -> 00, 0 -> 01, +1 -> 10; 11 is invalid), four trits per
//   byte, trit i of a byte in bits 2i+1..2i (LSB first). 2 bits per weight.
// base-3: five trits per byte, byte = sum_{i<5} (trit_i + 1) * 3^i (0..242; 243..255 invalid).
//   1.6 bits per weight.
// Tensors are packed row by row (a row = one output channel, dim 0); each row starts on a byte
// boundary and its last byte is padded with 0-trits.
#include <cstddef>
#include <cstdint>
#include <span>

#include "triton/base/status.h"

namespace triton::format {

inline size_t Packed2BitBytes(size_t n) { return (n + 3) / 4; }
inline size_t PackedBase3Bytes(size_t n) { return (n + 4) / 5; }

// Plain reference versions (one trit at a time) and fast bulk versions; they agree exactly.
void Pack2BitReference(std::span<const int8_t> trits, std::span<uint8_t> out);
void Unpack2BitReference(std::span<const uint8_t> in, size_t n, std::span<int8_t> out);
void PackBase3Reference(std::span<const int8_t> trits, std::span<uint8_t> out);
void UnpackBase3Reference(std::span<const uint8_t> in, size_t n, std::span<int8_t> out);
void Pack2Bit(std::span<const int8_t> trits, std::span<uint8_t> out);
void PackBase3(std::span<const int8_t> trits, std::span<uint8_t> out);
// Unpacking validates: an invalid code (11, or a base-3 byte > 242) is an error naming the byte
// offset; padding trits beyond n must be 0-trits.
Status Unpack2Bit(std::span<const uint8_t> in, size_t n, std::span<int8_t> out);
Status UnpackBase3(std::span<const uint8_t> in, size_t n, std::span<int8_t> out);

// Row-wise forms: `rows` rows of `cols` trits, each row padded to a byte boundary.
size_t PackedRowsBytes(size_t rows, size_t cols, bool base3);
void PackRows(std::span<const int8_t> trits, size_t rows, size_t cols, bool base3,
              std::span<uint8_t> out);
Status UnpackRows(std::span<const uint8_t> in, size_t rows, size_t cols, bool base3,
                  std::span<int8_t> out);

}  // namespace triton::format

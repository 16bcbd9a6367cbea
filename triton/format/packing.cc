// Trit packing: plain reference versions and fast bulk versions (packing.h, docs/format.md §8).
//
// The fast versions are portable C++ (no intrinsics): SWAR word arithmetic for packing and
// 256/243-entry decode tables for unpacking. They read whole 8-byte words with memcpy and so
// assume a little-endian host for the order of bytes in a word; on a big-endian host they fall
// back to the reference loops (the file layout itself is byte-defined and host independent).
#include "triton/format/packing.h"

#include <array>
#include <bit>
#include <cstring>
#include <string>

namespace triton::format {
namespace {

constexpr bool kLittleEndianHost = std::endian::native == std::endian::little;
constexpr uint8_t kCode2Zero = 1;   // 2-bit code of a 0-trit (the padding code)
constexpr uint8_t kMaxBase3 = 242;  // 3^5 - 1: the largest valid base-3 byte
constexpr uint64_t kBytes01 = 0x0101010101010101ull;
constexpr uint64_t kBytes03 = 0x0303030303030303ull;

// Storage code of a trit in {-1, 0, 1}: trit + 1 in {0, 1, 2}.
constexpr uint8_t Code(int8_t t) { return static_cast<uint8_t>(t + 1); }
constexpr int8_t Trit(unsigned code) { return static_cast<int8_t>(static_cast<int>(code) - 1); }

// Per byte of `x` holding a trit, its code (trit + 1), computed without carries between bytes:
// (t & 3) is 3, 0, 1 for -1, 0, 1, and ((t & 3) + 1) & 3 is 0, 1, 2.
inline uint64_t Codes8(uint64_t x) { return ((x & kBytes03) + kBytes01) & kBytes03; }

// The 2-bit decode table: the four trits of each byte (codes 11 decode as garbage here; every
// caller validates the byte first).
constexpr std::array<std::array<int8_t, 4>, 256> MakeDecode2() {
  std::array<std::array<int8_t, 4>, 256> t{};
  for (unsigned b = 0; b < 256; ++b) {
    for (unsigned i = 0; i < 4; ++i) t[b][i] = Trit((b >> (2 * i)) & 3);
  }
  return t;
}
// The base-3 decode table: the five trits of each valid byte, padded to 8 so a whole word can be
// stored when the output has room (the extra 3 bytes are overwritten by the next group).
constexpr std::array<std::array<int8_t, 8>, 243> MakeDecode3() {
  std::array<std::array<int8_t, 8>, 243> t{};
  for (unsigned b = 0; b < 243; ++b) {
    unsigned v = b;
    for (unsigned i = 0; i < 5; ++i, v /= 3) t[b][i] = Trit(v % 3);
  }
  return t;
}
constexpr auto kDecode2 = MakeDecode2();
constexpr auto kDecode3 = MakeDecode3();

// True when some 2-bit field of `w` is the invalid code 11.
inline bool HasInvalid2(uint64_t w) { return (w & (w >> 1) & 0x5555555555555555ull) != 0; }

// Where unpacking found bad data. `byte` indexes the whole buffer given to UnpackRows (or to
// Unpack*), `row`/`trit` locate the trit inside its row.
struct Where {
  size_t byte_base = 0;  // offset of this row's bytes in the caller's buffer
  size_t row = 0;
  bool rows = false;  // called from UnpackRows: name the row in messages
};

std::string Locate(const Where& w, size_t byte, size_t trit) {
  std::string s = "byte " + std::to_string(w.byte_base + byte) + " (";
  if (w.rows) s += "row " + std::to_string(w.row) + ", ";
  return s + "trit " + std::to_string(trit) + ")";
}

Status Invalid2(const Where& w, std::span<const uint8_t> in, size_t byte) {
  unsigned b = in[byte];
  for (unsigned i = 0; i < 4; ++i) {
    if (((b >> (2 * i)) & 3) == 3) {
      return Status::Error("invalid 2-bit code 11 at " + Locate(w, byte, byte * 4 + i));
    }
  }
  TRITON_UNREACHABLE("Invalid2 called on a valid byte");
}

Status Invalid3(const Where& w, std::span<const uint8_t> in, size_t byte) {
  return Status::Error("invalid base-3 byte " + std::to_string(in[byte]) + " at " +
                       Locate(w, byte, byte * 5) + "; the largest code is 242");
}

Status BadPadding(const Where& w, size_t byte, size_t trit, int8_t value) {
  return Status::Error("padding trit at " + Locate(w, byte, trit) + " is " + std::to_string(value) +
                       ", must be 0");
}

// The last, partial byte of a 2-bit row: `real` (1..3) trits, then 0-trit padding codes.
Status UnpackLast2(const Where& w, std::span<const uint8_t> in, size_t byte, size_t real,
                   int8_t* out) {
  unsigned b = in[byte];
  for (size_t i = 0; i < 4; ++i) {
    unsigned code = (b >> (2 * i)) & 3;
    if (code == 3) return Invalid2(w, in, byte);
    if (i < real) {
      out[i] = Trit(code);
    } else if (code != kCode2Zero) {
      return BadPadding(w, byte, byte * 4 + i, Trit(code));
    }
  }
  return Status();
}

Status Unpack2BitAt(std::span<const uint8_t> in, size_t n, int8_t* out, const Where& w) {
  TRITON_CHECK(in.size() == Packed2BitBytes(n));
  const size_t full = n / 4;  // bytes whose four trits are all real
  size_t i = 0;
  if constexpr (kLittleEndianHost) {
    for (; i + 8 <= full; i += 8) {
      uint64_t word;
      std::memcpy(&word, in.data() + i, 8);
      if (HasInvalid2(word)) break;  // the byte loop below finds and reports it
      for (size_t k = 0; k < 8; ++k) std::memcpy(out + 4 * (i + k), kDecode2[in[i + k]].data(), 4);
    }
  }
  for (; i < full; ++i) {
    const uint8_t b = in[i];
    if ((b & (b >> 1) & 0x55) != 0) return Invalid2(w, in, i);
    std::memcpy(out + 4 * i, kDecode2[b].data(), 4);
  }
  if (n % 4 != 0) return UnpackLast2(w, in, full, n % 4, out + 4 * full);
  return Status();
}

Status UnpackLast3(const Where& w, std::span<const uint8_t> in, size_t byte, size_t real,
                   int8_t* out) {
  const uint8_t b = in[byte];
  if (b > kMaxBase3) return Invalid3(w, in, byte);
  for (size_t i = 0; i < 5; ++i) {
    const int8_t t = kDecode3[b][i];
    if (i < real) {
      out[i] = t;
    } else if (t != 0) {
      return BadPadding(w, byte, byte * 5 + i, t);
    }
  }
  return Status();
}

Status UnpackBase3At(std::span<const uint8_t> in, size_t n, int8_t* out, const Where& w) {
  TRITON_CHECK(in.size() == PackedBase3Bytes(n));
  const size_t full = n / 5;
  size_t i = 0;
  if constexpr (kLittleEndianHost) {
    // Blocks of 8 bytes -> 40 trits; 8-byte stores overlap the next group and are overwritten,
    // so the last group of a block is stored with 5 bytes unless the output has room.
    for (; i + 8 <= full; i += 8) {
      unsigned bad = 0;
      for (size_t k = 0; k < 8; ++k) bad |= in[i + k] > kMaxBase3;
      if (bad) break;
      for (size_t k = 0; k < 7; ++k) std::memcpy(out + 5 * (i + k), kDecode3[in[i + k]].data(), 8);
      std::memcpy(out + 5 * (i + 7), kDecode3[in[i + 7]].data(), 5);
    }
  }
  for (; i < full; ++i) {
    const uint8_t b = in[i];
    if (b > kMaxBase3) return Invalid3(w, in, i);
    std::memcpy(out + 5 * i, kDecode3[b].data(), 5);
  }
  if (n % 5 != 0) return UnpackLast3(w, in, full, n % 5, out + 5 * full);
  return Status();
}

// rows * cols, checked for overflow (a caller bug, not a file error: the reader checks first).
size_t Elements(size_t rows, size_t cols) {
  size_t n = 0;
  TRITON_CHECK_MSG(!__builtin_mul_overflow(rows, cols, &n), "rows * cols overflows");
  return n;
}

// Packs 8 trits (a little-endian word of int8) into 2 bytes of 2-bit codes.
inline uint16_t Pack8(uint64_t x) {
  uint64_t c = Codes8(x);                       // code i in bits 8i..8i+1
  c = (c | (c >> 6)) & 0x000F000F000F000Full;   // pairs: 16-bit unit j = codes 2j, 2j+1
  c = (c | (c >> 12)) & 0x000000FF000000FFull;  // quads: bytes 0 and 4
  return static_cast<uint16_t>(c | (c >> 24));  // bytes 0 and 1
}

// Packs 5 trits (the low 5 bytes of a little-endian word of int8) into one base-3 byte: one
// multiply sums code_i * 3^i into byte 4 of the product (no byte sum exceeds 242: no carries).
inline uint8_t Pack5(uint64_t x) {
  constexpr uint64_t kWeights = 81ull | 27ull << 8 | 9ull << 16 | 3ull << 24 | 1ull << 32;
  const uint64_t c = Codes8(x) & 0xFFFFFFFFFFull;
  return static_cast<uint8_t>((c * kWeights) >> 32);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Reference versions: one trit at a time, straight from the definition.

void Pack2BitReference(std::span<const int8_t> trits, std::span<uint8_t> out) {
  TRITON_CHECK(out.size() == Packed2BitBytes(trits.size()));
  for (size_t b = 0; b < out.size(); ++b) {
    unsigned byte = 0;
    for (size_t i = 0; i < 4; ++i) {
      const size_t k = 4 * b + i;
      int8_t t = 0;  // padding trits are 0-trits
      if (k < trits.size()) {
        t = trits[k];
        TRITON_CHECK_MSG(t >= -1 && t <= 1, "Pack2BitReference: value is not a trit");
      }
      byte |= static_cast<unsigned>(Code(t)) << (2 * i);
    }
    out[b] = static_cast<uint8_t>(byte);
  }
}

void Unpack2BitReference(std::span<const uint8_t> in, size_t n, std::span<int8_t> out) {
  TRITON_CHECK(in.size() == Packed2BitBytes(n) && out.size() == n);
  for (size_t k = 0; k < n; ++k) {
    const unsigned code = (in[k / 4] >> (2 * (k % 4))) & 3;
    TRITON_CHECK_MSG(code != 3, "Unpack2BitReference: invalid code (use Unpack2Bit)");
    out[k] = Trit(code);
  }
}

void PackBase3Reference(std::span<const int8_t> trits, std::span<uint8_t> out) {
  TRITON_CHECK(out.size() == PackedBase3Bytes(trits.size()));
  for (size_t b = 0; b < out.size(); ++b) {
    unsigned byte = 0, weight = 1;
    for (size_t i = 0; i < 5; ++i, weight *= 3) {
      const size_t k = 5 * b + i;
      int8_t t = 0;
      if (k < trits.size()) {
        t = trits[k];
        TRITON_CHECK_MSG(t >= -1 && t <= 1, "PackBase3Reference: value is not a trit");
      }
      byte += Code(t) * weight;
    }
    out[b] = static_cast<uint8_t>(byte);
  }
}

void UnpackBase3Reference(std::span<const uint8_t> in, size_t n, std::span<int8_t> out) {
  TRITON_CHECK(in.size() == PackedBase3Bytes(n) && out.size() == n);
  for (size_t k = 0; k < n; ++k) {
    unsigned v = in[k / 5];
    TRITON_CHECK_MSG(v <= kMaxBase3, "UnpackBase3Reference: invalid byte (use UnpackBase3)");
    for (size_t i = 0; i < k % 5; ++i) v /= 3;
    out[k] = Trit(v % 3);
  }
}

// ---------------------------------------------------------------------------------------------
// Fast versions. Packing trusts its input to be trits (the package writer validates first); a
// non-trit value packs to an unspecified code of its own byte and never disturbs other bytes.

void Pack2Bit(std::span<const int8_t> trits, std::span<uint8_t> out) {
  const size_t n = trits.size();
  TRITON_CHECK(out.size() == Packed2BitBytes(n));
  size_t k = 0;  // trits done; always a multiple of 4 until the tail
  if constexpr (kLittleEndianHost) {
    for (; k + 8 <= n; k += 8) {
      uint64_t x;
      std::memcpy(&x, trits.data() + k, 8);
      const uint16_t two = Pack8(x);
      std::memcpy(out.data() + k / 4, &two, 2);
    }
  }
  for (; k < n; k += 4) {
    unsigned byte = 0;
    for (size_t i = 0; i < 4; ++i) {
      const unsigned code = k + i < n ? Code(trits[k + i]) & 3 : kCode2Zero;
      byte |= code << (2 * i);
    }
    out[k / 4] = static_cast<uint8_t>(byte);
  }
}

void PackBase3(std::span<const int8_t> trits, std::span<uint8_t> out) {
  const size_t n = trits.size();
  TRITON_CHECK(out.size() == PackedBase3Bytes(n));
  size_t k = 0;
  if constexpr (kLittleEndianHost) {
    for (; k + 8 <= n; k += 5) {  // an 8-byte load must stay inside the input
      uint64_t x;
      std::memcpy(&x, trits.data() + k, 8);
      out[k / 5] = Pack5(x);
    }
  }
  for (; k < n; k += 5) {
    unsigned byte = 0, weight = 1;
    for (size_t i = 0; i < 5; ++i, weight *= 3) {
      byte += (k + i < n ? Code(trits[k + i]) & 3u : 1u) * weight;
    }
    out[k / 5] = static_cast<uint8_t>(byte);
  }
}

Status Unpack2Bit(std::span<const uint8_t> in, size_t n, std::span<int8_t> out) {
  TRITON_CHECK(out.size() == n);
  return Unpack2BitAt(in, n, out.data(), Where{});
}

Status UnpackBase3(std::span<const uint8_t> in, size_t n, std::span<int8_t> out) {
  TRITON_CHECK(out.size() == n);
  return UnpackBase3At(in, n, out.data(), Where{});
}

// ---------------------------------------------------------------------------------------------
// Row-wise forms.

size_t PackedRowsBytes(size_t rows, size_t cols, bool base3) {
  const size_t per_row = base3 ? PackedBase3Bytes(cols) : Packed2BitBytes(cols);
  size_t total = 0;
  TRITON_CHECK_MSG(!__builtin_mul_overflow(rows, per_row, &total), "PackedRowsBytes overflow");
  return total;
}

void PackRows(std::span<const int8_t> trits, size_t rows, size_t cols, bool base3,
              std::span<uint8_t> out) {
  TRITON_CHECK(trits.size() == Elements(rows, cols));
  TRITON_CHECK(out.size() == PackedRowsBytes(rows, cols, base3));
  if (rows == 0 || cols == 0) return;  // rows may be huge ([2^62, 0]): do not loop over them
  const size_t per_row = out.size() / rows;
  for (size_t r = 0; r < rows; ++r) {
    auto src = trits.subspan(r * cols, cols);
    auto dst = out.subspan(r * per_row, per_row);
    base3 ? PackBase3(src, dst) : Pack2Bit(src, dst);
  }
}

Status UnpackRows(std::span<const uint8_t> in, size_t rows, size_t cols, bool base3,
                  std::span<int8_t> out) {
  TRITON_CHECK(in.size() == PackedRowsBytes(rows, cols, base3));
  TRITON_CHECK(out.size() == Elements(rows, cols));
  if (rows == 0 || cols == 0) return Status();  // see PackRows
  const size_t per_row = in.size() / rows;
  for (size_t r = 0; r < rows; ++r) {
    const Where w{.byte_base = r * per_row, .row = r, .rows = true};
    auto src = in.subspan(r * per_row, per_row);
    int8_t* dst = out.data() + r * cols;
    Status s = base3 ? UnpackBase3At(src, cols, dst, w) : Unpack2BitAt(src, cols, dst, w);
    if (!s.ok()) return s;
  }
  return Status();
}

}  // namespace triton::format

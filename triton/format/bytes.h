#pragma once
// Little-endian byte access for the package writer and reader. Byte-by-byte shifts, so the
// results do not depend on the host's byte order or on alignment.
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include "triton/base/check.h"

namespace triton::format::internal {

inline uint64_t GetLE(const uint8_t* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}
inline uint16_t GetU16(const uint8_t* p) { return static_cast<uint16_t>(GetLE(p, 2)); }
inline uint32_t GetU32(const uint8_t* p) { return static_cast<uint32_t>(GetLE(p, 4)); }
inline uint64_t GetU64(const uint8_t* p) { return GetLE(p, 8); }

inline void PutLE(uint8_t* p, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

// Appends to a byte vector.
class ByteWriter {
 public:
  explicit ByteWriter(std::vector<uint8_t>* out) : out_(out) {}
  void U8(uint8_t v) { out_->push_back(v); }
  void U16(uint16_t v) { Int(v, 2); }
  void U32(uint32_t v) { Int(v, 4); }
  void U64(uint64_t v) { Int(v, 8); }
  void I64(int64_t v) { Int(static_cast<uint64_t>(v), 8); }
  void F32(float v) { Int(std::bit_cast<uint32_t>(v), 4); }
  void F64(double v) { Int(std::bit_cast<uint64_t>(v), 8); }
  void Bytes(std::string_view s) { out_->insert(out_->end(), s.begin(), s.end()); }
  void Bytes(std::span<const uint8_t> s) { out_->insert(out_->end(), s.begin(), s.end()); }
  void Zeros(size_t n) { out_->resize(out_->size() + n, 0); }
  size_t size() const { return out_->size(); }

 private:
  void Int(uint64_t v, size_t n) {
    const size_t at = out_->size();
    out_->resize(at + n);
    PutLE(out_->data() + at, v, n);
  }
  std::vector<uint8_t>* out_;
};

// A cursor over a span. Callers check left() before every read; reads past the end are bugs.
class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> s) : s_(s) {}
  uint64_t left() const { return s_.size() - pos_; }
  size_t pos() const { return pos_; }
  uint8_t U8() { return Take(1)[0]; }
  uint32_t U32() { return GetU32(Take(4)); }
  uint64_t U64() { return GetU64(Take(8)); }
  int64_t I64() { return static_cast<int64_t>(U64()); }
  double F64() { return std::bit_cast<double>(U64()); }
  std::string_view Str(size_t n) { return {reinterpret_cast<const char*>(Take(n)), n}; }

 private:
  const uint8_t* Take(size_t n) {
    TRITON_CHECK_MSG(n <= left(), "ByteReader: read past the end (caller did not check)");
    const uint8_t* p = s_.data() + pos_;
    pos_ += n;
    return p;
  }
  std::span<const uint8_t> s_;
  size_t pos_ = 0;
};

}  // namespace triton::format::internal

#pragma once
// A little-endian byte codec for the binary forms Triton writes itself: the compile cache's
// payloads (cache/entry.h) and modules (ir/binary.h). Fixed-width integers, f64 by its IEEE-754
// bit pattern, counts as u64, strings as a u64 length and the bytes.
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace triton::base {

class ByteWriter {
 public:
  template <typename T>
  void Int(T v) {
    static_assert(std::is_integral_v<T>);
    using U = std::make_unsigned_t<T>;
    const U u = static_cast<U>(v);
    char b[sizeof(T)];
    for (size_t i = 0; i < sizeof(T); ++i) b[i] = static_cast<char>((u >> (8 * i)) & 0xff);
    out_.append(b, sizeof(T));
  }
  void U32(uint32_t v) { Int(v); }
  void U64(uint64_t v) { Int(v); }
  void F64(double v) { Int(std::bit_cast<uint64_t>(v)); }
  void Count(size_t n) { Int(static_cast<uint64_t>(n)); }
  void Str(std::string_view s) {
    Count(s.size());
    out_.append(s);
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

// Every read checks the bytes left. The first failure is recorded ("<what> at byte N") and every
// later read returns zero or empty, so a decoder can read a whole record and check ok() once.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  template <typename T>
  T Int() {
    static_assert(std::is_integral_v<T>);
    if (!Need(sizeof(T))) return 0;
    using U = std::make_unsigned_t<T>;
    U u = 0;
    for (size_t i = 0; i < sizeof(T); ++i) {
      u |= static_cast<U>(static_cast<U>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i));
    }
    pos_ += sizeof(T);
    return static_cast<T>(u);
  }
  uint32_t U32() { return Int<uint32_t>(); }
  uint64_t U64() { return Int<uint64_t>(); }
  double F64() { return std::bit_cast<double>(Int<uint64_t>()); }
  // A count of items that each take at least `min_item_bytes`: more than the bytes left can
  // hold fails (so a damaged count never drives a huge allocation).
  uint64_t Count(size_t min_item_bytes);
  std::string Str();

  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }
  // Records the first failure, at the current byte; returns false.
  bool Fail(std::string_view what);
  const std::string& error() const { return error_; }  // "" while ok()

 private:
  bool Need(uint64_t n);
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
  std::string error_;
};

}  // namespace triton::base

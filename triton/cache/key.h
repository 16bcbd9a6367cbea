#pragma once
// Cache keys: 128-bit XXH3 digests of everything a cached result depends on. KeyBuilder frames
// every field with its length, so ("ab", "c") and ("a", "bc") never collide by construction.
#include <cstdint>
#include <string>
#include <string_view>

namespace triton::cache {

struct Key {
  uint64_t hi = 0, lo = 0;
  std::string Hex() const;  // 32 lower-case hex digits, hi first
  // Parses 32 hex digits; false (and *out untouched) on anything else.
  static bool FromHex(std::string_view hex, Key* out);
  bool operator==(const Key&) const = default;
};

struct KeyHash {
  size_t operator()(const Key& k) const { return static_cast<size_t>(k.lo ^ (k.hi * 31)); }
};

class KeyBuilder {
 public:
  KeyBuilder();
  ~KeyBuilder();
  KeyBuilder(const KeyBuilder&) = delete;
  KeyBuilder& operator=(const KeyBuilder&) = delete;

  // Adds one named field: tag, then the value's length and bytes.
  KeyBuilder& Add(std::string_view tag, std::string_view value);
  KeyBuilder& Add(std::string_view tag, int64_t value);
  Key Finish() const;

 private:
  void Raw(const void* data, size_t n);
  void* state_;  // XXH3_state_t*
};

}  // namespace triton::cache

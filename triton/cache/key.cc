#include "triton/cache/key.h"

#include <xxhash.h>

#include "triton/base/check.h"

namespace triton::cache {

namespace {
int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}
}  // namespace

std::string Key::Hex() const {
  static const char kDigits[] = "0123456789abcdef";
  std::string s(32, '0');
  for (int i = 0; i < 16; ++i) {
    s[static_cast<size_t>(i)] = kDigits[(hi >> (60 - 4 * i)) & 15];
    s[static_cast<size_t>(16 + i)] = kDigits[(lo >> (60 - 4 * i)) & 15];
  }
  return s;
}

bool Key::FromHex(std::string_view hex, Key* out) {
  if (hex.size() != 32) return false;
  Key k;
  for (size_t i = 0; i < 32; ++i) {
    int d = HexDigit(hex[i]);
    if (d < 0) return false;
    uint64_t& half = i < 16 ? k.hi : k.lo;
    half = (half << 4) | static_cast<uint64_t>(d);
  }
  *out = k;
  return true;
}

KeyBuilder::KeyBuilder() : state_(XXH3_createState()) {
  TRITON_CHECK(state_ != nullptr);
  XXH3_128bits_reset(static_cast<XXH3_state_t*>(state_));
}

KeyBuilder::~KeyBuilder() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }

void KeyBuilder::Raw(const void* data, size_t n) {
  XXH3_128bits_update(static_cast<XXH3_state_t*>(state_), data, n);
}

KeyBuilder& KeyBuilder::Add(std::string_view tag, std::string_view value) {
  unsigned char lens[16];
  for (int i = 0; i < 8; ++i) {
    lens[i] = static_cast<unsigned char>(tag.size() >> (8 * i));
    lens[8 + i] = static_cast<unsigned char>(value.size() >> (8 * i));
  }
  Raw(lens, sizeof(lens));
  Raw(tag.data(), tag.size());
  Raw(value.data(), value.size());
  return *this;
}

KeyBuilder& KeyBuilder::Add(std::string_view tag, int64_t value) {
  char bytes[8];  // little-endian on every host, so keys do not depend on byte order
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(static_cast<uint64_t>(value) >> (8 * i));
  return Add(tag, std::string_view(bytes, sizeof(bytes)));
}

Key KeyBuilder::Finish() const {
  XXH128_hash_t h = XXH3_128bits_digest(static_cast<XXH3_state_t*>(state_));
  return Key{h.high64, h.low64};
}

}  // namespace triton::cache

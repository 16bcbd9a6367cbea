#include "triton/base/bytes.h"

namespace triton::base {

bool ByteReader::Need(uint64_t n) {
  if (!ok_) return false;
  if (in_.size() - pos_ < n) return Fail("cut short");
  return true;
}

bool ByteReader::Fail(std::string_view what) {
  if (ok_) error_ = std::string(what) + " at byte " + std::to_string(pos_);
  ok_ = false;
  return false;
}

uint64_t ByteReader::Count(size_t min_item_bytes) {
  const uint64_t n = U64();
  if (!ok_) return 0;
  if (min_item_bytes > 0 && n > (in_.size() - pos_) / min_item_bytes) {
    Fail("a count of " + std::to_string(n) + " is more than the bytes left hold");
    return 0;
  }
  return n;
}

std::string ByteReader::Str() {
  const uint64_t n = U64();
  if (!Need(n)) return {};
  std::string s(in_.substr(pos_, n));
  pos_ += n;
  return s;
}

}  // namespace triton::base

// Small pieces of package.h shared by the reader and the writer, and the checksum.
#include "triton/format/package.h"

#include <xxhash.h>

#include "triton/format/bytes.h"
#include "triton/format/package_layout.h"
#include "triton/format/package_rules.h"

namespace triton::format {

const char* EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kF32:
      return "f32";
    case Encoding::kTernary2Bit:
      return "ternary-2bit";
    case Encoding::kTernaryBase3:
      return "ternary-base3";
  }
  return "unknown";
}

int64_t TensorRecord::num_elements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;  // valid shapes only (ValidatePackage / the reader check)
  return n;
}

uint64_t TensorRecord::StoredBytes() const {
  internal::Geometry g;
  const std::string problem = internal::ComputeGeometry(shape, encoding, &g);
  TRITON_CHECK_MSG(problem.empty(), "StoredBytes: invalid shape");
  return g.payload_bytes + (ternary() ? 8 * scale_pos.size() : 0);
}

const TensorRecord* Package::Find(const std::string& name) const {
  for (const TensorRecord& t : tensors) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

namespace layout {

uint64_t Checksum(std::span<const uint8_t> bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

void StampSizeAndChecksum(std::span<uint8_t> bytes) {
  TRITON_CHECK(bytes.size() >= kMinFileSize);
  internal::PutLE(bytes.data() + kOffFileSize, bytes.size(), 8);
  const size_t body = bytes.size() - kTrailerSize;
  internal::PutLE(bytes.data() + body, Checksum(bytes.first(body)), 8);
}

}  // namespace layout
}  // namespace triton::format

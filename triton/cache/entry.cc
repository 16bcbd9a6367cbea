#include "triton/cache/entry.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <cstring>

namespace triton::cache {

std::string EncodeEntry(const Key& key, std::string_view payload) {
  base::ByteWriter w;
  std::string& out = w.bytes();
  out.reserve(kEntryOverhead + payload.size());
  out.append(kEntryMagic, sizeof(kEntryMagic));
  w.U32(kEntryVersion);
  w.U32(0);
  w.U64(key.hi);
  w.U64(key.lo);
  w.U64(payload.size());
  out.append(payload);
  w.U64(XXH3_64bits(out.data(), out.size()));
  return std::move(out);
}

DecodedEntry DecodeEntry(std::string_view bytes, const Key* expected) {
  DecodedEntry d;
  auto fail = [&d](EntryProblem p, std::string m) {
    d.problem = p;
    d.message = std::move(m);
    return d;
  };
  if (bytes.empty()) return fail(EntryProblem::kEmpty, "empty file (0 bytes)");
  if (bytes.size() < sizeof(kEntryMagic) ||
      std::memcmp(bytes.data(), kEntryMagic, sizeof(kEntryMagic)) != 0) {
    // A prefix of the magic is a truncated entry; anything else is not ours.
    bool prefix = bytes.size() < sizeof(kEntryMagic) &&
                  std::memcmp(bytes.data(), kEntryMagic, bytes.size()) == 0;
    if (prefix) {
      return fail(EntryProblem::kTruncated,
                  fmt::format("truncated: {} bytes, less than the {}-byte header", bytes.size(),
                              kEntryOverhead));
    }
    return fail(EntryProblem::kForeign, "not a cache entry (bad magic)");
  }
  if (bytes.size() < kEntryOverhead) {
    return fail(EntryProblem::kTruncated,
                fmt::format("truncated: {} bytes, less than the {}-byte header and checksum",
                            bytes.size(), kEntryOverhead));
  }
  // The header after the magic; its size was checked above.
  base::ByteReader header(
      bytes.substr(sizeof(kEntryMagic), kEntryHeaderSize - sizeof(kEntryMagic)));
  const uint32_t version = header.U32();
  if (version != kEntryVersion) {
    return fail(EntryProblem::kVersion,
                fmt::format("entry format version {}, expected {}", version, kEntryVersion));
  }
  if (header.U32() != 0) return fail(EntryProblem::kBadHeader, "reserved header flags set");
  const uint64_t hi = header.U64();
  d.key = Key{hi, header.U64()};
  const uint64_t n = header.U64();
  uint64_t room = bytes.size() - kEntryOverhead;
  if (n > room) {
    return fail(EntryProblem::kTruncated,
                fmt::format("truncated: {} bytes, the header promises {}", bytes.size(),
                            n > UINT64_MAX - kEntryOverhead ? UINT64_MAX : n + kEntryOverhead));
  }
  if (n < room) {
    return fail(EntryProblem::kTrailingBytes,
                fmt::format("{} bytes, {} more than the header promises", bytes.size(), room - n));
  }
  const uint64_t stored = base::ByteReader(bytes.substr(kEntryHeaderSize + n, 8)).U64();
  const uint64_t computed = XXH3_64bits(bytes.data(), kEntryHeaderSize + n);
  if (stored != computed) {
    return fail(
        EntryProblem::kChecksum,
        fmt::format("checksum mismatch (stored {:016x}, computed {:016x})", stored, computed));
  }
  if (expected && !(d.key == *expected)) {
    return fail(EntryProblem::kKeyMismatch,
                "holds key " + d.key.Hex() + ", expected " + expected->Hex());
  }
  d.payload = bytes.substr(kEntryHeaderSize, n);
  return d;
}

}  // namespace triton::cache

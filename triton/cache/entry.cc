#include "triton/cache/entry.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <cstring>

namespace triton::cache {

namespace {

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
void PutU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
uint64_t GetLe(const char* p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

}  // namespace

std::string EncodeEntry(const Key& key, std::string_view payload) {
  std::string out;
  out.reserve(kEntryOverhead + payload.size());
  out.append(kEntryMagic, sizeof(kEntryMagic));
  PutU32(out, kEntryVersion);
  PutU32(out, 0);
  PutU64(out, key.hi);
  PutU64(out, key.lo);
  PutU64(out, payload.size());
  out.append(payload);
  PutU64(out, XXH3_64bits(out.data(), out.size()));
  return out;
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
  const char* p = bytes.data();
  uint32_t version = static_cast<uint32_t>(GetLe(p + 8, 4));
  if (version != kEntryVersion) {
    return fail(EntryProblem::kVersion,
                fmt::format("entry format version {}, expected {}", version, kEntryVersion));
  }
  if (GetLe(p + 12, 4) != 0) return fail(EntryProblem::kBadHeader, "reserved header flags set");
  d.key = Key{GetLe(p + 16, 8), GetLe(p + 24, 8)};
  uint64_t n = GetLe(p + 32, 8);
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
  uint64_t stored = GetLe(p + kEntryHeaderSize + n, 8);
  uint64_t computed = XXH3_64bits(p, kEntryHeaderSize + n);
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

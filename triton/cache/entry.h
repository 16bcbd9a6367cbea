#pragma once
// The on-disk form of one cache entry, and a small bounds-checked codec for payloads.
//
// Entry file, little-endian, 48 bytes + payload:
//   offset  size  field
//        0     8  magic "TRICACHE"
//        8     4  entry format version (kEntryVersion)
//       12     4  flags, reserved: 0
//       16    16  key (hi, lo: two u64)
//       32     8  payload length n
//       40     n  payload (opaque here; the driver's compile payload is in cached_compile.cc)
//     40+n     8  XXH3-64 of bytes [0, 40+n)
// DecodeEntry validates every field, the exact file size and the checksum before it returns the
// payload; anything else is an EntryError naming the problem. Nothing in the file is trusted.
#include <cstdint>
#include <string>
#include <string_view>

#include "triton/base/bytes.h"
#include "triton/cache/key.h"

namespace triton::cache {

inline constexpr char kEntryMagic[8] = {'T', 'R', 'I', 'C', 'A', 'C', 'H', 'E'};
inline constexpr uint32_t kEntryVersion = 1;
inline constexpr size_t kEntryHeaderSize = 40;
inline constexpr size_t kEntryOverhead = kEntryHeaderSize + 8;

std::string EncodeEntry(const Key& key, std::string_view payload);

enum class EntryProblem {
  kNone,
  kEmpty,          // zero-length file
  kTruncated,      // shorter than header + checksum, or shorter than the payload length says
  kForeign,        // bad magic: not a cache entry
  kVersion,        // another entry format version
  kBadHeader,      // reserved flags set
  kTrailingBytes,  // longer than the payload length says
  kChecksum,       // checksum mismatch
  kKeyMismatch,    // a valid entry for another key
};

struct DecodedEntry {
  EntryProblem problem = EntryProblem::kNone;
  std::string message;       // "checksum mismatch (stored 0123..., computed 4567...)"
  Key key;                   // the key in the header (valid from kVersion on)
  std::string_view payload;  // into the decoded bytes; set when problem == kNone
  bool ok() const { return problem == EntryProblem::kNone; }
};

// Validates `bytes` as an entry; `expected` (when given) must equal the header's key.
DecodedEntry DecodeEntry(std::string_view bytes, const Key* expected);

// Payload codec: little-endian integers, u64 counts and u64-length strings (base/bytes.h). Every
// read checks the remaining length; after the first failure ok() is false and every later read
// returns zero/empty, so a decoder can read a whole record and check ok() once.
using PayloadWriter = base::ByteWriter;
using PayloadReader = base::ByteReader;

}  // namespace triton::cache

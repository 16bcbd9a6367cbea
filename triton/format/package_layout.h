#pragma once
// The byte layout of a .tnn package (docs/format.md is the specification; this header is its
// single source of numbers for the writer, the reader, the tests and the fuzzer).
//
//   [0, 128)              header (fixed)
//   sections              metadata, IR text, tensor directory, data: anywhere in
//                         [128, file_size - 8), non-overlapping; the writer emits them in this
//                         order with the data region aligned to 64 bytes
//   [file_size - 8, end)  trailer: XXH3-64 (seed 0) of bytes [0, file_size - 8)
#include <cstddef>
#include <cstdint>
#include <span>

namespace triton::format::layout {

inline constexpr char kMagic[8] = {'T', 'R', 'I', 'T', 'O', 'N', 'N', 'N'};
inline constexpr uint16_t kMajor = 1;  // readers reject other majors
inline constexpr uint16_t kMinor = 0;  // readers accept any minor of their major

inline constexpr size_t kHeaderSize = 128;
inline constexpr size_t kTrailerSize = 8;
inline constexpr size_t kMinFileSize = kHeaderSize + kTrailerSize;
inline constexpr uint64_t kDataAlign = 64;  // data region and every tensor payload
inline constexpr uint64_t kScaleAlign = 4;  // f32 scale blocks

// Header fields: byte offsets (all integers little-endian).
inline constexpr size_t kOffMagic = 0;         // char[8]
inline constexpr size_t kOffMajor = 8;         // u16
inline constexpr size_t kOffMinor = 10;        // u16
inline constexpr size_t kOffFlags = 12;        // u32, no flag defined in 1.0: must be 0
inline constexpr size_t kOffFileSize = 16;     // u64, the whole file including the trailer
inline constexpr size_t kOffMetaCount = 24;    // u32, metadata entries
inline constexpr size_t kOffTensorCount = 28;  // u32, directory entries
inline constexpr size_t kOffMetaOffset = 32;   // u64 offset, u64 size: metadata section
inline constexpr size_t kOffMetaSize = 40;
inline constexpr size_t kOffIrOffset = 48;  // IR text section
inline constexpr size_t kOffIrSize = 56;
inline constexpr size_t kOffDirOffset = 64;  // tensor directory
inline constexpr size_t kOffDirSize = 72;
inline constexpr size_t kOffDataOffset = 80;  // data region
inline constexpr size_t kOffDataSize = 88;
inline constexpr size_t kOffReserved = 96;  // 32 bytes, zero in 1.0
inline constexpr size_t kReservedSize = 32;

// Metadata entry: u8 type, u32 key length, key, value (string: u32 length + bytes; f64, i64: 8).
inline constexpr uint8_t kMetaString = 1;
inline constexpr uint8_t kMetaF64 = 2;
inline constexpr uint8_t kMetaI64 = 3;
inline constexpr uint64_t kMinMetaEntry = 1 + 4 + 1 + 4;  // non-empty key, empty string value

// Directory entry: u32 name length, name, u8 encoding, u8 flags, u8 rank, u8 reserved,
// i64 dims[rank], u64 data offset, u64 data bytes, u64 scale offset, u64 scale count.
inline constexpr uint64_t kDirFixedBytes = 4 + 4 + 8 * 4;     // everything but name and dims
inline constexpr uint64_t kMinDirEntry = kDirFixedBytes + 1;  // rank 0, 1-byte name
inline constexpr uint8_t kFlagTrainable = 1;                  // the only tensor flag in 1.0

inline constexpr size_t kMaxRank = 8;
inline constexpr size_t kMaxNameBytes = 4096;  // tensor names and metadata keys

// XXH3-64 (seed 0) of `bytes`.
uint64_t Checksum(std::span<const uint8_t> bytes);

// Sets the header's file-size field to bytes.size() and rewrites the trailer with the checksum
// of everything before it. The writer's last step; tests use it to damage a file and keep its
// checksum valid, so that the structural checks are what must catch the damage.
// Requires bytes.size() >= kMinFileSize.
void StampSizeAndChecksum(std::span<uint8_t> bytes);

}  // namespace triton::format::layout

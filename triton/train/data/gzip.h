#pragma once
// gzip (RFC 1952) decompression through zlib, for .gz data files (IDX) and .tar.gz archives.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "triton/base/status.h"

namespace triton::data {

// True when bytes start with the gzip magic 1f 8b.
bool IsGzip(std::span<const uint8_t> bytes);

// Decompresses a whole gzip stream (concatenated members too). Errors name `file`: a corrupt or
// truncated stream, or output past `max_out` bytes (a guard against decompression bombs and, in
// the fuzzer, against running out of memory).
Result<std::vector<uint8_t>> Gunzip(std::span<const uint8_t> bytes, const std::string& file,
                                    size_t max_out);

// Reads `path` whole; gunzips it when it is gzip (by content, not by name).
Result<std::vector<uint8_t>> ReadMaybeGzip(const std::string& path, size_t max_out);

}  // namespace triton::data

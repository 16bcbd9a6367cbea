#pragma once
// Reading the member list of a tar archive held in memory (POSIX ustar, as written by GNU tar and
// Python's tarfile), so image folders can be read straight from a .tar.gz without extracting.
//
// Format facts (POSIX.1-2001 "pax" / ustar, GNU tar manual "Basic Tar Format"): 512-byte header
// blocks; name[100] at 0, size[12] at 124 (octal text, or base-256 when the first byte has bit 7
// set), checksum[8] at 148 (sum of the header bytes with this field read as spaces), typeflag at
// 156 ('0' or NUL: file, '5': directory, 'L': GNU long name of the next member, 'x'/'g': pax
// headers whose "path" record renames the next member), "ustar" at 257, prefix[155] at 345
// (joined to the name with '/'). Data follows in 512-byte blocks; two zero blocks end the archive.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "triton/base/status.h"

namespace triton::data {

struct TarMember {
  std::string name;   // full path inside the archive, no leading "./"
  size_t offset = 0;  // of the data in the archive bytes
  size_t size = 0;
};

// The regular files of the archive, in archive order. Errors name `file` and the byte offset of
// the bad header ("FILE: tar header at offset 1536: bad checksum").
Result<std::vector<TarMember>> ParseTar(std::span<const uint8_t> bytes, const std::string& file);

}  // namespace triton::data

#pragma once
// Damaged packages made from a valid one: truncations, bit flips, hostile header and directory
// fields, overlapping ranges, bad magic and versions, bad data. Used by damaged_test.cc and to
// write the committed corpus testdata/damaged/ (the fuzzer's seeds).
#include <cstdint>
#include <string>
#include <vector>

namespace triton::format::testing {

struct DamagedCase {
  std::string name;  // a file-name-safe description: "dir0_rank_255"
  std::vector<uint8_t> bytes;
  bool must_fail = true;  // false: the damage may leave a valid package (a restamped flip)
};

enum class Coverage {
  kExhaustive,  // every truncation offset and every bit: for small files
  kSampled,     // a deterministic sample (every 7th offset, every 13th bit) + all boundaries
};

// Cases made from `valid` (a package written by SerializePackage).
std::vector<DamagedCase> DamagedCases(const std::vector<uint8_t>& valid, Coverage coverage);

// The named cases of the committed corpus (a few dozen, from a small package): one per kind of
// damage, all must fail.
std::vector<DamagedCase> CorpusCases(const std::vector<uint8_t>& valid);

}  // namespace triton::format::testing
